"""Time leaklint against peer linters on a copy of the standard library.

Not part of the test suite: run it by hand on an idle machine (see README.md).
Only the standard library is used here; the peers (and matplotlib, for the
chart) are installed into a virtual environment of their own, so that they can
neither change nor be changed by the environment leaklint runs from.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

BENCH_DIR = Path(__file__).resolve().parent
REQUIREMENTS = BENCH_DIR / "requirements-peers.txt"
CHART_SCRIPT = BENCH_DIR / "chart.py"
PRESCAN_SCRIPT = BENCH_DIR / "prescan_check.py"
TOOLS = ("leaklint", "flake8", "pylint", "fixit", "ruff")
# Folders left out of the corpus. site-packages/dist-packages are not the
# standard library; the rest are in some tool's default excludes (ruff and
# leaklint skip `venv`, which the stdlib has), and every tool must see the same files.
EXCLUDED_DIRS = {
    "site-packages", "dist-packages", "__pycache__", "venv", ".venv", "build", "dist",
    "node_modules", ".git", ".hg", ".svn", ".tox", ".nox", ".eggs",
}
SCALING_FRACTIONS = (0.25, 0.5, 1.0)
LEAKLINT_CACHE, RUFF_CACHE = "leaklint-cache", "ruff-cache"  # folders in the temporary directory
TRACEBACK = "Traceback (most recent call last)"
PYLINT_CHECKS = "consider-using-with,method-cache-max-size-none,dangerous-default-value"
RUFF_RULES = "B019,SIM115,B006"


# --------------------------------------------------------------------------- corpus


@dataclass
class Corpus:
    path: Path
    files: int
    lines: int
    label: str  # e.g. "100%" or "1% subset", shown next to the commands run on it


def python_sources(root: Path) -> List[Path]:
    """Every *.py under root, relative to it, outside EXCLUDED_DIRS, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in EXCLUDED_DIRS]
        found.extend(Path(folder, name).relative_to(root) for name in files if name.endswith(".py"))
    return sorted(found)


def take_fraction(paths: Sequence[Path], fraction: float) -> List[Path]:
    """A deterministic subset: the first `fraction` of the files ordered by a hash of their path.

    A hash spreads the subset over all packages (sorted order would take whole
    packages), and smaller fractions are subsets of larger ones.
    """
    ordered = sorted(paths, key=lambda p: hashlib.sha1(p.as_posix().encode()).hexdigest())
    count = max(1, round(len(ordered) * fraction))
    return sorted(ordered[:count])


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def build_corpus(source_root: Path, files: Sequence[Path], dest: Path, label: str) -> Corpus:
    """Copy `files` (relative to source_root) into dest, keeping their relative paths."""
    lines = 0
    for relative in files:
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (source_root / relative).read_bytes()
        target.write_bytes(data)
        lines += count_lines(data)
    return Corpus(dest, len(files), lines, label)


def percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


# --------------------------------------------------------------------------- tools


def ensure_peers_venv(venv: Path) -> Path:
    """Create (or reuse) the peers' virtual environment; return its bin folder.

    A copy of requirements-peers.txt inside the venv records what it holds, so
    that a reused venv is topped up only when the pins change.
    """
    bin_dir = venv / "bin"
    stamp = venv / "requirements-peers.txt"
    wanted = REQUIREMENTS.read_text()
    if (bin_dir / "python").exists() and stamp.exists() and stamp.read_text() == wanted:
        return bin_dir
    print(f"installing the peers into {venv} ...", flush=True)
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
        capture_output=True, text=True,
    )
    if install.returncode != 0:
        sys.exit(f"pip install of the peers failed:\n{install.stdout}{install.stderr}")
    stamp.write_text(wanted)
    return bin_dir


def default_leaklint() -> List[str]:
    """The leaklint of the running environment: its script beside sys.executable, else -m."""
    script = Path(sys.executable).parent / "leaklint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "leaklint"]


def leaklint_flags(leaklint: List[str]) -> Set[str]:
    """Which of the cache flags this leaklint knows (older versions have neither)."""
    help_text = subprocess.run([*leaklint, "--help"], capture_output=True, text=True).stdout
    return {flag for flag in ("--no-cache", "--cache-dir") if flag in help_text}


