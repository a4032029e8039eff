"""VPCs, offerings, routers, ACL lists and ACL rules: exact parameters and models."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import CloudStackProject, NodeLocation
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackNetwork,
    CloudStackNetworkACL,
    CloudStackNetworkACLList,
    CloudStackVPC,
    CloudStackVPCOffering,
)

VPC = {"id": "vpc-1", "name": "v", "displaytext": "V", "cidr": "10.0.0.0/16",
       "vpcofferingid": "vo-1", "zoneid": "z1", "zonename": "Advanced1", "state": "Enabled",
       "domainid": "5b9d1c2e-uuid", "networkdomain": "cs.internal", "created":
       "2026-07-29T11:18:10+0000"}


def test_list_vpcs_and_offerings(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVPCs", {"count": 1, "vpc": [VPC]})
    cs_answer("listVPCOfferings", {"count": 1, "vpcoffering": [
        {"id": "vo-1", "name": "Default VPC offering", "displaytext": "Default"}]})
    [vpc] = driver.ex_list_vpcs(project=CloudStackProject("p1", "p", "P", driver))
    assert wire(cs_sent("listVPCs")[0]) == {"projectid": "p1"}
    assert (vpc.id, vpc.name, vpc.cidr, vpc.vpc_offering_id, vpc.zone_id, vpc.display_text) == (
        "vpc-1", "v", "10.0.0.0/16", "vo-1", "z1", "V")
    assert vpc.extra["domain_id"] == "5b9d1c2e-uuid"  # never int() (D33)
    [offering] = driver.ex_list_vpc_offerings()
    assert isinstance(offering, CloudStackVPCOffering) and offering.name == "Default VPC offering"


def test_create_vpc_waits_for_its_job(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createVPC", {"vpc": VPC}, entity_id="vpc-1")
    offering = CloudStackVPCOffering("Default", "Default", "vo-1", driver)
    vpc = driver.ex_create_vpc("10.0.0.0/16", "V", "v", offering,
                               NodeLocation("z1", "Z", "Unknown", driver),
                               network_domain="cs.internal")
    assert wire(cs_sent("createVPC")[0]) == {
        "cidr": "10.0.0.0/16", "displaytext": "V", "name": "v", "vpcofferingid": "vo-1",
        "zoneid": "z1", "networkdomain": "cs.internal"}
    assert len(cs_sent("queryAsyncJobResult")) == 1  # D11
    assert vpc.extra["state"] == "Enabled" and vpc.extra["created"] == VPC["created"]


def test_delete_vpc(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("deleteVPC", {"success": True})
    assert CloudStackVPC("v", "vo-1", "vpc-1", "10.0.0.0/16", driver).delete() is True
    assert driver.ex_delete_vpc("vpc-1") is True
    assert [wire(p) for p in cs_sent("deleteVPC")] == [{"id": "vpc-1"}] * 2


def test_list_routers_tolerates_missing_fields(driver: Any, cs_answer: Any,
                                               cs_sent: Any) -> None:
    cs_answer("listRouters", {"count": 2, "router": [
        {"id": "r-1", "name": "r-1-VM", "state": "Running", "publicip": "203.0.113.9",
         "vpcid": "vpc-1"},
        {"id": "r-2", "name": "r-2-VM", "state": "Stopped"}]})
    one, two = driver.ex_list_routers(vpc_id="vpc-1")
    assert wire(cs_sent("listRouters")[0]) == {"vpcid": "vpc-1"}
    assert (one.public_ip, one.vpc_id, one.state) == ("203.0.113.9", "vpc-1", "Running")
    assert (two.public_ip, two.vpc_id) == (None, None)  # libcloud: KeyError (D6)


def test_acl_lists(driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    record = {"id": "acl-1", "name": "web", "vpcid": "vpc-1", "description": "web tier"}
    cs_answer_async("createNetworkACLList", {"networkacllist": record}, entity_id="acl-1")
    cs_answer("listNetworkACLLists", {"count": 2, "networkacllist": [
        record, {"id": "deny", "name": "default_deny", "description": "Deny All"}]})
    cs_answer_async("replaceNetworkACLList", {"success": True})
    cs_answer_async("deleteNetworkACLList", {"success": True})
    acl = driver.ex_create_network_acllist("web", "vpc-1", description="web tier")
    assert wire(cs_sent("createNetworkACLList")[0]) == {
        "name": "web", "vpcid": "vpc-1", "description": "web tier"}
    assert len(cs_sent("queryAsyncJobResult")) == 1  # D11
    assert (acl.id, acl.name, acl.vpc_id, acl.description) == ("acl-1", "web", "vpc-1",
                                                              "web tier")
    mine, builtin = driver.ex_list_network_acllists()
    assert mine == acl and builtin.vpc_id is None
    tier = CloudStackNetwork("t", "t", "o", "net-1", "z1", driver)
    assert driver.ex_replace_network_acllist(acl, tier) is True
    assert wire(cs_sent("replaceNetworkACLList")[0]) == {"aclid": "acl-1", "networkid": "net-1"}
    assert acl.delete() is True
    assert wire(cs_sent("deleteNetworkACLList")[0]) == {"id": "acl-1"}


def test_acl_rules(driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    record = {"id": "rule-1", "protocol": "tcp", "aclid": "acl-1", "action": "Allow",
              "cidrlist": "0.0.0.0/0", "startport": "22", "endport": "22",
              "traffictype": "Ingress", "number": "1"}
    cs_answer_async("createNetworkACL", {"networkacl": record})
    cs_answer("listNetworkACLs", {"count": 2, "networkacl": [
        record, {"id": "rule-2", "protocol": "all", "aclid": "acl-1"}]})
    cs_answer_async("deleteNetworkACL", {"success": True})
    acl_list = CloudStackNetworkACLList("acl-1", "web", "vpc-1", driver)
    rule = driver.ex_create_network_acl("TCP", acl_list, "0.0.0.0/0", 22, 22,
                                        action="allow", traffic_type="ingress")
    assert wire(cs_sent("createNetworkACL")[0]) == {
        "protocol": "tcp", "aclid": "acl-1", "cidrlist": "0.0.0.0/0", "startport": "22",
        "endport": "22", "action": "Allow", "traffictype": "Ingress"}
    assert isinstance(rule, CloudStackNetworkACL)
    assert (rule.action, rule.start_port, rule.traffic_type, rule.extra["number"]) == (
        "Allow", 22, "Ingress", "1")  # created: the values given; extra: the server's
    first, second = driver.ex_list_network_acl()
    assert first == rule and (second.start_port, second.end_port) == (None, None)
    assert rule.delete() is True
    assert wire(cs_sent("deleteNetworkACL")[0]) == {"id": "rule-1"}


def test_bad_input(driver: Any, cs_sent: Any) -> None:
    with pytest.raises(TypeError, match="'vpc_offering'"):
        driver.ex_create_vpc("10.0.0.0/16", "V", "v", None, "z1")
    with pytest.raises(ValueError, match="'cidr'"):
        driver.ex_create_vpc("10.0.0.0", "V", "v", "vo-1", "z1")
    with pytest.raises(ValueError, match="'start_port'"):
        driver.ex_create_network_acl("tcp", "acl-1", "0.0.0.0/0", None, None)
    with pytest.raises(ValueError, match="'action'"):
        driver.ex_create_network_acl("tcp", "acl-1", "0.0.0.0/0", 22, 22, action="Drop")
    with pytest.raises(TypeError, match="'acl_list'"):
        driver.ex_delete_network_acllist(3.0)
    assert cs_sent("createVPC") == [] and cs_sent("createNetworkACL") == []
