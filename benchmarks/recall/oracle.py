"""ResourceWarning oracle: leaks that real test suites actually hit.

Not part of the test suite: run it by hand (it downloads from PyPI and runs
other projects' tests, several minutes per package).

For each package listed in ``oracle-packages.txt`` (format described there):

1. ``pip download --no-deps --no-binary :all: NAME==VERSION`` fetches the sdist,
   which is unpacked to ``WORK/NAME/src`` and left there untouched, so that it
   can be linted.  A copy, ``WORK/NAME/run``, is where the package is built and
   its tests are run (tests write files, pip builds in-tree).
2. A throw-away venv ``WORK/NAME/venv`` gets the package (built from ``run``,
   or the PyPI wheel of the same version with ``install=wheel``), pytest and
   the listed test requirements.
3. The tests run as::

       venv/bin/python -X tracemalloc=25 -W always::ResourceWarning -m pytest \\
           -p no:warnings -p no:cacheprovider -s -p leaklint_oracle_plugin ...

   ``-p no:warnings`` keeps pytest from recording warnings (and from applying
   the project's ``filterwarnings = error``), ``-s`` lets the standard
   "Object allocated at (most recent call last)" report reach stderr.  The small
   plugin (written to ``WORK/_plugin``) wraps ``warnings._showwarnmsg``, the
   function the interpreter calls for every warning it shows, including those
   emitted by a destructor, and appends each ResourceWarning, with its
   tracemalloc allocation traceback and the test then running, as one JSON line
   to ``WORK/NAME/warnings.jsonl``.  Nothing is lost to capfd/capsys or to a
   ``catch_warnings(record=True)`` block; warnings raised while a filter says
   "ignore" are still lost.
4. For each warning, the innermost frame of the allocation traceback that lies
   in the sdist tree (the package or its tests; a frame in the installed copy
   under site-packages is mapped back to its source file) is the *site*.
   ``oracle/NAME.json`` lists the distinct sites, with counts.

Usage (from the repository root)::

    python3 benchmarks/recall/oracle.py                 # every listed package
    python3 benchmarks/recall/oracle.py --only requests # some of them
    python3 benchmarks/recall/oracle.py --reuse         # keep venv and run tree
    python3 benchmarks/recall/oracle.py --reanalyse     # only re-read WORK/NAME's logs

The test venvs use Python 3.12 where it is found (see PYTHON_CANDIDATES).
Sites: ``path``/``line``/``text`` are the innermost in-tree frame; ``direct`` is
false when some of the site's warnings were allocated outside the tree (e.g.
in subprocess.py or tempfile.py); then ``alloc_frames`` gives those frames and
``in_tree_chains`` up to three chains of in-tree frames (outermost first).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
DEFAULT_PACKAGES = HERE / "oracle-packages.txt"
DEFAULT_OUT = HERE / "oracle"
DEFAULT_WORK = Path("/tmp/oracle")
DEFAULT_TIMEOUT = 600
# Python 3.11's tracemalloc.get_object_traceback() returns None for instances of
# plain classes (the managed-dict pre-header is not accounted for; fixed in
# 3.12), which loses the allocation site of every "subprocess N is still
# running", "unclosed event loop" or "unclosed transport" warning.  The test
# venvs therefore use 3.12 where it can be found.
PYTHON_CANDIDATES = sorted(glob.glob("/root/.pyenv/versions/3.12*/bin/python3.12")) + ["python3.12"]
TRACEMALLOC_DEPTH = 25
PLUGIN_NAME = "leaklint_oracle_plugin"

PLUGIN_SOURCE = r'''
"""Loaded by leaklint's oracle.py: log every ResourceWarning shown, as JSON."""
import json
import os
import tracemalloc
import warnings

