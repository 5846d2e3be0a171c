"""The ``leaklint`` command: arguments in, findings out, exit code 0/1/2."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, TextIO, Tuple

from leaklint import __version__

if TYPE_CHECKING:
    from leaklint.batch.progress import Progress
    from leaklint.batch.runner import RunResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "grouped", "json", "sarif", "github")


class UsageError(Exception):
    """Bad arguments, configuration or paths: one line on stderr, exit 2."""


def _code_list(value: str) -> Tuple[str, ...]:
    from leaklint.batch.config import ConfigError, check_code

    try:
        return tuple(check_code(item, "command line") for item in value.split(",") if item.strip())
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("command line: ", "")) from None


def _pattern_list(value: str) -> Tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _jobs(value: str) -> int:
    """``-j N``: a positive number of worker processes, or ``auto`` (0: one per core)."""
    if value.strip().lower() == "auto":
        return 0
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer or 'auto', not '{value}'")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaklint",
        usage="%(prog)s [options] [PATH ...]\n       %(prog)s rule CODE|NAME|PREFIX\n       %(prog)s run [options] script.py|-m module [args ...]\n       %(prog)s server",
        description="Find code shaped like memory and resource leaks in Python source.",
        epilog="'leaklint rule CODE' explains a rule. Exit status: 0 no findings, 1 findings, "
        "2 usage, configuration or internal error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint ('-' for stdin; default: .)")
    selection = parser.add_argument_group("rule selection (comma-separated codes or prefixes, e.g. LL104,LL3)")
    selection.add_argument("--select", type=_code_list, metavar="CODES", help="report only these (replaces config)")
    selection.add_argument("--ignore", type=_code_list, metavar="CODES", help="do not report these (replaces config)")
    selection.add_argument(
        "--extend-select", type=_code_list, action="append", default=[], metavar="CODES", help="report these too"
    )
    selection.add_argument(
        "--extend-ignore", type=_code_list, action="append", default=[], metavar="CODES", help="ignore these too"
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text, flake8's; grouped: by file)"
    )
    output.add_argument("--output-file", metavar="FILE", help="write findings to FILE instead of stdout")
    output.add_argument("--show-source", action="store_true", help="show the source line of each finding")
    output.add_argument("--statistics", action="store_true", help="count findings per code at the end")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format: auto (on a terminal, unless NO_COLOR is set or FORCE_COLOR asks), always, never",
    )
    output.add_argument("-q", "--quiet", action="store_true", help="print only findings and errors: no notes")
    output.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    output.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0 (report none)"
    )
    fixing = parser.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply the safe fixes to the files, then report what is left")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: the unsafe fixes too")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing")
    config = parser.add_argument_group("configuration")
    config.add_argument("--config", metavar="FILE", help="read settings from FILE instead of pyproject.toml")
    config.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    config.add_argument(
        "--exclude", type=_pattern_list, metavar="PATTERNS", help="file patterns to skip (replaces the defaults)"
    )
    config.add_argument(
        "--extend-exclude", type=_pattern_list, action="append", default=[], metavar="PATTERNS",
        help="file patterns to skip besides the defaults",
    )
    config.add_argument("--stdin-filename", metavar="NAME", help="the name to report standard input as")
    speed = parser.add_argument_group("speed")
    speed.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N", help="worker processes: a number or 'auto' (default: one per core)"
    )
    speed.add_argument(
        "--cache-dir", metavar="DIR", help="keep findings in DIR (default: .leaklint_cache beside the configuration)"
    )
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    info = parser.add_argument_group("information")
    info.add_argument("--list-rules", action="store_true", help="list every rule with its default state")
    info.add_argument("--version", action="version", version=_version_text())
    return parser


def _version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    python = ".".join(map(str, sys.version_info[:3]))
    return f"leaklint {__version__} (libcst {of('libcst')}, Python {python})"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["rule"]:
            return _explain_rule(args[1:], sys.stdout)
        if args[:1] == ["server"]:
            return _serve(args[1:])
        if args[:1] == ["run"]:
            from leaklint.runtime.program import main as run_program  # the one face that runs code

            return run_program(args[1:])
        return _lint(build_parser().parse_args(args))
    except UsageError as exc:
        print(f"leaklint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``leaklint | head``): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as exc:  # never a traceback for users; LEAKLINT_DEBUG=1 shows it
        if os.environ.get("LEAKLINT_DEBUG"):
            raise
        print(
            f"leaklint: internal error: {type(exc).__name__}: {exc}; please report this to the "
            "leaklint issue tracker (LEAKLINT_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _explain_rule(args: List[str], out: TextIO) -> int:
    from leaklint.docs import rule_state
    from leaklint.core.registry import rules_matching

    if len(args) != 1:
        raise UsageError("usage: leaklint rule CODE|NAME|PREFIX")
    rules = rules_matching(args[0])
    if not rules:
        raise UsageError(f"no rule is named or coded '{args[0]}' (see 'leaklint --list-rules')")
    pages = []
    for rule in rules:
        pages.append(f"# {rule.code} {rule.name} ({rule_state(rule)})\n\n{rule.documentation()}\n")
    out.write("\n".join(pages))
    return EXIT_CLEAN


def _serve(args: List[str]) -> int:
    if args:
        raise UsageError(
            "usage: leaklint server (it takes no arguments: it speaks the Language Server Protocol "
            "on standard input and output; configure it in pyproject.toml)"
        )
    from leaklint.server.app import serve

    return serve(args)


def _list_rules(out: TextIO) -> int:
    from leaklint.core.registry import all_rules

    rules = all_rules()
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        state = "default" if rule.default_enabled else "opt-in"
        out.write(f"{rule.code}  {rule.name:<{width}}  {state:<7}  {rule.summary()}\n")
    return EXIT_CLEAN


def _lint(args: argparse.Namespace) -> int:
    from leaklint.batch import baseline
    from leaklint.batch.config import ConfigError, common_parent, load_settings, with_overrides
    from leaklint.batch.discovery import PathError, discover
    from leaklint.reporters import REPORTERS
    from leaklint.reporters.text import statistics
    from leaklint.batch.runner import enabled_codes, run

    if args.list_rules:
        return _list_rules(sys.stdout)
    try:
        os.getcwd()
    except FileNotFoundError:
        # Paths are relative to it: nothing can be found (a shell in a folder since deleted).
        raise UsageError("the current folder no longer exists; cd into one that does") from None
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes goes with --fix or --diff")
    if (args.fix or args.diff) and args.write_baseline:
        raise UsageError("--write-baseline records findings; it does not fix them (drop --fix/--diff)")
    # ``--stdin-filename`` alone names what standard input is (ruff reads it then too).
    paths = tuple(args.paths) or (("-",) if args.stdin_filename else (".",))
    try:
        settings = load_settings(args.config, args.isolated, common_parent(paths))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    settings = with_overrides(
        settings,
        select=args.select,
        ignore=args.ignore,
        extend_select=tuple(code for group in args.extend_select for code in group),
        extend_ignore=tuple(code for group in args.extend_ignore for code in group),
        exclude=args.exclude,
        extend_exclude=tuple(pattern for group in args.extend_exclude for pattern in group),
        jobs=args.jobs,
        cache_dir=Path(args.cache_dir).absolute() if args.cache_dir else None,
        no_cache=args.no_cache,
    )
    try:
        discovery = discover(paths, settings.root, settings.excludes, stdin_name=args.stdin_filename, keep_going=True)
        # Read the baseline before linting: a bad one should fail fast.
        known = baseline.load(args.baseline) if args.baseline and not args.write_baseline else None
    except (PathError, baseline.BaselineError) as exc:
        raise UsageError(str(exc)) from None
    note = _notes(args.quiet)
    for skipped in discovery.skipped:
        note(skipped)
    progress = _progress(args.quiet)
    try:
        result = run(discovery.files, settings, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    # Paths that could not be linted at all are errors of the run, reported
    # with the files that could not be read (and in SARIF's invocation).
    result.errors[:0] = discovery.errors
    for warning in result.warnings:
        note(f"warning: {warning}")
    for error in result.errors:
        print(f"leaklint: error: {error}", file=sys.stderr)

    if args.write_baseline:
        return _write_baseline(args.write_baseline, result)
    stale = 0
    if known is not None:
        filtered = baseline.apply(known, result, lambda path, code: code in enabled_codes(settings, path))
        result, stale = filtered.result, filtered.stale

    write_errors: List[str] = []
    if args.fix or args.diff:
        from leaklint.batch.autofix import fix_run

        fixing = fix_run(result, discovery.files, settings, args.unsafe_fixes, write=not args.diff)
        for fixing_note in fixing.notes:
            note(fixing_note)
        for error in fixing.errors:
            print(f"leaklint: error: {error}", file=sys.stderr)
        write_errors = fixing.errors
        done = f"{fixing.fixed} finding{'' if fixing.fixed == 1 else 's'} in {fixing.files} file{'' if fixing.files == 1 else 's'}"
        if args.diff:
            # What --fix would write, and nothing else: findings are not reported.
            _write([diff.rstrip("\n") for diff in fixing.diffs], args.output_file)
            note(f"would fix {done}")
            if result.errors or write_errors:
                return EXIT_ERROR
            return EXIT_FINDINGS if fixing.fixed and not args.exit_zero else EXIT_CLEAN
        note(f"fixed {done}")

    if args.format in ("text", "grouped"):
        # The formats for people: coloured on a terminal.
        render = REPORTERS[args.format]
        lines = list(render(result, args.show_source, color=_use_color(args.color, args.output_file)))  # type: ignore[call-arg]
    else:
        lines = list(REPORTERS[args.format](result, args.show_source))
    if args.statistics and args.format in ("text", "grouped"):
        lines.extend(statistics(result))
    _write(lines, args.output_file)
    if stale:
        note(baseline.stale_summary(stale))

    if result.errors or write_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings_count and not args.exit_zero else EXIT_CLEAN


def _progress(quiet: bool) -> "Optional[Progress]":
    """A progress line on standard error when it is a terminal: not in
    pipes, CI logs (``CI`` set) or with ``--quiet``."""
    from leaklint.batch.progress import Progress

    if quiet or os.environ.get("CI") or sys.stderr is None or not sys.stderr.isatty():
        return None
    return Progress(sys.stderr)


def _notes(quiet: bool) -> Callable[[str], None]:
    """What prints a note on stderr (skipped paths, what was fixed), unless ``--quiet``."""

    def note(text: str) -> None:
        if not quiet:
            print(f"leaklint: {text}", file=sys.stderr)

    return note


def _use_color(choice: str, output_file: Optional[str]) -> bool:
    """``--color``: always, never, or (auto) on a terminal, where the
    NO_COLOR and FORCE_COLOR conventions decide first."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return output_file is None
    return output_file is None and sys.stdout is not None and sys.stdout.isatty()


