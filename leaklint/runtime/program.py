"""``leaklint run``: the watch over any program, shaped like coverage.py's ``run``.

    leaklint run [--format text|json] [--output-file FILE] [--interval S] script.py [args...]
    leaklint run [options] -m package.module [args...]

The current folder is linted with the growth rules (cached), the program runs
in this process as ``python script.py`` would run it, and a background thread
samples every finding's object every ``--interval`` seconds and once at exit
(the samples after the last change of any watched object are the program
winding down, and are left out).
The program keeps its own standard output and exit status; the report goes
to standard error, or to ``--output-file``. After Ctrl-C the program stops
and the report is still written.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import List, Optional, TextIO

from leaklint.runtime.verdicts import CONFIRMED
from leaklint.runtime.watcher import GROWTH_RULES, Watcher, flake8_line, summary

EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaklint run",
        description="Run a Python program and watch what leaklint's growth findings name while it runs.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="the report's format")
    parser.add_argument("--output-file", metavar="FILE", help="write the report to FILE (default: standard error)")
    parser.add_argument("--interval", type=float, default=0.1, metavar="S", help="seconds between samples (0.1)")
    parser.add_argument("-m", dest="module", metavar="MODULE", help="run a module, as python -m does")
    parser.add_argument("program", nargs=argparse.REMAINDER, help="the script and its arguments")
    return parser


def main(argv: List[str]) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.module is None and not options.program:
        parser.error("give a script to run, or -m MODULE")
    if options.interval <= 0:
        parser.error("--interval must be a positive number of seconds")
    root = os.getcwd()
    watcher = Watcher(_findings(root), unit="samples")
    stop = threading.Event()
    started = time.monotonic()

    def sample_until_stopped() -> None:
        while not stop.wait(options.interval):
            watcher.sample(f"{time.monotonic() - started:.1f}s")

    sampler = threading.Thread(target=sample_until_stopped, name="leaklint-sampler", daemon=True)
    sampler.start()
    try:
        status = _run(options.module, options.program)
    finally:
        stop.set()
        sampler.join()
        watcher.sample("exit", final=True)
        watcher.trim_idle_tail()
        _report(watcher, root, options.format, options.output_file)
    return status


def _findings(root: str) -> list:
    import leaklint

    config = {"select": GROWTH_RULES, "cache-dir": str(Path(root) / ".leaklint_cache")}
    try:
        return leaklint.lint_paths([root], config=config)
    except leaklint.ReadError as error:
        print(f"leaklint run: could not read everything: {'; '.join(error.errors)}", file=sys.stderr)
        return list(error.findings)


def _run(module: Optional[str], program: List[str]) -> int:
    """Run the program as ``python`` would; its exit status."""
    saved_argv, saved_path0 = list(sys.argv), sys.path[0] if sys.path else None
    try:
        if module is not None:
            sys.argv = [module, *program]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            script = program[0]
            sys.argv = list(program)
            sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
            runpy.run_path(script, run_name="__main__")
        return 0
    except SystemExit as exit:
        return _exit_status(exit.code)
    except KeyboardInterrupt:
        print("leaklint run: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BaseException:  # the program's own error: shown as python shows it
        traceback.print_exc()
        return 1
    finally:
        sys.argv = saved_argv
        if saved_path0 is not None and sys.path and sys.path[0] != saved_path0:
            sys.path.pop(0)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # ``sys.exit("message")``, as python prints it
    return 1


def _report(watcher: Watcher, root: str, format: str, output_file: Optional[str]) -> None:
    results = watcher.results(root)
    if format == "json":
        text = json.dumps(results, indent=2) + "\n"
    else:
        lines = [flake8_line(result) for result in results if result["verdict"] == CONFIRMED]
        text = "\n".join([*lines, f"leaklint run: {summary(results)}"]) + "\n"
    if output_file:
        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"leaklint run: cannot write {output_file}: {error.strerror or error}", file=sys.stderr)
        return
    out: TextIO = sys.stderr
    out.write(text)
