"""WIRE.md section 2 known-answer vectors, signed by the public driver and captured on the wire."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import requests_mock

from cloudstack_driver import CloudStackNodeDriver

URL = "http://cs.test/client/api"


@pytest.fixture
def wire(cs_router: Any) -> Iterator[Any]:
    with requests_mock.Mocker() as mocker:
        mocker.register_uri(requests_mock.ANY, URL, json=cs_router)
        yield cs_router


def v2_driver() -> CloudStackNodeDriver:
    return CloudStackNodeDriver("KEY", "SECRET", url=URL, signature_version=2)


@pytest.mark.parametrize(
    ("command", "params", "signature"),
    [
        ("listZones", {}, "oW4LJwZ7g1v4YmFMYq7Yap6JAnw="),
        ("deployVirtualMachine", {"name": "a b*c", "displayname": "x+y/z=1&2"},
         "VB1eszwKHAaB3ohoSaynHW+fwZs="),
        ("addHost", {"password": "Of4N~H$JP9"}, "FPEllJzXSvHzohmkbF8JRmTImOM="),
        ("createTags", {"tags": [{"key": "k", "value": "v[1]"}]},
         "LOaOpWkMHsP/pPCr7V2Ks0vSgvU="),
        ("updateVirtualMachine", {"displayname": "héllo 日本"},
         "dnLb2cBdE/VUrarI5hkmGg/iVis="),
    ],
)
def test_version_2_vectors(wire: Any, command: str, params: dict[str, Any],
                           signature: str) -> None:
    wire.answer(command, {"jobid": "j1", "id": "x1"})
    driver = v2_driver()
    answer = driver.connection.request(command, wait=False, **params)
    assert answer["jobid"] == "j1"
    [sent] = wire.sent(command)
    assert sent["signature"] == signature
    assert "signatureVersion" not in sent and "expires" not in sent


def test_version_3_vector(wire: Any) -> None:
    wire.answer("listZones", {})
    driver = CloudStackNodeDriver("KEY", "SECRET", url=URL)
    # The connection's wall clock is injectable; 600 s (the default) before the vector's
    # expiry instant.
    driver.connection._utcnow = lambda: datetime(2025, 12, 31, 23, 50, tzinfo=timezone.utc)
    driver.connection.request("listZones")
    [sent] = wire.sent("listZones")
    assert sent["signatureVersion"] == "3"
    assert sent["expires"] == "2026-01-01T00:00:00+0000"
    assert sent["signature"] == "F3IR2A9rARmqPThc6G/gYHQn4Ks="


def test_driver_methods_are_signed_too(wire: Any) -> None:
    wire.answer("listZones", {})
    driver = v2_driver()
    assert driver.list_locations() == []
    [sent] = wire.sent("listZones")
    assert sent["apiKey"] == "KEY" and sent["response"] == "json"
    assert sent["signature"]
    assert "SECRET" not in str(sent)
