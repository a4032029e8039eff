"""Load-balancer rules and their policies over real HTTP (plain signed requests)."""

from __future__ import annotations

from typing import Any

import pytest
from sim_helpers import Api, body, fail, run, wait_job

from cloudstack_driver.simulator.seed import ADVANCED_ZONE_ID, TINY_LINUX_ID

TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"
UNKNOWN = "0f0e0d0c-0b0a-4909-8807-060504030201"


def _network(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = body(api("listNetworks", zoneid=ADVANCED_ZONE_ID))["network"][0]
    return found


def _vm(api: Api, network: dict[str, Any], name: str) -> dict[str, Any]:
    vm: dict[str, Any] = run(api, "deployVirtualMachine", zoneid=ADVANCED_ZONE_ID,
                             templateid=TINY_LINUX_ID, serviceofferingid=TINY, name=name,
                             networkids=network["id"])["virtualmachine"]
    return vm


def _ip(api: Api, network: dict[str, Any]) -> dict[str, Any]:
    ip: dict[str, Any] = run(api, "associateIpAddress", networkid=network["id"])["ipaddress"]
    return ip


def _rule(api: Api, ip: dict[str, Any], **params: Any) -> dict[str, Any]:
    values = {"name": "web", "algorithm": "roundrobin", "publicport": 80, "privateport": 8080,
              "publicipid": ip["id"], **params}
    rule: dict[str, Any] = run(api, "createLoadBalancerRule", **values)["loadbalancer"]
    return rule


def _error(api: Api, command: str, **params: Any) -> dict[str, Any]:
    """The error body of a command refused at once (HTTP status = errorcode)."""
    answer = api(command, post=True, **params)
    inner = body(answer)
    assert answer.status_code == inner["errorcode"], answer.text
    return inner


def _items(api: Api, command: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = body(api(command, **params)).get(key, [])
    return items


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    network = _network(api)
    return {"network": network, "ip": _ip(api, network), "web1": _vm(api, network, "web1"),
            "web2": _vm(api, network, "web2")}


def test_a_rule_from_creation_to_deletion(api: Api, world: dict[str, Any]) -> None:
    ip, network, web1, web2 = world["ip"], world["network"], world["web1"], world["web2"]
    answer = body(api("createLoadBalancerRule", post=True, name="web", algorithm="roundrobin",
                      publicport=80, privateport=8080, publicipid=ip["id"],
                      description="front door"))
    assert set(answer) == {"jobid", "id"}  # async, the rule's id known at once
    done = wait_job(api, answer["jobid"])
    rule = done["jobresult"]["loadbalancer"]
    assert (rule["id"], rule["state"], rule["publicip"], rule["publicport"], rule["privateport"],
            rule["algorithm"], rule["networkid"], rule["protocol"], rule["zoneid"]) == (
        answer["id"], "Active", ip["ipaddress"], "80", "8080", "roundrobin", network["id"],
        "tcp", ADVANCED_ZONE_ID)
    assert rule["account"] == "admin" and rule["description"] == "front door"
    [listed] = _items(api, "listLoadBalancerRules", "loadbalancerrule")
    # the job's result was made while its job ran: it names that job, as the server's does
    assert (rule.pop("jobid"), rule.pop("jobstatus")) == (answer["jobid"], 0)
    assert listed == rule
    # openfirewall defaults to true outside VPCs: the public port is opened
    walls = _items(api, "listFirewallRules", "firewallrule", ipaddressid=ip["id"])
    assert [(w["protocol"], w["startport"], w["endport"]) for w in walls] == [("tcp", 80, 80)]

    assert run(api, "assignToLoadBalancerRule", id=rule["id"],
               virtualmachineids=f"{web1['id']},{web2['id']}") == {"success": True}
    members = _items(api, "listLoadBalancerRuleInstances", "loadbalancerruleinstance",
                     id=rule["id"])
    assert sorted(m["name"] for m in members) == ["web1", "web2"]
    assert {m["nic"][0]["ipaddress"] for m in members} == {
        web1["nic"][0]["ipaddress"], web2["nic"][0]["ipaddress"]}
    with_ips = _items(api, "listLoadBalancerRuleInstances", "lbrulevmidip", id=rule["id"],
                      lbvmips="true")
    assert sorted((m["loadbalancerruleinstance"]["name"], m["lbvmipaddresses"])
                  for m in with_ips) == [("web1", [web1["nic"][0]["ipaddress"]]),
                                         ("web2", [web2["nic"][0]["ipaddress"]])]
    assert body(api("listLoadBalancerRuleInstances", id=rule["id"], applied="false")) == {}
    assert [r["id"] for r in _items(api, "listLoadBalancerRules", "loadbalancerrule",
                                     virtualmachineid=web2["id"])] == [rule["id"]]

    run(api, "removeFromLoadBalancerRule", id=rule["id"], virtualmachineids=web2["id"])
    assert [m["name"] for m in _items(api, "listLoadBalancerRuleInstances",
                                      "loadbalancerruleinstance", id=rule["id"])] == ["web1"]
    assert [m["name"] for m in _items(api, "listLoadBalancerRuleInstances",
                                      "loadbalancerruleinstance", id=rule["id"],
                                      applied="false")] == ["web2"]

    updated = run(api, "updateLoadBalancerRule", id=rule["id"], name="front",
                  algorithm="leastconn")["loadbalancer"]
    assert (updated["name"], updated["algorithm"], updated["publicport"]) == (
        "front", "leastconn", "80")

    assert run(api, "deleteLoadBalancerRule", id=rule["id"]) == {"success": True}
    assert body(api("listLoadBalancerRules")) == {}
    assert body(api("listFirewallRules", ipaddressid=ip["id"])) == {}


def test_rule_filters_and_paging(api: Api, world: dict[str, Any]) -> None:
    ip = world["ip"]
    rules = [_rule(api, ip, name=f"r{port}", publicport=port) for port in (80, 443, 8443)]
    listed = _items(api, "listLoadBalancerRules", "loadbalancerrule", name="r443")
    assert [r["id"] for r in listed] == [rules[1]["id"]]
    assert body(api("listLoadBalancerRules", keyword="r8"))["count"] == 2  # r80, r8443
    assert body(api("listLoadBalancerRules", publicipid=ip["id"]))["count"] == 3
    page = body(api("listLoadBalancerRules", page=2, pagesize=2))
    assert page["count"] == 3 and len(page["loadbalancerrule"]) == 1
    run(api, "createTags", resourcetype="LoadBalancer", resourceids=rules[0]["id"],
        **{"tags[0].key": "tier", "tags[0].value": "front"})
    tagged = _items(api, "listLoadBalancerRules", "loadbalancerrule",
                    **{"tags[0].key": "tier", "tags[0].value": "front"})
    assert [r["id"] for r in tagged] == [rules[0]["id"]]
    assert tagged[0]["tags"][0]["resourcetype"] == "LoadBalancer"


def test_create_refuses_bad_input_at_once(api: Api, world: dict[str, Any]) -> None:
    ip = world["ip"]
    base = {"name": "web", "algorithm": "roundrobin", "publicport": 80, "privateport": 80,
            "publicipid": ip["id"]}
    missing = _error(api, "createLoadBalancerRule", **{k: v for k, v in base.items()
                                                       if k != "algorithm"})
    assert (missing["errorcode"], missing["cserrorcode"]) == (431, 9999)
    assert missing["errortext"].endswith("due to missing parameter algorithm")
    wrong = _error(api, "createLoadBalancerRule", **{**base, "algorithm": "random"})
    assert (wrong["errorcode"], wrong["cserrorcode"]) == (431, 4350)
    assert "roundrobin, leastconn, source" in wrong["errortext"]
    assert _error(api, "createLoadBalancerRule", **{**base, "protocol": "http"})[
        "errortext"] == "Invalid protocol http; supported: tcp, udp, tcp-proxy"
    assert _error(api, "createLoadBalancerRule", **{**base, "publicport": 70000})[
        "errortext"] == "publicport is an invalid value: 70000"
    assert _error(api, "createLoadBalancerRule", **{**base, "publicipid": UNKNOWN})[
        "errortext"].startswith("Unable to execute API command createloadbalancerrule due to "
                                "invalid value. Invalid parameter publicipid value=")
    no_ip = _error(api, "createLoadBalancerRule", **{k: v for k, v in base.items()
                                                     if k != "publicipid"})
    assert "specify publicipid" in no_ip["errortext"]
    assert body(api("listLoadBalancerRules")) == {}
    # the spec's own names: algorithm in any case, lb protocols tcp, udp, tcp-proxy
    rule = _rule(api, ip, algorithm="Source", protocol="TCP-proxy")
    assert (rule["algorithm"], rule["protocol"]) == ("Source", "tcp-proxy")


def test_ports_of_an_address_are_shared_with_port_forwarding(api: Api,
                                                             world: dict[str, Any]) -> None:
    ip, web1 = world["ip"], world["web1"]
    forward = run(api, "createPortForwardingRule", ipaddressid=ip["id"], protocol="udp",
                  publicport=2200, publicendport=2300, privateport=2200, privateendport=2300,
                  virtualmachineid=web1["id"])["portforwardingrule"]
    clash = _error(api, "createLoadBalancerRule", name="x", algorithm="roundrobin",
                   publicport=2250, privateport=80, publicipid=ip["id"])
    assert (clash["errorcode"], clash["cserrorcode"]) == (537, 4360)
    assert clash["errortext"] == (f"The range specified, 2250-2250, conflicts with rule "
                                  f"{forward['id']} which has 2200-2300")
    rule = _rule(api, ip, publicport=80)
    again = _error(api, "createLoadBalancerRule", name="y", algorithm="leastconn",
                   publicport=80, privateport=81, publicipid=ip["id"], protocol="udp")
    assert again["errorcode"] == 537 and rule["id"] in again["errortext"]
    late = _error(api, "createPortForwardingRule", ipaddressid=ip["id"], protocol="tcp",
                  publicport=70, publicendport=90, privateport=70, privateendport=90,
                  virtualmachineid=web1["id"])
    assert late["errortext"] == (f"The range specified, 70-90, conflicts with rule "
                                 f"{rule['id']} which has 80-80")
    nat = _error(api, "enableStaticNat", ipaddressid=ip["id"], virtualmachineid=web1["id"])
    assert nat["errorcode"] == 537


def test_the_address_must_belong_to_the_rule_network(api: Api, world: dict[str, Any]) -> None:
    ip, network = world["ip"], world["network"]
    offering = _items(api, "listNetworkOfferings", "networkoffering", forvpc="false",
                      guestiptype="Isolated")[0]
    other = run(api, "createNetwork", name="other", displaytext="other",
                zoneid=ADVANCED_ZONE_ID, networkofferingid=offering["id"])["network"]
    wrong = _error(api, "createLoadBalancerRule", name="web", algorithm="roundrobin",
                   publicport=80, privateport=80, publicipid=ip["id"], networkid=other["id"])
    assert wrong["errortext"] == (f"Ip address {ip['ipaddress']} is associated with network "
                                  f"{network['name']}, not with other")
    nat_ip = _ip(api, network)
    run(api, "enableStaticNat", ipaddressid=nat_ip["id"], virtualmachineid=world["web1"]["id"])
    static = _error(api, "createLoadBalancerRule", name="web", algorithm="roundrobin",
                    publicport=80, privateport=80, publicipid=nat_ip["id"])
    assert static["errorcode"] == 537 and "static nat" in static["errortext"]


def test_vpc_tier_rules_need_the_tier_and_open_no_firewall(api: Api) -> None:
    offering = body(api("listVPCOfferings"))["vpcoffering"][0]["id"]
    vpc = run(api, "createVPC", name="shop", displaytext="shop", cidr="10.30.0.0/16",
              zoneid=ADVANCED_ZONE_ID, vpcofferingid=offering)["vpc"]
    tier_offering = _items(api, "listNetworkOfferings", "networkoffering", forvpc="true")[0]
    tier = run(api, "createNetwork", name="web", displaytext="web", zoneid=ADVANCED_ZONE_ID,
               networkofferingid=tier_offering["id"], vpcid=vpc["id"], gateway="10.30.1.1",
               netmask="255.255.255.0")["network"]
    ip = run(api, "associateIpAddress", vpcid=vpc["id"])["ipaddress"]
    untiered = _error(api, "createLoadBalancerRule", name="web", algorithm="roundrobin",
                      publicport=80, privateport=80, publicipid=ip["id"])
    assert untiered["errortext"] == (f"Ip address {ip['ipaddress']} is not associated with any "
                                     "network; specify networkid")
    rule = _rule(api, ip, networkid=tier["id"])
    assert rule["networkid"] == tier["id"]
    [listed_ip] = _items(api, "listPublicIpAddresses", "publicipaddress", id=ip["id"])
    assert listed_ip["associatednetworkid"] == tier["id"]
    assert body(api("listFirewallRules", ipaddressid=ip["id"])) == {}
    vm = _vm(api, tier, "tiervm")
    run(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=vm["id"])
    assert body(api("listLoadBalancerRuleInstances", id=rule["id"]))["count"] == 1


def test_assignments_are_checked_in_the_job(api: Api, world: dict[str, Any]) -> None:
    ip, web1 = world["ip"], world["web1"]
    rule = _rule(api, ip)
    offering = _items(api, "listNetworkOfferings", "networkoffering", forvpc="false",
                      guestiptype="Isolated")[0]
    other = run(api, "createNetwork", name="other", displaytext="other",
                zoneid=ADVANCED_ZONE_ID, networkofferingid=offering["id"])["network"]
    stranger = _vm(api, other, "stranger")
    job = fail(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=stranger["id"])
    assert job["jobresult"]["errorcode"] == 431
    assert job["jobresult"]["errortext"] == (f"VM stranger is not in the network "
                                             f"{rule['networkid']} of load balancer rule "
                                             f"{rule['id']}")
    assert fail(api, "assignToLoadBalancerRule", id=rule["id"])["jobresult"][
        "errortext"] == "Both virtualmachineids and vmidipmap can't be null"
    unknown = _error(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=UNKNOWN)
    assert "Invalid parameter virtualmachineids value=" in unknown["errortext"]
    wrong_ip = fail(api, "assignToLoadBalancerRule", id=rule["id"],
                    **{"vmidipmap[0].vmid": web1["id"], "vmidipmap[0].vmip": "10.99.0.1"})
    assert "VM ip 10.99.0.1 is not an address of VM web1" in wrong_ip["jobresult"]["errortext"]
    address = web1["nic"][0]["ipaddress"]
    run(api, "assignToLoadBalancerRule", id=rule["id"],
        **{"vmidipmap[0].vmid": web1["id"], "vmidipmap[0].vmip": address})
    twice = fail(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=web1["id"])
    assert twice["jobresult"]["errortext"] == (f"VM {web1['id']} is already mapped to load "
                                               f"balancer rule {rule['id']}")
    absent = fail(api, "removeFromLoadBalancerRule", id=rule["id"],
                  virtualmachineids=world["web2"]["id"])
    assert absent["jobresult"]["errortext"] == (f"VM {world['web2']['id']} is not assigned to "
                                                f"load balancer rule {rule['id']}")
    assert body(api("listLoadBalancerRuleInstances", id=rule["id"]))["count"] == 1
    bad_update = fail(api, "updateLoadBalancerRule", id=rule["id"], algorithm="random")
    assert bad_update["jobresult"]["errorcode"] == 431
    [listed] = _items(api, "listLoadBalancerRules", "loadbalancerrule")
    assert listed["algorithm"] == "roundrobin"


def test_health_check_policy(api: Api, world: dict[str, Any]) -> None:
    rule = _rule(api, world["ip"])
    answer = body(api("createLBHealthCheckPolicy", post=True, lbruleid=rule["id"],
                      description="ping"))
    assert set(answer) == {"jobid", "id"}
    result = wait_job(api, answer["jobid"])["jobresult"]["healthcheckpolicies"]
    assert (result["lbruleid"], result["zoneid"], result["account"]) == (
        rule["id"], ADVANCED_ZONE_ID, "admin")
    [policy] = result["healthcheckpolicy"]
    assert policy == {"id": answer["id"], "pingpath": "/", "description": "ping",
                      "responsetime": 2, "healthcheckinterval": 5, "healthcheckthresshold": 2,
                      "unhealthcheckthresshold": 10, "state": "Active", "fordisplay": True}
    second = _error(api, "createLBHealthCheckPolicy", lbruleid=rule["id"])
    assert second["errortext"] == ("Failed to create HealthCheck policy: Already policy "
                                   f"attached for the LB Rule id :{rule['id']}")
    [by_rule] = _items(api, "listLBHealthCheckPolicies", "healthcheckpolicies",
                       lbruleid=rule["id"])
    [by_id] = _items(api, "listLBHealthCheckPolicies", "healthcheckpolicies", id=policy["id"])
    assert by_rule == by_id == result
    neither = _error(api, "listLBHealthCheckPolicies")
    assert neither["errortext"] == "Either LB Ruleid or HealthCheck policy Id should be specified"
    assert run(api, "deleteLBHealthCheckPolicy", id=policy["id"]) == {"success": True}
    [empty] = _items(api, "listLBHealthCheckPolicies", "healthcheckpolicies",
                     lbruleid=rule["id"])
    assert empty["healthcheckpolicy"] == []
    out_of_range = _error(api, "createLBHealthCheckPolicy", lbruleid=rule["id"],
                          responsetimeout=61)
    assert out_of_range["errortext"] == ("Invalid responsetimeout 61: it must be between 2 "
                                         "and 60")
    custom = run(api, "createLBHealthCheckPolicy", lbruleid=rule["id"], pingpath="/health",
                 responsetimeout=3, intervaltime=10, healthythreshold=3,
                 unhealthythreshold=4)["healthcheckpolicies"]["healthcheckpolicy"][0]
    assert (custom["pingpath"], custom["responsetime"], custom["healthcheckinterval"],
            custom["healthcheckthresshold"], custom["unhealthcheckthresshold"]) == (
        "/health", 3, 10, 3, 4)


def test_stickiness_policy(api: Api, world: dict[str, Any]) -> None:
    rule = _rule(api, world["ip"])
    made = run(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="sticky",
               methodname="LbCookie", description="cookie",
               **{"param[0].name": "cookie-name", "param[0].value": "SRV",
                  "param[1].name": "nocache", "param[1].value": "true"})
    container = made["stickinesspolicies"]
    [policy] = container["stickinesspolicy"]
    assert container["lbruleid"] == rule["id"]
    assert (policy["name"], policy["methodname"], policy["description"], policy["params"],
            policy["state"]) == ("sticky", "LbCookie", "cookie",
                                 {"cookie-name": "SRV", "nocache": "true"}, "Active")
    [listed] = _items(api, "listLBStickinessPolicies", "stickinesspolicies",
                       lbruleid=rule["id"])
    assert listed == container
    again = _error(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="s2",
                   methodname="SourceBased")
    assert again["errortext"].startswith("Failed to create Stickiness policy: Already policy")
    run(api, "deleteLBStickinessPolicy", id=policy["id"])
    bad_method = _error(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="s",
                        methodname="Magic")
    assert bad_method["errortext"] == (f"Failed LB in validation rule id: {rule['id']} Cause: "
                                       "invalid stickiness method Magic; supported: LbCookie, "
                                       "AppCookie, SourceBased")
    bad_param = _error(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="s",
                       methodname="sourcebased",
                       **{"param[0].name": "cookie-name", "param[0].value": "x"})
    assert "param 'cookie-name' is not supported by stickiness method SourceBased" in \
        bad_param["errortext"]
    source = run(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="src",
                 methodname="SourceBased",
                 **{"param[0].name": "tablesize", "param[0].value": "200k"})
    assert source["stickinesspolicies"]["stickinesspolicy"][0]["params"] == {"tablesize": "200k"}
    missing = _error(api, "createLBStickinessPolicy", lbruleid=rule["id"], methodname="LbCookie")
    assert missing["errortext"].endswith("due to missing parameter name")


def test_rules_and_policies_go_with_their_address_and_vms(api: Api,
                                                          world: dict[str, Any]) -> None:
    ip, web1 = world["ip"], world["web1"]
    rule = _rule(api, ip)
    run(api, "createLBHealthCheckPolicy", lbruleid=rule["id"])
    run(api, "createLBStickinessPolicy", lbruleid=rule["id"], name="s", methodname="LbCookie")
    run(api, "assignToLoadBalancerRule", id=rule["id"], virtualmachineids=web1["id"])
    run(api, "destroyVirtualMachine", id=web1["id"], expunge="true")
    assert body(api("listLoadBalancerRuleInstances", id=rule["id"])) == {}
    run(api, "disassociateIpAddress", id=ip["id"])
    assert body(api("listLoadBalancerRules")) == {}
    gone = _error(api, "listLBHealthCheckPolicies", lbruleid=rule["id"])
    assert "Invalid parameter lbruleid value=" in gone["errortext"]
    assert body(api("listFirewallRules")) == {}


def test_custom_id_renames_the_rule_everywhere(api: Api, world: dict[str, Any]) -> None:
    rule = _rule(api, world["ip"])
    run(api, "createLBHealthCheckPolicy", lbruleid=rule["id"])
    new_id = "6b1c4f0e-7d3a-4e2b-9c1d-0a1b2c3d4e5f"
    renamed = run(api, "updateLoadBalancerRule", id=rule["id"], customid=new_id)["loadbalancer"]
    assert renamed["id"] == new_id
    [policies] = _items(api, "listLBHealthCheckPolicies", "healthcheckpolicies", lbruleid=new_id)
    assert len(policies["healthcheckpolicy"]) == 1
    run(api, "deleteLoadBalancerRule", id=new_id)
    assert body(api("listFirewallRules")) == {}
