"""Facts that live in another module of the project: factories and base classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write

NET = '''\
import socket


def connect(address):
    return socket.create_connection(address)


class ClosingBase:
    def close(self):
        self.sock.close()


class PlainBase:
    def describe(self):
        return "plain"
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "app" / "__init__.py")
    write(tmp_path / "app" / "net.py", NET)
    return tmp_path


def lint(cli, path: Path):
    run = cli("--isolated", "--format", "json", str(path))
    assert run.code in (0, 1), run.err
    return sorted((finding["line"], finding["code"]) for finding in run.findings)


@pytest.mark.parametrize(
    "importing",
    [
        "from .net import connect\n",
        "from app.net import connect\n",
        "from .net import connect as connect\n",
    ],
)
def test_a_factory_imported_from_another_module_allocates(cli, project, importing):
    user = write(
        project / "app" / "user.py",
        importing + "\n\ndef ping(address):\n    s = connect(address)\n    s.sendall(b'x')\n",
    )
    assert lint(cli, user) == [(5, "LL301")]


def test_a_factory_reached_through_its_module_allocates(cli, project):
    user = write(
        project / "app" / "user.py",
        "from . import net\n\n\ndef ping(address):\n    s = net.connect(address)\n    s.sendall(b'x')\n",
    )
    assert lint(cli, user) == [(5, "LL301")]


def test_an_imported_factory_used_correctly_is_clean(cli, project):
    user = write(
        project / "app" / "user.py",
        "from .net import connect\n\n\ndef ping(address):\n    with connect(address) as s:\n        s.sendall(b'x')\n",
    )
    assert lint(cli, user) == []


def test_a_library_function_of_the_same_name_is_not_a_factory(cli, tmp_path):
    # ``connect`` comes from outside the project: nothing is known of it.
    user = write(tmp_path / "user.py", "from sqlite9 import connect\n\n\ndef f(a):\n    s = connect(a)\n    s.x()\n")
    assert lint(cli, user) == []


CLASSES = '''\
import socket
from .net import ClosingBase, PlainBase
from . import net


class Closed(ClosingBase):
    def open(self, address):
        self.sock = socket.create_connection(address)


class Leaky(PlainBase):
    def open(self, address):
        self.sock = socket.create_connection(address)  # 13


class LeakyToo(net.PlainBase):
    def open(self, address):
        self.sock = socket.create_connection(address)  # 18


class FromALibrary(socketserver.BaseServer):
    def open(self, address):
        self.sock = socket.create_connection(address)
'''


def test_base_classes_in_other_modules_are_followed(cli, project):
    user = write(project / "app" / "classes.py", CLASSES)
    assert lint(cli, user) == [(13, "LL305"), (18, "LL305")]


def test_project_modules_are_read_never_imported(cli, tmp_path: Path):
    """The package and the module a fact is read from have side effects on
    import; linting reads them (the factory is found) and runs none of it."""
    marker = tmp_path / "imported"
    effect = f"open({str(marker)!r}, 'w').close()\n"
    write(tmp_path / "app" / "__init__.py", effect)
    write(tmp_path / "app" / "net.py", effect + NET)
    write(tmp_path / "app" / "client.py", "from app.net import connect\n\ndef ping(a):\n    s = connect(a)\n    s.send(b'x')\n")
    assert lint(cli, tmp_path / "app" / "client.py") == [(4, "LL301")]
    assert not marker.exists()
