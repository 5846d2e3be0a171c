"""Lint reStructuredText documents with docutils."""
import io

from docutils import utils
from docutils.core import Publisher
from docutils.nodes import Element


def lint(content, filepath=None, rst_prolog=None):
    pub = Publisher(None, None, None, settings=None)
    pub.set_components("standalone", "restructuredtext", "pseudoxml")
    settings = pub.get_settings(halt_level=5)
    pub.set_io()
    reader = pub.reader
    document = utils.new_document(filepath, settings)
    errors = []

    def error_collector(data):
        data.line = data.get("line")
        if isinstance(data.line, int):
            data.line += -len((rst_prolog or "").splitlines())
        data.source = data["source"]
        data.level = data["level"]
        data.type = data["type"]
        data.message = Element.astext(data.children[0])
        data.full_message = Element.astext(data)
        errors.append(data)

    document.reporter.attach_observer(error_collector)
    reader.parser.parse((rst_prolog or "") + content, document)
    return errors


def lint_file(filepath, encoding=None, *args, **kwargs):
    with io.open(filepath, encoding=encoding) as f:
        content = f.read()
    return lint(content, filepath, *args, **kwargs)
