"""Networking over real HTTP: a VPC built and torn down, and zone-type rules."""

from __future__ import annotations

from typing import Any

from sim_helpers import Api, body, wait_job

from cloudstack_driver.simulator.seed import ADVANCED_ZONE_ID, BASIC_ZONE_ID, TINY_LINUX_ID

_LISTS = {"listVPCs": "vpc", "listNetworks": "network", "listPublicIpAddresses":
          "publicipaddress", "listPortForwardingRules": "portforwardingrule",
          "listNetworkACLLists": "networkacllist", "listNetworkACLs": "networkacl",
          "listRouters": "router", "listVirtualMachines": "virtualmachine",
          "listFirewallRules": "firewallrule"}


def _ids(api: Api) -> dict[str, set[str]]:
    return {cmd: {item["id"] for item in body(api(cmd)).get(key, [])}
            for cmd, key in _LISTS.items()}


def _run(api: Api, command: str, **params: Any) -> dict[str, Any]:
    """POST a command; for an async one wait for its job and return ``jobresult``."""
    answer = api(command, post=True, **params)
    assert answer.status_code == 200, answer.text
    inner = body(answer)
    if "jobid" not in inner:
        return inner
    job = wait_job(api, inner["jobid"])
    assert job["jobstatus"] == 1, job
    result: dict[str, Any] = job["jobresult"]
    if "id" in inner:
        assert next(iter(result.values()))["id"] == inner["id"]
    return result


def _error(api: Api, command: str, **params: Any) -> tuple[int, int]:
    answer = api(command, post=True, **params)
    inner = body(answer)
    assert answer.status_code == inner["errorcode"]
    return inner["errorcode"], inner["cserrorcode"]


def test_vpc_with_two_tiers_built_and_torn_down(api: Api) -> None:
    before = _ids(api)
    offering = body(api("listVPCOfferings"))["vpcoffering"][0]["id"]
    vpc = _run(api, "createVPC", name="shop", displaytext="shop", cidr="10.20.0.0/16",
               zoneid=ADVANCED_ZONE_ID, vpcofferingid=offering)["vpc"]
    acl = _run(api, "createNetworkACLList", name="web", vpcid=vpc["id"])["networkacllist"]
    _run(api, "createNetworkACL", aclid=acl["id"], protocol="tcp", startport=22, endport=22,
         cidrlist="0.0.0.0/0", action="allow", traffictype="ingress")
    tier_offering = body(api("listNetworkOfferings", forvpc="true"))["networkoffering"][0]["id"]
    tiers = [_run(api, "createNetwork", name=f"tier{n}", displaytext=f"tier{n}",
                  zoneid=ADVANCED_ZONE_ID, networkofferingid=tier_offering, vpcid=vpc["id"],
                  gateway=f"10.20.{n}.1", netmask="255.255.255.0", aclid=acl["id"])["network"]
             for n in (1, 2)]
    size = body(api("listServiceOfferings"))["serviceoffering"][0]["id"]
    vm = _run(api, "deployVirtualMachine", zoneid=ADVANCED_ZONE_ID, templateid=TINY_LINUX_ID,
              serviceofferingid=size, networkids=tiers[0]["id"])["virtualmachine"]
    assert vm["nic"][0]["ipaddress"].startswith("10.20.1.")
    ip = _run(api, "associateIpAddress", vpcid=vpc["id"])["ipaddress"]
    rule = _run(api, "createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                publicport=2222, privateport=22, virtualmachineid=vm["id"],
                networkid=tiers[0]["id"])["portforwardingrule"]
    assert rule["vmguestip"] == vm["nic"][0]["ipaddress"]
    listed = body(api("listVPCs", id=vpc["id"]))["vpc"][0]
    assert {n["id"] for n in listed["network"]} == {t["id"] for t in tiers}
    jobid = body(api("deleteVPC", post=True, id=vpc["id"]))["jobid"]
    refused = wait_job(api, jobid)  # tiers still exist: the job fails
    assert (refused["jobstatus"], refused["jobresult"]["errorcode"]) == (2, 431)

    _run(api, "deletePortForwardingRule", id=rule["id"])
    _run(api, "disassociateIpAddress", id=ip["id"])
    _run(api, "destroyVirtualMachine", id=vm["id"], expunge="true")
    for tier in tiers:
        _run(api, "deleteNetwork", id=tier["id"])
    _run(api, "deleteNetworkACLList", id=acl["id"])
    _run(api, "deleteVPC", id=vpc["id"])
    assert _ids(api) == before


def test_basic_zone_refuses_advanced_networking(api: Api) -> None:
    offering = body(api("listVPCOfferings"))["vpcoffering"][0]["id"]
    assert _error(api, "createVPC", name="v", displaytext="v", cidr="10.0.0.0/16",
                  zoneid=BASIC_ZONE_ID, vpcofferingid=offering) == (431, 4350)
    assert _error(api, "associateIpAddress", zoneid=BASIC_ZONE_ID) == (431, 4350)
    isolated = body(api("listNetworkOfferings", guestiptype="Isolated", forvpc="false"))
    assert _error(api, "createNetwork", name="n", displaytext="n", zoneid=BASIC_ZONE_ID,
                  networkofferingid=isolated["networkoffering"][0]["id"]) == (431, 4350)


def test_advanced_zone_refuses_security_groups_at_deploy(api: Api) -> None:
    size = body(api("listServiceOfferings"))["serviceoffering"][0]["id"]
    assert _error(api, "deployVirtualMachine", zoneid=ADVANCED_ZONE_ID, templateid=TINY_LINUX_ID,
                  serviceofferingid=size, securitygroupnames="default") == (431, 4350)


def test_security_group_rules_over_http(api: Api) -> None:
    _run(api, "createSecurityGroup", name="web")
    rules = _run(api, "authorizeSecurityGroupIngress", securitygroupname="web", protocol="tcp",
                 startport=80, endport=80, cidrlist="0.0.0.0/0")["securitygroup"]["ingressrule"]
    group = body(api("listSecurityGroups", securitygroupname="web"))["securitygroup"][0]
    assert [r["ruleid"] for r in group["ingressrule"]] == [rules[0]["ruleid"]]
    _run(api, "revokeSecurityGroupIngress", id=rules[0]["ruleid"])
    assert _run(api, "deleteSecurityGroup", name="web") == {"success": True}
