"""Simulator handlers: VPCs, tiers, routers, network ACLs and site-to-site VPN."""

from __future__ import annotations

from typing import Any

import pytest
from test_network_support import ADVANCED_ZONE_ID, BASIC_ZONE_ID, Env, env_fixture  # noqa: F401

from cloudstack_driver.simulator.errors import ApiError


def _vpc(env: Env, cidr: str = "10.10.0.0/16") -> dict[str, Any]:
    offering = env.run("listVPCOfferings")[0]["id"]
    ticket = env.call("createVPC", name="v", displaytext="v", cidr=cidr, zoneid=ADVANCED_ZONE_ID,
                      vpcofferingid=offering)
    pending = env.run("listVPCs", id=ticket.instance_id)[0]
    assert pending["jobid"] == ticket.jobid
    vpc: dict[str, Any] = env.finish(ticket)["vpc"]
    assert vpc["id"] == ticket.instance_id
    return vpc


def _tier(env: Env, vpc: dict[str, Any], gateway: str, **params: Any) -> dict[str, Any]:
    offering = env.run("listNetworkOfferings", forvpc=True)[0]["id"]
    tier: dict[str, Any] = env.run(
        "createNetwork", name=f"t-{gateway}", displaytext="tier", zoneid=ADVANCED_ZONE_ID,
        networkofferingid=offering, vpcid=vpc["id"], gateway=gateway,
        netmask="255.255.255.0", **params)["network"]
    return tier


def test_vpc_gets_router_and_source_nat(env: Env) -> None:
    vpc = _vpc(env)
    routers = env.run("listRouters", vpcid=vpc["id"])
    ips = env.run("listPublicIpAddresses", vpcid=vpc["id"])
    assert [ip["issourcenat"] for ip in ips] == [True]
    assert [r["publicip"] for r in routers] == [ips[0]["ipaddress"]]


def test_vpc_refused_in_basic_zone(env: Env) -> None:
    offering = env.run("listVPCOfferings")[0]["id"]
    with pytest.raises(ApiError) as info:
        env.call("createVPC", name="v", displaytext="v", cidr="10.0.0.0/16",
                 zoneid=BASIC_ZONE_ID, vpcofferingid=offering)
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
    assert "security group enabled" in info.value.errortext


def test_tiers_must_fit_the_vpc_and_not_overlap(env: Env) -> None:
    vpc = _vpc(env)
    tier = _tier(env, vpc, "10.10.1.1")
    assert (tier["vpcid"], tier["cidr"], tier["aclname"]) == (vpc["id"], "10.10.1.0/24",
                                                             "default_deny")
    for gateway in ("10.10.1.129", "192.168.0.1"):
        with pytest.raises(ApiError) as info:
            _tier(env, vpc, gateway)
        assert info.value.errorcode == 431
    assert [n["id"] for n in env.run("listVPCs", id=vpc["id"])[0]["network"]] == [tier["id"]]


def test_vpc_cannot_be_deleted_while_tiers_exist(env: Env) -> None:
    vpc = _vpc(env)
    tier = _tier(env, vpc, "10.10.1.1")
    with pytest.raises(ApiError) as info:
        env.run("deleteVPC", id=vpc["id"])
    assert info.value.errorcode == 431
    env.run("deleteNetwork", id=tier["id"])
    env.run("deleteVPC", id=vpc["id"])
    assert env.run("listVPCs") == []
    assert env.run("listRouters", vpcid=vpc["id"]) == []
    assert env.run("listPublicIpAddresses", vpcid=vpc["id"]) == []


