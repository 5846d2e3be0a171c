"""Shared pytest fixtures."""
import os
import tempfile

import pytest


@pytest.fixture
def cleandir():
    newpath = tempfile.mkdtemp()  # leak
    os.chdir(newpath)


@pytest.fixture
def shared_datadir():
    return os.path.join(os.path.dirname(__file__), "test data")


@pytest.fixture
def pyu(cleandir):
    from types import SimpleNamespace

    config = {"APP_NAME": "Acme", "COMPANY_NAME": "Acme Inc", "UPDATE_PATCHES": True}
    return SimpleNamespace(config=config, cwd=os.getcwd())
