"""Networks, network offerings and NICs: exact parameters sent, models returned."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import CloudStackNode, CloudStackProject, NodeLocation, NodeState
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackNetwork,
    CloudStackNetworkOffering,
    CloudStackNic,
)

NETWORK = {
    "id": "net-1", "name": "defaultGuestNetwork", "displaytext": "Default guest network",
    "networkofferingid": "off-1", "zoneid": "z1", "zonename": "Advanced1",
    "networkofferingdisplaytext": "Isolated with source NAT", "networkofferingname": "iso",
    "broadcastdomaintype": "Vlan", "traffictype": "Guest", "type": "Isolated",
    "state": "Implemented", "gateway": "10.1.1.1", "netmask": "255.255.255.0",
    "canusefordeploy": True, "tags": [{"key": "env", "value": "prod"}],
}


@pytest.fixture
def node(driver: Any) -> CloudStackNode:
    return CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver, extra={})


def test_list_networks_maps_extra(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listNetworks", {"count": 2, "network": [NETWORK, {"id": "odd"}]})
    project = CloudStackProject("p1", "proj", "Proj", driver)
    net, odd = driver.ex_list_networks(project=project)
    assert wire(cs_sent("listNetworks")[0]) == {"projectid": "p1"}
    assert isinstance(net, CloudStackNetwork)
    assert (net.id, net.name, net.displaytext, net.networkofferingid, net.zoneid) == (
        "net-1", "defaultGuestNetwork", "Default guest network", "off-1", "z1")
    assert net.extra["network_offeringdisplay_text"] == "Isolated with source NAT"
    assert net.extra["network_offering_display_text"] == "Isolated with source NAT"
    assert net.extra["tags"] == {"env": "prod"}
    assert net.extra["gateway"] == "10.1.1.1" and net.extra["vpc_id"] is None
    assert odd.name is None and odd.extra["state"] is None  # one odd record never fails (D6)
    assert net == CloudStackNetwork("x", "y", "z", "net-1", "z1", driver)
    assert len({net, CloudStackNetwork(None, None, None, "net-1", None, driver)}) == 1
    assert "name=defaultGuestNetwork" in repr(net)


def test_create_network_sends_every_argument(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("createNetwork", {"network": NETWORK})
    offering = CloudStackNetworkOffering("iso", "Isolated", "Isolated", "off-1", None, False,
                                         driver)
    zone = NodeLocation("z1", "Advanced1", "Unknown", driver)
    net = driver.ex_create_network("Tier 1", "tier1", offering, zone, gateway="10.1.1.1",
                                   netmask="255.255.255.0", network_domain="corp",
                                   vpc_id="vpc-1", project_id="p1", ex_acl_id="acl-1")
    assert net.id == "net-1"
    assert wire(cs_sent("createNetwork")[0]) == {
        "displaytext": "Tier 1", "name": "tier1", "networkofferingid": "off-1",
        "zoneid": "z1", "gateway": "10.1.1.1", "netmask": "255.255.255.0",
        "networkdomain": "corp", "vpcid": "vpc-1", "projectid": "p1", "aclid": "acl-1"}


def test_create_network_minimal_omits_none(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("createNetwork", {"network": NETWORK})
    driver.ex_create_network("T", "t", "off-1", NodeLocation("z1", "Z", "Unknown", driver))
    assert wire(cs_sent("createNetwork")[0]) == {
        "displaytext": "T", "name": "t", "networkofferingid": "off-1", "zoneid": "z1"}


@pytest.mark.parametrize(("force", "expected"), [(None, {"id": "net-1"}),
                                                 (True, {"id": "net-1", "forced": "true"})])
def test_delete_network_waits_and_drops_none(driver: Any, cs_answer_async: Any, cs_sent: Any,
                                             force: Any, expected: Any) -> None:
    cs_answer_async("deleteNetwork", {"success": True})
    net = CloudStackNetwork("d", "n", "o", "net-1", "z1", driver)
    assert driver.ex_delete_network(net, force=force) is True
    assert wire(cs_sent("deleteNetwork")[0]) == expected
    assert len(cs_sent("queryAsyncJobResult")) == 1


def test_list_network_offerings(driver: Any, cs_answer: Any) -> None:
    cs_answer("listNetworkOfferings", {"count": 1, "networkoffering": [{
        "id": "off-1", "name": "iso", "displaytext": "Isolated", "guestiptype": "Isolated",
        "forvpc": "false", "serviceofferingid": "so-1"}]})
    [offering] = driver.ex_list_network_offerings()
    assert (offering.id, offering.name, offering.display_text, offering.guest_ip_type,
            offering.service_offering_id, offering.for_vpc) == (
        "off-1", "iso", "Isolated", "Isolated", "so-1", False)


def test_list_nics(driver: Any, node: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listNics", {"count": 1, "nic": [{
        "id": "nic-1", "networkid": "net-1", "netmask": "255.255.255.0", "gateway": "10.1.1.1",
        "ipaddress": "10.1.1.5", "isdefault": True, "macaddress": "02:00:00:00:00:01",
        "secondaryip": [{"id": "s1", "ipaddress": "10.1.1.6"}]}]})
    [nic] = driver.ex_list_nics(node)
    assert wire(cs_sent("listNics")[0]) == {"virtualmachineid": "vm-1"}
    assert isinstance(nic, CloudStackNic)
    assert (nic.ip_address, nic.is_default, nic.network_id, nic.net_mask) == (
        "10.1.1.5", True, "net-1", "255.255.255.0")
    assert nic.extra["secondary_ip"] == [{"id": "s1", "ipaddress": "10.1.1.6"}]
    assert repr(nic).endswith("driver=CloudStack>")
    assert "driver=CloudStack" in repr(nic) and "mac_address=02:00:00:00:00:01" in repr(nic)


def test_attach_and_detach_nic_both_spellings(driver: Any, node: Any, cs_answer_async: Any,
                                              cs_sent: Any) -> None:
    cs_answer_async("addNicToVirtualMachine", {"virtualmachine": {"id": "vm-1"}})
    cs_answer_async("removeNicFromVirtualMachine", {"virtualmachine": {"id": "vm-1"}})
    net = CloudStackNetwork("d", "n", "o", "net-2", "z1", driver)
    nic = CloudStackNic("nic-2", "net-2", None, None, None, False, None, driver)
    assert driver.ex_attach_nic_to_node(node, net, ip_address="10.2.0.9") is True
    assert driver.ex_add_nic_to_node(node=node, network=net) is True
    assert driver.ex_detach_nic_from_node(nic, node) is True
    assert driver.ex_remove_nic_from_node(node=node, nic=nic) is True
    assert [wire(p) for p in cs_sent("addNicToVirtualMachine")] == [
        {"virtualmachineid": "vm-1", "networkid": "net-2", "ipaddress": "10.2.0.9"},
        {"virtualmachineid": "vm-1", "networkid": "net-2"}]
    assert [wire(p) for p in cs_sent("removeNicFromVirtualMachine")] == [
        {"nicid": "nic-2", "virtualmachineid": "vm-1"}] * 2


def test_bad_input_is_refused_before_any_request(driver: Any, node: Any, cs_sent: Any) -> None:
    zone = NodeLocation("z1", "Z", "Unknown", driver)
    with pytest.raises(TypeError, match="'network_offering'"):
        driver.ex_create_network("T", "t", 4.2, zone)
    with pytest.raises(ValueError, match="'name'"):
        driver.ex_create_network("T", " ", "off-1", zone)
    with pytest.raises(TypeError, match="'location'"):
        driver.ex_create_network("T", "t", "off-1", {"id": "z1"})
    with pytest.raises(TypeError, match="'nic'"):
        driver.ex_detach_nic_from_node(node, node)
    with pytest.raises(TypeError, match="'node'"):
        driver.ex_list_nics("vm-1")
    with pytest.raises(TypeError, match="'force'"):
        driver.ex_delete_network("net-1", force="yes")
    with pytest.raises(TypeError, match="'project'"):
        driver.ex_list_networks(project="p1")
    assert cs_sent("createNetwork") == [] and cs_sent("listNics") == []
