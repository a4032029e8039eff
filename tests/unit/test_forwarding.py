"""Port forwarding, IP forwarding, and the networking details list_nodes puts on nodes."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import (
    CloudStackNode,
    CloudStackProject,
    InvalidParameterError,
    NodeLocation,
    NodeState,
)
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackIPForwardingRule,
    CloudStackPortForwardingRule,
)

VM1 = {"id": "vm-1", "name": "one", "state": "Running", "zoneid": "z1",
       "nic": [{"id": "n1", "ipaddress": "10.1.1.5"}]}
VM2 = {"id": "vm-2", "name": "two", "state": "Running", "zoneid": "z1",
       "nic": [{"id": "n2", "ipaddress": "10.1.1.6"}]}
IPS = [
    {"id": "ip-nat1", "ipaddress": "203.0.113.1", "isstaticnat": True, "virtualmachineid": "vm-1"},
    {"id": "ip-nat2", "ipaddress": "203.0.113.2", "isstaticnat": True, "virtualmachineid": "vm-2"},
    {"id": "ip-pf", "ipaddress": "203.0.113.3", "issourcenat": True},
]
PF = {"id": "pf-1", "ipaddressid": "ip-pf", "ipaddress": "203.0.113.3", "protocol": "tcp",
      "publicport": "2222", "privateport": "22", "publicendport": "2222",
      "privateendport": "22", "virtualmachineid": "vm-1", "networkid": "net-1"}
IPF = {"id": "ipf-1", "ipaddressid": "ip-nat2", "ipaddress": "203.0.113.2", "protocol": "udp",
       "startport": "53", "endport": "53", "virtualmachineid": "vm-2"}


@pytest.fixture
def node(driver: Any) -> CloudStackNode:
    return CloudStackNode("vm-1", "one", NodeState.RUNNING, [], ["10.1.1.5"], driver,
                          extra={"port_forwarding_rules": [], "ip_forwarding_rules": [],
                                 "ip_addresses": []})


@pytest.fixture
def address(driver: Any) -> CloudStackAddress:
    return CloudStackAddress("ip-pf", "203.0.113.3", driver)


def answer_details(cs_answer: Any) -> None:
    cs_answer("listVirtualMachines", {"count": 2, "virtualmachine": [VM1, VM2]})
    cs_answer("listPublicIpAddresses", {"count": 3, "publicipaddress": IPS})
    cs_answer("listPortForwardingRules", {"count": 1, "portforwardingrule": [PF]})
    cs_answer("listIpForwardingRules", {"count": 1, "ipforwardingrule": [IPF]})


def test_list_nodes_gives_each_node_only_its_own(driver: Any, cs_answer: Any,
                                                 cs_sent: Any) -> None:
    answer_details(cs_answer)
    project = CloudStackProject("p1", "p", "P", driver)
    one, two = driver.list_nodes(project=project,
                                 location=NodeLocation("z1", "Z", "Unknown", driver))
    for command in ("listPublicIpAddresses", "listPortForwardingRules",
                    "listIpForwardingRules"):
        assert len(cs_sent(command)) == 1, command
    assert wire(cs_sent("listPublicIpAddresses")[0]) == {"projectid": "p1", "zoneid": "z1"}
    assert wire(cs_sent("listPortForwardingRules")[0]) == {"projectid": "p1"}
    assert wire(cs_sent("listIpForwardingRules")[0]) == {"projectid": "p1"}
    assert [a.id for a in one.extra["ip_addresses"]] == ["ip-nat1"]  # D8
    assert [a.id for a in two.extra["ip_addresses"]] == ["ip-nat2"]
    assert one.public_ips == ["203.0.113.1", "203.0.113.3"]
    assert two.public_ips == ["203.0.113.2"]  # the IP-forwarding rule's IP is not repeated
    [pf] = one.extra["port_forwarding_rules"]
    assert (pf.id, pf.node, pf.address.id, pf.protocol, pf.public_port, pf.private_port,
            pf.network_id) == ("pf-1", one, "ip-pf", "TCP", "2222", "22", "net-1")
    assert one.extra["ip_forwarding_rules"] == [] and two.extra["port_forwarding_rules"] == []
    [ipf] = two.extra["ip_forwarding_rules"]
    assert (ipf.id, ipf.address.address, ipf.start_port, ipf.end_port) == (
        "ipf-1", "203.0.113.2", "53", "53")


def test_ex_get_node_attaches_details_once(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    answer_details(cs_answer)
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [VM2]})
    node = driver.ex_get_node("vm-2")
    assert [a.address for a in node.extra["ip_addresses"]] == ["203.0.113.2"]
    assert wire(cs_sent("listPublicIpAddresses")[0]) == {"zoneid": "z1"}
    assert len(cs_sent("listIpForwardingRules")) == 1


def test_create_port_forwarding_rule_libcloud_order(driver: Any, node: Any, address: Any,
                                                    cs_answer_async: Any,
                                                    cs_sent: Any) -> None:
    cs_answer_async("createPortForwardingRule", {"portforwardingrule": PF}, entity_id="pf-1")
    rule = driver.ex_create_port_forwarding_rule(node, address, 22, 2222, "TCP",
                                                 network_id="net-1")
    assert wire(cs_sent("createPortForwardingRule")[0]) == {
        "ipaddressid": "ip-pf", "protocol": "tcp", "privateport": "22", "publicport": "2222",
        "virtualmachineid": "vm-1", "openfirewall": "true", "networkid": "net-1"}
    assert isinstance(rule, CloudStackPortForwardingRule)
    assert (rule.id, rule.node, rule.address, rule.network_id) == ("pf-1", node, address,
                                                                  "net-1")
    assert node.extra["port_forwarding_rules"] == [rule]
    assert node.public_ips == ["203.0.113.3"]


def test_node_helper_and_rule_delete(driver: Any, node: Any, address: Any,
                                     cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createPortForwardingRule", {"portforwardingrule": PF})
    cs_answer_async("deletePortForwardingRule", {"success": True})
    rule = node.ex_create_port_forwarding_rule(address=address, private_port=22,
                                               public_port=2222, protocol="tcp",
                                               public_end_port=2222, private_end_port=22,
                                               openfirewall=False)
    assert wire(cs_sent("createPortForwardingRule")[0])["openfirewall"] == "false"
    assert wire(cs_sent("createPortForwardingRule")[0])["publicendport"] == "2222"
    assert rule.delete() is True
    assert wire(cs_sent("deletePortForwardingRule")[0]) == {"id": "pf-1"}
    assert node.extra["port_forwarding_rules"] == [] and node.public_ips == []


def test_failed_delete_leaves_the_node_untouched(driver: Any, node: Any, address: Any,
                                                 cs_answer: Any) -> None:
    rule = CloudStackPortForwardingRule(node, "pf-1", address, "TCP", 2222, 22)
    node.extra["port_forwarding_rules"].append(rule)
    node.public_ips.append("203.0.113.3")
    cs_answer("deletePortForwardingRule", {"errorcode": 431, "cserrorcode": 4350,
                                           "errortext": "no rule pf-1"}, status=431)
    with pytest.raises(InvalidParameterError) as info:
        driver.ex_delete_port_forwarding_rule(node, rule)
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
    assert node.extra["port_forwarding_rules"] == [rule]  # D27: call first
    assert node.public_ips == ["203.0.113.3"]


def test_delete_uncached_rule_keeps_ips_still_in_use(driver: Any, node: Any, address: Any,
                                                     cs_answer_async: Any) -> None:
    cs_answer_async("deletePortForwardingRule", {"success": True})
    other = CloudStackPortForwardingRule(node, "pf-2", address, "TCP", 80, 80)
    node.extra["port_forwarding_rules"].append(other)
    node.public_ips.append("203.0.113.3")
    uncached = CloudStackPortForwardingRule(node, "pf-1", address, "TCP", 2222, 22)
    assert driver.ex_delete_port_forwarding_rule(node, uncached) is True
    assert node.extra["port_forwarding_rules"] == [other]
    assert node.public_ips == ["203.0.113.3"]  # pf-2 still uses it


def test_list_port_forwarding_rules_filters_and_raw_ids(driver: Any, cs_answer: Any,
                                                        cs_sent: Any) -> None:
    orphan = {**PF, "id": "pf-9", "ipaddressid": "ip-gone", "ipaddress": "198.51.100.9",
              "virtualmachineid": "vm-gone"}
    cs_answer("listPortForwardingRules", {"count": 2, "portforwardingrule": [PF, orphan]})
    cs_answer("listPublicIpAddresses", {"count": 3, "publicipaddress": IPS})
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [VM1]})
    rule, kept = driver.ex_list_port_forwarding_rules(ipaddress_id="ip-pf", project_id="p1",
                                                      list_all=True, network_id="net-1")
    assert wire(cs_sent("listPortForwardingRules")[0]) == {
        "ipaddressid": "ip-pf", "projectid": "p1", "listall": "true", "networkid": "net-1"}
    assert wire(cs_sent("listVirtualMachines")[0]) == {"projectid": "p1", "listall": "true"}
    assert rule.node.id == "vm-1" and rule.address.extra["is_source_nat"] is True
    assert kept.node is None and kept.virtualmachine_id == "vm-gone"  # D10: no IndexError
    assert (kept.address.id, kept.address.address) == ("ip-gone", "198.51.100.9")


def test_empty_rule_lists_make_no_join_calls(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listPortForwardingRules", {})
    cs_answer("listIpForwardingRules", {"count": 0})
    assert driver.ex_list_port_forwarding_rules() == []
    assert driver.ex_list_ip_forwarding_rules() == []
    assert cs_sent("listVirtualMachines") == [] and cs_sent("listPublicIpAddresses") == []


def test_list_ip_forwarding_rules_one_object_per_rule(driver: Any, cs_answer: Any,
                                                      cs_sent: Any) -> None:
    second = {**IPF, "id": "ipf-2", "startport": "80", "endport": "81"}
    cs_answer("listIpForwardingRules", {"count": 2, "ipforwardingrule": [IPF, second]})
    cs_answer("listPublicIpAddresses", {"count": 3, "publicipaddress": IPS})
    cs_answer("listVirtualMachines", {"count": 2, "virtualmachine": [VM1, VM2]})
    rules = driver.ex_list_ip_forwarding_rules(virtualmachine_id="vm-2")
    assert wire(cs_sent("listIpForwardingRules")[0]) == {"virtualmachineid": "vm-2"}
    assert [(r.id, r.address.id, r.node.id, r.start_port, r.end_port) for r in rules] == [
        ("ipf-1", "ip-nat2", "vm-2", "53", "53"),
        ("ipf-2", "ip-nat2", "vm-2", "80", "81")]  # D9; ports as the server sent them


def test_ip_forwarding_create_and_delete(driver: Any, node: Any, cs_answer_async: Any,
                                         cs_sent: Any) -> None:
    nat = CloudStackAddress("ip-nat2", "203.0.113.2", driver, virtualmachine_id="vm-1")
    cs_answer_async("createIpForwardingRule", {"ipforwardingrule": IPF})
    cs_answer_async("deleteIpForwardingRule", {"success": True})
    rule = node.ex_create_ip_forwarding_rule(nat, "UDP", 53, end_port=53)
    assert wire(cs_sent("createIpForwardingRule")[0]) == {
        "ipaddressid": "ip-nat2", "protocol": "udp", "startport": "53", "endport": "53"}
    assert isinstance(rule, CloudStackIPForwardingRule)
    assert node.extra["ip_forwarding_rules"] == [rule]
    assert node.public_ips == ["203.0.113.2"]
    assert rule.delete() is True
    assert wire(cs_sent("deleteIpForwardingRule")[0]) == {"id": "ipf-1"}
    assert node.extra["ip_forwarding_rules"] == [] and node.public_ips == []


def test_bad_input_is_refused_before_any_request(driver: Any, node: Any, address: Any,
                                                 cs_sent: Any) -> None:
    with pytest.raises(ValueError, match="'protocol'"):  # D26: libcloud returned None
        driver.ex_create_ip_forwarding_rule(node, address, "ICMP", 1)
    with pytest.raises(TypeError, match="'node'"):  # the pre-2013 argument order
        driver.ex_create_port_forwarding_rule(address, 22, 22, "TCP", node)
    with pytest.raises(ValueError, match="'public_port'"):
        driver.ex_create_port_forwarding_rule(node, address, 22, 70000, "TCP")
    with pytest.raises(TypeError, match="'openfirewall'"):
        driver.ex_create_port_forwarding_rule(node, address, 22, 22, "TCP", openfirewall="no")
    with pytest.raises(TypeError, match="'rule'"):
        driver.ex_delete_port_forwarding_rule(node, 5.0)
    assert cs_sent("createPortForwardingRule") == []
    assert cs_sent("createIpForwardingRule") == []


@pytest.mark.parametrize(("kwargs", "error", "arg"), [
    ({"list_all": "yes"}, TypeError, "'list_all'"),
    ({"is_recursive": 1}, TypeError, "'is_recursive'"),
    ({"page": 0}, ValueError, "'page'"),
    ({"page_size": "many"}, TypeError, "'page_size'"),
    ({"project_id": ""}, ValueError, "'project_id'"),
    ({"id": 7.5}, TypeError, "'id'"),
    ({"id": True}, TypeError, "'id'"),
])
def test_list_filters_are_checked_before_any_request(driver: Any, cs_sent: Any,
                                                     kwargs: dict[str, Any], error: type,
                                                     arg: str) -> None:
    for method, command in ((driver.ex_list_port_forwarding_rules, "listPortForwardingRules"),
                            (driver.ex_list_ip_forwarding_rules, "listIpForwardingRules")):
        with pytest.raises(error, match=arg):
            method(**kwargs)
        assert cs_sent(command) == []


def test_list_filter_page_given_as_digits_is_sent_as_int(driver: Any, cs_answer: Any,
                                                        cs_sent: Any) -> None:
    cs_answer("listIpForwardingRules", {})
    assert driver.ex_list_ip_forwarding_rules(page="2", page_size=50) == []
    sent = cs_sent("listIpForwardingRules")[0]
    assert (sent["page"], sent["pagesize"]) == ("2", "50")
