"""``leaklint server``, driven over stdio by a small LSP client as an editor drives it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from pygls.uris import from_fs_path

from leaklint.server.client import LanguageClient, ServerError
from leaklint.server.positions import UTF8, UTF16, UTF32, LineIndex

from .conftest import LEAKY

pytestmark = pytest.mark.slow  # every test starts a language server

WATCHING = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
# LL302 with a safe fix (a `with` block) and LL303 with an unsafe one.
FIXABLE = (
    "def read(p):\n"
    "    return open(p).read()\n"
    "\n"
    "\n"
    "def first(p):\n"
    "    f = open(p)\n"
    "    line = f.readline()\n"
    "    f.close()\n"
    "    return line\n"
)
FIXED_WITH_BLOCK = (
    "def first(p):\n"
    "    with open(p) as f:\n"
    "        line = f.readline()\n"
    "    return line\n"
)
CONNECT = "import socket\n\n\ndef connect(host):\n    return socket.create_connection((host, 80))\n"
NOT_A_RESOURCE = "def connect(host):\n    return host\n"
USES_CONNECT = "from .net import connect\n\n\ndef ping(host):\n    connect(host).sendall(b'ping')\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    return tmp_path


@pytest.fixture
def client(workspace: Path):
    with LanguageClient(cwd=str(workspace)) as client:
        client.initialize(from_fs_path(str(workspace)), WATCHING)
        yield client


def uri_of(path: Path) -> str:
    return from_fs_path(str(path))


def codes(diagnostics: List[Dict]) -> List[str]:
    return [item["code"] for item in diagnostics]


def apply_edits(text: str, edits: List[Dict]) -> str:
    """The client's side of a WorkspaceEdit: every range is of the original
    text; lines end at \\r\\n, \\r or \\n; characters are UTF-16 units."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text) + [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: Dict) -> int:
        line = lines[position["line"]].rstrip("\r\n")
        units = 0
        for column, char in enumerate(line):
            if units >= position["character"]:
                return starts[position["line"]] + column
            units += len(char.encode("utf-16-le")) // 2
        return starts[position["line"]] + len(line)

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def actions_for(client: LanguageClient, uri: str, diagnostics: List[Dict], only=None) -> List[Dict]:
    context = {"diagnostics": diagnostics}
    if only is not None:
        context["only"] = only
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    return client.request(
        "textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole, "context": context}
    )


def test_initialize_announces_sync_and_code_actions(workspace: Path):
    with LanguageClient(cwd=str(workspace)) as client:
        result = client.initialize(uri_of(workspace))
        assert result["serverInfo"]["name"] == "leaklint"
        capabilities = result["capabilities"]
        assert capabilities["textDocumentSync"]["change"] == 2  # incremental
        assert capabilities["textDocumentSync"]["save"]
        assert set(capabilities["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll.leaklint"}


def test_diagnostics_on_open_have_code_link_and_range(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "config.py")
    client.open(uri, LEAKY)
    [diagnostic] = client.diagnostics(uri, version=1)
    assert diagnostic["code"] == "LL303"
    assert diagnostic["source"] == "leaklint"
    assert diagnostic["severity"] == 2  # a warning
    assert diagnostic["codeDescription"]["href"].endswith("docs/rules.md#ll303-resource-discarded")
    # LL303 at 3:20-3:34 (1-based, end exclusive) is 2:19-2:33 in the protocol.
    assert diagnostic["range"] == {"start": {"line": 2, "character": 19}, "end": {"line": 2, "character": 33}}


def test_ranges_count_utf16_units(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "emoji.py")
    client.open(uri, "import json\n\nconfig = ('\U0001F600', json.load(open('c.json')))\n")
    [diagnostic] = client.diagnostics(uri)
    # The emoji is one character but two UTF-16 units: the call starts at character 26, not 25.
    assert diagnostic["range"]["start"] == {"line": 2, "character": 26}


def test_a_parse_error_is_an_error(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "broken.py")
    client.open(uri, "def broken(:\n    pass\n")
    [diagnostic] = client.diagnostics(uri)
    assert (diagnostic["code"], diagnostic["severity"]) == ("LL001", 1)


def test_changes_are_linted_in_their_newest_version(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "config.py")
    client.open(uri, "x = 1\n")
    assert client.diagnostics(uri, version=1) == []
    for version in range(2, 12):  # a burst of keystrokes
        client.change(uri, LEAKY if version % 2 else "x = 1\n", version)
    assert codes(client.diagnostics(uri, version=11)) == ["LL303"]
    client.change(uri, "import json\n\nconfig = None\n", 12)
    assert client.diagnostics(uri, version=12) == []


def test_incremental_changes_are_applied(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "config.py")
    client.open(uri, LEAKY)
    assert codes(client.diagnostics(uri, version=1)) == ["LL303"]
    # Replace open('c.json') by a name: the finding goes.
    change = {"range": {"start": {"line": 2, "character": 19}, "end": {"line": 2, "character": 33}}, "text": "stream"}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]})
    assert client.diagnostics(uri, version=2) == []


