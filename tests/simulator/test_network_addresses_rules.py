"""Simulator handlers: public IPs, static NAT, port/IP forwarding and firewall rules."""

from __future__ import annotations

from typing import Any

import pytest
from test_network_support import ADVANCED_ZONE_ID, BASIC_ZONE_ID, Env, env_fixture  # noqa: F401

from cloudstack_driver.simulator.errors import ApiError
from cloudstack_driver.simulator.handlers.networks import release_nics


def _new_ip(env: Env, **params: Any) -> dict[str, Any]:
    ticket = env.call("associateIpAddress", **params)
    assert ticket.instance_id is not None  # the id is known before the job ends
    assert env.cloud.find_record("publicipaddress", ticket.instance_id)["state"] == "Allocating"
    ip: dict[str, Any] = env.finish(ticket)["ipaddress"]
    assert (ip["id"], ip["state"]) == (ticket.instance_id, "Allocated")
    return ip


def test_associate_with_zone_uses_the_default_network(env: Env) -> None:
    ip = _new_ip(env, zoneid=ADVANCED_ZONE_ID)
    assert ip["associatednetworkid"] == env.default_network()["id"]
    assert ip["issourcenat"] is False
    assert ip["id"] in {i["id"] for i in env.run("listPublicIpAddresses", issourcenat=False)}
    assert env.run("disassociateIpAddress", id=ip["id"]) == {"success": True}
    assert env.run("listPublicIpAddresses", id=ip["id"]) == []


def test_associate_refused_in_basic_zone(env: Env) -> None:
    with pytest.raises(ApiError) as info:
        env.run("associateIpAddress", zoneid=BASIC_ZONE_ID)
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
    shared = env.default_network(BASIC_ZONE_ID)
    with pytest.raises(ApiError) as info:
        env.run("associateIpAddress", networkid=shared["id"])
    assert info.value.errorcode == 431


def test_source_nat_cannot_be_released(env: Env) -> None:
    source = env.run("listPublicIpAddresses", issourcenat=True)[0]
    with pytest.raises(ApiError) as info:
        env.run("disassociateIpAddress", id=source["id"])
    assert "source nat" in info.value.errortext


def test_port_forwarding_opens_firewall_and_detects_conflicts(env: Env) -> None:
    net = env.default_network()
    vm = env.vm(net)
    ip = _new_ip(env, networkid=net["id"])
    rule = env.run("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                   publicport=2222, privateport=22, virtualmachineid=vm["id"],
                   openfirewall=True)["portforwardingrule"]
    assert (rule["publicport"], rule["privateport"], rule["vmguestip"], rule["state"]) == (
        "2222", "22", vm["nic"][0]["ipaddress"], "Active")
    walls = env.run("listFirewallRules", ipaddressid=ip["id"])
    assert [(w["protocol"], w["startport"], w["endport"]) for w in walls] == [("tcp", 2222, 2222)]
    with pytest.raises(ApiError) as info:
        env.call("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                 publicport=2200, publicendport=2300, privateport=2200, privateendport=2300,
                 virtualmachineid=vm["id"])
    assert (info.value.errorcode, info.value.cserrorcode) == (537, 4360)
    udp = env.run("createPortForwardingRule", ipaddressid=ip["id"], protocol="udp",
                  publicport=2222, privateport=22, virtualmachineid=vm["id"],
                  openfirewall=False)["portforwardingrule"]
    assert {r["id"] for r in env.run("listPortForwardingRules", ipaddressid=ip["id"])} == {
        rule["id"], udp["id"]}
    env.run("deletePortForwardingRule", id=rule["id"])
    assert env.run("listFirewallRules", ipaddressid=ip["id"]) == []
    env.run("disassociateIpAddress", id=ip["id"])
    assert env.run("listPortForwardingRules") == []


