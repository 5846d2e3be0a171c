"""Local cache of data files that may live on disk or behind a URL."""
import os
import shutil
from contextlib import closing
from urllib.error import URLError
from urllib.parse import urlparse
from urllib.request import urlopen


class DataSource:
    def __init__(self, destpath=os.curdir):
        self._destpath = os.path.abspath(destpath)

    def _isurl(self, path):
        scheme, netloc = urlparse(path)[:2]
        return bool(scheme and netloc)

    def abspath(self, path):
        scheme, netloc, upath = urlparse(path)[:3]
        return os.path.join(self._destpath, netloc, upath.lstrip(os.sep))

    def _cache(self, path):
        upath = self.abspath(path)
        os.makedirs(os.path.dirname(upath), exist_ok=True)
        if self._isurl(path):
            with closing(urlopen(path)) as openedurl:
                with open(upath, "wb") as f:
                    shutil.copyfileobj(openedurl, f)
        else:
            shutil.copyfile(path, upath)
        return upath

    def exists(self, path):
        if os.path.exists(path):
            return True
        if os.path.exists(self.abspath(path)):
            return True
        if self._isurl(path):
            try:
                netfile = urlopen(path)
                netfile.close()
                del netfile
                return True
            except URLError:
                return False
        return False