def test_save_lints_and_close_clears(client: LanguageClient, workspace: Path):
    path = workspace / "pkg" / "config.py"
    path.write_text(LEAKY)
    uri = uri_of(path)
    client.open(uri, LEAKY)
    client.diagnostics(uri, version=1)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert codes(client.diagnostics(uri, version=1)) == ["LL303"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_quick_fix_and_noqa_actions(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "files.py")
    client.open(uri, FIXABLE)
    diagnostics = client.diagnostics(uri, version=1)
    assert codes(diagnostics) == ["LL303", "LL302"]
    ll302 = diagnostics[1]
    actions = actions_for(client, uri, [ll302])
    titles = [action["title"] for action in actions]
    assert titles == [
        "Acquire it in a 'with' statement over the statements that use it, instead of calling close()",
        "Ignore LL302 here (# noqa: LL302)",
        "Fix all leaklint findings in this file",  # asked for no kind in particular: every kind
    ]
    fix, ignore, _ = actions
    assert fix["kind"] == "quickfix" and fix["isPreferred"] is True
    assert fix["diagnostics"] == [ll302]
    fixed = apply_edits(FIXABLE, fix["edit"]["changes"][uri])
    assert fixed.endswith(FIXED_WITH_BLOCK)
    ignored = apply_edits(FIXABLE, ignore["edit"]["changes"][uri])
    assert "    f = open(p)  # noqa: LL302\n" in ignored
    # Both edits really remove the finding.
    for version, text in ((2, fixed), (3, ignored)):
        client.change(uri, text, version)
        assert codes(client.diagnostics(uri, version=version)) == ["LL303"]


def test_unsafe_fix_is_offered_but_not_preferred(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "files.py")
    client.open(uri, FIXABLE)
    ll303 = client.diagnostics(uri, version=1)[0]
    fix = actions_for(client, uri, [ll303], only=["quickfix"])[0]
    assert fix["title"].endswith("(unsafe: review the change)")
    assert "isPreferred" not in fix
    assert "pathlib.Path(p).read_text()" in apply_edits(FIXABLE, fix["edit"]["changes"][uri])


def test_fix_all_applies_the_safe_fixes(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "files.py")
    client.open(uri, FIXABLE)
    client.diagnostics(uri, version=1)
    [fix_all] = actions_for(client, uri, [], only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.leaklint"
    fixed = apply_edits(FIXABLE, fix_all["edit"]["changes"][uri])
    assert fixed.endswith(FIXED_WITH_BLOCK)
    assert "open(p).read()" in fixed  # the unsafe fix is left to the user
    assert actions_for(client, uri, [], only=["quickfix"]) == []


def test_no_fix_for_a_diagnostic_of_an_older_version(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "files.py")
    client.open(uri, FIXABLE)
    old = client.diagnostics(uri, version=1)
    client.change(uri, "\n\n" + FIXABLE, 2)
    client.diagnostics(uri, version=2)
    assert actions_for(client, uri, old, only=["quickfix"]) == []


def test_configuration_of_the_workspace_and_its_reload(client: LanguageClient, workspace: Path):
    config = workspace / "pyproject.toml"
    config.write_text("[tool.leaklint]\nignore = ['LL303']\n")
    uri = uri_of(workspace / "pkg" / "config.py")
    client.open(uri, LEAKY)
    assert client.diagnostics(uri, version=1) == []
    config.write_text("[tool.leaklint]\nselect = ['LL3']\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri_of(config), "type": 2}]})
    assert codes(client.diagnostics(uri, version=1)) == ["LL303"]


def test_a_bad_configuration_is_shown_and_the_defaults_apply(client: LanguageClient, workspace: Path):
    (workspace / "pyproject.toml").write_text("[tool.leaklint]\nselct = ['LL3']\n")
    uri = uri_of(workspace / "pkg" / "config.py")
    client.open(uri, LEAKY)
    shown = client.wait_for("window/showMessage")
    assert "unknown key 'selct'" in shown["message"] and shown["type"] == 1
    assert codes(client.diagnostics(uri, version=1)) == ["LL303"]


def test_excluded_files_get_no_diagnostics(client: LanguageClient, workspace: Path):
    (workspace / "pyproject.toml").write_text("[tool.leaklint]\nextend-exclude = ['generated']\n")
    (workspace / "generated").mkdir()
    uri = uri_of(workspace / "generated" / "config.py")
    client.open(uri, LEAKY)
    assert client.diagnostics(uri, version=1) == []


def test_open_buffers_are_the_project_modules(client: LanguageClient, workspace: Path):
    (workspace / "pkg" / "net.py").write_text(NOT_A_RESOURCE)
    app, net = uri_of(workspace / "pkg" / "app.py"), uri_of(workspace / "pkg" / "net.py")
    client.open(app, USES_CONNECT)
    assert client.diagnostics(app, version=1) == []  # on disk, connect() returns no resource
    client.open(net, CONNECT)  # unsaved: the buffer returns a socket
    assert codes(client.diagnostics(app, version=1)) == ["LL303"]
    client.change(net, NOT_A_RESOURCE, 2)
    assert client.diagnostics(app, version=1) == []
    client.change(net, CONNECT, 3)
    assert codes(client.diagnostics(app, version=1)) == ["LL303"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": net}})  # back to the disk's text
    assert client.diagnostics(app, version=1) == []


def test_a_module_created_on_disk_is_seen(client: LanguageClient, workspace: Path):
    app = uri_of(workspace / "pkg" / "app.py")
    client.open(app, USES_CONNECT)
    assert client.diagnostics(app, version=1) == []
    net = workspace / "pkg" / "net.py"
    net.write_text(CONNECT)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri_of(net), "type": 1}]})
    assert codes(client.diagnostics(app, version=1)) == ["LL303"]


