"""Price lookups for a trading session, memoised per symbol."""
from cachetools.func import lfu_cache


class QuoteBook:
    def __init__(self, feed, session_id):
        self.feed = feed
        self.session_id = session_id

    @lfu_cache(maxsize=100)  # leak
    def last_price(self, symbol):  # leak
        return self.feed.fetch_last(self.session_id, symbol)

    def mark_to_market(self, positions):
        return sum(qty * self.last_price(symbol) for symbol, qty in positions.items())


def end_of_day(feed, sessions):
    for session_id, positions in sessions.items():
        book = QuoteBook(feed, session_id)
        yield session_id, book.mark_to_market(positions)
