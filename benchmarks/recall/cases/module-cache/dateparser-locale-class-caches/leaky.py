"""Locale-specific tokenisation of date strings."""
import re


class Locale:
    _split_regex_cache = {}  # leak
    _sorted_words_cache = {}  # leak

    def __init__(self, shortname, info):
        self.shortname = shortname
        self.info = info

    def _get_sorted_words(self, settings):
        key = (self.shortname, settings.registry_key)
        if key not in self._sorted_words_cache:
            words = sorted(self.info.get("words", []), key=len, reverse=True)
            self._sorted_words_cache[key] = words  # leak
        return self._sorted_words_cache[key]

    def _get_split_regex(self, settings):
        key = (self.shortname, settings.registry_key)
        if key not in self._split_regex_cache:
            words = self._get_sorted_words(settings)
            pattern = "|".join(re.escape(w) for w in words) or r"\s+"
            self._split_regex_cache[key] = re.compile("(%s)" % pattern, re.I)  # leak
        return self._split_regex_cache[key]

    def split(self, date_string, settings):
        return [t for t in self._get_split_regex(settings).split(date_string) if t and t.strip()]