def tool_version(tool: str, argv: List[str]) -> str:
    """`TOOL --version` on one line, prefixed with the tool's name (flake8 leaves it out)."""
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True)
    version = " ".join((done.stdout or done.stderr).split()) or "version unknown"
    # The machine line has the Python version: drop "..., Python 3.x)" and "... CPython 3.x on Linux".
    version = re.sub(r" C?Python \d.*$", "", re.sub(r", Python [^)]*", "", version))
    return version if version.startswith(tool) else f"{tool} {version}"


# Exit codes each tool documents for a run that went through (with or without
# findings). Anything else, or a traceback on stderr, counts as a crash.
def exit_0_or_1(code: int) -> bool:
    return code in (0, 1)


def pylint_exit_ok(code: int) -> bool:
    # A bit field: 1 fatal message, 2 error, 4 warning, 8 refactor, 16 convention,
    # 32 usage error. Syntax errors in the corpus (lib2to3 test data) give 2.
    return code >= 0 and not code & (1 | 32)


def fixit_exit_ok(code: int) -> bool:
    # 1: findings; 2: a file could not be linted (its traceback goes to stdout,
    # e.g. for the Python 2 files in lib2to3's test data); both are per-file outcomes.
    return code in (0, 1, 2, 3)


@dataclass
class Command:
    name: str
    tool: str
    argv: List[str]
    corpus: Corpus
    exit_ok: Callable[[int], bool]
    reference: Optional[str] = None  # the leaklint command its time is divided by
    warm_up: bool = False  # run once untimed first (fills a cache)
    crash_markers: Tuple[str, ...] = ()  # text on stdout that means the tool failed


# flake8 reports a failing plugin on stdout, with exit code 1 like findings;
# leaklint reports a rule that raised as an LL002 finding and goes on.
FLAKE8_CRASH = ("failed during execution due to", "There was a critical error during execution of Flake8")
LEAKLINT_CRASH = (" LL002 ",)


def build_commands(
    tools: Set[str], leaklint: List[str], peers: Path, corpus: Corpus, fixit_corpus: Corpus,
    cores: int, scratch: Path,
) -> List[Command]:
    """The commands to time, in the order they are reported."""
    flags = leaklint_flags(leaklint) if "leaklint" in tools else set()
    knows_no_cache = "--no-cache" in flags
    cold = ["--no-cache"] if knows_no_cache else []
    job_counts = sorted({1, cores})
    parallel = f"leaklint cold -j {cores}"
    commands: List[Command] = []

    def add(name: str, tool: str, argv: List[str], *, on: Corpus = corpus, exit_ok=exit_0_or_1,
            reference: Optional[str] = None, warm_up: bool = False) -> None:
        if tool in tools:
            markers = {"leaklint": LEAKLINT_CRASH, "flake8": FLAKE8_CRASH}.get(tool, ())
            commands.append(Command(name, tool, [*argv, str(on.path)], on, exit_ok, reference, warm_up, markers))

    for jobs in job_counts:
        add(f"leaklint cold -j {jobs}", "leaklint", [*leaklint, *cold, "-j", str(jobs)])
    if knows_no_cache:
        cache = ["--cache-dir", str(scratch / LEAKLINT_CACHE)] if "--cache-dir" in flags else []
        add(f"leaklint warm -j {cores}", "leaklint", [*leaklint, *cache, "-j", str(cores)],
            reference=parallel, warm_up=True)
    for jobs in job_counts:
        add(f"flake8 -j {jobs}", "flake8", [str(peers / "flake8"), "--select=B,SIM", "-j", str(jobs)],
            reference=f"leaklint cold -j {jobs}")
    for jobs in job_counts:
        add(f"pylint -j {jobs}", "pylint",
            [str(peers / "pylint"), "--disable=all", f"--enable={PYLINT_CHECKS}", "-j", str(jobs)],
            exit_ok=pylint_exit_ok, reference=f"leaklint cold -j {jobs}")
    # Fixit has no jobs option: it always runs one process per core.
    fixit = [str(peers / "fixit"), "lint"]
    if fixit_corpus is corpus:
        add("fixit lint, all cores", "fixit", fixit, exit_ok=fixit_exit_ok, reference=parallel)
    elif "fixit" in tools:
        # Fixit is timed on a subset only: leaklint is timed on the very same
        # files, so that the ratio compares like with like, not an extrapolation.
        subset = f" ({fixit_corpus.label})"
        add(parallel + subset, "leaklint", [*leaklint, *cold, "-j", str(cores)], on=fixit_corpus)
        add("fixit lint, all cores" + subset, "fixit", fixit, on=fixit_corpus, exit_ok=fixit_exit_ok,
            reference=parallel + subset)
    # Ruff has no jobs option either: it runs a thread per core.
    ruff, rules = [str(peers / "ruff"), "check"], ["--isolated", f"--select={RUFF_RULES}"]
    add("ruff cold", "ruff", [*ruff, "--no-cache", *rules], reference=parallel)
    add("ruff warm", "ruff", [*ruff, *rules, "--cache-dir", str(scratch / RUFF_CACHE)], warm_up=True,
        reference=f"leaklint warm -j {cores}" if knows_no_cache else parallel)
    return commands


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    rss_largest: int  # KiB: peak resident set of the largest single process
    rss_total: Optional[int]  # KiB: peak of the sampled sum over the process tree
    exit_code: int
    crash: Optional[str]  # None, or why the run counts as a crash
    stderr_tail: str  # the last lines the tool wrote to stderr


