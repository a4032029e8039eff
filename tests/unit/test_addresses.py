"""Public IPs and static NAT: exact parameters sent, models returned, node caches."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import CloudStackNode, NodeLocation, NodeState
from cloudstack_driver.cloudstack.netmodels import CloudStackAddress, CloudStackNetwork

IP = {"id": "ip-1", "ipaddress": "203.0.113.10", "associatednetworkid": "net-1",
      "zoneid": "z1", "issourcenat": "false", "isstaticnat": False, "state": "Allocated"}


@pytest.fixture
def node(driver: Any) -> CloudStackNode:
    return CloudStackNode("vm-1", "n", NodeState.RUNNING, [], ["10.1.1.5"], driver,
                          extra={"ip_addresses": []})


def test_list_public_ips(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listPublicIpAddresses", {"count": 1, "publicipaddress": [IP]})
    [ip] = driver.ex_list_public_ips()
    assert wire(cs_sent("listPublicIpAddresses")[0]) == {}
    assert isinstance(ip, CloudStackAddress)
    assert (ip.id, ip.address, ip.associated_network_id, ip.vpc_id, ip.virtualmachine_id) == (
        "ip-1", "203.0.113.10", "net-1", None, None)
    assert str(ip) == "203.0.113.10"
    assert ip.extra["is_source_nat"] is False and ip.extra["zone_id"] == "z1"
    assert ip == CloudStackAddress("ip-1", "other", driver) and hash(ip) == hash(
        CloudStackAddress("ip-1", None, None))


def test_list_public_ips_empty_and_filters(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listPublicIpAddresses", {})
    net = CloudStackNetwork("d", "n", "o", "net-1", "z1", driver)
    assert driver.ex_list_public_ips(vpc_id="vpc-1", network_id=net,
                                     location=NodeLocation("z1", "Z", "Unknown", driver)) == []
    assert wire(cs_sent("listPublicIpAddresses")[0]) == {
        "vpcid": "vpc-1", "associatednetworkid": "net-1", "zoneid": "z1"}


def test_allocate_in_first_zone_without_arguments(driver: Any, cs_answer: Any,
                                                  cs_answer_async: Any, cs_sent: Any) -> None:
    """No zone hands out public IPs here (no Advanced zone): the first zone is asked."""
    cs_answer("listZones", {"count": 2, "zone": [{"id": "z1"}, {"id": "z2"}]})
    cs_answer_async("associateIpAddress", {"ipaddress": IP}, entity_id="ip-1")
    ip = driver.ex_allocate_public_ip()
    assert (ip.id, ip.address, ip.associated_network_id) == ("ip-1", "203.0.113.10", "net-1")
    assert wire(cs_sent("associateIpAddress")[0]) == {"zoneid": "z1"}


def test_allocate_without_arguments_prefers_the_first_advanced_zone_without_groups(
        driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    zones = [{"id": "basic", "networktype": "Basic", "securitygroupsenabled": True},
             {"id": "adv-sg", "networktype": "Advanced", "securitygroupsenabled": "true"},
             {"id": "adv", "networktype": "Advanced", "securitygroupsenabled": False},
             {"id": "adv2", "networktype": "Advanced"}]
    cs_answer("listZones", {"count": 4, "zone": zones})
    cs_answer_async("associateIpAddress", {"ipaddress": IP}, entity_id="ip-1")
    driver.ex_allocate_public_ip()
    assert wire(cs_sent("associateIpAddress")[0]) == {"zoneid": "adv"}


def test_allocate_in_a_network_or_vpc_lets_the_server_pick_the_zone(
        driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("associateIpAddress", {"ipaddress": IP})
    driver.ex_allocate_public_ip(network_id="net-1")
    driver.ex_allocate_public_ip(vpc_id="vpc-1", location=NodeLocation("z2", "Z", "U", driver))
    assert [wire(p) for p in cs_sent("associateIpAddress")] == [
        {"networkid": "net-1"}, {"vpcid": "vpc-1", "zoneid": "z2"}]
    assert cs_sent("listZones") == []


def test_release_from_driver_address_and_node(driver: Any, node: Any, cs_answer_async: Any,
                                              cs_sent: Any) -> None:
    cs_answer_async("disassociateIpAddress", {"success": True})
    ip = CloudStackAddress("ip-1", "203.0.113.10", driver)
    assert driver.ex_release_public_ip(ip) is True
    assert ip.release() is True
    assert node.ex_release_public_ip(ip) is True  # libcloud: TypeError (D28)
    assert [wire(p) for p in cs_sent("disassociateIpAddress")] == [{"id": "ip-1"}] * 3


def test_node_allocate_takes_keywords_not_the_node(driver: Any, node: Any,
                                                   cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("associateIpAddress", {"ipaddress": IP})
    ip = node.ex_allocate_public_ip(network_id="net-1")
    assert ip.id == "ip-1"
    assert wire(cs_sent("associateIpAddress")[0]) == {"networkid": "net-1"}  # no vpcid (D28)


def test_static_nat_enable_then_disable(driver: Any, node: Any, cs_answer: Any,
                                        cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer("enableStaticNat", {"success": True})
    cs_answer_async("disableStaticNat", {"success": True})
    ip = CloudStackAddress("ip-1", "203.0.113.10", driver)
    assert driver.ex_enable_static_nat(node, ip, network_id="tier-1") is True
    assert wire(cs_sent("enableStaticNat")[0]) == {
        "ipaddressid": "ip-1", "virtualmachineid": "vm-1", "networkid": "tier-1"}
    assert cs_sent("queryAsyncJobResult") == []  # enableStaticNat is synchronous
    assert ip.virtualmachine_id == "vm-1"
    assert node.public_ips == ["203.0.113.10"] and node.extra["ip_addresses"] == [ip]
    assert driver.ex_disable_static_nat(ip) is True
    assert wire(cs_sent("disableStaticNat")[0]) == {"ipaddressid": "ip-1"}
    assert ip.virtualmachine_id is None


def test_bad_input(driver: Any, node: Any, cs_sent: Any) -> None:
    with pytest.raises(TypeError, match="'address'"):
        driver.ex_release_public_ip(None)
    with pytest.raises(TypeError, match="'location'"):
        driver.ex_allocate_public_ip(location="z1")
    with pytest.raises(TypeError, match="'vpc_id'"):
        driver.ex_allocate_public_ip(vpc_id=node)
    with pytest.raises(TypeError, match="'node'"):
        driver.ex_enable_static_nat("vm-1", "ip-1")
    assert cs_sent("associateIpAddress") == [] and cs_sent("disassociateIpAddress") == []