def test_static_nat_and_ip_forwarding(env: Env) -> None:
    net = env.default_network()
    vm = env.vm(net)
    ip = _new_ip(env, networkid=net["id"])
    with pytest.raises(ApiError) as info:
        env.call("createIpForwardingRule", ipaddressid=ip["id"], protocol="tcp", startport=80)
    assert info.value.errorcode == 537
    assert env.run("enableStaticNat", ipaddressid=ip["id"], virtualmachineid=vm["id"]) == {
        "success": True}
    listed = env.run("listPublicIpAddresses", id=ip["id"])[0]
    assert (listed["isstaticnat"], listed["virtualmachineid"], vm["publicip"]) == (
        True, vm["id"], ip["ipaddress"])
    with pytest.raises(ApiError) as info:
        env.call("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                 publicport=22, privateport=22, virtualmachineid=vm["id"])
    assert info.value.errorcode == 537
    rule = env.run("createIpForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                   startport=80, endport=81)["ipforwardingrule"]
    assert (rule["virtualmachineid"], rule["publicport"], rule["publicendport"]) == (
        vm["id"], "80", "81")
    assert [r["id"] for r in env.run("listIpForwardingRules", virtualmachineid=vm["id"])] == [
        rule["id"]]
    env.run("disableStaticNat", ipaddressid=ip["id"])
    assert env.run("listIpForwardingRules") == []
    assert "publicip" not in vm
    assert env.run("listPublicIpAddresses", id=ip["id"])[0]["isstaticnat"] is False


def test_static_nat_refused_on_source_nat_and_for_foreign_vm(env: Env) -> None:
    net = env.default_network()
    vm = env.vm(net)
    source = env.run("listPublicIpAddresses", issourcenat=True)[0]
    with pytest.raises(ApiError) as info:
        env.run("enableStaticNat", ipaddressid=source["id"], virtualmachineid=vm["id"])
    assert info.value.errorcode == 431
    basic_vm = env.vm(env.default_network(BASIC_ZONE_ID))
    ip = _new_ip(env, networkid=net["id"])
    with pytest.raises(ApiError) as info:
        env.run("enableStaticNat", ipaddressid=ip["id"], virtualmachineid=basic_vm["id"])
    assert info.value.errorcode == 431


def test_release_nics_drops_rules_aiming_at_the_vm(env: Env) -> None:
    net = env.default_network()
    vm = env.vm(net)
    ip = _new_ip(env, networkid=net["id"])
    env.run("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp", publicport=22,
            privateport=22, virtualmachineid=vm["id"])
    release_nics(env.cloud, vm)
    assert env.run("listPortForwardingRules") == []
    assert vm["nic"][0]["ipaddress"] not in net["_ips"]


def test_firewall_rules(env: Env) -> None:
    ip = _new_ip(env, zoneid=ADVANCED_ZONE_ID)
    rule = env.run("createFirewallRule", ipaddressid=ip["id"], protocol="tcp", startport=80,
                   endport=90, cidrlist="10.0.0.0/8")["firewallrule"]
    assert (rule["cidrlist"], rule["startport"], rule["endport"]) == ("10.0.0.0/8", 80, 90)
    with pytest.raises(ApiError) as info:
        env.call("createFirewallRule", ipaddressid=ip["id"], protocol="tcp", startport=80,
                 endport=90, cidrlist="10.0.0.0/8")
    assert info.value.errorcode == 537
    with pytest.raises(ApiError) as info:
        env.call("createFirewallRule", ipaddressid=ip["id"], protocol="icmp", startport=1)
    assert info.value.errorcode == 431
    icmp = env.run("createFirewallRule", ipaddressid=ip["id"], protocol="icmp", icmptype=8,
                   icmpcode=0)["firewallrule"]
    assert (icmp["icmptype"], icmp["icmpcode"], "startport" in icmp) == (8, 0, False)
    env.run("deleteFirewallRule", id=rule["id"])
    assert [r["id"] for r in env.run("listFirewallRules")] == [icmp["id"]]


def test_egress_firewall_rules(env: Env) -> None:
    net = env.default_network()
    rule = env.run("createEgressFirewallRule", networkid=net["id"], protocol="all")[
        "firewallrule"]
    assert (rule["traffictype"], rule["cidrlist"], rule["networkid"]) == (
        "Egress", "10.1.1.0/24", net["id"])
    assert [r["id"] for r in env.run("listEgressFirewallRules", networkid=net["id"])] == [
        rule["id"]]
    with pytest.raises(ApiError) as info:
        env.call("createEgressFirewallRule", networkid=env.default_network(BASIC_ZONE_ID)["id"],
                 protocol="tcp")
    assert info.value.errorcode == 431
    env.run("deleteEgressFirewallRule", id=rule["id"])
    assert env.run("listEgressFirewallRules") == []