def test_acl_lists_and_items(env: Env) -> None:
    vpc = _vpc(env)
    defaults = {a["name"] for a in env.run("listNetworkACLLists")}
    assert defaults == {"default_allow", "default_deny"}
    acl = env.run("createNetworkACLList", name="web", vpcid=vpc["id"])["networkacllist"]
    item = env.run("createNetworkACL", aclid=acl["id"], protocol="tcp", startport=80,
                   endport=80, cidrlist="0.0.0.0/0", action="allow",
                   traffictype="ingress")["networkacl"]
    assert (item["number"], item["action"], item["traffictype"]) == (1, "Allow", "Ingress")
    with pytest.raises(ApiError) as info:
        env.call("createNetworkACL", aclid=acl["id"], protocol="udp", number=1, startport=53)
    assert info.value.errorcode == 431
    deny = env.run("listNetworkACLLists", name="default_deny")[0]
    with pytest.raises(ApiError) as info:
        env.call("createNetworkACL", aclid=deny["id"], protocol="all")
    assert "Default ACL" in info.value.errortext
    tier = _tier(env, vpc, "10.10.2.1", aclid=acl["id"])
    with pytest.raises(ApiError) as info:
        env.run("deleteNetworkACLList", id=acl["id"])
    assert info.value.errorcode == 431
    env.run("replaceNetworkACLList", aclid=deny["id"], networkid=tier["id"])
    assert env.cloud.find_record("network", tier["id"])["aclid"] == deny["id"]
    assert [i["id"] for i in env.run("listNetworkACLs", aclid=acl["id"])] == [item["id"]]
    env.run("deleteNetworkACL", id=item["id"])
    env.run("deleteNetworkACLList", id=acl["id"])
    assert {a["name"] for a in env.run("listNetworkACLLists")} == defaults


def test_vpc_port_forwarding_associates_the_ip_with_the_tier(env: Env) -> None:
    vpc = _vpc(env)
    tier = _tier(env, vpc, "10.10.3.1")
    vm = env.vm(tier)
    ip = env.run("associateIpAddress", vpcid=vpc["id"])["ipaddress"]
    assert "associatednetworkid" not in ip
    with pytest.raises(ApiError) as info:
        env.call("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp", publicport=22,
                 privateport=22, virtualmachineid=vm["id"])
    assert "specify networkid" in info.value.errortext
    env.run("createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp", publicport=22,
            privateport=22, virtualmachineid=vm["id"], networkid=tier["id"])
    assert env.run("listPublicIpAddresses", id=ip["id"])[0]["associatednetworkid"] == tier["id"]
    assert env.run("listFirewallRules") == []  # VPCs filter with ACLs, not firewall rules


def test_site_to_site_vpn(env: Env) -> None:
    vpc = _vpc(env)
    gateway = env.run("createVpnGateway", vpcid=vpc["id"])["vpngateway"]
    source = env.run("listPublicIpAddresses", vpcid=vpc["id"], issourcenat=True)[0]
    assert gateway["publicip"] == source["ipaddress"]
    with pytest.raises(ApiError) as info:
        env.call("createVpnGateway", vpcid=vpc["id"])
    assert info.value.errorcode == 431
    customer = env.run("createVpnCustomerGateway", gateway="192.0.2.10", cidrlist="172.16.0.0/16",
                       ipsecpsk="secret", ikepolicy="aes128-sha1", esppolicy="aes128-sha1",
                       name="office")["vpncustomergateway"]
    conn = env.run("createVpnConnection", s2scustomergatewayid=customer["id"],
                   s2svpngatewayid=gateway["id"])["vpnconnection"]
    assert (conn["state"], conn["gateway"]) == ("Connected", "192.0.2.10")
    assert [c["id"] for c in env.run("listVpnConnections", vpcid=vpc["id"])] == [conn["id"]]
    with pytest.raises(ApiError) as info:
        env.run("deleteVpnCustomerGateway", id=customer["id"])
    assert info.value.errorcode == 536
    env.run("deleteVPC", id=vpc["id"])
    assert (env.run("listVpnGateways"), env.run("listVpnConnections")) == ([], [])
    env.run("deleteVpnCustomerGateway", id=customer["id"])
    assert env.run("listVpnCustomerGateways") == []
