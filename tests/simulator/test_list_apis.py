"""``listApis``: the implemented commands, described by the 4.18 dump, over real HTTP."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cs import CloudStack
from cs.client import CloudStackApiException
from sim_helpers import Api, body

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.errors import ServerError
from cloudstack_driver.simulator import Simulator, spec
from cloudstack_driver.simulator.registry import COMMANDS

NOT_FOUND = "Api Discovery plugin was unable to find an api by that name or process any apis"


def _extra_fields(items: list[dict[str, Any]], allowed: dict[str, Any]) -> set[str]:
    """Keys of ``items`` (and of their nested lists) that the spec does not list."""
    extra: set[str] = set()
    for item in items:
        extra |= set(item) - set(allowed)
        for key, value in item.items():
            if isinstance(value, list) and isinstance(allowed.get(key), dict):
                extra |= {f"{key}.{k}" for k in _extra_fields(value, allowed[key])}
    return extra


def test_lists_every_implemented_command_as_the_dump_describes_it(api: Api) -> None:
    response = api("listApis")
    assert response.status_code == 200
    inner = response.json()["listapisresponse"]
    assert set(inner) == {"count", "api"}
    assert inner["count"] == len(inner["api"]) == len(COMMANDS)
    assert {a["name"] for a in inner["api"]} == set(COMMANDS)
    assert all(a == spec.api(a["name"]) for a in inner["api"])


def test_every_field_at_every_depth_is_a_listapis_field(api: Api) -> None:
    items = body(api("listApis"))["api"]
    allowed = copy.deepcopy(spec.response_fields("listApis"))  # the spec's copy is shared
    # response fields nest: a field's own "response" is described like the field itself
    allowed["response"]["response"] = allowed["response"]
    assert _extra_fields(items, allowed) == set()


def test_name_picks_one_command(api: Api) -> None:
    inner = body(api("listApis", name="deployVirtualMachine"))
    assert inner["count"] == 1
    (entry,) = inner["api"]
    assert (entry["name"], entry["isasync"]) == ("deployVirtualMachine", True)
    assert {p["name"] for p in entry["params"]} == spec.param_names("deployVirtualMachine")
    assert {p["name"] for p in entry["params"] if p["required"]} == {
        "serviceofferingid", "templateid", "zoneid"}


@pytest.mark.parametrize("name", ["launchRocket", "createZone", "listzones"],
                         ids=["unknown", "not-implemented", "wrong-case"])
def test_a_name_it_cannot_list_is_the_servers_530(api: Api, name: str) -> None:
    response = api("listApis", name=name)
    assert response.status_code == 530
    assert response.json() == {"listapisresponse": {
        "uuidList": [], "errorcode": 530, "cserrorcode": 9999, "errortext": NOT_FOUND}}


def test_the_cs_client_reads_it(sim: Simulator) -> None:
    client = CloudStack(endpoint=sim.url, key=sim.api_key, secret=sim.secret_key, timeout=30)
    one = client.listApis(name="listZones")
    assert one["count"] == 1 and one["api"][0]["name"] == "listZones"
    assert {a["name"] for a in client.listApis()["api"]} == set(COMMANDS)
    with pytest.raises(CloudStackApiException) as info:
        client.listApis(name="createZone")
    assert info.value.error["errorcode"] == 530
    assert info.value.error["errortext"] == NOT_FOUND


def test_our_connections_escape_hatch_reads_it(cloudstack_driver: CloudStackNodeDriver) -> None:
    answer = cloudstack_driver.connection.request("listApis", name="listZones")
    assert answer["count"] == 1
    assert answer["api"][0]["related"] == spec.api("listZones")["related"]
    assert len(cloudstack_driver.connection.list("listApis")) == len(COMMANDS)
    with pytest.raises(ServerError) as info:
        cloudstack_driver.connection.request("listApis", name="createZone")
    assert (info.value.errorcode, info.value.cserrorcode, info.value.errortext) == (
        530, 9999, NOT_FOUND)
