"""leaklint as a flake8 plugin: ``flake8 --select LL``.

The plugin runs the same engine as the command line on the text flake8 has
read (from the file, or from standard input with ``--stdin-display-name``:
the file is never read again), so both report the same findings at the same
positions. flake8 does the rest: selection (``--select``, ``--ignore``,
``--per-file-ignores``...), ``# noqa`` and the output format.

- Rules that are opt-in for leaklint are added to flake8's default ignore
  list, so they are off unless selected (``--extend-select LL103``).
- A file that does not parse gets flake8's own E999 and no LL001.
- leaklint's options are flake8 options, readable from ``setup.cfg``,
  ``tox.ini`` or ``.flake8``: ``leaklint-resource-functions`` and
  ``leaklint-callback-registries``.
"""

from __future__ import annotations

import argparse
import ast
from typing import Any, ClassVar, FrozenSet, Iterator, List, Optional, Sequence, Tuple, Type

from leaklint import __version__
from leaklint.core.finding import Finding
from leaklint.core.options import AnalysisOptions
from leaklint.syntax.source import encode_source
from leaklint.syntax.diagnostics import INTERNAL_ERROR, PARSE_ERROR

# flake8 reports its own E999 for a file it cannot parse, and never runs
# plugins on such a file.

Result = Tuple[int, int, str, Type[Any]]


class LeaklintChecker:
    """The flake8 ``tree`` checker (``LL`` codes)."""

    name = "leaklint"
    version = __version__

    # Set once per run by ``parse_options`` (in every worker process too:
    # flake8 parses the options again there, or forks after parsing them).
    options: ClassVar[AnalysisOptions] = AnalysisOptions()
    # The codes flake8 would report for a file; the engine runs only their rules.
    selection: ClassVar[Optional["_Flake8Selection"]] = None

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        # ``tree`` is what makes this a tree plugin; the engine parses the text itself.
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        from leaklint.core.registry import all_rules

        option_manager.add_option(
            "--leaklint-resource-functions",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            metavar="NAMES",
            help="leaklint: more functions that return a fresh resource, as dotted names "
            "(comma-separated, e.g. mylib.connect)",
        )
        option_manager.add_option(
            "--leaklint-callback-registries",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            metavar="METHODS",
            help="leaklint: more methods that register a callback on a long-lived registry, "
            "each optionally with its inverse (comma-separated, e.g. add_hook:remove_hook)",
        )
        option_manager.extend_default_ignore([rule.code for rule in all_rules() if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls.options = _analysis_options(options)
        cls.selection = _Flake8Selection.of(options)

    def run(self) -> Iterator[Result]:
        for finding in self._findings():
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)

    def _findings(self) -> List[Finding]:
        from leaklint.core.engine import engine_failure, lint_source

        enabled = self._enabled_codes()
        if not enabled:
            return []
        try:
            findings = lint_source(_source_bytes(self.lines), self.filename, enabled, self.options)
        except Exception as exc:  # a bug in the engine itself: report it, as the command line does
            findings = [engine_failure(exc)] if INTERNAL_ERROR in enabled else []
        return [finding for finding in findings if finding.code != PARSE_ERROR]

    def _enabled_codes(self) -> FrozenSet[str]:
        from leaklint.core.registry import all_codes

        everything = frozenset(all_codes()) - {PARSE_ERROR}
        if self.selection is None:
            return everything
        try:
            return self.selection.codes_for(self.filename) & everything
        except Exception:  # flake8's internals changed: run every rule, flake8 still selects
            return everything


def _source_bytes(lines: Sequence[str]) -> bytes:
    """The file's bytes again, from the text flake8 decoded: in the encoding
    its coding cookie declares (the engine decodes by that cookie)."""
    return encode_source("".join(lines))


def _analysis_options(options: argparse.Namespace) -> AnalysisOptions:
    """leaklint's analysis options from flake8's, validated by the same
    function as ``[tool.leaklint]``; an invalid value stops flake8 with a
    one-line error, as flake8 does for its own bad configuration."""
    from flake8.exceptions import ExecutionError

    from leaklint.batch.config import ConfigError, analysis_options

    def values(key: str) -> List[str]:
        listed = getattr(options, "leaklint_" + key.replace("-", "_"), None) or ()
        return [value.strip() for value in listed if value.strip()]

    try:
        return analysis_options(values("resource-functions"), values("callback-registries"), "flake8")
    except ConfigError as exc:
        message = str(exc).replace("flake8: ", "", 1)
        for key in ("resource-functions", "callback-registries"):
            message = message.replace(f"'{key}'", f"'leaklint-{key}'")
        raise ExecutionError(f"leaklint: {message}") from None


class _Flake8Selection:
    """Which leaklint codes flake8 reports for a file, by flake8's own rules
    (select, ignore, their defaults and per-file ignores), so that rules whose
    findings flake8 would drop are not run (nor reported as LL002 if they
    fail). flake8 still decides what is shown."""

    def __init__(self, guides: Any, codes: Sequence[str]) -> None:
        self._guides = guides
        self._codes = codes

    @classmethod
    def of(cls, options: argparse.Namespace) -> Optional["_Flake8Selection"]:
        """None if flake8's internals cannot tell (then every rule runs)."""
        try:
            from flake8.style_guide import StyleGuideManager

            from leaklint.core.registry import all_codes

            selection = cls(StyleGuideManager(options, formatter=None), all_codes())
            selection.codes_for("leaklint.py")  # fail now rather than for every file
        except Exception:
            return None
        return selection

    def codes_for(self, filename: str) -> FrozenSet[str]:
        from flake8.style_guide import Decision

        decider = self._guides.style_guide_for(filename).decider
        return frozenset(code for code in self._codes if decider.decision_for(code) is Decision.Selected)