def proc_status(pid: int) -> Dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB; {} once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def process_tree(root: int) -> Iterator[int]:
    """root and its descendants, through /proc/PID/task/TID/children (Linux)."""
    pending = [root]
    while pending:
        pid = pending.pop()
        yield pid
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                pending.extend(int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except OSError:
            pass


class TreeMemorySampler(threading.Thread):
    """Polls the memory of a process tree while it runs.

    wait4() reports the peak RSS of the largest process among the child and the
    descendants it reaped, but not how much the worker processes of -j N use
    together; that needs sampling, which can miss short peaks between polls.
    """

    INTERVAL = 0.05

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.largest = 0
        self.total = 0
        self.available = Path(f"/proc/{pid}/task").is_dir()
        self._finished = threading.Event()

    def run(self) -> None:
        while self.available and not self._finished.wait(self.INTERVAL):
            total = 0
            for pid in process_tree(self.pid):
                status = proc_status(pid)
                total += status.get("VmRSS", 0)
                self.largest = max(self.largest, status.get("VmHWM", 0))
            self.total = max(self.total, total)

    def stop(self) -> None:
        self._finished.set()
        self.join()


def run_once(command: Command, workdir: Path) -> Sample:
    """Run a command to completion as a whole process; its output goes to files in workdir."""
    stdout_path, stderr_path = workdir / "stdout.txt", workdir / "stderr.txt"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command.argv, stdout=stdout, stderr=stderr, cwd=workdir)
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
    process.returncode = exit_code = os.waitstatus_to_exitcode(status)
    stderr_text = stderr_path.read_text(errors="replace")
    stdout_text = stdout_path.read_text(errors="replace") if command.crash_markers else ""
    crash = None
    if not command.exit_ok(exit_code):
        crash = f"exit code {exit_code}"
    elif TRACEBACK in stderr_text:
        crash = "traceback on stderr"
    elif any(marker in stdout_text for marker in command.crash_markers):
        crash = "failure reported on stdout: " + next(
            line.strip() for line in stdout_text.splitlines() if any(m in line for m in command.crash_markers))
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_largest=max(usage.ru_maxrss, sampler.largest),  # ru_maxrss is in KiB on Linux
        # The whole tree used at least what its largest process did (a run
        # shorter than one polling interval is never sampled at all).
        rss_total=max(sampler.total, usage.ru_maxrss) if sampler.available else None,
        exit_code=exit_code,
        crash=crash,
        stderr_tail="\n".join(stderr_text.strip().splitlines()[-8:]),
    )


