"""Known-answer vectors for request signing (WIRE.md section 2, PARITY.md 6.1)."""

from __future__ import annotations

import string
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloudstack_driver.http.signing import encode_value, expires_stamp, sign, string_to_sign


def _params(**extra: str) -> dict[str, str]:
    return {"response": "json", "apiKey": "KEY", **extra}


WIRE_VECTORS = [
    pytest.param(_params(command="listZones"), "oW4LJwZ7g1v4YmFMYq7Yap6JAnw=", id="listZones"),
    pytest.param(
        _params(command="deployVirtualMachine", name="a b*c", displayname="x+y/z=1&2"),
        "VB1eszwKHAaB3ohoSaynHW+fwZs=",
        id="space-star-plus-slash",
    ),
    pytest.param(
        _params(command="addHost", password="Of4N~H$JP9"),
        "FPEllJzXSvHzohmkbF8JRmTImOM=",
        id="tilde",
    ),
    pytest.param(
        _params(command="createTags", **{"tags[0].key": "k", "tags[0].value": "v[1]"}),
        "LOaOpWkMHsP/pPCr7V2Ks0vSgvU=",
        id="brackets",
    ),
    pytest.param(
        _params(command="updateVirtualMachine", displayname="héllo 日本"),
        "dnLb2cBdE/VUrarI5hkmGg/iVis=",
        id="utf8",
    ),
    pytest.param(
        _params(command="listZones", signatureVersion="3", expires="2026-01-01T00:00:00+0000"),
        "F3IR2A9rARmqPThc6G/gYHQn4Ks=",
        id="version3",
    ),
]


@pytest.mark.parametrize(("params", "expected"), WIRE_VECTORS)
def test_wire_known_answers(params: dict[str, str], expected: str) -> None:
    assert sign(params, "SECRET") == expected


def test_string_to_sign_of_the_tilde_vector() -> None:
    params = _params(command="addHost", password="Of4N~H$JP9")
    assert string_to_sign(params) == (
        "apikey=key&command=addhost&password=of4n%7eh%24jp9&response=json"
    )


def test_signature_parameter_takes_no_part() -> None:
    params = _params(command="listZones")
    assert sign({**params, "signature": "whatever"}, "SECRET") == "oW4LJwZ7g1v4YmFMYq7Yap6JAnw="


LIBCLOUD_DEPLOY = {
    "command": "deployVirtualMachine",
    "name": "fred",
    "displayname": "George",
    "serviceofferingid": "5",
    "templateid": "17",
    "zoneid": "23",
    "networkids": "42",
}

LIBCLOUD_VECTORS = [
    pytest.param({"command": "listVirtualMachines"}, "z/a9Y7J52u48VpqIgiwaGUMCso0=", id="list"),
    pytest.param(LIBCLOUD_DEPLOY, "gHTo7mYmadZ+zluKHzlEKb1i/QU=", id="deploy"),
    pytest.param(
        {**LIBCLOUD_DEPLOY, "displayname": "George+Ringo"},
        "tAgfrreI1ZvWlWLClD3gu4+aKv4=",
        id="deploy-plus",
    ),
]


@pytest.mark.parametrize(("params", "expected"), LIBCLOUD_VECTORS)
def test_libcloud_known_answers(params: dict[str, str], expected: str) -> None:
    signed = {**params, "apiKey": "fnord", "response": "json"}
    assert sign(signed, "abracadabra") == expected


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("AZaz09.-*_", "AZaz09.-*_"),
        ("a b", "a%20b"),
        ("a+b", "a%2Bb"),
        ("~", "%7E"),
        ("[1]", "%5B1%5D"),
        ("é", "%C3%A9"),
        ("日", "%E6%97%A5"),
        ("/=&?%", "%2F%3D%26%3F%25"),
        ("", ""),
    ],
)
def test_encode_value_matches_java_urlencoder(value: str, encoded: str) -> None:
    assert encode_value(value) == encoded


def test_names_are_sorted_as_given_and_not_encoded() -> None:
    text = string_to_sign({"b": "1", "a[0].Key": "x y", "A": "2"})
    assert text == "a=2&a[0].key=x%20y&b=1"


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@given(st.text())
def test_signed_string_decodes_back_to_the_value(value: str) -> None:
    text = string_to_sign({"apiKey": "K", "command": "c", "value": value})
    parts = dict(part.split("=", 1) for part in text.split("&"))
    assert set(parts) == {"apikey", "command", "value"}
    # Encoding leaves only A-Z a-z 0-9 . - * _ and %XX, so the lower-casing touches ASCII only.
    assert set(parts["value"]) <= set(string.ascii_lowercase + string.digits + ".-*_%")
    assert urllib.parse.unquote(parts["value"]) == value.translate(_ASCII_LOWER)


def test_expires_stamp_is_utc_with_plus0000() -> None:
    now = datetime(2025, 12, 31, 23, 50, tzinfo=timezone.utc)
    assert expires_stamp(now, 600) == "2026-01-01T00:00:00+0000"


def test_expires_stamp_converts_other_zones_and_takes_naive_as_utc() -> None:
    paris = timezone(timedelta(hours=1))
    assert expires_stamp(datetime(2026, 1, 1, 1, 0, tzinfo=paris), 30) == (
        "2026-01-01T00:00:30+0000"
    )
    assert expires_stamp(datetime(2026, 1, 1), 0) == "2026-01-01T00:00:00+0000"
