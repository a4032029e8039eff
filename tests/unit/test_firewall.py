"""Ingress and egress firewall rules: exact parameters, models, argument checks."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackEgressFirewallRule,
    CloudStackFirewallRule,
    CloudStackNetwork,
)

RULE = {"id": "fw-1", "ipaddressid": "ip-1", "ipaddress": "203.0.113.1", "protocol": "tcp",
        "startport": "22", "endport": "22", "cidrlist": "0.0.0.0/0", "state": "Active"}
EGRESS = {"id": "eg-1", "networkid": "net-1", "protocol": "icmp", "icmptype": "-1",
          "icmpcode": "-1", "cidrlist": "10.1.1.0/24"}


def test_list_firewall_rules_joins_addresses(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listFirewallRules", {"count": 1, "firewallrule": [RULE]})
    cs_answer("listPublicIpAddresses", {"count": 1, "publicipaddress": [
        {"id": "ip-1", "ipaddress": "203.0.113.1", "associatednetworkid": "net-1"}]})
    [rule] = driver.ex_list_firewall_rules()
    assert isinstance(rule, CloudStackFirewallRule)
    assert (rule.id, rule.cidr_list, rule.protocol, rule.start_port, rule.end_port) == (
        "fw-1", "0.0.0.0/0", "tcp", "22", "22")  # the server's values, as libcloud
    assert rule.address.associated_network_id == "net-1"
    assert len(cs_sent("listPublicIpAddresses")) == 1


def test_empty_lists(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listFirewallRules", {})
    cs_answer("listEgressFirewallRules", {})
    assert driver.ex_list_firewall_rules() == []
    assert driver.ex_list_egress_firewall_rules() == []  # libcloud: KeyError (D5)
    assert cs_sent("listPublicIpAddresses") == []


def test_create_and_delete_firewall_rule(driver: Any, cs_answer_async: Any,
                                         cs_sent: Any) -> None:
    cs_answer_async("createFirewallRule", {"firewallrule": RULE}, entity_id="fw-1")
    cs_answer_async("deleteFirewallRule", {"success": True})
    address = CloudStackAddress("ip-1", "203.0.113.1", driver)
    rule = driver.ex_create_firewall_rule(address, ["0.0.0.0/0", "10.0.0.0/8"], "TCP",
                                          start_port=22, end_port=22)
    assert wire(cs_sent("createFirewallRule")[0]) == {
        "ipaddressid": "ip-1", "cidrlist": "0.0.0.0/0,10.0.0.0/8", "protocol": "tcp",
        "startport": "22", "endport": "22"}
    assert rule.address is address and rule.id == "fw-1"
    assert rule.delete() is True
    assert wire(cs_sent("deleteFirewallRule")[0]) == {"id": "fw-1"}


def test_create_and_delete_egress_rule(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createEgressFirewallRule", {"firewallrule": EGRESS})
    cs_answer_async("deleteEgressFirewallRule", {"success": True})
    net = CloudStackNetwork("d", "n", "o", "net-1", "z1", driver)
    rule = driver.ex_create_egress_firewall_rule(net, "10.1.1.0/24", "icmp", icmp_code=-1,
                                                 icmp_type=-1)
    assert wire(cs_sent("createEgressFirewallRule")[0]) == {
        "networkid": "net-1", "cidrlist": "10.1.1.0/24", "protocol": "icmp",
        "icmpcode": "-1", "icmptype": "-1"}
    assert isinstance(rule, CloudStackEgressFirewallRule)
    assert (rule.network_id, rule.icmp_code, rule.icmp_type) == ("net-1", -1, -1)
    assert driver.ex_delete_egress_firewall_rule(rule) is True
    assert wire(cs_sent("deleteEgressFirewallRule")[0]) == {"id": "eg-1"}


@pytest.mark.parametrize(("kwargs", "error", "arg"), [
    ({"cidr_list": "0.0.0.0", "protocol": "tcp"}, ValueError, "'cidr_list'"),
    ({"cidr_list": 5, "protocol": "tcp"}, TypeError, "'cidr_list'"),
    ({"cidr_list": "0.0.0.0/0", "protocol": "gre"}, ValueError, "'protocol'"),
    ({"cidr_list": "0.0.0.0/0", "protocol": "tcp", "icmp_type": 8}, ValueError, "'icmp_code'"),
    ({"cidr_list": "0.0.0.0/0", "protocol": "icmp", "start_port": 22}, ValueError,
     "'start_port'"),
    ({"cidr_list": "0.0.0.0/0", "protocol": "tcp", "start_port": 90, "end_port": 80},
     ValueError, "'end_port'"),
])
def test_bad_input(driver: Any, cs_sent: Any, kwargs: Any, error: Any, arg: str) -> None:
    address = CloudStackAddress("ip-1", "203.0.113.1", driver)
    with pytest.raises(error, match=arg):
        driver.ex_create_firewall_rule(address, **kwargs)
    assert cs_sent("createFirewallRule") == []


def test_address_must_be_an_address(driver: Any) -> None:
    with pytest.raises(TypeError, match="'address'"):
        driver.ex_create_firewall_rule("203.0.113.1", "0.0.0.0/0", "tcp")
    with pytest.raises(TypeError, match="'network_id'"):
        driver.ex_create_egress_firewall_rule(None, "0.0.0.0/0", "tcp")
