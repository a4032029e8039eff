"""Simulator handlers: security groups, networks, offerings and NICs."""

from __future__ import annotations

import pytest
from test_network_support import ADVANCED_ZONE_ID, BASIC_ZONE_ID, Env, env_fixture  # noqa: F401

from cloudstack_driver.simulator.errors import ApiError
from cloudstack_driver.simulator.handlers.networks import allocate_nic, release_nics
from cloudstack_driver.simulator.handlers.security_groups import check_security_groups
from cloudstack_driver.simulator.registry import Call


def _zone(env: Env, zid: str) -> dict:
    return env.cloud.get("zone", zid, command="t")


# -- seed -----------------------------------------------------------------------------------


def test_seed_builds_offerings_networks_and_default_group(env: Env) -> None:
    offerings = {o["name"]: o for o in env.run("listNetworkOfferings")}
    assert offerings["DefaultSharedNetworkOfferingWithSGService"]["guestiptype"] == "Shared"
    assert offerings["DefaultIsolatedNetworkOfferingForVpcNetworks"]["forvpc"] is True
    isolated = offerings["DefaultIsolatedNetworkOfferingWithSourceNatService"]
    assert {"SourceNat", "StaticNat", "PortForwarding", "Firewall"} <= {
        s["name"] for s in isolated["service"]}
    basic = env.run("listNetworks", zoneid=BASIC_ZONE_ID)
    assert [(n["cidr"], n["type"], n["canusefordeploy"]) for n in basic] == [
        ("185.19.28.0/22", "Shared", True)]
    advanced = env.run("listNetworks", zoneid=ADVANCED_ZONE_ID)
    assert [(n["name"], n["cidr"]) for n in advanced] == [("defaultGuestNetwork", "10.1.1.0/24")]
    ips = env.run("listPublicIpAddresses")
    assert [(ip["associatednetworkid"], ip["issourcenat"]) for ip in ips] == [
        (advanced[0]["id"], True)]
    assert [g["name"] for g in env.run("listSecurityGroups")] == ["default"]
    assert [o["name"] for o in env.run("listVPCOfferings")] == ["Default VPC offering"]


def test_offerings_filtered_by_zone_and_vpc(env: Env) -> None:
    in_basic = env.run("listNetworkOfferings", zoneid=BASIC_ZONE_ID)
    assert {o["guestiptype"] for o in in_basic} == {"Shared"}
    assert [o["name"] for o in env.run("listNetworkOfferings", forvpc=True)] == [
        "DefaultIsolatedNetworkOfferingForVpcNetworks"]


# -- security groups ------------------------------------------------------------------------


def test_security_group_create_duplicate_and_delete(env: Env) -> None:
    group = env.run("createSecurityGroup", name="web", description="w")["securitygroup"]
    assert (group["name"], group["ingressrule"], group["account"]) == ("web", [], "admin")
    with pytest.raises(ApiError) as info:
        env.run("createSecurityGroup", name="web")
    assert (info.value.errorcode, info.value.errortext) == (
        431, "security group with name web already exists")
    assert env.run("deleteSecurityGroup", name="web") == {"success": True}
    assert [g["name"] for g in env.run("listSecurityGroups")] == ["default"]


def test_default_group_cannot_be_deleted(env: Env) -> None:
    with pytest.raises(ApiError) as info:
        env.run("deleteSecurityGroup", name="default")
    assert info.value.errorcode == 431


def test_group_in_use_cannot_be_deleted(env: Env) -> None:
    group = env.run("createSecurityGroup", name="db")["securitygroup"]
    shared = env.default_network(BASIC_ZONE_ID)
    env.vm(shared, securitygroup=[{"id": group["id"], "name": "db"}])
    with pytest.raises(ApiError) as info:
        env.run("deleteSecurityGroup", id=group["id"])
    assert (info.value.errorcode, info.value.cserrorcode) == (536, 4375)
    listed = env.run("listSecurityGroups", securitygroupname="db")[0]
    assert listed["virtualmachinecount"] == 1


