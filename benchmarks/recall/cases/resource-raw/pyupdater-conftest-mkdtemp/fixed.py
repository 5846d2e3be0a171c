"""Shared pytest fixtures."""
import os

import pytest


@pytest.fixture
def cleandir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def shared_datadir():
    return os.path.join(os.path.dirname(__file__), "test data")


@pytest.fixture
def pyu(cleandir):
    from types import SimpleNamespace

    config = {"APP_NAME": "Acme", "COMPANY_NAME": "Acme Inc", "UPDATE_PATCHES": True}
    return SimpleNamespace(config=config, cwd=os.getcwd())
