"""Test doubles that stand in for a library's network layer, by the module they stub.

A test that asks for one of these pytest fixtures, or runs under one of these
decorators or context managers, talks to the double: clients of the module
open no connection there.
"""

from __future__ import annotations

from typing import Mapping

# pytest fixtures, by parameter name: pytest-httpx, respx, requests-mock,
# pytest-aioresponses, responses' and pytest-responses' fixtures.
MOCKING_FIXTURES: Mapping[str, str] = {
    "httpx_mock": "httpx",
    "respx_mock": "httpx",
    "requests_mock": "requests",
    "responses": "requests",
    "mocked_responses": "requests",
    "aioresponses": "aiohttp",
    "mock_aioresponse": "aiohttp",
}

# Decorators and context managers, by the dotted name they are written with.
MOCKING_SCOPES: Mapping[str, str] = {
    "responses.activate": "requests",
    "responses.RequestsMock": "requests",
    "requests_mock.Mocker": "requests",
    "requests_mock.mock": "requests",
    "respx.mock": "httpx",
    "aioresponses": "aiohttp",
    "aioresponses.aioresponses": "aiohttp",
}
