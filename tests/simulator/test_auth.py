"""Signature verification: WIRE.md section 2, against an independent signer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from sim_helpers import KEY, Api, body, sign, signed

from cloudstack_driver.simulator import Simulator
from cloudstack_driver.simulator.auth import AUTH_FAILED, signature_for

VECTORS = [
    ({"command": "listZones", "response": "json", "apiKey": "KEY"},
     "oW4LJwZ7g1v4YmFMYq7Yap6JAnw="),
    ({"command": "addHost", "response": "json", "apiKey": "KEY", "password": "Of4N~H$JP9"},
     "FPEllJzXSvHzohmkbF8JRmTImOM="),
    ({"command": "createTags", "response": "json", "apiKey": "KEY", "tags[0].key": "k",
      "tags[0].value": "v[1]"}, "LOaOpWkMHsP/pPCr7V2Ks0vSgvU="),
    ({"command": "updateVirtualMachine", "response": "json", "apiKey": "KEY",
      "displayname": "héllo 日本"}, "dnLb2cBdE/VUrarI5hkmGg/iVis="),
]


def test_known_answer_vectors() -> None:
    for params, expected in VECTORS:
        assert signature_for(params, "SECRET") == expected
        assert sign(params, "SECRET") == expected


def test_right_secret_is_accepted(sim: Simulator) -> None:
    response = requests.get(sim.url, params=signed("listZones"), timeout=10)
    assert response.status_code == 200
    assert body(response)["count"] == 2


def test_wrong_secret_gets_401_with_cloudstack_body(sim: Simulator) -> None:
    response = requests.get(sim.url, params=signed("listZones", "WRONG"), timeout=10)
    assert response.status_code == 401
    # ApiServlet writes a 401 from the code alone (getSerializedApiError(int, ...)): no cserrorcode
    assert response.json() == {"listzonesresponse": {
        "uuidList": [], "errorcode": 401, "errortext": AUTH_FAILED}}


def test_unknown_key_gets_401(sim: Simulator) -> None:
    params = {"command": "listZones", "response": "json", "apiKey": "OTHER"}
    params["signature"] = sign(params)
    response = requests.get(sim.url, params=params, timeout=10)
    assert response.status_code == 401


def test_missing_signature_gets_401(sim: Simulator) -> None:
    response = requests.get(sim.url, params={"command": "listZones", "response": "json",
                                             "apiKey": KEY}, timeout=10)
    assert response.status_code == 401


def test_v3_valid_expires_is_accepted(sim: Simulator) -> None:
    response = requests.get(sim.url, params=signed("listZones", v3=True), timeout=10)
    assert response.status_code == 200


def _v3(expires: datetime) -> dict[str, str]:
    params = {"command": "listZones", "response": "json", "apiKey": KEY,
              "signatureVersion": "3", "expires": expires.strftime("%Y-%m-%dT%H:%M:%S+0000")}
    params["signature"] = sign(params)
    return params


def test_v3_expired_gets_401(sim: Simulator) -> None:
    past = datetime.now(timezone.utc) - timedelta(seconds=5)
    response = requests.get(sim.url, params=_v3(past), timeout=10)
    assert response.status_code == 401
    assert body(response)["errortext"] == AUTH_FAILED


def test_v3_too_far_ahead_gets_401(sim: Simulator) -> None:
    future = datetime.now(timezone.utc) + timedelta(minutes=20)
    assert requests.get(sim.url, params=_v3(future), timeout=10).status_code == 401


def test_v3_unparsable_expires_gets_401(sim: Simulator) -> None:
    params = {"command": "listZones", "response": "json", "apiKey": KEY,
              "signatureVersion": "3", "expires": "tomorrow"}
    params["signature"] = sign(params)
    assert requests.get(sim.url, params=params, timeout=10).status_code == 401


def test_v3_without_expires_gets_401(sim: Simulator) -> None:
    params = {"command": "listZones", "response": "json", "apiKey": KEY, "signatureVersion": "3"}
    params["signature"] = sign(params)
    assert requests.get(sim.url, params=params, timeout=10).status_code == 401


def test_awkward_characters_accepted_when_signed(api: Api) -> None:
    text = "a~b [c] *d+e/f=g&h é日本"
    for post in (False, True):
        response = api("listZones", post=post, keyword=text)
        assert response.status_code == 200, response.text
        assert body(response) == {}


def test_tampered_value_gets_401(sim: Simulator) -> None:
    params = signed("listZones", keyword="abc")
    params["keyword"] = "abd"
    assert requests.get(sim.url, params=params, timeout=10).status_code == 401


def test_fresh_keys_when_none_given() -> None:
    one, two = Simulator(), Simulator()
    assert one.api_key != two.api_key
    assert one.secret_key != two.secret_key
    assert len(one.secret_key) >= 40


def test_given_keys_used_as_is() -> None:
    server = Simulator(api_key="K1", secret_key="S1")
    assert (server.api_key, server.secret_key) == ("K1", "S1")
