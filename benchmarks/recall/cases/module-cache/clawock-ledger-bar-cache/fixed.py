"""Decision ledger: price bars and trading sessions for each ticker."""
import csv
import functools
import os
from typing import List, Tuple

BARS_DIR = os.environ.get("CLAWOCK_BARS_DIR", "data/bars")


@functools.lru_cache(maxsize=256)
def load_ticker_bars(ticker: str) -> Tuple[dict, ...]:
    path = os.path.join(BARS_DIR, f"{ticker}.csv")
    with open(path, newline="") as fh:
        return tuple(csv.DictReader(fh))


@functools.lru_cache(maxsize=8)
def leg_sessions(leg: str) -> List[str]:
    return sorted({bar["date"] for bar in load_ticker_bars(leg)})


def entry_price(ticker: str, session: str) -> float:
    for bar in load_ticker_bars(ticker):
        if bar["date"] == session:
            return float(bar["open"])
    raise LookupError(f"no bar for {ticker} on {session}")
