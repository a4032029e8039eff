"""The server's parameter processing (ParamProcessWorker): ids that name nothing, and dates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import requests
from sim_helpers import Api, body, run

from cloudstack_driver.simulator import params
from cloudstack_driver.simulator.seed import BASIC_ZONE_ID, TINY_LINUX_ID, seed
from cloudstack_driver.simulator.state import Cloud

SMALL_DISK = "d1b2c3a4-0001-4a00-8000-0000000000a1"
TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"


def _no_entity(low: str, name: str, value: str) -> str:
    return (f"Unable to execute API command {low} due to invalid value. Invalid parameter "
            f"{name} value={value} due to incorrect long value format, or entity does not exist "
            "or due to incorrect parameter annotation for the field in api cmd class.")


def _refused(response: requests.Response, envelope: str, errortext: str) -> None:
    assert response.status_code == 431
    assert response.json() == {envelope: {"uuidList": [], "errorcode": 431,
                                          "cserrorcode": 9999, "errortext": errortext}}


# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "name", "extra"), [
    ("listVirtualMachines", "id", {}),
    ("listVolumes", "virtualmachineid", {}),
    ("listTemplates", "id", {"templatefilter": "executable"}),
    ("deployVirtualMachine", "templateid", {"zoneid": BASIC_ZONE_ID, "serviceofferingid": TINY}),
    ("deleteNetwork", "id", {}),
    ("deletePortForwardingRule", "id", {}),
])
def test_a_well_formed_uuid_naming_nothing_is_431(api: Api, command: str, name: str,
                                                  extra: dict[str, str]) -> None:
    ghost = str(uuid.uuid4())
    _refused(api(command, **extra, **{name: ghost}), f"{command.lower()}response",
             _no_entity(command.lower(), name, ghost))


def test_a_commands_id_names_its_own_kind_of_entity() -> None:
    rules = params.id_tables("listFirewallRules")  # one table of rules on the server
    assert "portforwardingrule" in rules
    assert params.id_tables("deletePortForwardingRule") == rules
    assert params.id_tables("resetPasswordForVirtualMachine") == params.id_tables(
        "startVirtualMachine") == ("virtualmachine", "router")
    assert params.id_tables("revokeSecurityGroupIngress") == ()  # a rule id: not looked up


def test_errors_name_the_command_by_its_response_name(api: Api) -> None:
    ghost = str(uuid.uuid4())
    _refused(api("restoreVirtualMachine", virtualmachineid=ghost), "restorevmresponse",
             _no_entity("restorevm", "virtualmachineid", ghost))


def test_every_id_of_a_list_parameter_is_looked_up(api: Api) -> None:
    vm = run(api, "deployVirtualMachine", zoneid=BASIC_ZONE_ID, templateid=TINY_LINUX_ID,
             serviceofferingid=TINY)["virtualmachine"]
    assert body(api("listVirtualMachines", ids=vm["id"]))["count"] == 1
    ghost = str(uuid.uuid4())
    _refused(api("listVirtualMachines", ids=f"{vm['id']},{ghost}"),
             "listvirtualmachinesresponse", _no_entity("listvirtualmachines", "ids", ghost))


def test_ids_that_exist_pass_whatever_their_case(api: Api) -> None:
    assert [z["id"] for z in body(api("listZones", id=BASIC_ZONE_ID.upper()))["zone"]] == [
        BASIC_ZONE_ID]
    templates = body(api("listTemplates", templatefilter="executable", id=TINY_LINUX_ID))
    assert {t["id"] for t in templates["template"]} == {TINY_LINUX_ID}


def test_minus_one_and_unmodelled_kinds_pass(api: Api) -> None:
    assert api("listVirtualMachines", projectid="-1").json() == {"listvirtualmachinesresponse": {}}
    # hosts are not modelled: their ids are not looked up
    assert body(api("listVirtualMachines", hostid=str(uuid.uuid4()))) == {}


def test_a_newer_parameter_drops_what_is_not_a_lower_case_uuid(api: Api) -> None:
    plain = body(api("listPublicIpAddresses"))
    ghost = str(uuid.uuid4())
    assert body(api("listPublicIpAddresses", networkid=ghost.upper())) == plain
    _refused(api("listPublicIpAddresses", networkid=ghost), "listpublicipaddressesresponse",
             _no_entity("listpublicipaddresses", "networkid", ghost))


def test_removed_rows_the_server_keeps_still_resolve(api: Api) -> None:
    volume = run(api, "createVolume", name="data", zoneid=BASIC_ZONE_ID,
                 diskofferingid=SMALL_DISK)["volume"]
    assert run(api, "deleteVolume", id=volume["id"]) == {"success": True}
    # a volume row is kept (marked removed): the id resolves, the list is empty
    assert api("listVolumes", id=volume["id"]).json() == {"listvolumesresponse": {}}


def test_deleted_rows_the_server_drops_do_not_resolve(api: Api) -> None:
    group = run(api, "createSecurityGroup", name="web")["securitygroup"]
    assert body(api("listSecurityGroups", id=group["id"]))["count"] == 1
    assert run(api, "deleteSecurityGroup", id=group["id"]) == {"success": True}
    _refused(api("listSecurityGroups", id=group["id"]), "listsecuritygroupsresponse",
             _no_entity("listsecuritygroups", "id", group["id"]))


# -- dates ----------------------------------------------------------------------------------


def _bad_date(value: str) -> str:
    return (f"Unable to parse date {value} for command listasyncjobs, please pass dates in the "
            "format mentioned in the api documentation")


@pytest.mark.parametrize("value", ["2024-02-29", "2024-02-29 23:59:59",
                                   "2024-02-29T00:00:00+0000", " 2024-2-9", "2024-12-31junk"])
def test_dates_the_server_parses(api: Api, value: str) -> None:
    assert api("listAsyncJobs", startdate=value).status_code == 200


@pytest.mark.parametrize("value", ["yesterday", "2023-02-29", "2024-13-01", "2024-00-10",
                                   "2024-04-31", "29/02/2024", "0-01-01", "+2024-01-01"])
def test_dates_the_server_refuses(api: Api, value: str) -> None:
    _refused(api("listAsyncJobs", startdate=value), "listasyncjobsresponse", _bad_date(value))


def test_list_async_jobs_compares_the_date_alone(api: Api) -> None:
    job = body(api("deployVirtualMachine", post=True, zoneid=BASIC_ZONE_ID,
                   templateid=TINY_LINUX_ID, serviceofferingid=TINY))["jobid"]
    created = next(j for j in body(api("listAsyncJobs"))["asyncjobs"] if j["jobid"] == job)
    day = date.fromisoformat(created["created"][:10])
    # the time of day is ignored: the whole day counts
    late = body(api("listAsyncJobs", startdate=f"{day} 23:59:59"))
    assert job in {j["jobid"] for j in late["asyncjobs"]}
    assert body(api("listAsyncJobs", startdate=str(day + timedelta(days=1)))) == {}


def test_event_commands_also_take_a_time() -> None:
    cloud = Cloud(api_key="k", secret_key="s")
    seed(cloud)
    for command, value, seen in [
            ("listEvents", "2024-01-02 03:04:05", "2024-01-02 03:04:05"),
            ("listEvents", "2024-01-02T03:04:05", "2024-01-02"),
            ("listAsyncJobs", "2024-01-02 03:04:05", "2024-01-02")]:
        given = {"startdate": value}
        params.process(cloud, command, command.lower(), given)
        assert given == {"startdate": seen}
