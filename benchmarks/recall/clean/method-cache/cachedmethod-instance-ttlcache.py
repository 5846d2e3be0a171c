"""cachetools.cachedmethod looks up a TTLCache stored on each instance, so the cache (and its keys) belong to that instance alone."""
import operator

from cachetools import TTLCache, cachedmethod


class ExchangeRates:
    def __init__(self, client):
        self.client = client
        self._rates_cache = TTLCache(maxsize=64, ttl=600)

    @cachedmethod(operator.attrgetter("_rates_cache"))
    def rate(self, base, quote):
        return self.client.fetch_rate(base, quote)

    def convert(self, amount, base, quote):
        return amount * self.rate(base, quote)
