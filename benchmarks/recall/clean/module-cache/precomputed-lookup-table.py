"""A module-level table filled once at import from a fixed list of country codes; nothing adds to it afterwards."""
import re

_COUNTRY_PHONE_PATTERNS = {
    "DE": r"^\+49\d{6,13}$",
    "FR": r"^\+33\d{9}$",
    "GB": r"^\+44\d{9,10}$",
    "US": r"^\+1\d{10}$",
}

_COMPILED = {}
for _code, _pattern in _COUNTRY_PHONE_PATTERNS.items():
    _COMPILED[_code] = re.compile(_pattern)


def is_valid_phone(number, country):
    pattern = _COMPILED.get(country.upper())
    return bool(pattern and pattern.match(number.replace(" ", "")))
