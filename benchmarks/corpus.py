"""Build a corpus of real code from a list of PyPI releases, for precision triage.

    python benchmarks/corpus.py benchmarks/precision/corpus-H.txt /tmp/corpora/H

The list holds one ``name==version`` a line (``#`` starts a comment). Each
release is downloaded with pip (a wheel where there is one, else the source
distribution) into ``--downloads`` and unpacked into ``OUT/<name>/``,
keeping only ``.py`` files. Then what would only repeat or distort the
counts is removed: vendored copies of other projects (folders named
``_vendor``, ``vendor``, ``vendored``, ``_vendored``, ``extern``,
``third_party``), generated protocol buffer modules (``*_pb2.py``,
``*_pb2_grpc.py``) and files over 1 MB. Tests are kept: leaklint decides
itself what is test code.

With ``--sdist`` the source distribution is fetched from PyPI's JSON API
instead (no build step, so nothing of the package runs), for the tests and
examples that wheels leave out; a release without one falls back to pip.

Needs only the standard library and pip. Prints the number of packages,
files and lines, and the releases that could not be had.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterator, List, Optional, Tuple

VENDORED = frozenset({"_vendor", "vendor", "vendored", "_vendored", "extern", "third_party"})
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py")
LARGEST_FILE = 1_000_000


def read_list(path: Path) -> List[str]:
    requirements = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirements.append(line)
    return requirements


def download(requirement: str, downloads: Path) -> Optional[Path]:
    """The archive pip fetched for ``requirement``, or None."""
    with tempfile.TemporaryDirectory(dir=downloads) as scratch:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--prefer-binary",
                   "--quiet", "--dest", scratch, requirement]
        if subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            return None
        fetched = sorted(Path(scratch).iterdir())
        if not fetched:
            return None
        kept = downloads / fetched[0].name
        shutil.move(str(fetched[0]), kept)
        return kept


def download_sdist(requirement: str, downloads: Path) -> Optional[Path]:
    """The source distribution of ``name==version`` from PyPI, or None."""
    name, _, version = requirement.partition("==")
    try:
        # The project's page, not the release's: the index mirror here serves only the first.
        page = f"https://pypi.org/pypi/{name}/json"
        with urllib.request.urlopen(page, timeout=60) as reply:
            files = json.load(reply)["releases"][version]
        sdist = next((entry for entry in files if entry["packagetype"] == "sdist"), None)
        if sdist is None:
            return None
        kept = downloads / sdist["filename"]
        if not kept.exists():
            # A mirror may give the address relative to the page.
            with urllib.request.urlopen(urllib.parse.urljoin(page, sdist["url"]), timeout=300) as reply, tempfile.NamedTemporaryFile(
                dir=downloads, delete=False
            ) as part:
                shutil.copyfileobj(reply, part)
            os.replace(part.name, kept)
        return kept
    except (OSError, ValueError, KeyError) as error:
        print(f"{requirement}: no source distribution ({error})", file=sys.stderr)
        return None


def python_members(archive: Path) -> Iterator[Tuple[PurePosixPath, bytes]]:
    """(path inside the archive, bytes) of every ``.py`` file of a wheel or sdist."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                if info.filename.endswith(".py") and not info.is_dir():
                    yield PurePosixPath(info.filename), bundle.read(info)
    elif archive.name.endswith((".tar.gz", ".tgz", ".tar.bz2")):
        with tarfile.open(archive) as bundle:
            for member in bundle.getmembers():
                if member.isfile() and member.name.endswith(".py"):
                    data = bundle.extractfile(member)
                    if data is not None:
                        yield PurePosixPath(member.name), data.read()


def keep(path: PurePosixPath, size: int) -> bool:
    if path.is_absolute() or ".." in path.parts:
        return False  # nothing is written outside the package's folder
    if any(part in VENDORED for part in path.parts[:-1]):
        return False
    return not path.name.endswith(GENERATED_SUFFIXES) and size <= LARGEST_FILE


def unpack(archive: Path, target: Path) -> Tuple[int, int]:
    """Write the kept ``.py`` files under ``target``; (files, lines)."""
    files = lines = 0
    for path, data in python_members(archive):
        if not keep(path, len(data)):
            continue
        destination = target.joinpath(*path.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        files += 1
        lines += data.count(b"\n")
    return files, lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("list", type=Path, help="a file of name==version lines")
    parser.add_argument("out", type=Path, help="the folder to build the corpus in (must not exist)")
    parser.add_argument("--downloads", type=Path, help="where archives are kept (default: OUT.downloads)")
    parser.add_argument("--sdist", action="store_true", help="source distributions (with tests) where there are")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; give a new folder")
    downloads = args.downloads or args.out.with_name(args.out.name + ".downloads")
    downloads.mkdir(parents=True, exist_ok=True)
    total_files = total_lines = packages = 0
    missing = []
    for requirement in read_list(args.list):
        archive = (download_sdist(requirement, downloads) if args.sdist else None) or download(requirement, downloads)
        if archive is None:
            missing.append(requirement)
            continue
        name = requirement.split("==", 1)[0]
        files, lines = unpack(archive, args.out / name)
        packages += 1
        total_files += files
        total_lines += lines
    print(f"{packages} packages, {total_files:,} files, {total_lines:,} lines in {args.out}")
    for requirement in missing:
        print(f"not downloaded: {requirement}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
