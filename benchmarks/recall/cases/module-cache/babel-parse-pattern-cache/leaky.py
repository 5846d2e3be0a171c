"""Locale-aware date formatting: the pattern parser."""
import re

_pattern_cache = {}  # leak

_FIELD_RE = re.compile(r"('[^']*')|(([a-zA-Z])\3*)")


class DateTimePattern:
    def __init__(self, pattern, format_string):
        self.pattern = pattern
        self.format = format_string

    def apply(self, values):
        return self.format % values


def parse_pattern(pattern):
    """Parse a CLDR date/time pattern into a printf-style template."""
    if isinstance(pattern, DateTimePattern):
        return pattern
    try:
        return _pattern_cache[pattern]
    except KeyError:
        pass
    result = []
    pos = 0
    for match in _FIELD_RE.finditer(pattern):
        result.append(pattern[pos:match.start()].replace("%", "%%"))
        quoted, field = match.group(1), match.group(2)
        if quoted:
            result.append(quoted[1:-1].replace("%", "%%") or "'")
        else:
            result.append("%%(%s)s" % field)
        pos = match.end()
    result.append(pattern[pos:].replace("%", "%%"))
    _pattern_cache[pattern] = pat = DateTimePattern(pattern, "".join(result))  # leak
    return pat


def format_datetime(values, format, locale_patterns):
    return parse_pattern(locale_patterns.get(format, format)).apply(values)
