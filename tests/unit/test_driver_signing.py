"""WIRE.md section 2 known-answer vectors, signed by the public driver and captured on the wire."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from cloudstack_driver import CloudStackNodeDriver

URL = "http://cs.test/client/api"  # the URL cs_mock answers

pytestmark = pytest.mark.usefixtures("cs_mock")


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
def test_version_2_vectors(cs_router: Any, command: str, params: dict[str, Any],
                           signature: str) -> None:
    cs_router.answer(command, {"jobid": "j1", "id": "x1"})
    driver = v2_driver()
    answer = driver.connection.request(command, wait=False, **params)
    assert answer["jobid"] == "j1"
    [sent] = cs_router.sent(command)
    assert sent["signature"] == signature
    assert "signatureVersion" not in sent and "expires" not in sent


def test_version_3_vector(cs_router: Any) -> None:
    cs_router.answer("listZones", {})
    driver = CloudStackNodeDriver("KEY", "SECRET", url=URL)
    # The connection's wall clock is injectable; 600 s (the default) before the vector's
    # expiry instant.
    driver.connection._utcnow = lambda: datetime(2025, 12, 31, 23, 50, tzinfo=timezone.utc)
    driver.connection.request("listZones")
    [sent] = cs_router.sent("listZones")
    assert sent["signatureVersion"] == "3"
    assert sent["expires"] == "2026-01-01T00:00:00+0000"
    assert sent["signature"] == "F3IR2A9rARmqPThc6G/gYHQn4Ks="


def test_driver_methods_are_signed_too(cs_router: Any) -> None:
    cs_router.answer("listZones", {})
    driver = v2_driver()
    assert driver.list_locations() == []
    [sent] = cs_router.sent("listZones")
    assert sent["apiKey"] == "KEY" and sent["response"] == "json"
    assert sent["signature"]
    assert "SECRET" not in str(sent)