def measure(commands: List[Command], runs: int, workdir: Path) -> Dict[str, List[Sample]]:
    """Time every command `runs` times, round-robin, so that drifts in machine load
    spread over all commands instead of landing on one tool's runs."""
    for command in commands:
        if command.warm_up:
            print(f"  warm-up  {command.name}", flush=True)
            sample = run_once(command, workdir)
            if sample.crash:
                print(f"    CRASH ({sample.crash}):\n{indent(sample.stderr_tail)}")
    samples: Dict[str, List[Sample]] = {command.name: [] for command in commands}
    for run in range(runs):
        # Rotate the order too, so that no command always runs right after the same one.
        shift = run % len(commands)
        for command in commands[shift:] + commands[:shift]:
            sample = run_once(command, workdir)
            samples[command.name].append(sample)
            status = "ok" if not sample.crash else f"CRASH ({sample.crash})"
            print(f"  [{run + 1}/{runs}] {command.name:<40} {sample.wall:8.2f} s  {status}", flush=True)
    return samples


# --------------------------------------------------------------------------- reporting


def seconds(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def times(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2g}×"


def mib(kib: Optional[int]) -> str:
    return "n/a" if not kib else f"{kib / 1024:.0f}"


def per_second(lines: int, wall: float) -> str:
    rate = lines / wall
    return f"{rate / 1000:.0f}k" if rate >= 10_000 else f"{rate:.0f}"


@dataclass
class Row:
    command: Command
    median: float
    low: float
    high: float
    cpu: float
    rss_largest: int
    rss_total: Optional[int]
    samples: List[Sample]

    @property
    def crashes(self) -> List[Sample]:
        return [sample for sample in self.samples if sample.crash]


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def crash_report(row: Row) -> str:
    """Why the first crashed run of a command crashed, with the end of its stderr."""
    first = row.crashes[0]
    return f"{first.crash}; stderr ends with:\n{indent(first.stderr_tail)}" if first.stderr_tail else first.crash


def summarize(commands: List[Command], samples: Dict[str, List[Sample]]) -> List[Row]:
    rows = []
    for command in commands:
        runs = samples[command.name]
        walls = [s.wall for s in runs]
        totals = [s.rss_total for s in runs if s.rss_total is not None]
        rows.append(Row(
            command, statistics.median(walls), min(walls), max(walls),
            statistics.median(s.cpu for s in runs),
            max(s.rss_largest for s in runs),
            max(totals) if totals else None,
            runs,
        ))
    return rows


TABLE_HEADER = ["command", "files", "median s", "min–max s", "CPU s", "peak RSS MiB (largest / all)",
                "lines/s", "÷ leaklint", "status"]


def table_cells(rows: List[Row]) -> List[List[str]]:
    medians = {row.command.name: row.median for row in rows}
    cells = []
    for row in rows:
        reference = row.command.reference
        ratio = times(row.median / medians[reference]) if reference in medians else "–"
        cells.append([
            row.command.name, f"{row.command.corpus.files}", seconds(row.median),
            f"{seconds(row.low)}–{seconds(row.high)}", seconds(row.cpu),
            f"{mib(row.rss_largest)} / {mib(row.rss_total)}",
            per_second(row.command.corpus.lines, row.median), ratio,
            "ok" if not row.crashes else f"CRASH in {len(row.crashes)}/{len(row.samples)} runs",
        ])
    return cells


def text_table(header: List[str], cells: List[List[str]]) -> str:
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    return "\n".join("  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip()
                     for line in [header, *cells])


def markdown_table(header: List[str], cells: List[List[str]]) -> str:
    lines = [header, ["---"] * len(header), *cells]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def machine_description() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kib / 1024 ** 2:.0f} GiB memory"
    except (OSError, IndexError, ValueError):
        pass
    return (f"{model}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def display_argv(command: Command, names: Dict[Path, str]) -> str:
    """The command line as it was run, with temporary folders named and tools without their folder."""
    shown = []
    for arg in command.argv:
        path = Path(arg)
        if path in names:
            shown.append(names[path])
        elif path.is_absolute() and path.parent.name == "bin":
            shown.append(path.name)
        else:
            shown.append(shlex.quote(arg))
    return " ".join(shown)


def sub_list(items: List[str]) -> str:
    return "\n".join(f"  - {item}" for item in items)


def write_results(
    path: Path, rows: List[Row], corpus_notes: List[str], versions: List[str], runs: int,
    names: Dict[Path, str], sections: Sequence[str],
) -> None:
    """``sections``: further report sections (scaling, first look), appended in order."""
    commands = "\n".join(f"{row.command.name}:\n    {display_argv(row.command, names)}" for row in rows)
    crashes = [f"{row.command.name}: {crash_report(row)}" for row in rows if row.crashes]
    text = f"""# leaklint benchmark

These figures come from one run on a noisy machine: read them as ratios
between tools measured together, not as absolute speeds.

- Machine: {machine_description()}
- Date: {datetime.date.today().isoformat()}
- Corpus:
{sub_list(corpus_notes)}
- Runs: {runs} per command, round-robin over the commands; median and range of wall time
- Tools:
{sub_list(versions)}

{markdown_table(TABLE_HEADER, table_cells(rows))}

- "÷ leaklint": the command's median time divided by that of leaklint cold
  with as many processes, on the same files: above 1, leaklint was faster.
  Ruff and Fixit have no jobs option and use every core, so they are compared
  with leaklint `-j <cores>`. Ruff warm is compared with leaklint warm, and
  leaklint warm with leaklint cold (what its cache saves).
- "CPU s": user + system time, worker processes included.
- Peak RSS: "largest" is the largest single process (from wait4, which covers
  the workers a tool waited for, and /proc); "all" is the largest sum over
  the process tree, polled every {TreeMemorySampler.INTERVAL * 1000:.0f} ms, so a short peak can be missed.
- Exit codes that mean findings are not failures; a crash is an exit code
  outside the tool's documented ones, a traceback on stderr, flake8's
  "failed during execution", or an LL002 (internal-error) finding.

## Commands timed

```
{commands}
```
"""
    if crashes:
        text += "\n## Crashes\n\n```\n" + "\n".join(crashes) + "\n```\n"
    for section in sections:
        text += "\n" + section
    path.write_text(text)


def draw_chart(python: Path, rows: List[Row], out: Path, title: str, scratch: Path) -> None:
    """Draw the bar chart with the peers venv's matplotlib, in a process of its own."""
    data = scratch / "chart.json"
    data.write_text(json.dumps({
        "title": title,
        "rows": [{"label": r.command.name, "tool": r.command.tool, "median": r.median, "min": r.low, "max": r.high}
                 for r in rows],
    }))
    done = subprocess.run([str(python), str(CHART_SCRIPT), str(data), str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"no chart: {(done.stderr.strip().splitlines() or ['chart.py failed'])[-1]}")
    else:
        print(f"wrote {out}")


# --------------------------------------------------------------------------- scaling


def linear_fit(points: List[tuple]) -> tuple:
    """Least squares: (intercept, slope) of y = a + b x."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in points)
             / sum((x - mean_x) ** 2 for x, _ in points))
    return mean_y - slope * mean_x, slope


def scaling_study(
    leaklint: List[str], source_root: Path, files: List[Path], fraction: float, cores: int, runs: int,
    scratch: Path,
) -> Tuple[List[Row], str]:
    """Time leaklint cold on nested 25/50/100% corpora; return the rows and a Markdown section."""
    print("\nscaling: leaklint cold on growing parts of the corpus", flush=True)
    cold = ["--no-cache"] if "--no-cache" in leaklint_flags(leaklint) else []
    job_counts = sorted({1, cores})
    commands = []
    for part in SCALING_FRACTIONS:
        label = percent(fraction * part)
        corpus = build_corpus(source_root, take_fraction(files, part), scratch / f"scaling-{label}", label)
        for jobs in job_counts:
            commands.append(Command(f"leaklint cold -j {jobs}, {label}", "leaklint",
                                    [*leaklint, *cold, "-j", str(jobs), str(corpus.path)], corpus, exit_0_or_1,
                                    crash_markers=LEAKLINT_CRASH))
    rows = summarize(commands, measure(commands, runs, scratch))
    header = ["command", "files", "lines", "median s", "min–max s", "s per 100k lines"]
    cells = [[r.command.name, str(r.command.corpus.files), f"{r.command.corpus.lines:,}", seconds(r.median),
              f"{seconds(r.low)}–{seconds(r.high)}", f"{r.median / r.command.corpus.lines * 100_000:.2f}"]
             for r in rows]
    # A straight line through (lines, seconds) separates the fixed start-up cost
    # from the cost per line; small deviations from it mean linear growth.
    fits = []
    for jobs in job_counts:
        points = [(r.command.corpus.lines, r.median) for r in rows if f"-j {jobs}," in r.command.name]
        if len({x for x, _ in points}) < 2:
            continue  # a corpus too small to split: no line to fit
        start_up, per_line = linear_fit(points)
        worst = max(abs(y - (start_up + per_line * x)) / y for x, y in points)
        fits.append(f"-j {jobs}: {start_up:.2f} s + {per_line * 100_000:.2f} s per 100k lines, "
                    f"largest deviation from that line {worst:.0%}")
    print(text_table(header, cells) + "\nfit " + "\nfit ".join(fits))
    return rows, ("## Scaling\n\nleaklint cold on nested parts of the corpus. Least-squares line through\n"
                  "(lines, median seconds):\n\n" + "\n".join(f"- {fit}" for fit in fits) + "\n\n"
                  + markdown_table(header, cells) + "\n")


# --------------------------------------------------------------------------- main


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="lint the *.py files of this folder instead of the stdlib")
    parser.add_argument("--fraction", type=float, default=1.0,
                        help="deterministic part of the corpus to use (default 1.0)")
    parser.add_argument("--fixit-fraction", type=float,
                        help="time Fixit (and leaklint again, for its ratio) on this smaller part only")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (default 3)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),  # Linux: the cores we may use
                        help="process count for the parallel variants (default: the cores available)")
    parser.add_argument("--only", help=f"comma-separated tools to time: {', '.join(TOOLS)}, scaling")
    parser.add_argument("--skip", default="", help="comma-separated tools not to time")
    parser.add_argument("--scaling", action="store_true", help="also time leaklint cold on 25/50/100%% of the corpus")
    parser.add_argument("--peers-venv", type=Path, default=BENCH_DIR / ".venv-peers",
                        help="virtual environment for the peers (created, or reused; default benchmarks/.venv-peers)")
    parser.add_argument("--leaklint", type=shlex.split, help="command that runs leaklint (default: this environment's)")
    parser.add_argument("--check-prescan", action="store_true",
                        help="also lint the corpus with and without leaklint's first look and compare (slow)")
    parser.add_argument("--results-dir", type=Path, default=BENCH_DIR,
                        help="where results.md/png go (default benchmarks/)")
    args = parser.parse_args(argv)
    choices = {*TOOLS, "scaling"}
    chosen = set(args.only.split(",")) if args.only else {*TOOLS, *(["scaling"] if args.scaling else [])}
    skipped = set(filter(None, args.skip.split(",")))
    if not (chosen | skipped) <= choices:
        parser.error(f"unknown tool(s): {', '.join(sorted((chosen | skipped) - choices))}")
    args.tools = chosen - skipped
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be in (0, 1]")
    if args.fixit_fraction is not None and not 0 < args.fixit_fraction <= args.fraction:
        parser.error("--fixit-fraction must be in (0, --fraction]")
    return args


@dataclass
class Corpora:
    selected: List[Path]  # the files of the main corpus, relative to the source folder
    main: Corpus
    fixit: Corpus  # the main corpus, or a subset of it with --fixit-fraction
    notes: List[str]  # one line each, for the report
    names: Dict[Path, str]  # temporary folders -> names shown in the command lines


def prepare_corpora(args: argparse.Namespace, source_root: Path, source_name: str, scratch: Path) -> Corpora:
    selected = take_fraction(python_sources(source_root), args.fraction)
    corpus = build_corpus(source_root, selected, scratch / "corpus", percent(args.fraction))
    notes = [f"{source_name}, {percent(args.fraction)}: {corpus.files} files, {corpus.lines:,} lines"]
    names = {corpus.path: "CORPUS", scratch / LEAKLINT_CACHE: "LEAKLINT_CACHE", scratch / RUFF_CACHE: "RUFF_CACHE"}
    fixit_corpus = corpus
    if "fixit" in args.tools and args.fixit_fraction and args.fixit_fraction < args.fraction:
        subset = take_fraction(selected, args.fixit_fraction / args.fraction)
        label = f"{percent(args.fixit_fraction)} subset"
        fixit_corpus = build_corpus(source_root, subset, scratch / "fixit-corpus", label)
        notes.append(f"Fixit only on a {label}: {fixit_corpus.files} files, {fixit_corpus.lines:,} lines "
                     "(FIXIT_CORPUS; leaklint is timed on it too, for the ratio)")
        names[fixit_corpus.path] = "FIXIT_CORPUS"
    return Corpora(selected, corpus, fixit_corpus, notes, names)


def compare(args: argparse.Namespace, leaklint: List[str], peers: Path, corpora: Corpora,
            scratch: Path) -> Tuple[List[Row], List[str]]:
    """Time the selected tools; return the rows and the tools' versions."""
    commands = build_commands(args.tools, leaklint, peers, corpora.main, corpora.fixit, args.jobs, scratch)
    if not commands:
        return [], []
    versions = [tool_version(tool, leaklint if tool == "leaklint" else [str(peers / tool)])
                for tool in dict.fromkeys(command.tool for command in commands)]
    print(f"timing {len(commands)} commands, {args.runs} runs each, round-robin", flush=True)
    rows = summarize(commands, measure(commands, args.runs, scratch))
    print("\n" + text_table(TABLE_HEADER, table_cells(rows)))
    for row in rows:
        if row.crashes:
            print(f"\n{row.command.name} crashed: {crash_report(row)}")
    return rows, versions


def check_prescan(corpus: Corpus, jobs: int) -> Tuple[bool, str]:
    """Run prescan_check.py (this environment's leaklint) over the corpus:
    (identical, a report section)."""
    print("linting the corpus with and without the first look", flush=True)
    done = subprocess.run([sys.executable, str(PRESCAN_SCRIPT), str(corpus.path), "-j", str(jobs)],
                          capture_output=True, text=True)
    output = (done.stdout + done.stderr).strip().replace(str(corpus.path), "CORPUS")
    print(output)
    return done.returncode == 0, (
        "## First look\n\nEvery rule, opt-in ones included, on every file of the corpus, with the "
        "first look and with `prescan=False` (`benchmarks/prescan_check.py`):\n\n```\n" + output + "\n```\n"
    )


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    leaklint = args.leaklint or default_leaklint()
    source_root = (args.corpus or Path(sysconfig.get_paths()["stdlib"])).resolve()
    source_name = str(args.corpus) if args.corpus else f"standard library of Python {platform.python_version()}"
    # The peers venv also holds matplotlib for the chart: needed unless only the scaling study runs.
    peers = ensure_peers_venv(args.peers_venv.resolve()) if args.tools - {"scaling"} else args.peers_venv / "bin"
    args.results_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="leaklint-bench-") as tmp:
        scratch = Path(tmp)
        corpora = prepare_corpora(args, source_root, source_name, scratch)
        print("corpus: " + "\n        ".join(corpora.notes))
        rows, versions = compare(args, leaklint, peers, corpora, scratch)
        scaling_rows, scaling = [], None
        if "scaling" in args.tools:
            scaling_rows, scaling = scaling_study(leaklint, source_root, corpora.selected, args.fraction,
                                                  args.jobs, args.runs, scratch)
        prescan_identical, prescan = True, None
        if args.check_prescan:
            prescan_identical, prescan = check_prescan(corpora.main, args.jobs)
        if rows:
            results = args.results_dir / "results.md"
            write_results(results, rows, corpora.notes, versions, args.runs, corpora.names,
                          [section for section in (scaling, prescan) if section])
            print(f"\nwrote {results}")
            draw_chart(peers / "python", rows, args.results_dir / "results.png",
                       f"{source_name}, {corpora.main.files} files: median wall time", scratch)
        elif scaling:
            results = args.results_dir / "results-scaling.md"
            results.write_text(f"# leaklint scaling\n\n- Machine: {machine_description()}\n"
                               f"- Date: {datetime.date.today().isoformat()}\n\n{scaling}")
            print(f"\nwrote {results}")
    if any(row.crashes for row in [*rows, *scaling_rows]) or not prescan_identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
