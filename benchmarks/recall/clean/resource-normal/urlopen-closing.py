"""The urlopen responses are wrapped in contextlib.closing or a with block, so each HTTP connection is closed after use."""
import json
import shutil
from contextlib import closing
from urllib.error import URLError
from urllib.request import Request, urlopen


def fetch_json(url, timeout=10):
    req = Request(url, headers={"Accept": "application/json"})
    with closing(urlopen(req, timeout=timeout)) as resp:
        return json.load(resp)


def download(url, dest, timeout=30):
    with urlopen(url, timeout=timeout) as resp, open(dest, "wb") as out:
        shutil.copyfileobj(resp, out)
    return dest


def url_exists(url, timeout=5):
    try:
        with closing(urlopen(Request(url, method="HEAD"), timeout=timeout)):
            return True
    except URLError:
        return False