def test_authorize_and_revoke_ingress(env: Env) -> None:
    result = env.run("authorizeSecurityGroupIngress", securitygroupname="default",
                     protocol="TCP", startport=22, endport=22, cidrlist="0.0.0.0/0,10.0.0.0/8")
    rules = result["securitygroup"]["ingressrule"]
    assert [(r["protocol"], r["startport"], r["endport"], r["cidr"]) for r in rules] == [
        ("tcp", 22, 22, "0.0.0.0/0"), ("tcp", 22, 22, "10.0.0.0/8")]
    with pytest.raises(ApiError) as info:  # the same rules again: nothing new to add
        env.run("authorizeSecurityGroupIngress", securitygroupname="default", protocol="tcp",
                startport=22, endport=22, cidrlist="0.0.0.0/0")
    assert info.value.errorcode == 530
    assert env.run("revokeSecurityGroupIngress", id=rules[0]["ruleid"]) == {"success": True}
    left = env.run("listSecurityGroups", securitygroupname="default")[0]["ingressrule"]
    assert [r["ruleid"] for r in left] == [rules[1]["ruleid"]]


def test_authorize_egress_icmp_defaults(env: Env) -> None:
    result = env.run("authorizeSecurityGroupEgress", securitygroupname="default",
                     protocol="icmp", cidrlist="0.0.0.0/0")
    rule = result["securitygroup"]["egressrule"][0]
    assert (rule["icmptype"], rule["icmpcode"]) == (-1, -1)


@pytest.mark.parametrize("params", [
    {"protocol": "tcp", "cidrlist": "0.0.0.0/0"},  # no port
    {"protocol": "tcp", "startport": 30, "endport": 20, "cidrlist": "0.0.0.0/0"},
    {"protocol": "tcp", "startport": 22},  # neither cidr nor group
    {"protocol": "tcp", "startport": 22, "cidrlist": "not-a-cidr"},
    {"protocol": "gre", "cidrlist": "0.0.0.0/0"},
])
def test_authorize_refuses_bad_rules(env: Env, params: dict) -> None:
    with pytest.raises(ApiError) as info:
        env.call("authorizeSecurityGroupIngress", securitygroupname="default", **params)
    assert info.value.errorcode == 431


def test_check_security_groups(env: Env) -> None:
    call = Call(env.cloud, "deployVirtualMachine", {})
    basic, advanced = _zone(env, BASIC_ZONE_ID), _zone(env, ADVANCED_ZONE_ID)
    env.run("createSecurityGroup", name="web")
    assert [g["name"] for g in check_security_groups(env.cloud, call, basic, ["web"], [])] == [
        "web"]
    assert [g["name"] for g in check_security_groups(env.cloud, call, basic, [], [])] == [
        "default"]
    assert check_security_groups(env.cloud, call, advanced, [], []) == []
    with pytest.raises(ApiError) as info:
        check_security_groups(env.cloud, call, advanced, ["web"], [])
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
    assert "security group feature is not enabled" in info.value.errortext
    with pytest.raises(ApiError) as info:
        check_security_groups(env.cloud, call, basic, ["nope"], [])
    assert info.value.errorcode == 431


# -- networks -------------------------------------------------------------------------------


def _isolated_offering(env: Env, vpc: bool = False) -> str:
    name = ("DefaultIsolatedNetworkOfferingForVpcNetworks" if vpc
            else "DefaultIsolatedNetworkOfferingWithSourceNatService")
    return str(env.run("listNetworkOfferings", name=name)[0]["id"])


def test_create_isolated_network_gets_router_and_source_nat(env: Env) -> None:
    net = env.run("createNetwork", name="app", displaytext="app", zoneid=ADVANCED_ZONE_ID,
                  networkofferingid=_isolated_offering(env), gateway="10.2.0.1",
                  netmask="255.255.255.0")["network"]
    assert (net["cidr"], net["type"], net["gateway"]) == ("10.2.0.0/24", "Isolated", "10.2.0.1")
    assert [ip["issourcenat"] for ip in env.run("listPublicIpAddresses",
                                                associatednetworkid=net["id"])] == [True]
    assert len(env.run("listRouters", networkid=net["id"])) == 1
    assert env.run("deleteNetwork", id=net["id"]) == {"success": True}
    assert env.run("listPublicIpAddresses", associatednetworkid=net["id"]) == []
    assert env.run("listRouters", networkid=net["id"]) == []


def test_isolated_network_refused_in_basic_zone(env: Env) -> None:
    with pytest.raises(ApiError) as info:
        env.run("createNetwork", name="x", displaytext="x", zoneid=BASIC_ZONE_ID,
                networkofferingid=_isolated_offering(env))
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)