def test_an_unsaved_new_buffer_is_linted(client: LanguageClient):
    client.open("untitled:Untitled-1", LEAKY)
    assert codes(client.diagnostics("untitled:Untitled-1", version=1)) == ["LL303"]


def test_a_crash_while_linting_is_logged_and_the_server_goes_on(workspace: Path):
    # The server, with the linter broken for one file name (as a bug would).
    command = [
        sys.executable,
        "-c",
        "import sys\n"
        "from leaklint.server import linting\n"
        "lint = linting.WorkspaceLinter.lint\n"
        "def broken(self, path, *args):\n"
        "    if path.endswith('crash.py'):\n"
        "        raise RuntimeError('a bug')\n"
        "    return lint(self, path, *args)\n"
        "linting.WorkspaceLinter.lint = broken\n"
        "from leaklint.cli import main\n"
        "sys.exit(main(['server']))\n",
    ]
    with LanguageClient(command, cwd=str(workspace)) as client:
        client.initialize(uri_of(workspace))
        client.open(uri_of(workspace / "crash.py"), LEAKY)
        logged = client.wait_for("window/logMessage", lambda params: "a bug" in params["message"])
        assert logged["type"] == 1 and "RuntimeError" in logged["message"]
        fine = uri_of(workspace / "fine.py")
        client.open(fine, LEAKY)
        assert codes(client.diagnostics(fine)) == ["LL303"]
        assert client.close() == 0


def test_shutdown_then_exit_ends_the_process(workspace: Path):
    client = LanguageClient(cwd=str(workspace))
    client.initialize(uri_of(workspace))
    uri = uri_of(workspace / "config.py")
    client.open(uri, LEAKY)
    client.diagnostics(uri)
    assert client.close() == 0


def test_exit_without_shutdown_is_an_error_status(workspace: Path):
    with LanguageClient(cwd=str(workspace)) as client:
        client.initialize(uri_of(workspace))
        client.notify("exit")
        assert client.process.wait(timeout=10) == 1


def test_requests_after_shutdown_are_refused(client: LanguageClient):
    client.request("shutdown")
    with pytest.raises(ServerError, match="shutting down"):
        actions_for(client, "file:///x.py", [])
    client.notify("exit")
    assert client.process.wait(timeout=10) == 0


