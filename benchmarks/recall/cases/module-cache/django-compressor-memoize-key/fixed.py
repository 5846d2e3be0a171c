"""Cache helpers for compressed asset blocks."""
import hashlib


def memoize_by_cachekey(func, cache):
    """Wrap ``func`` so results are stored by the compressor's cachekey string."""

    def wrapper(compressor):
        key = compressor.cachekey
        if key in cache:
            return cache[key]
        result = func(compressor)
        cache[key] = result
        return result

    return wrapper


_hexdigest_cache = {}


def get_hexdigest(compressor):
    """Digest of everything that goes into one compressed block."""
    md5 = hashlib.md5()
    for kind, value, basename, elem in compressor.split_contents():
        md5.update(value.encode("utf-8"))
    return md5.hexdigest()[:12]


get_hexdigest = memoize_by_cachekey(get_hexdigest, _hexdigest_cache)


def output_filename(compressor, ext):
    return "CACHE/%s/%s.%s" % (ext, get_hexdigest(compressor), ext)