def test_vpc_offering_needs_vpc(env: Env) -> None:
    with pytest.raises(ApiError) as info:
        env.run("createNetwork", name="x", displaytext="x", zoneid=ADVANCED_ZONE_ID,
                networkofferingid=_isolated_offering(env, vpc=True))
    assert "VPC networks only" in info.value.errortext


def test_delete_network_with_vm_fails_in_job(env: Env) -> None:
    net = env.default_network()
    env.vm(net)
    with pytest.raises(ApiError) as info:
        env.run("deleteNetwork", id=net["id"])
    assert info.value.errorcode == 536
    assert env.cloud.find_record("network", net["id"]) is not None


def test_project_networks_hidden_without_projectid(env: Env) -> None:
    project = env.cloud.add("project", {"name": "p1", "state": "Active"})
    net = env.run("createNetwork", name="p", displaytext="p", zoneid=ADVANCED_ZONE_ID,
                  networkofferingid=_isolated_offering(env), projectid=project["id"])["network"]
    assert net["id"] not in {n["id"] for n in env.run("listNetworks")}
    assert net["id"] in {n["id"] for n in env.run("listNetworks", projectid=project["id"])}
    assert net["id"] in {n["id"] for n in env.run("listNetworks", projectid="-1")}


# -- NICs and addresses -----------------------------------------------------------------------


def test_allocate_nic_reserves_addresses(env: Env) -> None:
    net = env.default_network()
    first, second = env.vm(net, "a"), env.vm(net, "b")
    a, b = first["nic"][0]["ipaddress"], second["nic"][0]["ipaddress"]
    assert a != b and a.startswith("10.1.1.") and a != net["gateway"]
    call = Call(env.cloud, "deployVirtualMachine", {})
    with pytest.raises(ApiError) as info:
        allocate_nic(env.cloud, call, net, first, ipaddress=a)
    assert info.value.errorcode == 431
    with pytest.raises(ApiError) as info:
        allocate_nic(env.cloud, call, net, first, ipaddress="192.168.9.9")
    assert info.value.errorcode == 431
    assert allocate_nic(env.cloud, call, net, first, ipaddress=a,
                        allow_duplicate=True)["ipaddress"] == a
    release_nics(env.cloud, first)
    again = allocate_nic(env.cloud, call, net, second, ipaddress=a)
    assert again["ipaddress"] == a


def test_add_list_and_remove_nic(env: Env) -> None:
    net = env.default_network()
    vm = env.vm(net)
    other = env.run("createNetwork", name="two", displaytext="two", zoneid=ADVANCED_ZONE_ID,
                    networkofferingid=_isolated_offering(env), gateway="10.3.0.1",
                    netmask="255.255.255.0")["network"]
    result = env.run("addNicToVirtualMachine", virtualmachineid=vm["id"], networkid=other["id"],
                     ipaddress="10.3.0.50")
    assert [n["ipaddress"] for n in result["virtualmachine"]["nic"]][1] == "10.3.0.50"
    nics = env.run("listNics", virtualmachineid=vm["id"])
    assert [(n["isdefault"], n["networkid"]) for n in nics] == [(True, net["id"]),
                                                               (False, other["id"])]
    with pytest.raises(ApiError) as info:
        env.run("addNicToVirtualMachine", virtualmachineid=vm["id"], networkid=other["id"])
    assert info.value.errorcode == 530
    with pytest.raises(ApiError) as info:
        env.run("removeNicFromVirtualMachine", virtualmachineid=vm["id"], nicid=nics[0]["id"])
    assert info.value.errorcode == 431
    env.run("removeNicFromVirtualMachine", virtualmachineid=vm["id"], nicid=nics[1]["id"])
    assert [n["id"] for n in env.run("listNics", virtualmachineid=vm["id"])] == [nics[0]["id"]]
    assert "10.3.0.50" not in other["_ips"]


def test_add_nic_refused_in_basic_zone(env: Env) -> None:
    shared = env.default_network(BASIC_ZONE_ID)
    vm = env.vm(shared)
    with pytest.raises(ApiError) as info:
        env.run("addNicToVirtualMachine", virtualmachineid=vm["id"], networkid=shared["id"])
    assert "Basic" in info.value.errortext
