"""``--format github``: workflow-command annotations, escaped as GitHub Actions requires."""

from __future__ import annotations

from leaklint.core.finding import Finding
from leaklint.reporters import github
from leaklint.batch.runner import FileResult, RunResult

from .conftest import LEAKY, write


def test_one_annotation_per_finding(cli, tmp_path):
    write(tmp_path / "pkg" / "leaky.py", LEAKY)
    write(tmp_path / "pkg" / "broken.py", "def broken(:\n    pass\n")
    run = cli("--isolated", "--format", "github", "pkg", cwd=tmp_path)
    assert run.code == 1
    error, warning = run.out.splitlines()
    assert error.startswith("::error file=pkg/broken.py,line=1,col=")
    assert ",title=LL001::" in error
    assert warning == (
        "::warning file=pkg/leaky.py,line=3,col=20,endLine=3,endColumn=34,title=LL303::"
        "file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'"
    )


def test_no_findings_prints_nothing(cli, tmp_path):
    write(tmp_path / "ok.py", "x = 1\n")
    run = cli("--isolated", "--format", "github", "ok.py", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


def test_message_and_properties_are_escaped():
    finding = Finding(2, 1, "LL301", "100% sure:\nline two,\r done", 2, 9)
    result = RunResult(files=[FileResult("C:/odd,dir/a%b.py", [finding], None)])
    (line,) = github.render(result, show_source=False)
    assert line == (
        "::warning file=C%3A/odd%2Cdir/a%25b.py,line=2,col=1,endLine=2,endColumn=9,title=LL301::"
        "100%25 sure:%0Aline two,%0D done"
    )


def test_escaping_functions():
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