def test_server_takes_no_arguments():
    completed = subprocess.run(
        [sys.executable, "-m", "leaklint", "server", "--stdio"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 2
    assert "takes no arguments" in completed.stderr


def test_server_exits_when_its_input_closes(workspace: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "leaklint", "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=str(workspace),
    )
    process.stdin.close()
    assert process.wait(timeout=30) == 1  # gone without shutdown: status 1, as the protocol asks


SLOW = LEAKY + "".join(f"\n\ndef f{n}(p):\n    with open(p) as f:\n        return f.read()\n" for n in range(600))


def test_a_path_with_spaces_and_accents(tmp_path: Path):
    workspace = tmp_path / "my project é"
    (workspace / "pkg").mkdir(parents=True)
    (workspace / "pkg" / "__init__.py").write_text("")
    with LanguageClient(cwd=str(workspace)) as client:
        client.initialize(uri_of(workspace))
        uri = uri_of(workspace / "pkg" / "config.py")
        assert "%20" in uri
        client.open(uri, LEAKY)
        assert codes(client.diagnostics(uri, version=1)) == ["LL303"]
        *_, ignore = actions_for(client, uri, client.published[-1]["diagnostics"], only=["quickfix"])
        assert "# noqa: LL303" in apply_edits(LEAKY, ignore["edit"]["changes"][uri])


def test_incremental_changes_after_a_form_feed(client: LanguageClient, workspace: Path):
    # A form feed ends no line for Python or the protocol (str.splitlines would end one).
    text = "x = 1\n\f\ny = 2\n" + LEAKY
    uri = uri_of(workspace / "pkg" / "feed.py")
    client.open(uri, text)
    [diagnostic] = client.diagnostics(uri, version=1)
    assert diagnostic["range"]["start"] == {"line": 5, "character": 19}
    change = {"range": diagnostic["range"], "text": "stream"}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]})
    assert client.diagnostics(uri, version=2) == []


def test_no_stale_diagnostics_after_closing_and_opening_again(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "big.py")
    client.open(uri, SLOW)  # still being linted when it is closed and opened again, clean
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    client.open(uri, "x = 1\n")
    assert client.diagnostics(uri, version=1) == []
    other = uri_of(workspace / "pkg" / "other.py")
    client.open(other, "y = 2\n")
    client.diagnostics(other)  # everything sent about big.py before this has arrived
    ours = [params["diagnostics"] for params in client.published if params["uri"] == uri]
    closed = ours.index([])  # what the close cleared
    assert all(diagnostics == [] for diagnostics in ours[closed:]), ours


def test_a_save_right_after_a_change_still_updates_the_modules_that_read_it(client: LanguageClient, workspace: Path):
    app = uri_of(workspace / "pkg" / "app.py")
    client.open(app, USES_CONNECT)
    assert client.diagnostics(app, version=1) == []  # net.py does not exist yet
    for number in range(3):  # keep the lint thread busy
        client.open(uri_of(workspace / f"busy{number}.py"), SLOW)
    net = workspace / "pkg" / "net.py"
    net.write_text(CONNECT)
    client.open(uri_of(net), NOT_A_RESOURCE)
    client.change(uri_of(net), CONNECT, 2)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(net)}})  # before its lint has run
    assert codes(client.diagnostics(app, version=1, timeout=60)) == ["LL303"]


def test_no_error_is_logged_when_queued_lints_are_dropped_at_shutdown(workspace: Path):
    client = LanguageClient(cwd=str(workspace))
    client.initialize(uri_of(workspace))
    for number in range(6):
        client.open(uri_of(workspace / f"m{number}.py"), SLOW)
    assert client.close() == 0
    logged = []
    while not client.notifications.empty():
        message = client.notifications.get()
        if message.get("method") == "window/logMessage":
            logged.append(message["params"])
    assert not [entry for entry in logged if entry["type"] == 1], logged


def test_no_ignore_action_for_what_noqa_cannot_silence(client: LanguageClient, workspace: Path):
    uri = uri_of(workspace / "pkg" / "broken.py")
    client.open(uri, "x = '''abc\n")
    diagnostics = client.diagnostics(uri)
    assert codes(diagnostics) == ["LL001"]
    assert actions_for(client, uri, diagnostics, only=["quickfix"]) == []


@pytest.mark.parametrize(
    ("encoding", "character"), [(UTF16, 12), (UTF8, 15), (UTF32, 11)]
)
def test_positions_in_each_encoding(encoding, character):
    index = LineIndex("x = 1\ny = ('\U0001F600é', open(p))\n", encoding)
    # open( is at column 12 (1-based) of line 2: after "y = ('", an emoji, "é', ".
    assert index.to_client(2, 12) == (1, character)
    assert index.from_client(1, character) == (2, 12)


def test_positions_past_the_end_are_the_end():
    index = LineIndex("a = 1\nb = 2")
    assert index.to_client(9, 1) == (1, 5)
    assert index.from_client(9, 0) == (2, 6)
