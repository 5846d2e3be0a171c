"""Read Cobertura XML coverage reports."""
from functools import wraps
from xml.etree import ElementTree as ET


def memoize(func):
    cache = {}  # leak

    @wraps(func)
    def memoized(*args, **kwargs):
        key = (args, frozenset(kwargs.items()))
        if key not in cache:
            cache[key] = func(*args, **kwargs)  # leak
        return cache[key]

    return memoized


class Cobertura:
    def __init__(self, report_path):
        self.xml = ET.parse(report_path).getroot()

    @memoize
    def _get_class_element_by_filename(self, filename):
        for elem in self.xml.iter("class"):
            if elem.attrib["filename"] == filename:
                return elem
        raise KeyError(filename)

    @memoize
    def line_rate(self, filename=None):
        if filename is None:
            return float(self.xml.attrib["line-rate"])
        return float(self._get_class_element_by_filename(filename).attrib["line-rate"])


def summarize(report_paths):
    return {path: Cobertura(path).line_rate() for path in report_paths}
