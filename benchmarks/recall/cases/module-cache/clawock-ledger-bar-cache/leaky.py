"""Decision ledger: price bars and trading sessions for each ticker."""
import csv
import os
from typing import Dict, List

BARS_DIR = os.environ.get("CLAWOCK_BARS_DIR", "data/bars")

_BAR_CACHE: Dict[str, List[dict]] = {}  # leak
_SESSION_CACHE: Dict[str, List[str]] = {}  # leak


def load_ticker_bars(ticker: str) -> List[dict]:
    if ticker not in _BAR_CACHE:
        path = os.path.join(BARS_DIR, f"{ticker}.csv")
        with open(path, newline="") as fh:
            _BAR_CACHE[ticker] = list(csv.DictReader(fh))  # leak
    return _BAR_CACHE[ticker]


def leg_sessions(leg: str) -> List[str]:
    sessions = _SESSION_CACHE.get(leg)
    if sessions is None:
        sessions = sorted({bar["date"] for bar in load_ticker_bars(leg)})
        _SESSION_CACHE[leg] = sessions  # leak
    return sessions


def entry_price(ticker: str, session: str) -> float:
    for bar in load_ticker_bars(ticker):
        if bar["date"] == session:
            return float(bar["open"])
    raise LookupError(f"no bar for {ticker} on {session}")
