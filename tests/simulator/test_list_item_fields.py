"""Every list command the simulator implements answers items with the fields a real 4.18
server fills: no name the spec does not list for the command (nested lists too), and every
spec field but those ``list_field_rules`` lets the simulator leave out, for a reason it gives.

One world (a module's simulator, over real HTTP) holds at least one object of every kind, made
with the optional parameters that fill optional fields; each list command is then held to the
rules, item by item.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from list_field_check import check_item
from list_field_rules import (
    GENERAL,
    NESTED_CHECKED,
    NESTED_OMIT,
    NESTED_WHEN,
    OMIT,
    OWNERLESS,
    WHEN,
    Ctx,
    Item,
)
from sim_helpers import KEY, SECRET, Api, body, run, signed, wait_job

from cloudstack_driver.simulator import Simulator, spec
from cloudstack_driver.simulator.registry import COMMANDS
from cloudstack_driver.simulator.seed import (
    ADVANCED_ZONE_ID,
    BASIC_ZONE_ID,
    DOMAIN_ID,
    TINY_LINUX_ID,
    add_service_offering,
)

TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"
SMALL_DISK = "d1b2c3a4-0001-4a00-8000-0000000000a1"
SCOPED_OFFERING = "5c0ffee0-0000-4000-8000-00000000d011"
LIST_COMMANDS = sorted(name for name, entry in COMMANDS.items() if entry.list_key is not None)
VM_ITEMS = "loadbalancerruleinstance"  # listLoadBalancerRuleInstances' plain items are VMs

Params = Callable[[Ctx], dict[str, Any]]


def _session_api(sim: Simulator, session: requests.Session) -> Api:
    def call(command: str, post: bool = False, **params: Any) -> requests.Response:
        data = signed(command, **params)
        if post:
            return session.post(sim.url, data=data, timeout=30)
        return session.get(sim.url, params=data, timeout=30)

    return call


def _ids(api: Api, command: str, key: str, **params: Any) -> set[str]:
    return {item["id"] for item in body(api(command, **params)).get(key, [])}


def _deploy(api: Api, zone: str, **params: Any) -> dict[str, Any]:
    vm: dict[str, Any] = run(api, "deployVirtualMachine", zoneid=zone, templateid=TINY_LINUX_ID,
                             serviceofferingid=TINY, **params)["virtualmachine"]
    return vm


def _basic_zone(api: Api, ctx: Ctx) -> None:
    run(api, "createSSHKeyPair", name="k")
    project = run(api, "createProject", name="p", displaytext="P")["project"]
    group = run(api, "createAffinityGroup", name="g", type="host affinity",
                description="spread")["affinitygroup"]
    web = _deploy(api, BASIC_ZONE_ID, name="web", keypair="k", affinitygroupids=group["id"],
                  userdata=base64.b64encode(b"hi").decode(), group="frontend")
    inproject = _deploy(api, BASIC_ZONE_ID, name="inproject", projectid=project["id"])
    run(api, "createTags", resourcetype="UserVm", resourceids=f"{web['id']},{inproject['id']}",
        **{"tags[0].key": "env", "tags[0].value": "test"})
    data = run(api, "createVolume", name="data", diskofferingid=SMALL_DISK,
               zoneid=BASIC_ZONE_ID)["volume"]
    run(api, "attachVolume", id=data["id"], virtualmachineid=web["id"])
    snap = run(api, "createSnapshot", volumeid=data["id"])["snapshot"]
    loose = run(api, "createVolume", name="loose", diskofferingid=SMALL_DISK,
                zoneid=BASIC_ZONE_ID)["volume"]
    run(api, "authorizeSecurityGroupIngress", securitygroupname="default", protocol="tcp",
        startport=22, endport=22, cidrlist="0.0.0.0/0")
    run(api, "authorizeSecurityGroupIngress", securitygroupname="default", protocol="tcp",
        startport=80, endport=80, **{"usersecuritygrouplist[0].group": "default",
                                     "usersecuritygrouplist[0].account": "admin"})
    run(api, "authorizeSecurityGroupEgress", securitygroupname="default", protocol="icmp",
        icmptype=8, icmpcode=0, cidrlist="0.0.0.0/0")
    ctx.update(project=project["id"], grouped={web["id"]}, keyed={web["id"]}, vm_snapshots={snap["id"]},
               loose_volumes={loose["id"]})


def _isolated_network(api: Api, ctx: Ctx) -> None:
    network = body(api("listNetworks", zoneid=ADVANCED_ZONE_ID))["network"][0]
    vm = _deploy(api, ADVANCED_ZONE_ID, name="adv", networkids=network["id"])
    forward, nat, balance = (run(api, "associateIpAddress", networkid=network["id"])["ipaddress"]
                             for _ in range(3))
    run(api, "createPortForwardingRule", ipaddressid=forward["id"], protocol="tcp",
        publicport=22, privateport=22, virtualmachineid=vm["id"])
    run(api, "createFirewallRule", ipaddressid=forward["id"], protocol="icmp", icmptype=8,
        icmpcode=0)
    run(api, "enableStaticNat", ipaddressid=nat["id"], virtualmachineid=vm["id"])
    run(api, "createIpForwardingRule", ipaddressid=nat["id"], protocol="tcp", startport=80)
    run(api, "createEgressFirewallRule", networkid=network["id"], protocol="tcp", startport=80)
    rule = run(api, "createLoadBalancerRule", name="lb", algorithm="roundrobin", publicport=80,
               privateport=8080, publicipid=balance["id"], description="front")["loadbalancer"]
    run(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=vm["id"])
    run(api, "createLBHealthCheckPolicy", lbruleid=rule["id"], description="ping")
    run(api, "createLBStickinessPolicy", lbruleid=rule["id"], methodname="LbCookie",
        name="sticky", description="by cookie")
    source = [ip for ip in body(api("listPublicIpAddresses", issourcenat="true"))[
        "publicipaddress"] if ip.get("associatednetworkid") == network["id"]]
    run(api, "createRemoteAccessVpn", publicipid=source[0]["id"])
    run(api, "addVpnUser", username="bob", password="secret")
    ctx.update(adv_vm=vm["id"], static_nat={vm["id"]}, lb_rule=rule["id"])


def _vpc(api: Api, ctx: Ctx) -> None:
    offering = body(api("listVPCOfferings"))["vpcoffering"][0]["id"]
    routers = _ids(api, "listRouters", "router")
    addresses = _ids(api, "listPublicIpAddresses", "publicipaddress")
    vpc = run(api, "createVPC", name="shop", displaytext="shop", cidr="10.50.0.0/16",
              zoneid=ADVANCED_ZONE_ID, vpcofferingid=offering)["vpc"]
    acl = run(api, "createNetworkACLList", name="web", vpcid=vpc["id"],
              description="web tier")["networkacllist"]
    run(api, "createNetworkACL", aclid=acl["id"], protocol="tcp", startport=22, endport=22,
        reason="ssh from anywhere")
    tier_offering = body(api("listNetworkOfferings", forvpc="true"))["networkoffering"][0]
    tier = run(api, "createNetwork", name="tier", displaytext="tier", zoneid=ADVANCED_ZONE_ID,
               networkofferingid=tier_offering["id"], vpcid=vpc["id"], gateway="10.50.1.1",
               netmask="255.255.255.0", aclid=acl["id"])["network"]
    vm = _deploy(api, ADVANCED_ZONE_ID, name="intier", networkids=tier["id"])
    gateway = run(api, "createVpnGateway", vpcid=vpc["id"])["vpngateway"]
    customer = run(api, "createVpnCustomerGateway", gateway="192.0.2.10", name="office",
                   cidrlist="172.16.0.0/16", ipsecpsk="secret", ikepolicy="aes128-sha1",
                   esppolicy="aes128-sha1")["vpncustomergateway"]
    run(api, "createVpnConnection", s2scustomergatewayid=customer["id"],
        s2svpngatewayid=gateway["id"])
    run(api, "createPrivateGateway", vpcid=vpc["id"], gateway="172.16.5.1",
        ipaddress="172.16.5.10", netmask="255.255.255.0", vlan="105")
    ctx.update(tiers={tier["id"]}, tier_vm=vm["id"],
               vpc_routers=_ids(api, "listRouters", "router") - routers,
               vpc_ips=_ids(api, "listPublicIpAddresses", "publicipaddress") - addresses)


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Api, Ctx]]:
    with Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.01) as sim:
        session = requests.Session()
        try:
            with sim.cloud.lock:
                add_service_offering(sim.cloud, oid=SCOPED_OFFERING, name="Scoped Instance",
                                     cpus=2, speed=1000, memory=2048, domainid=DOMAIN_ID,
                                     zoneid=BASIC_ZONE_ID, networkrate=100)
            api = _session_api(sim, session)
            ctx: Ctx = {"scoped_offerings": {SCOPED_OFFERING}}
            _basic_zone(api, ctx)
            _isolated_network(api, ctx)
            _vpc(api, ctx)
            yield api, ctx
        finally:
            session.close()


# The calls each list command is checked with (default: one call without parameters).
CALLS: dict[str, list[Params]] = {
    "listTemplates": [lambda ctx: {"templatefilter": "executable"}],
    "listNics": [lambda ctx: {"virtualmachineid": ctx["adv_vm"]},
                 lambda ctx: {"virtualmachineid": ctx["tier_vm"]}],
    "listLoadBalancerRuleInstances": [lambda ctx: {"id": ctx["lb_rule"]},
                                      lambda ctx: {"id": ctx["lb_rule"], "lbvmips": "true"}],
    "listLBHealthCheckPolicies": [lambda ctx: {"lbruleid": ctx["lb_rule"]}],
    "listLBStickinessPolicies": [lambda ctx: {"lbruleid": ctx["lb_rule"]}],
    "listResourceLimits": [lambda ctx: {}, lambda ctx: {"projectid": ctx["project"]}],
    **{name: [lambda ctx: {}, lambda ctx: {"projectid": "-1"}]
       for name in ("listVirtualMachines", "listVolumes", "listSecurityGroups", "listTags")},
}


def _items(api: Api, command: str, ctx: Ctx) -> list[tuple[str, Item]]:
    """(rules to apply, item) for every item of every call of ``command``."""
    out: list[tuple[str, Item]] = []
    for params in CALLS.get(command, [lambda ctx: {}]):
        answer = api(command, **params(ctx))
        assert answer.status_code == 200, answer.text
        inner = body(answer)
        key = next((k for k in inner if k != "count"), None)
        assert key is not None, f"{command} {params(ctx)} listed nothing"
        like = "listVirtualMachines" if key == VM_ITEMS else command
        out += [(like, item) for item in inner[key]]
    return out


@pytest.mark.parametrize("command", LIST_COMMANDS)
def test_list_items_carry_the_fields_a_real_server_fills(
        world: tuple[Api, Ctx], command: str) -> None:
    api, ctx = world
    items = _items(api, command, ctx)
    problems: list[str] = []
    for like, item in items:
        problems += check_item(like, item, ctx, command)
        if command == "listLoadBalancerRuleInstances" and like == command:  # lbvmips=true
            problems += check_item("listVirtualMachines", item[VM_ITEMS], ctx,
                                   f"{command}.{VM_ITEMS}")
    assert items
    assert problems == []


def test_every_rule_is_about_a_list_command_checked_here() -> None:
    """The parametrized test above covers every registered list command; a rule or a call
    naming anything else (a renamed or dropped command) is stale."""
    assert {"listProjects", "listRouters", "listNetworkACLLists", "listVirtualMachines",
            "listServiceOfferings", "listZones"} <= set(LIST_COMMANDS)
    named = set(CALLS) | set(OMIT) | set(WHEN) | set(OWNERLESS)
    named |= {command for command, _key in [*NESTED_CHECKED, *NESTED_OMIT, *NESTED_WHEN]}
    assert named <= set(LIST_COMMANDS)


def test_the_rules_name_spec_fields_only() -> None:
    """A rule naming a field the spec lacks (a typo) would excuse nothing: refuse it."""
    for command, groups in OMIT.items():
        for group, reason in groups:
            assert group <= set(spec.response_fields(command)), (command, reason)
            assert reason
    for command, rules in WHEN.items():
        for reason, _applies, group in rules:
            assert group <= set(spec.response_fields(command)), (command, reason)
    for (command, key), groups in NESTED_OMIT.items():
        nested = spec.response_fields(command)[key]
        for group, reason in groups:
            assert group <= set(nested), (command, key, reason)
    for (command, key), rules in NESTED_WHEN.items():
        nested = spec.response_fields(command)[key]
        for reason, _applies, group in rules:
            assert group <= set(nested), (command, key, reason)


def test_check_item_reports_each_kind_of_problem() -> None:
    """The checker itself finds an invented key, a missing field and an omitted one present."""
    ctx: Ctx = {}
    zone = {name: "x" for name in spec.response_fields("listZones")}
    for group, _reason in [*GENERAL, *OMIT["listZones"]]:
        for name in group:
            zone.pop(name, None)
    assert check_item("listZones", zone, ctx, "z") == []
    wrong = {**zone, "zonetokens": "t", "capacity": []}
    del wrong["zonetoken"]
    problems = check_item("listZones", wrong, ctx, "z")
    assert any("not in the spec: ['zonetokens']" in p for p in problems)
    assert any("missing: ['zonetoken']" in p for p in problems)
    assert any("present though a rule omits them: ['capacity']" in p for p in problems)


# -- what the new fields hold ---------------------------------------------------------------


def _one(api: Api, command: str, key: str, **params: Any) -> dict[str, Any]:
    items: list[dict[str, Any]] = body(api(command, **params))[key]
    assert len(items) == 1, items
    return items[0]


def test_project_limits_and_usage(world: tuple[Api, Ctx]) -> None:
    api, ctx = world
    project = _one(api, "listProjects", "project", id=ctx["project"])
    vm = _one(api, "listVirtualMachines", "virtualmachine", projectid=ctx["project"])
    [root] = body(api("listVolumes", projectid=ctx["project"]))["volume"]
    assert (project["vmlimit"], project["vmtotal"], project["vmavailable"]) == ("20", 1, "19")
    assert (project["vmrunning"], project["vmstopped"]) == (1, 0)
    assert (project["cputotal"], project["memorytotal"]) == (vm["cpunumber"], vm["memory"])
    assert project["cpuavailable"] == str(40 - vm["cpunumber"])
    assert (project["volumetotal"], project["primarystoragetotal"]) == (
        1, root["size"] // 1024 ** 3)
    assert (project["iptotal"], project["vpctotal"], project["networktotal"]) == (0, 0, 0)
    assert project["secondarystoragelimit"] == "400"
    assert project["projectaccountname"].startswith("PrjAcct-p-")
    assert project["owner"][0]["account"] == "admin"
    limits = body(api("listResourceLimits", projectid=ctx["project"]))["resourcelimit"]
    assert {r["resourcetypename"]: r["max"] for r in limits}["user_vm"] == 20
    assert {r["projectid"] for r in limits} == {ctx["project"]}


def test_router_nics_and_legacy_fields(world: tuple[Api, Ctx]) -> None:
    api, ctx = world
    network = body(api("listNetworks", zoneid=ADVANCED_ZONE_ID, type="Isolated"))["network"]
    isolated = next(n for n in network if n["id"] not in ctx["tiers"])
    router = _one(api, "listRouters", "router", networkid=isolated["id"])
    nics = {nic["traffictype"]: nic for nic in router["nic"]}
    assert set(nics) == {"Control", "Public", "Guest"}
    assert (router["guestipaddress"], router["guestmacaddress"], router["guestnetworkid"]) == (
        isolated["gateway"], nics["Guest"]["macaddress"], isolated["id"])
    assert (router["publicip"], router["publicmacaddress"], router["gateway"]) == (
        nics["Public"]["ipaddress"], nics["Public"]["macaddress"], nics["Public"]["gateway"])
    assert router["linklocalip"].startswith("169.254.")
    assert router["linklocalnetmask"] == nics["Control"]["netmask"] == "255.255.0.0"
    assert nics["Public"]["isdefault"] is True and nics["Guest"]["isdefault"] is False
    zone = _one(api, "listZones", "zone", id=ADVANCED_ZONE_ID)
    assert (router["dns1"], router["dns2"]) == (zone["dns1"], zone["dns2"])
    [vpc_router] = ctx["vpc_routers"]
    tier_router = _one(api, "listRouters", "router", networkid=next(iter(ctx["tiers"])))
    assert tier_router["id"] == vpc_router and tier_router["vpcname"] == "shop"
    assert tier_router["guestipaddress"] == "10.50.1.1"


def test_offerings_zones_and_acl_lists(world: tuple[Api, Ctx]) -> None:
    api, _ctx = world
    offerings = {o["id"]: o for o in body(api("listServiceOfferings"))["serviceoffering"]}
    scoped = offerings.pop(SCOPED_OFFERING)
    assert (scoped["domainid"], scoped["zoneid"], scoped["networkrate"]) == (
        DOMAIN_ID, BASIC_ZONE_ID, 100)
    assert all("domainid" not in o and o["networkrate"] == 200 for o in offerings.values())
    tokens = {z["zonetoken"] for z in body(api("listZones"))["zone"]}
    assert len(tokens) == 2  # one per zone
    [vpc] = body(api("listVPCs"))["vpc"]
    [acl] = body(api("listNetworkACLLists", vpcid=vpc["id"]))["networkacllist"]
    assert (acl["vpcid"], acl["vpcname"]) == (vpc["id"], "shop")


def test_vm_usage_and_offering_fields(world: tuple[Api, Ctx]) -> None:
    api, ctx = world
    vm = _one(api, "listVirtualMachines", "virtualmachine", id=ctx["adv_vm"])
    assert vm["cpuused"].endswith("%")
    assert all(isinstance(vm[k], int) for k in ("networkkbsread", "networkkbswrite",
                                                 "diskkbsread", "diskioread", "diskiowrite"))
    assert vm["memorykbs"] == vm["memory"] * 1024
    offering = _one(api, "listServiceOfferings", "serviceoffering", id=vm["serviceofferingid"])
    assert vm["diskofferingid"] == offering["diskofferingid"]
    [root] = body(api("listVolumes", virtualmachineid=vm["id"], type="ROOT"))["volume"]
    assert root["diskofferingid"] == offering["diskofferingid"]
    assert (vm["userid"], vm["username"]) != (None, None)


def test_pending_job_shows_on_the_vm() -> None:
    """While a job acts on a VM its items name the job and jobstatus 0; after, neither."""
    with Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.01) as sim:
        session = requests.Session()
        try:
            api = _session_api(sim, session)
            vm = _deploy(api, BASIC_ZONE_ID, name="busy")
            listed = _one(api, "listVirtualMachines", "virtualmachine", id=vm["id"])
            assert "jobid" not in listed and "jobstatus" not in listed
            assert ("hostid" in listed, listed["state"]) == (True, "Running")
            sim.cloud.jobs.duration = 3600  # the next job outlasts the test
            jobid = body(api("stopVirtualMachine", post=True, id=vm["id"]))["jobid"]
            listed = _one(api, "listVirtualMachines", "virtualmachine", id=vm["id"])
            assert (listed["jobid"], listed["jobstatus"], listed["state"]) == (
                jobid, 0, "Stopping")
            job = next(j for j in body(api("listAsyncJobs"))["asyncjobs"] if j["jobid"] == jobid)
            assert job["jobstatus"] == 0 and "jobresult" not in job and "completed" not in job
            assert check_item("listAsyncJobs", job, {}, "listAsyncJobs") == []
            sim.cloud.jobs.duration = 0.01
            second = body(api("startVirtualMachine", post=True, id=vm["id"]))["jobid"]
            wait_job(api, second)
            listed = _one(api, "listVirtualMachines", "virtualmachine", id=vm["id"])
            assert listed["jobid"] == jobid  # the stop job still runs: its id stays
        finally:
            session.close()