def _write_baseline(path: str, result: "RunResult") -> int:
    from leaklint.batch import baseline

    try:
        recorded = baseline.write(path, result)
    except baseline.BaselineError as exc:
        raise UsageError(str(exc)) from None
    print(f"leaklint: recorded {recorded} finding{'' if recorded == 1 else 's'} in {path}", file=sys.stderr)
    # Files that could not be read are missing from the baseline: still an error.
    return EXIT_ERROR if result.errors else EXIT_CLEAN


def _write(lines: List[str], output_file: Optional[str]) -> None:
    # A file name that is not valid UTF-8 reaches here with surrogate escapes
    # (os.fsdecode); it is written back as the bytes it was, as ls would.
    if output_file is None:
        if lines:
            _write_text(sys.stdout, "\n".join(lines) + "\n")
        return
    try:
        Path(output_file).write_text(
            "\n".join(lines) + ("\n" if lines else ""), encoding="utf-8", errors="surrogateescape"
        )
    except OSError as exc:
        raise UsageError(f"{output_file}: cannot write output: {exc.strerror or exc}") from None


def _write_text(stream: TextIO, text: str) -> None:
    """Write ``text`` even where the stream cannot encode all of it (a strict
    UTF-8 terminal and a name with surrogate escapes, an ASCII-only pipe):
    escaped names as their own bytes, anything else backslash-escaped."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            data = text.encode(encoding, "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode(encoding, "backslashreplace")
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(data.decode(encoding, "replace"))
        else:
            stream.flush()
            buffer.write(data)
            buffer.flush()
    stream.flush()
