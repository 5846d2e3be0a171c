"""Compiled templates are kept in a module-level OrderedDict that evicts the least recently used entry past MAX_TEMPLATES, so its size is bounded."""
import string
from collections import OrderedDict
from threading import Lock

MAX_TEMPLATES = 200

_templates = OrderedDict()
_lock = Lock()


def _compile(source):
    return string.Template(source)


def get_template(source):
    with _lock:
        template = _templates.get(source)
        if template is not None:
            _templates.move_to_end(source)
            return template
        template = _compile(source)
        _templates[source] = template
        if len(_templates) > MAX_TEMPLATES:
            _templates.popitem(last=False)
        return template


def render(source, **context):
    return get_template(source).safe_substitute(context)
