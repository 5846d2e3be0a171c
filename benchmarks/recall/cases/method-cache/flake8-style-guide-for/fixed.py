"""Choosing the style guide (per-file-ignores) that applies to a file."""
import fnmatch
import functools
import os


class StyleGuide:
    def __init__(self, options, filename=None, extra_ignore=()):
        self.options = options
        self.filename = os.path.normpath(filename) if filename else None
        self.ignore = tuple(options.ignore) + tuple(extra_ignore)

    def applies_to(self, filename):
        return self.filename is None or fnmatch.fnmatch(filename, self.filename)


class StyleGuideManager:
    def __init__(self, options, per_file_ignores):
        self.options = options
        self.default_style_guide = StyleGuide(options)
        self.style_guides = [self.default_style_guide] + [
            StyleGuide(options, pattern, codes) for pattern, codes in per_file_ignores
        ]
        self.style_guide_for = functools.lru_cache(maxsize=None)(self._style_guide_for)

    def _style_guide_for(self, filename):
        """Find the most specific StyleGuide for ``filename``."""
        return max(
            (g for g in self.style_guides if g.applies_to(filename)),
            key=lambda g: len(g.filename or ""),
        )

    def handle_error(self, code, filename, line, column, text):
        guide = self.style_guide_for(filename)
        return 0 if code.startswith(guide.ignore) else 1
