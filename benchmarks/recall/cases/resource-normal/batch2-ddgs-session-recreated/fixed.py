"""Tiny DuckDuckGo search client shared by the text/images/news helpers."""
import atexit
import logging
import time

import requests

logger = logging.getLogger(__name__)

HEADERS = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)", "Referer": "https://duckduckgo.com/"}
SESSION = requests.Session()
SESSION.headers.update(HEADERS)


def _close_session():
    SESSION.close()


atexit.register(_close_session)


def _renew_session():
    """Start over with fresh cookies after the API starts refusing us."""
    global SESSION
    SESSION.close()
    SESSION = requests.Session()
    SESSION.headers.update(HEADERS)


def _get_vqd(keywords):
    for attempt in range(3):
        resp = SESSION.post("https://duckduckgo.com", data={"q": keywords}, timeout=10)
        if resp.status_code == 200 and b"vqd=" in resp.content:
            return resp.content.split(b"vqd='", 1)[1].split(b"'", 1)[0].decode()
        logger.warning("_get_vqd(): attempt %d failed with %s", attempt, resp.status_code)
        _renew_session()
        time.sleep(0.5)
    return None


def ddg(keywords, region="wt-wt", max_results=25):
    vqd = _get_vqd(keywords)
    if not vqd:
        return []
    params = {"q": keywords, "l": region, "vqd": vqd, "o": "json"}
    resp = SESSION.get("https://links.duckduckgo.com/d.js", params=params, timeout=10)
    return resp.json().get("results", [])[:max_results]
