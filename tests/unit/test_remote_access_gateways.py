"""Remote-access VPN, VPN users and VPC private gateways on the wire (exact parameters)."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import (
    CloudStackAddress,
    CloudStackPrivateGateway,
    CloudStackProject,
    CloudStackRemoteAccessVpn,
    CloudStackVPC,
    CloudStackVpnUser,
)

VPN = {"id": "vpn-1", "publicip": "203.0.113.5", "publicipid": "ip-1",
       "iprange": "10.1.2.2-10.1.2.8", "presharedkey": "Ab3dEf6hIj9kLm2nOp5qRs8t",
       "state": "Running", "fordisplay": True, "account": "admin", "domainid": "d-1",
       "domain": "ROOT"}
USER = {"id": "u-1", "username": "alice", "state": "Active", "account": "admin",
        "domainid": "d-1", "domain": "ROOT"}
GATEWAY = {"id": "gw-1", "vpcid": "vpc-1", "vpcname": "shop", "gateway": "172.16.5.1",
           "ipaddress": "172.16.5.10", "netmask": "255.255.255.0", "vlan": "vlan://105",
           "state": "Ready", "aclid": "acl-1", "aclname": "default_deny",
           "sourcenatsupported": False, "zoneid": "z1", "zonename": "DE-FRA1"}


def test_create_list_delete_remote_access_vpn(driver: Any, cs_answer: Any,
                                              cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createRemoteAccessVpn", {"remoteaccessvpn": VPN}, entity_id="vpn-1")
    cs_answer("listRemoteAccessVpns", {"count": 1, "remoteaccessvpn": [VPN]})
    cs_answer_async("deleteRemoteAccessVpn", {"success": True})
    address = CloudStackAddress("ip-1", "203.0.113.5", driver)
    vpn = driver.ex_create_remote_access_vpn(address, ip_range="10.1.2.1-10.1.2.8",
                                             open_firewall=False, for_display=True)
    assert wire(cs_sent("createRemoteAccessVpn")[0]) == {
        "publicipid": "ip-1", "iprange": "10.1.2.1-10.1.2.8", "openfirewall": "false",
        "fordisplay": "true"}
    assert len(cs_sent("queryAsyncJobResult")) == 1  # the job was waited for
    assert isinstance(vpn, CloudStackRemoteAccessVpn)
    assert (vpn.id, vpn.public_ip, vpn.public_ip_id, vpn.ip_range, vpn.preshared_key,
            vpn.state) == ("vpn-1", "203.0.113.5", "ip-1", "10.1.2.2-10.1.2.8",
                           "Ab3dEf6hIj9kLm2nOp5qRs8t", "Running")
    assert vpn.extra["account"] == "admin" and vpn.extra["for_display"] is True
    assert "Ab3dEf6h" not in repr(vpn) and "preshared_key=***" in repr(vpn)
    assert driver.ex_list_remote_access_vpns(address=34000, network_id="net-1",
                                             project_id="p-1", list_all=True) == [vpn]
    assert wire(cs_sent("listRemoteAccessVpns")[0]) == {
        "publicipid": "34000", "networkid": "net-1", "projectid": "p-1", "listall": "true"}
    assert vpn.delete() is True
    assert driver.ex_delete_remote_access_vpn("ip-9") is True
    assert [wire(p) for p in cs_sent("deleteRemoteAccessVpn")] == [{"publicipid": "ip-1"},
                                                                    {"publicipid": "ip-9"}]


def test_vpn_users(driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("addVpnUser", {"vpnuser": {**USER, "projectid": "p-1", "project": "P"}})
    cs_answer("listVpnUsers", {"count": 1, "vpnuser": [USER]})
    cs_answer_async("removeVpnUser", {"success": True})
    project = CloudStackProject("p-1", "P", "P", driver)
    user = driver.ex_add_vpn_user("alice", "s3cret=pw", project_id=project)
    assert wire(cs_sent("addVpnUser")[0]) == {"username": "alice", "password": "s3cret=pw",
                                              "projectid": "p-1"}
    assert isinstance(user, CloudStackVpnUser)
    assert (user.id, user.username, user.state, user.extra["project_id"]) == (
        "u-1", "alice", "Active", "p-1")
    assert "s3cret" not in repr(user)
    [listed] = driver.ex_list_vpn_users(username="alice")
    assert wire(cs_sent("listVpnUsers")[0]) == {"username": "alice"}
    assert (listed.username, listed.extra["project_id"]) == ("alice", None)
    assert user.delete() is True  # its project goes with it
    assert driver.ex_remove_vpn_user("bob") is True
    assert [wire(p) for p in cs_sent("removeVpnUser")] == [
        {"username": "alice", "projectid": "p-1"}, {"username": "bob"}]


def test_private_gateways(driver: Any, cs_answer: Any, cs_answer_async: Any,
                          cs_sent: Any) -> None:
    cs_answer_async("createPrivateGateway", {"privategateway": GATEWAY}, entity_id="gw-1")
    cs_answer("listPrivateGateways", {"count": 1, "privategateway": [GATEWAY]})
    cs_answer_async("deletePrivateGateway", {"success": True})
    vpc = CloudStackVPC("shop", "off-1", "vpc-1", "10.50.0.0/16", driver)
    made = driver.ex_create_private_gateway(vpc, "172.16.5.1", "172.16.5.10", "255.255.255.0",
                                            105, acl_id="acl-1", source_nat_supported=False,
                                            physical_network_id=7,
                                            bypass_vlan_overlap_check=True)
    assert wire(cs_sent("createPrivateGateway")[0]) == {
        "vpcid": "vpc-1", "gateway": "172.16.5.1", "ipaddress": "172.16.5.10",
        "netmask": "255.255.255.0", "vlan": "105", "aclid": "acl-1",
        "sourcenatsupported": "false", "physicalnetworkid": "7",
        "bypassvlanoverlapcheck": "true"}
    assert isinstance(made, CloudStackPrivateGateway)
    assert (made.id, made.vpc_id, made.gateway, made.ip_address, made.netmask, made.vlan,
            made.state) == ("gw-1", "vpc-1", "172.16.5.1", "172.16.5.10", "255.255.255.0",
                            "vlan://105", "Ready")
    assert (made.extra["acl_name"], made.extra["source_nat_supported"],
            made.extra["vpc_name"]) == ("default_deny", False, "shop")
    assert driver.ex_list_private_gateways(vpc_id=vpc, vlan=105, state="Ready") == [made]
    assert wire(cs_sent("listPrivateGateways")[0]) == {"vpcid": "vpc-1", "vlan": "105",
                                                       "state": "Ready"}
    assert made.delete() is True
    assert wire(cs_sent("deletePrivateGateway")[0]) == {"id": "gw-1"}


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda d: d.ex_create_remote_access_vpn(None), TypeError,
     "'address' must be a CloudStackAddress or an id"),
    (lambda d: d.ex_create_remote_access_vpn("ip-1", open_firewall="yes"), TypeError,
     "'open_firewall' must be a bool"),
    (lambda d: d.ex_create_remote_access_vpn("ip-1", ip_range=""), ValueError,
     "'ip_range' must not be empty"),
    (lambda d: d.ex_list_remote_access_vpns(network_id=1.5), TypeError,
     "'network_id' must be a CloudStackNetwork or an id"),
    (lambda d: d.ex_delete_remote_access_vpn(CloudStackRemoteAccessVpn(
        "vpn-1", None, None, None, None, None)), TypeError, "'address' must be"),
    (lambda d: d.ex_add_vpn_user("", "pw1"), ValueError, "'username' must not be empty"),
    (lambda d: d.ex_add_vpn_user("alice", None), TypeError, "'password' must be a str"),
    (lambda d: d.ex_remove_vpn_user(7), TypeError, "'user' must be a str"),
    (lambda d: d.ex_list_vpn_users(list_all=1), TypeError, "'list_all' must be a bool"),
    (lambda d: d.ex_create_private_gateway("vpc-1", "172.16.5.1", "172.16.5.10", None),
     TypeError, "'netmask' must be a str"),
    (lambda d: d.ex_create_private_gateway("vpc-1", "172.16.5.1", "172.16.5.10",
                                           "255.255.255.0", vlan=1.5),
     TypeError, "'vlan' must be a VLAN id"),
    (lambda d: d.ex_create_private_gateway(object(), "a", "b", "c"), TypeError,
     "'vpc' must be a CloudStackVPC or an id"),
    (lambda d: d.ex_list_private_gateways(vlan=True), TypeError, "'vlan' must be a VLAN id"),
    (lambda d: d.ex_delete_private_gateway(None), TypeError,
     "'gateway' must be a CloudStackPrivateGateway or an id"),
])
def test_bad_input_is_refused_before_sending(driver: Any, refused: Any, call: Any,
                                             error: type[Exception], match: str) -> None:
    with refused(error, match=match):
        call(driver)
