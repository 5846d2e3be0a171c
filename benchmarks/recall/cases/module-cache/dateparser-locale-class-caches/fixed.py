"""Locale-specific tokenisation of date strings."""
import re

CACHE_SIZE_LIMIT = 1000


def _remember(cache, key, value):
    if len(cache) >= CACHE_SIZE_LIMIT:
        cache.pop(next(iter(cache)))
    cache[key] = value
    return value


class Locale:
    _split_regex_cache = {}
    _sorted_words_cache = {}

    def __init__(self, shortname, info):
        self.shortname = shortname
        self.info = info

    def _get_sorted_words(self, settings):
        key = (self.shortname, settings.registry_key)
        if key not in self._sorted_words_cache:
            words = sorted(self.info.get("words", []), key=len, reverse=True)
            return _remember(self._sorted_words_cache, key, words)
        return self._sorted_words_cache[key]

    def _get_split_regex(self, settings):
        key = (self.shortname, settings.registry_key)
        if key not in self._split_regex_cache:
            words = self._get_sorted_words(settings)
            pattern = "|".join(re.escape(w) for w in words) or r"\s+"
            return _remember(self._split_regex_cache, key, re.compile("(%s)" % pattern, re.I))
        return self._split_regex_cache[key]

    def split(self, date_string, settings):
        return [t for t in self._get_split_regex(settings).split(date_string) if t and t.strip()]