_PATH = os.environ.get("LEAKLINT_ORACLE_LOG")
_FD = os.open(_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if _PATH else None
_CURRENT = {"test": None, "phase": "collect"}
_original = warnings._showwarnmsg


def _showwarnmsg(msg):
    try:
        if _FD is not None and issubclass(msg.category, ResourceWarning):
            frames = None
            if msg.source is not None and tracemalloc.is_tracing():
                tb = tracemalloc.get_object_traceback(msg.source)
                if tb is not None:
                    frames = [[f.filename, f.lineno] for f in tb]  # oldest first
            try:
                text = warnings._formatwarnmsg_impl(msg)
            except Exception:
                text = None
            record = {
                "category": msg.category.__name__,
                "message": str(msg.message),
                "filename": msg.filename,
                "lineno": msg.lineno,
                "has_source": msg.source is not None,
                "frames": frames,
                "test": _CURRENT["test"],
                "phase": _CURRENT["phase"],
                "text": text,
            }
            os.write(_FD, (json.dumps(record) + "\n").encode("utf-8", "replace"))
    except Exception:
        pass
    return _original(msg)


warnings._showwarnmsg = _showwarnmsg


def pytest_runtest_logstart(nodeid, location):
    _CURRENT["test"] = nodeid
    _CURRENT["phase"] = "test"


def pytest_sessionfinish(session, exitstatus):
    _CURRENT["test"] = None
    _CURRENT["phase"] = "sessionfinish"
'''


# ---------------------------------------------------------------- package list

class Spec:
    """One line of oracle-packages.txt."""

    KEYS = {"deps", "args", "extras", "install", "noaddopts", "timeout", "env", "testdir", "pytest"}

    def __init__(self, line: str, lineno: int) -> None:
        tokens = shlex.split(line, comments=True)
        req = tokens[0]
        if "==" not in req:
            raise SystemExit(f"oracle-packages.txt:{lineno}: expected NAME==VERSION, got {req!r}")
        self.name, self.version = req.split("==", 1)
        self.opts: Dict[str, str] = {}
        for tok in tokens[1:]:
            key, sep, value = tok.partition("=")
            if not sep or key not in self.KEYS:
                raise SystemExit(f"oracle-packages.txt:{lineno}: unknown option {tok!r}")
            self.opts[key] = value

    @property
    def deps(self) -> List[str]:
        return self.opts.get("deps", "").split()

    @property
    def pytest_req(self) -> str:
        return self.opts.get("pytest", "pytest")

    @property
    def args(self) -> Optional[List[str]]:
        return shlex.split(self.opts["args"]) if "args" in self.opts else None

    @property
    def timeout(self) -> int:
        return int(self.opts.get("timeout", DEFAULT_TIMEOUT))

    @property
    def env(self) -> Dict[str, str]:
        out = {}
        for item in shlex.split(self.opts.get("env", "")):
            k, _, v = item.partition("=")
            out[k] = v
        return out


def read_specs(path: Path) -> List[Spec]:
    specs = []
    for i, raw in enumerate(path.read_text().splitlines(), 1):
        if raw.strip() and not raw.strip().startswith("#"):
            specs.append(Spec(raw, i))
    return specs


# ---------------------------------------------------------------- helpers

def log(msg: str) -> None:
    print(f"[oracle {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd: List[str], logfile: Optional[Path] = None) -> None:
    """Run CMD; with LOGFILE, its output goes there (and is shown if it fails)."""
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    if logfile is None:
        subprocess.run(cmd, check=True)
        return
    with open(logfile, "a") as fh:
        fh.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        fh.flush()
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode:
        print("".join(logfile.read_text(errors="replace").splitlines(True)[-30:]), flush=True)
        raise subprocess.CalledProcessError(proc.returncode, cmd)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_sdist(spec: Spec, dist_dir: Path) -> Path:
    dist_dir.mkdir(parents=True, exist_ok=True)
    existing = [p for p in dist_dir.iterdir() if p.suffix in (".gz", ".zip", ".bz2")]
    if not existing:
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             f"{spec.name}=={spec.version}", "-d", str(dist_dir)], dist_dir / "download.log")
        existing = [p for p in dist_dir.iterdir() if p.suffix in (".gz", ".zip", ".bz2")]
    if len(existing) != 1:
        raise RuntimeError(f"expected one sdist in {dist_dir}, found {existing}")
    return existing[0]


def unpack(archive: Path, dest: Path) -> None:
    """Unpack ARCHIVE so that its single top folder becomes DEST."""
    tmp = dest.parent / (dest.name + ".unpack")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(tmp, filter="data")
    entries = list(tmp.iterdir())
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    shutil.rmtree(dest, ignore_errors=True)
    shutil.move(str(top), str(dest))
    shutil.rmtree(tmp, ignore_errors=True)


TEST_DIR_NAMES = {"tests", "test", "testing", "unittests", "unit_tests"}


def is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    base = parts[-1]
    return (any(p in TEST_DIR_NAMES for p in parts[:-1]) or base.startswith("test_")
            or base.endswith("_test.py") or base in ("conftest.py", "tests.py", "test.py"))


def has_tests(src: Path) -> bool:
    for p in src.rglob("*.py"):
        if is_test_path(p.relative_to(src).as_posix()):
            return True
    return False


def default_test_args(src: Path) -> List[str]:
    for name in ("tests", "test", "testing"):
        if (src / name).is_dir():
            return [name]
    return []


# ---------------------------------------------------------------- mapping frames

class TreeMapper:
    """Maps a frame's file name to a path relative to the unpacked sdist."""

    def __init__(self, src: Path, run_dir: Path, installed: List[str], site_dirs: List[str]) -> None:
        self.src = src.resolve()
        self.roots = [str(run_dir.resolve()) + "/", str(src.resolve()) + "/"]
        if str(run_dir) != str(run_dir.resolve()):
            self.roots.insert(0, str(run_dir) + "/")
        self.site_dirs = [d.rstrip("/") + "/" for d in site_dirs]
        # .py files in src, by relative path
        self.src_files = [p.relative_to(self.src).as_posix() for p in self.src.rglob("*.py")
                          if "/.git/" not in p.as_posix()]
        self.installed = set(installed)  # files of the distribution, relative to site-packages
        self.cache: Dict[str, Optional[str]] = {}

    def map(self, filename: str) -> Optional[str]:
        if filename in self.cache:
            return self.cache[filename]
        result = None
        for root in self.roots:
            if filename.startswith(root):
                rel = filename[len(root):]
                # frames in build/lib copies inside the run tree map back to the source
                if rel.startswith("build/lib/") or rel.startswith(".tox/"):
                    result = self._by_suffix(rel.split("/", 2)[-1])
                elif (self.src / rel).is_file():
                    result = rel
                break
        else:
            for site in self.site_dirs:
                if filename.startswith(site):
                    rel = filename[len(site):]
                    if rel in self.installed:
                        result = self._by_suffix(rel)
                    break
        self.cache[filename] = result
        return result

    def _by_suffix(self, rel: str) -> Optional[str]:
        cands = [f for f in self.src_files if f == rel or f.endswith("/" + rel)]
        if not cands:
            return None
        return min(cands, key=len)


# ---------------------------------------------------------------- messages

_NORMALISERS = [
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    (re.compile(r"\bfd=\d+"), "fd=N"),
    (re.compile(r"(subprocess|pid) \d+"), r"\1 N"),
    (re.compile(r"\('(?:[0-9.]+|::1?|[0-9a-f:]+)', \d+(?:, \d+, \d+)?\)"), "(ADDR, PORT)"),
    (re.compile(r"name=\d+\b"), "name=N"),
    (re.compile(r"/tmp/[^'\" >]*/"), "…/"),
    (re.compile(r"\bid=\d+"), "id=N"),
]


def normalise(message: str) -> str:
    for rx, repl in _NORMALISERS:
        message = rx.sub(repl, message)
    return message


def kind_of(message: str) -> str:
    m = message.lower()
    if "unclosed file" in m:
        return "file"
    if "socket" in m or "transport" in m:
        return "socket"
    if "subprocess" in m or "popen" in m:
        return "subprocess"
    if "event loop" in m:
        return "event-loop"
    if "unclosed" in m:
        return "other-unclosed"
    return "other"


# ---------------------------------------------------------------- results

_SUMMARY_RX = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)")


def parse_outcome(stdout: str) -> Dict[str, int]:
    lines = [l for l in stdout.splitlines() if re.search(r"\b(passed|failed|errors?|skipped|no tests ran)\b.* in [0-9.]+s", l)]
    out: Dict[str, int] = {}
    if lines:
        for n, word in _SUMMARY_RX.findall(lines[-1]):
            word = {"error": "errors", "warning": "warnings"}.get(word, word)
            out[word] = int(n)
    else:
        # no closing line (timed out or killed): count pytest -q's progress characters
        counts = Counter()
        for line in stdout.splitlines():
            m = re.match(r"^([.FEsxXu]+)(?:\s+\[\s*\d+%\])?\s*$", line)
            if m:
                counts.update(m.group(1))
        names = {".": "passed", "F": "failed", "E": "errors", "s": "skipped", "x": "xfailed",
                 "X": "xpassed", "u": "subtests passed"}
        out = {names[c]: n for c, n in counts.items()}
        if out:
            out["incomplete_run"] = 1
    return out


def source_line(src: Path, rel: str, line: int) -> str:
    try:
        with open(src / rel, encoding="utf-8", errors="replace") as fh:
            for i, text in enumerate(fh, 1):
                if i == line:
                    return text.rstrip("\n").strip()
    except OSError:
        pass
    return ""


def analyse(records: List[dict], mapper: TreeMapper, src: Path) -> dict:
    sites: "OrderedDict[Tuple[str, int], dict]" = OrderedDict()
    untraced = Counter()
    outside = OrderedDict()
    for rec in records:
        msg = normalise(rec["message"])
        frames = rec.get("frames")
        if not frames:
            untraced[msg] += 1
            continue
        chain = []  # in-tree frames, innermost last
        for filename, lineno in frames:
            rel = mapper.map(filename)
            if rel is not None:
                chain.append((rel, lineno))
        alloc = frames[-1]
        if not chain:
            key = (alloc[0], alloc[1])
            e = outside.setdefault(key, {"alloc_frame": f"{alloc[0]}:{alloc[1]}", "count": 0,
                                         "messages": Counter(), "tests": []})
            e["count"] += 1
            e["messages"][msg] += 1
            if rec.get("test") and rec["test"] not in e["tests"] and len(e["tests"]) < 3:
                e["tests"].append(rec["test"])
            continue
        rel, lineno = chain[-1]
        direct = mapper.map(alloc[0]) is not None
        site = sites.get((rel, lineno))
        if site is None:
            site = sites[(rel, lineno)] = {
                "path": rel,
                "line": lineno,
                "text": source_line(src, rel, lineno),
                "in_tests": is_test_path(rel),
                "kind": kind_of(msg),
                "count": 0,
                "messages": Counter(),
                "tests": [],
                "direct": True,
                "alloc_frames": Counter(),
                "in_tree_chains": [],
            }
        site["count"] += 1
        site["messages"][msg] += 1
        if rec.get("test") and rec["test"] not in site["tests"] and len(site["tests"]) < 3:
            site["tests"].append(rec["test"])
        if not direct:
            site["direct"] = False
            site["alloc_frames"][f"{_short(alloc[0])}:{alloc[1]}"] += 1
            ch = [f"{r}:{n}" for r, n in chain]
            if ch not in site["in_tree_chains"] and len(site["in_tree_chains"]) < 3:
                site["in_tree_chains"].append(ch)
    out_sites = []
    for site in sites.values():
        site["messages"] = [{"message": m, "count": c} for m, c in site["messages"].most_common(5)]
        if site["direct"]:
            del site["alloc_frames"], site["in_tree_chains"]
        else:
            site["alloc_frames"] = dict(site["alloc_frames"].most_common(5))
        out_sites.append(site)
    out_sites.sort(key=lambda s: (s["in_tests"], s["path"], s["line"]))
    outside_list = []
    for e in outside.values():
        e["alloc_frame"] = _short(e["alloc_frame"])
        e["messages"] = [{"message": m, "count": c} for m, c in e["messages"].most_common(5)]
        outside_list.append(e)
    return {
        "sites": out_sites,
        "untraced": [{"message": m, "count": c} for m, c in untraced.most_common()],
        "no_in_tree_frame": outside_list,
    }


def _short(path: str) -> str:
    """Shorten venv/stdlib paths so that the JSON does not depend on the machine."""
    path = re.sub(r"^.*/site-packages/", "site-packages/", path)
    path = re.sub(r"^.*/lib/python3\.\d+/", "stdlib/", path)
    return path


# ---------------------------------------------------------------- one package

def run_tests(spec: Spec, base: Path, run_dir: Path, venv: Path, py: Path, pytest_cmd: List[str],
              wlog: Path, plugin_dir: Path) -> dict:
    if wlog.exists():
        wlog.unlink()
    env = dict(os.environ)
    env.update({
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "PYTHONPATH": str(plugin_dir),
        "LEAKLINT_ORACLE_LOG": str(wlog),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "CI": "true",
    })
    env.update(spec.env)
    log(f"running tests of {spec.name} {spec.version} (timeout {spec.timeout}s): " + " ".join(pytest_cmd))
    t0 = time.time()
    timed_out = False
    with open(base / "pytest.out", "w") as out_fh, open(base / "pytest.err", "w") as err_fh:
        proc = subprocess.Popen([str(py)] + pytest_cmd[1:], cwd=run_dir, env=env,
                                stdin=subprocess.DEVNULL, stdout=out_fh, stderr=err_fh,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=spec.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                rc = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                rc = proc.wait()
        # leave no stray children of the suite behind
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    duration = round(time.time() - t0, 1)
    return {"rc": rc, "timed_out": timed_out, "duration": duration}


def find_python() -> str:
    for cand in PYTHON_CANDIDATES:
        path = shutil.which(cand) or (cand if os.path.isfile(cand) else None)
        if path:
            return path
    return sys.executable


def process(spec: Spec, work: Path, out_dir: Path, reuse: bool, plugin_dir: Path, python: str,
            reanalyse: bool = False) -> dict:
    base = work / spec.name
    src, run_dir, venv = base / "src", base / "run", base / "venv"
    archive = download_sdist(spec, base / "dist")
    if not ((reuse or reanalyse) and src.is_dir()):
        unpack(archive, src)
    if not has_tests(src):
        raise RuntimeError(f"{archive.name} ships no tests")
    fresh = not ((reuse or reanalyse) and run_dir.is_dir() and (venv / "bin" / "python").exists())
    py = venv / "bin" / "python"
    if fresh:
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(src, run_dir, symlinks=True)
        shutil.rmtree(venv, ignore_errors=True)
        install_log = base / "install.log"
        if install_log.exists():
            install_log.unlink()
        run([python, "-m", "venv", str(venv)], install_log)
        run([str(py), "-m", "pip", "install", "--upgrade", "pip"], install_log)
        extras = spec.opts.get("extras")
        if spec.opts.get("install") == "wheel":
            target = f"{spec.name}{'[' + extras + ']' if extras else ''}=={spec.version}"
        elif spec.opts.get("install") == "none":
            target = None
        else:
            target = f"{run_dir}{'[' + extras + ']' if extras else ''}"
        cmd = [str(py), "-m", "pip", "install"]
        if target:
            cmd.append(target)
        cmd += [spec.pytest_req] + spec.deps
        run(cmd, install_log)
    # the distribution's installed files, and the venv's site-packages
    probe = subprocess.run(
        [str(py), "-c",
         "import importlib.metadata as m, json, site, sys\n"
         "try:\n files = [str(f) for f in (m.files(sys.argv[1]) or [])]\n"
         "except m.PackageNotFoundError:\n files = []\n"
         "import pytest\n"
         "print(json.dumps({'files': files, 'site': site.getsitepackages(),"
         " 'pytest': pytest.__version__, 'python': sys.version.split()[0]}))",
         spec.name], check=True, capture_output=True, text=True)
    info = json.loads(probe.stdout)
    mapper = TreeMapper(src, run_dir, info["files"], info["site"])

    args = spec.args if spec.args is not None else default_test_args(src)
    pytest_cmd = [
        "python", "-X", f"tracemalloc={TRACEMALLOC_DEPTH}", "-W", "always::ResourceWarning",
        "-m", "pytest", "-p", "no:warnings", "-p", "no:cacheprovider", "-s", "-p", PLUGIN_NAME,
        "-q", "-rN", "--color=no",
    ]
    if spec.opts.get("noaddopts"):
        pytest_cmd += ["-o", "addopts="]
    pytest_cmd += args
    wlog = base / "warnings.jsonl"
    meta_file = base / "run-meta.json"
    if reanalyse and meta_file.exists():
        meta = json.loads(meta_file.read_text())
    else:
        meta = run_tests(spec, base, run_dir, venv, py, pytest_cmd, wlog, plugin_dir)
        meta_file.write_text(json.dumps(meta))
    rc, timed_out, duration = meta["rc"], meta["timed_out"], meta["duration"]
    stdout = (base / "pytest.out").read_text(errors="replace")
    stderr = (base / "pytest.err").read_text(errors="replace")
    records = []
    if wlog.exists():
        for line in wlog.read_text(errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    result = analyse(records, mapper, src)
    in_pkg = sum(1 for s in result["sites"] if not s["in_tests"])
    data = OrderedDict([
        ("package", spec.name),
        ("version", spec.version),
        ("sdist", archive.name),
        ("sdist_sha256", sha256(archive)),
        ("source_tree", str(src)),
        ("python", info["python"]),
        ("pytest", info["pytest"]),
        ("install", spec.opts.get("install", "sdist")),
        ("test_requirements", [spec.pytest_req] + spec.deps),
        ("command", " ".join(shlex.quote(c) for c in pytest_cmd)),
        ("cwd", "copy of the source tree"),
        ("exit_code", rc),
        ("timed_out", timed_out),
        ("duration_s", duration),
        ("outcome", parse_outcome(stdout)),
        ("resource_warnings", len(records)),
        ("stderr_allocation_tracebacks", stderr.count("Object allocated at (most recent call last):")),
        ("distinct_sites", len(result["sites"])),
        ("sites_in_package", in_pkg),
        ("sites_in_tests", len(result["sites"]) - in_pkg),
        ("sites", result["sites"]),
        ("no_in_tree_frame", result["no_in_tree_frame"]),
        ("untraced", result["untraced"]),
    ])
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / f"{spec.name}.json", "w") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    log(f"{spec.name}: rc={rc} timed_out={timed_out} {duration}s outcome={data['outcome']} "
        f"warnings={len(records)} sites={len(result['sites'])} (package {in_pkg}, tests {len(result['sites']) - in_pkg})")
    return data


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", type=Path, default=DEFAULT_PACKAGES)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work folder (default /tmp/oracle)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where NAME.json goes")
    ap.add_argument("--only", nargs="*", help="package names to run (default: all listed)")
    ap.add_argument("--reuse", action="store_true", help="keep an existing venv and run tree")
    ap.add_argument("--reanalyse", action="store_true",
                    help="do not run the tests again: re-read the logs of the last run in WORK/NAME")
    ap.add_argument("--python", default=None,
                    help="interpreter for the test venvs (default: python3.12 if found, else this one)")
    ap.add_argument("--spec", action="append", default=[],
                    help="a package line given on the command line instead of the file (for trials)")
    opts = ap.parse_args(argv)
    specs = [Spec(s, 0) for s in opts.spec] if opts.spec else read_specs(opts.packages)
    if opts.only:
        specs = [s for s in specs if s.name in opts.only]
    plugin_dir = opts.work / "_plugin"
    plugin_dir.mkdir(parents=True, exist_ok=True)
    (plugin_dir / f"{PLUGIN_NAME}.py").write_text(PLUGIN_SOURCE)
    summary = []
    for spec in specs:
        try:
            d = process(spec, opts.work, opts.out, opts.reuse, plugin_dir, opts.python or find_python(),
                        opts.reanalyse)
            summary.append((spec.name, d["distinct_sites"], d["sites_in_package"], d["sites_in_tests"],
                            d["outcome"]))
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            log(f"{spec.name}: FAILED: {exc}")
            summary.append((spec.name, None, None, None, str(exc)))
    print()
    for name, n, pkg, tst, outcome in summary:
        print(f"{name:20} sites={n} package={pkg} tests={tst} {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
