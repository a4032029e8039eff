"""The load-balancer driver on the wire (requests-mock): the exact parameters of each command,
job waiting, typed errors, bad input refused before anything is sent, and the models."""

from __future__ import annotations

import contextlib
import gzip
import inspect
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _wire import wire

import cloudstack_driver.simulator as simulator_pkg
from cloudstack_driver import (
    AsyncJobError,
    CloudStackNode,
    InvalidParameterError,
    LibcloudError,
    NetworkRuleConflictError,
    NodeLocation,
    NodeState,
)
from cloudstack_driver import Provider as ComputeProvider
from cloudstack_driver.cloudstack.netmodels import CloudStackAddress, CloudStackNetwork
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.loadbalancer import (
    DEFAULT_ALGORITHM,
    Algorithm,
    CloudStackLBDriver,
    CloudStackLBHealthCheckPolicy,
    CloudStackLBStickinessPolicy,
    LibcloudLBImmutableError,
    LoadBalancer,
    LoadBalancerNotFoundError,
    Member,
    MemberCondition,
    Provider,
    State,
    get_driver,
    set_driver,
)

API_URL = "http://cs.test/client/api"
RULE = {"id": "lb-1", "name": "web", "publicip": "203.0.113.10", "publicipid": "ip-1",
        "publicport": "80", "privateport": "8080", "algorithm": "roundrobin", "protocol": "tcp",
        "networkid": "net-1", "zoneid": "z-adv", "zonename": "DE-FRA1", "state": "Active",
        "account": "admin", "domainid": "d-1", "domain": "ROOT", "cidrlist": "",
        "fordisplay": True, "tags": [{"key": "tier", "value": "front"}]}
VM1 = {"id": "vm-1", "name": "one", "state": "Running", "zoneid": "z-adv",
       "nic": [{"id": "nic-0", "networkid": "net-0", "ipaddress": "10.0.0.5"},
               {"id": "nic-1", "networkid": "net-1", "ipaddress": "10.1.1.5"}]}
VM2 = {"id": "vm-2", "name": "two", "state": "Running", "zoneid": "z-adv",
       "nic": [{"id": "nic-2", "networkid": "net-1", "ipaddress": "10.1.1.6"}]}
ZONES = [{"id": "z-basic", "name": "CH-GV2", "networktype": "Basic",
          "securitygroupsenabled": True},
         {"id": "z-adv", "name": "DE-FRA1", "networktype": "Advanced",
          "securitygroupsenabled": False}]
HEALTH = {"lbruleid": "lb-1", "zoneid": "z-adv", "account": "admin",
          "healthcheckpolicy": [{"id": "hc-1", "pingpath": "/health", "description": "ping",
                                 "responsetime": 3, "healthcheckinterval": 10,
                                 "healthcheckthresshold": 2, "unhealthcheckthresshold": 4,
                                 "state": "Active", "fordisplay": True}]}
STICKY = {"lbruleid": "lb-1", "zoneid": "z-adv",
          "stickinesspolicy": [{"id": "st-1", "name": "sticky", "methodname": "LbCookie",
                                "params": {"cookie-name": "SRV"}, "state": "Active"}]}


@pytest.fixture
def lb(cs_mock: Any) -> Iterator[CloudStackLBDriver]:
    driver = CloudStackLBDriver("KEY", "SECRET", url=API_URL, poll_interval=0, max_retries=0,
                                retry_delay=0)
    try:
        yield driver
    finally:
        driver.connection.close()


@pytest.fixture
def answer(cs_router: Any) -> Callable[..., None]:
    return cs_router.answer  # type: ignore[no-any-return]


@pytest.fixture
def answer_async(cs_router: Any) -> Callable[..., str]:
    return cs_router.answer_async  # type: ignore[no-any-return]


@pytest.fixture
def sent(cs_router: Any) -> Callable[[str], list[dict[str, str]]]:
    return cs_router.sent  # type: ignore[no-any-return]


@pytest.fixture
def refused(cs_mock: Any) -> Callable[..., contextlib.AbstractContextManager[Any]]:
    """``with refused(error, match=...)``: the block raises ``error`` and sends nothing."""

    @contextlib.contextmanager
    def check(error: type[BaseException], match: str | None = None) -> Iterator[Any]:
        with pytest.raises(error, match=match) as info:
            yield info
        assert cs_mock.call_count == 0, f"{error.__name__} came after a request was sent"

    return check


@pytest.fixture
def balancer(lb: CloudStackLBDriver) -> LoadBalancer:
    return LoadBalancer.from_record(lb, RULE)


def _failed_job(answer: Callable[..., None], command: str, errorcode: int, text: str) -> None:
    answer(command, {"jobid": f"job-{command}"})
    answer("queryAsyncJobResult", {"jobid": f"job-{command}", "jobstatus": 2,
                                   "jobresultcode": 530,
                                   "jobresult": {"errorcode": errorcode, "errortext": text}})


# -- construction and lookup -------------------------------------------------------------------

def test_class_attributes_are_libclouds() -> None:
    assert (CloudStackLBDriver.name, CloudStackLBDriver.api_name, CloudStackLBDriver.website,
            CloudStackLBDriver.type) == ("CloudStack", "cloudstack_lb",
                                         "http://cloudstack.org/", "cloudstack")
    assert CloudStackLBDriver.connectionCls is CloudStackConnection
    assert CloudStackLBDriver.LB_STATE_MAP["Active"] == State.RUNNING
    assert (CloudStackLBDriver.host, CloudStackLBDriver.path) == (None, None)


@pytest.mark.parametrize("name", [Provider.CLOUDSTACK, "cloudstack", ComputeProvider.CLOUDSTACK])
def test_get_driver(name: Any) -> None:
    assert get_driver(name) is CloudStackLBDriver


def test_get_and_set_driver_refusals() -> None:
    with pytest.raises(LibcloudError, match="unknown load-balancer provider 'elb'"):
        get_driver("elb")
    with pytest.raises(TypeError, match="provider must be a Provider member or a str"):
        get_driver(3)  # type: ignore[arg-type]
    with pytest.raises(LibcloudError, match="'cloudstack' is already registered"):
        set_driver(Provider.CLOUDSTACK, "cloudstack_driver.loadbalancer.driver",
                   "CloudStackLBDriver")
    with pytest.raises(LibcloudError, match="has no class 'Nope'"):
        set_driver("mylb", "cloudstack_driver.loadbalancer.driver", "Nope")
    with pytest.raises(LibcloudError, match="unknown load-balancer provider 'mylb'"):
        get_driver("mylb")  # nothing was registered


def test_the_endpoint_follows_the_compute_drivers_rules() -> None:
    plain = CloudStackLBDriver("KEY", "SECRET", False, "cs.test", "/client/api")
    assert (plain.url, plain.secure, plain.host, plain.port, plain.path) == (
        "http://cs.test/client/api", False, "cs.test", 80, "/client/api")
    tls = CloudStackLBDriver("KEY", "SECRET", host="cs.test", port="8443")
    assert tls.url == "https://cs.test:8443/client/api"
    assert tls.connection.driver is tls
    plain.connection.close()
    tls.connection.close()
    with pytest.raises(ValueError, match="'secret' is required"):
        CloudStackLBDriver("KEY", url=API_URL)
    with pytest.raises(ValueError, match="no endpoint"):
        CloudStackLBDriver("KEY", "SECRET")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        CloudStackLBDriver("KEY", "SECRET", url=API_URL, colour="red")


def test_options_reach_the_shared_connection(cs_mock: Any) -> None:
    driver = CloudStackLBDriver("KEY", "SECRET", url=API_URL, job_timeout=42, page_size=100,
                                signature_version=2)
    assert (driver.connection.job_timeout, driver.connection.page_size,
            driver.connection.signature_version) == (42, 100, 2)
    assert repr(driver) == f"<CloudStackLBDriver url='{API_URL}'>"
    driver.connection.close()


def test_a_node_drivers_connection_can_be_shared(mock_driver: Any) -> None:
    nodes = mock_driver[0]
    driver = CloudStackLBDriver.ex_from_node_driver(nodes)
    assert driver.connection is nodes.connection and driver.connection.driver is nodes
    assert driver.url == nodes.url
    with pytest.raises(TypeError, match="'driver' must be a CloudStackNodeDriver"):
        CloudStackLBDriver.ex_from_node_driver(driver)  # type: ignore[arg-type]


def test_what_sends_no_request(lb: CloudStackLBDriver, cs_mock: Any) -> None:
    assert lb.list_protocols() == ["tcp", "udp", "tcp-proxy"]
    assert lb.list_supported_algorithms() == [Algorithm.ROUND_ROBIN,
                                              Algorithm.LEAST_CONNECTIONS,
                                              Algorithm.PERSISTENT_IP]
    assert cs_mock.call_count == 0


# -- listing -----------------------------------------------------------------------------------

def test_list_balancers(lb: CloudStackLBDriver, answer: Any, sent: Any, cs_mock: Any) -> None:
    answer("listLoadBalancerRules", {"count": 1, "loadbalancerrule": [RULE]})
    [found] = lb.list_balancers()
    assert wire(sent("listLoadBalancerRules")[0]) == {}
    assert wire(sent("listLoadBalancerRules")[0], keep_paging=True) == {"page": "1",
                                                                        "pagesize": "500"}
    assert cs_mock.request_history[0].method == "GET"
    assert (found.id, found.name, found.state, found.ip, found.port, found.ex_private_port,
            found.ex_public_ip_id, found.driver) == ("lb-1", "web", State.RUNNING,
                                                     "203.0.113.10", 80, 8080, "ip-1", lb)
    assert found.extra == {
        "algorithm": "roundrobin", "protocol": "tcp", "private_port": 8080,
        "public_ip_id": "ip-1", "network_id": "net-1", "zone_id": "z-adv",
        "zone_name": "DE-FRA1", "description": None, "cidr_list": "", "state": "Active",
        "account": "admin", "domain": "ROOT", "domain_id": "d-1", "project": None,
        "project_id": None, "for_display": True, "tags": {"tier": "front"}}


def test_list_balancers_filters(lb: CloudStackLBDriver, answer: Any, sent: Any) -> None:
    answer("listLoadBalancerRules", {})
    node = CloudStackNode("vm-1", "one", NodeState.RUNNING, [], [], lb)
    assert lb.list_balancers(ex_location=NodeLocation("z-adv", "Z", "Unknown", lb),
                             ex_network_id=CloudStackNetwork("n", "n", "no", "net-1", "z", lb),
                             ex_public_ip_id=34000, ex_node=node, ex_project="p-1",
                             ex_list_all=True) == []
    assert wire(sent("listLoadBalancerRules")[0]) == {
        "zoneid": "z-adv", "networkid": "net-1", "publicipid": "34000",
        "virtualmachineid": "vm-1", "projectid": "p-1", "listall": "true"}


def test_list_balancers_refuses_bad_filters(lb: CloudStackLBDriver, refused: Any) -> None:
    with refused(TypeError, match=r"list_balancers\(\): 'ex_location' must be a NodeLocation"):
        lb.list_balancers(ex_location="z-adv")  # type: ignore[arg-type]
    with refused(TypeError, match="'ex_list_all' must be a bool"):
        lb.list_balancers(ex_list_all="yes")  # type: ignore[arg-type]


def test_get_balancer(lb: CloudStackLBDriver, answer: Any, sent: Any) -> None:
    answer("listLoadBalancerRules", [{"count": 1, "loadbalancerrule": [RULE]}, {}])
    assert lb.get_balancer("lb-1").name == "web"
    assert wire(sent("listLoadBalancerRules")[0]) == {"id": "lb-1"}
    with pytest.raises(LoadBalancerNotFoundError, match="no such load balancer: lb-2") as info:
        lb.get_balancer("lb-2", ex_project="p-1")
    assert info.value.driver is lb
    assert wire(sent("listLoadBalancerRules")[1]) == {"id": "lb-2", "projectid": "p-1"}


def test_get_balancer_of_an_id_the_server_does_not_know(lb: CloudStackLBDriver,
                                                        answer: Any) -> None:
    answer("listLoadBalancerRules", {"errorcode": 431, "cserrorcode": 9999,
                                     "errortext": "Invalid parameter id value=lb-9"}, status=431)
    with pytest.raises(LoadBalancerNotFoundError) as info:
        lb.get_balancer("lb-9")
    assert isinstance(info.value.__cause__, InvalidParameterError)


# -- create_balancer ---------------------------------------------------------------------------

def _answer_create(answer_async: Any, rule: dict[str, Any] | None = None) -> None:
    answer_async("associateIpAddress", {"ipaddress": {"id": "ip-1", "ipaddress": "203.0.113.10"}},
                 entity_id="ip-1")
    answer_async("createLoadBalancerRule", {"loadbalancer": rule or RULE}, entity_id="lb-1")
    answer_async("assignToLoadBalancerRule", {"success": True})


def test_create_balancer_on_a_network(lb: CloudStackLBDriver, answer_async: Any, sent: Any,
                                      cs_router: Any, cs_mock: Any) -> None:
    _answer_create(answer_async)
    first = Member("vm-1", None, None)
    second = CloudStackNode("vm-2", "two", NodeState.RUNNING, [], ["10.1.1.6"], lb)
    made = lb.create_balancer("web", [first, second], port=80, private_port=8080,
                              network_id="net-1")
    assert wire(sent("associateIpAddress")[0]) == {"networkid": "net-1"}
    assert wire(sent("createLoadBalancerRule")[0]) == {
        "name": "web", "algorithm": "roundrobin", "publicport": "80", "privateport": "8080",
        "networkid": "net-1", "protocol": "tcp", "publicipid": "ip-1"}
    assert wire(sent("assignToLoadBalancerRule")[0]) == {"id": "lb-1",
                                                         "virtualmachineids": "vm-1,vm-2"}
    # each async command's job was waited for, in order
    assert [c["command"] for c in cs_router.calls] == [
        "associateIpAddress", "queryAsyncJobResult", "createLoadBalancerRule",
        "queryAsyncJobResult", "assignToLoadBalancerRule", "queryAsyncJobResult"]
    assert [r.method for r in cs_mock.request_history[::2]] == ["POST", "POST", "POST"]
    assert (made.id, made.port, made.ex_private_port, made.state) == ("lb-1", 80, 8080,
                                                                      State.RUNNING)
    assert (first.port, first.balancer) == (8080, made)


def test_create_balancer_defaults_pick_an_advanced_zone(lb: CloudStackLBDriver, answer: Any,
                                                        answer_async: Any, sent: Any) -> None:
    answer("listZones", {"count": 2, "zone": ZONES})
    _answer_create(answer_async)
    lb.create_balancer("web", members=[])
    assert wire(sent("associateIpAddress")[0]) == {"zoneid": "z-adv"}
    assert wire(sent("createLoadBalancerRule")[0]) == {
        "name": "web", "algorithm": "roundrobin", "publicport": "80", "privateport": "80",
        "protocol": "tcp", "publicipid": "ip-1"}
    assert sent("assignToLoadBalancerRule") == []  # no member, no call


def test_create_balancer_with_every_option(lb: CloudStackLBDriver, answer_async: Any,
                                           sent: Any) -> None:
    _answer_create(answer_async)
    lb.create_balancer("web", [Member(2600, None, None)], protocol="udp", port="53",
                       algorithm=Algorithm.LEAST_CONNECTIONS,
                       location=NodeLocation("z-adv", "Z", "Unknown", lb),
                       network_id=CloudStackNetwork("n", "n", "no", "net-1", "z-adv", lb),
                       ex_description="dns", ex_open_firewall=False,
                       ex_cidr_list=["10.0.0.0/8", "192.168.0.0/16"])
    assert wire(sent("associateIpAddress")[0]) == {"zoneid": "z-adv", "networkid": "net-1"}
    assert wire(sent("createLoadBalancerRule")[0]) == {
        "name": "web", "algorithm": "leastconn", "publicport": "53", "privateport": "53",
        "networkid": "net-1", "protocol": "udp", "description": "dns", "openfirewall": "false",
        "cidrlist": "10.0.0.0/8,192.168.0.0/16", "publicipid": "ip-1"}
    assert wire(sent("assignToLoadBalancerRule")[0])["virtualmachineids"] == "2600"


def test_create_balancer_in_a_vpc(lb: CloudStackLBDriver, answer_async: Any, sent: Any) -> None:
    _answer_create(answer_async)
    lb.create_balancer("shop", [], protocol="tcp-proxy", algorithm=Algorithm.PERSISTENT_IP,
                       vpc_id="vpc-1", network_id="tier-1")
    assert wire(sent("associateIpAddress")[0]) == {"vpcid": "vpc-1"}
    rule = wire(sent("createLoadBalancerRule")[0])
    assert (rule["networkid"], rule["protocol"], rule["algorithm"]) == ("tier-1", "tcp-proxy",
                                                                        "source")


def test_create_balancer_on_a_given_address(lb: CloudStackLBDriver, answer_async: Any,
                                            sent: Any) -> None:
    _answer_create(answer_async)
    lb.create_balancer("web", [], protocol="https", port=443, algorithm="Source",
                       ex_public_ip=CloudStackAddress("ip-7", "203.0.113.7", lb))
    assert sent("associateIpAddress") == []
    rule = wire(sent("createLoadBalancerRule")[0])
    assert (rule["publicipid"], rule["protocol"], rule["algorithm"]) == ("ip-7", "tcp",
                                                                         "source")


def test_a_refused_rule_releases_the_address_it_allocated(lb: CloudStackLBDriver, answer: Any,
                                                          answer_async: Any, sent: Any) -> None:
    answer_async("associateIpAddress", {"ipaddress": {"id": "ip-1"}}, entity_id="ip-1")
    answer("createLoadBalancerRule", {"errorcode": 537, "cserrorcode": 4360,
                                      "errortext": "conflicts with rule pf-1"}, status=537)
    answer_async("disassociateIpAddress", {"success": True})
    with pytest.raises(NetworkRuleConflictError, match="conflicts with rule pf-1") as info:
        lb.create_balancer("web", [], network_id="net-1")
    assert (info.value.errorcode, info.value.cserrorcode, info.value.command) == (
        537, 4360, "createLoadBalancerRule")
    assert [wire(p) for p in sent("disassociateIpAddress")] == [{"id": "ip-1"}]


def test_a_failed_assignment_takes_the_rule_and_address_back(
        lb: CloudStackLBDriver, answer: Any, answer_async: Any, sent: Any) -> None:
    answer_async("associateIpAddress", {"ipaddress": {"id": "ip-1"}}, entity_id="ip-1")
    answer_async("createLoadBalancerRule", {"loadbalancer": RULE}, entity_id="lb-1")
    _failed_job(answer, "assignToLoadBalancerRule", 431, "VM x is not in the network")
    answer_async("deleteLoadBalancerRule", {"success": True})
    answer_async("disassociateIpAddress", {"success": True})
    with pytest.raises(AsyncJobError, match="VM x is not in the network") as info:
        lb.create_balancer("web", [Member("vm-x", None, None)], network_id="net-1")
    assert isinstance(info.value, InvalidParameterError)
    assert info.value.jobid == "job-assignToLoadBalancerRule"
    assert [wire(p) for p in sent("deleteLoadBalancerRule")] == [{"id": "lb-1"}]
    assert [wire(p) for p in sent("disassociateIpAddress")] == [{"id": "ip-1"}]


def test_a_given_address_is_kept_and_undo_failures_are_logged(
        lb: CloudStackLBDriver, answer: Any, answer_async: Any, sent: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    answer_async("createLoadBalancerRule", {"loadbalancer": RULE}, entity_id="lb-1")
    _failed_job(answer, "assignToLoadBalancerRule", 431, "no such VM")
    answer("deleteLoadBalancerRule", {"errorcode": 530, "errortext": "busy"}, status=530)
    with caplog.at_level(logging.WARNING, "cloudstack_driver.loadbalancer"), \
            pytest.raises(AsyncJobError, match="no such VM"):
        lb.create_balancer("web", [Member("vm-x", None, None)], ex_public_ip="ip-7")
    assert sent("disassociateIpAddress") == []
    [record] = [r for r in caplog.records if r.name == "cloudstack_driver.loadbalancer"]
    assert "could not undo with deleteLoadBalancerRule(id=lb-1)" in record.getMessage()


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"name": None}, TypeError, "'name' must be a str"),
    ({"name": " "}, ValueError, "'name' must not be empty"),
    ({"members": "vm-1"}, TypeError, "'members' must be a list of Member"),
    ({"members": [object()]}, TypeError, r"'members\[0\]' must be a Member or Node"),
    ({"members": [Member(None, "10.0.0.1", 80)]}, ValueError, r"'members\[0\]' has no id"),
    ({"port": 0}, ValueError, "'port' must be >= 1"),
    ({"port": "http"}, TypeError, "'port' must be an int"),
    ({"private_port": 70000}, ValueError, "'private_port' must be <= 65535"),
    ({"algorithm": Algorithm.RANDOM}, ValueError, "'algorithm' must be one of ROUND_ROBIN, "
                                                  "LEAST_CONNECTIONS, PERSISTENT_IP"),
    ({"algorithm": 99}, ValueError, "'algorithm' must be one of"),
    ({"algorithm": 1.5}, TypeError, "'algorithm' must be an Algorithm"),
    ({"algorithm": "random"}, ValueError, "'algorithm' must be one of roundrobin"),
    ({"protocol": "ftp"}, ValueError, "'protocol' must be one of tcp, udp, tcp-proxy, http"),
    ({"location": "z-adv"}, TypeError, "'location' must be a NodeLocation"),
    ({"network_id": 1.5}, TypeError, "'network_id' must be a CloudStackNetwork or an id"),
    ({"vpc_id": "vpc-1"}, ValueError, "'vpc_id' needs 'network_id'"),
    ({"ex_public_ip": "ip-1", "location": NodeLocation("z", "Z", "Unknown", None)}, ValueError,
     "'ex_public_ip' is an allocated address"),
    ({"ex_open_firewall": "no"}, TypeError, "'ex_open_firewall' must be a bool"),
    ({"ex_cidr_list": "10.0.0.0"}, ValueError, "is not a CIDR"),
    ({"ex_description": ""}, ValueError, "'ex_description' must not be empty"),
])
def test_create_balancer_refuses_bad_input(lb: CloudStackLBDriver, refused: Any,
                                           kwargs: dict[str, Any], error: type[Exception],
                                           match: str) -> None:
    arguments: dict[str, Any] = {"name": "web", "members": [], **kwargs}
    with refused(error, match=match):
        lb.create_balancer(**arguments)


# -- the other base methods --------------------------------------------------------------------

def test_destroy_balancer(lb: CloudStackLBDriver, balancer: LoadBalancer, answer_async: Any,
                          sent: Any, cs_router: Any) -> None:
    answer_async("deleteLoadBalancerRule", {"success": True})
    answer_async("disassociateIpAddress", {"success": True})
    assert balancer.destroy() is True
    assert [wire(p) for p in sent("deleteLoadBalancerRule")] == [{"id": "lb-1"}]
    assert [wire(p) for p in sent("disassociateIpAddress")] == [{"id": "ip-1"}]
    assert [c["command"] for c in cs_router.calls].count("queryAsyncJobResult") == 2
    assert lb.destroy_balancer(balancer, ex_release_ip=False) is True
    assert len(sent("deleteLoadBalancerRule")) == 2 and len(sent("disassociateIpAddress")) == 1


def test_destroy_balancer_refuses_bad_input(lb: CloudStackLBDriver, balancer: LoadBalancer,
                                            refused: Any) -> None:
    with refused(TypeError, match=r"destroy_balancer\(\): 'balancer' must be a LoadBalancer"):
        lb.destroy_balancer("lb-1")  # type: ignore[arg-type]
    with refused(TypeError, match="'ex_release_ip' must be a bool"):
        lb.destroy_balancer(balancer, ex_release_ip="no")  # type: ignore[arg-type]


def test_members_join_and_leave(lb: CloudStackLBDriver, balancer: LoadBalancer,
                                answer_async: Any, sent: Any) -> None:
    answer_async("assignToLoadBalancerRule", {"success": True})
    answer_async("removeFromLoadBalancerRule", {"success": True})
    member = Member("vm-1", None, None)
    assert balancer.attach_member(member) is member
    assert (member.port, member.balancer) == (8080, balancer)
    node = CloudStackNode("vm-2", "two", NodeState.RUNNING, ["198.51.100.2"], ["10.1.1.6"], lb)
    joined = balancer.attach_compute_node(node)
    assert (joined.id, joined.ip, joined.port, joined.balancer) == ("vm-2", "10.1.1.6", 8080,
                                                                   balancer)
    assert [wire(p) for p in sent("assignToLoadBalancerRule")] == [
        {"id": "lb-1", "virtualmachineids": "vm-1"}, {"id": "lb-1", "virtualmachineids": "vm-2"}]
    assert balancer.detach_member(joined) is True
    assert [wire(p) for p in sent("removeFromLoadBalancerRule")] == [
        {"id": "lb-1", "virtualmachineids": "vm-2"}]


def test_member_methods_refuse_bad_input(lb: CloudStackLBDriver, balancer: LoadBalancer,
                                         refused: Any) -> None:
    with refused(TypeError, match="'member' must be a Member"):
        lb.balancer_attach_member(balancer, "vm-1")  # type: ignore[arg-type]
    with refused(ValueError, match="'member' has no id"):
        lb.balancer_detach_member(balancer, Member(None, "10.0.0.1", 80))
    with refused(TypeError, match="'node' must be a Node"):
        lb.balancer_attach_compute_node(balancer, "vm-1")  # type: ignore[arg-type]
    with refused(TypeError, match="'balancer' must be a LoadBalancer"):
        lb.balancer_list_members("lb-1")  # type: ignore[arg-type]


def test_list_members_use_the_rules_network(lb: CloudStackLBDriver, balancer: LoadBalancer,
                                            answer: Any, sent: Any) -> None:
    answer("listLoadBalancerRuleInstances", {"count": 2, "loadbalancerruleinstance": [VM1, VM2]})
    one, two = balancer.list_members()
    assert wire(sent("listLoadBalancerRuleInstances")[0]) == {"id": "lb-1"}
    assert (one.id, one.ip, one.port, one.balancer) == ("vm-1", "10.1.1.5", 8080, balancer)
    assert one.extra == {"name": "one", "state": "Running", "zone_id": "z-adv",
                         "nic_id": "nic-1"}
    assert (two.ip, two.extra["nic_id"]) == ("10.1.1.6", "nic-2")


def test_update_balancer(lb: CloudStackLBDriver, balancer: LoadBalancer, answer_async: Any,
                         sent: Any) -> None:
    answer_async("updateLoadBalancerRule", {"loadbalancer": {**RULE, "name": "front",
                                                             "algorithm": "leastconn"}})
    updated = lb.update_balancer(balancer, name="front", algorithm=Algorithm.LEAST_CONNECTIONS,
                                 protocol="http", port=80, ex_description="door")
    assert wire(sent("updateLoadBalancerRule")[0]) == {
        "id": "lb-1", "name": "front", "algorithm": "leastconn", "protocol": "tcp",
        "description": "door"}
    assert (updated.name, updated.extra["algorithm"], updated.port) == ("front", "leastconn", 80)


def test_update_balancer_refusals(lb: CloudStackLBDriver, balancer: LoadBalancer,
                                  refused: Any) -> None:
    with refused(LibcloudLBImmutableError, match="'port' cannot change"):
        lb.update_balancer(balancer, name="x", port=81)
    with refused(ValueError, match="nothing to change"):
        lb.update_balancer(balancer)
    with refused(ValueError, match="'protocol' must be one of"):
        lb.update_balancer(balancer, protocol="sctp")


# -- policies ----------------------------------------------------------------------------------

def test_health_check_policies(lb: CloudStackLBDriver, balancer: LoadBalancer, answer: Any,
                               answer_async: Any, sent: Any) -> None:
    answer_async("createLBHealthCheckPolicy", {"healthcheckpolicies": HEALTH}, entity_id="hc-1")
    answer("listLBHealthCheckPolicies", {"count": 1, "healthcheckpolicies": [HEALTH]})
    answer_async("deleteLBHealthCheckPolicy", {"success": True})
    made = lb.ex_create_lb_health_check_policy(balancer, ping_path="/health",
                                               description="ping", response_timeout=3,
                                               interval=10, healthy_threshold=2,
                                               unhealthy_threshold=4)
    assert wire(sent("createLBHealthCheckPolicy")[0]) == {
        "lbruleid": "lb-1", "pingpath": "/health", "description": "ping",
        "responsetimeout": "3", "intervaltime": "10", "healthythreshold": "2",
        "unhealthythreshold": "4"}
    assert isinstance(made, CloudStackLBHealthCheckPolicy)
    assert (made.id, made.ping_path, made.response_time, made.interval, made.healthy_threshold,
            made.unhealthy_threshold, made.state, made.balancer_id, made.extra) == (
        "hc-1", "/health", 3, 10, 2, 4, "Active", "lb-1", {"for_display": True})
    assert lb.ex_list_lb_health_check_policies("lb-1") == [made]
    assert wire(sent("listLBHealthCheckPolicies")[0]) == {"lbruleid": "lb-1"}
    assert made.delete() is True
    assert wire(sent("deleteLBHealthCheckPolicy")[0]) == {"id": "hc-1"}
    assert repr(made) == ("<CloudStackLBHealthCheckPolicy: id=hc-1, ping_path=/health, "
                          "interval=10, response_time=3, healthy_threshold=2, "
                          "unhealthy_threshold=4, state=Active, balancer_id=lb-1>")


def test_health_check_defaults_are_the_servers(lb: CloudStackLBDriver, answer: Any,
                                               answer_async: Any, sent: Any) -> None:
    answer_async("createLBHealthCheckPolicy", {"healthcheckpolicies": HEALTH})
    answer("listLBHealthCheckPolicies", {})
    lb.ex_create_lb_health_check_policy(34000)
    assert wire(sent("createLBHealthCheckPolicy")[0]) == {"lbruleid": "34000"}
    assert lb.ex_list_lb_health_check_policies("lb-1") == []


def test_a_job_result_without_policy_is_malformed(lb: CloudStackLBDriver,
                                                  answer_async: Any) -> None:
    from cloudstack_driver import MalformedResponseError

    answer_async("createLBStickinessPolicy", {"stickinesspolicies": {"lbruleid": "lb-1"}})
    with pytest.raises(MalformedResponseError, match="the job's result holds no policy"):
        lb.ex_create_lb_stickiness_policy("lb-1", "s", "LbCookie")


def test_stickiness_policies(lb: CloudStackLBDriver, balancer: LoadBalancer, answer: Any,
                             answer_async: Any, sent: Any) -> None:
    answer_async("createLBStickinessPolicy", {"stickinesspolicies": STICKY}, entity_id="st-1")
    answer("listLBStickinessPolicies", {"count": 1, "stickinesspolicies": [STICKY]})
    answer_async("deleteLBStickinessPolicy", {"success": True})
    made = lb.ex_create_lb_stickiness_policy(balancer, "sticky", "LbCookie",
                                             params={"cookie-name": "SRV", "holdtime": 30},
                                             description="cookie")
    assert wire(sent("createLBStickinessPolicy")[0]) == {
        "lbruleid": "lb-1", "name": "sticky", "methodname": "LbCookie",
        "param[0].name": "cookie-name", "param[0].value": "SRV",
        "param[1].name": "holdtime", "param[1].value": "30", "description": "cookie"}
    assert isinstance(made, CloudStackLBStickinessPolicy)
    assert (made.id, made.name, made.method, made.params, made.state, made.balancer_id) == (
        "st-1", "sticky", "LbCookie", {"cookie-name": "SRV"}, "Active", "lb-1")
    assert lb.ex_list_lb_stickiness_policies(balancer) == [made]
    assert lb.ex_delete_lb_stickiness_policy(made) is True
    assert wire(sent("deleteLBStickinessPolicy")[0]) == {"id": "st-1"}


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda lb: lb.ex_create_lb_health_check_policy(None), TypeError,
     "'balancer' must be a LoadBalancer or an id"),
    (lambda lb: lb.ex_create_lb_health_check_policy("lb-1", response_timeout=1), ValueError,
     "'response_timeout' must be >= 2"),
    (lambda lb: lb.ex_create_lb_health_check_policy("lb-1", interval=20941), ValueError,
     "'interval' must be <= 20940"),
    (lambda lb: lb.ex_create_lb_health_check_policy("lb-1", healthy_threshold=0), ValueError,
     "'healthy_threshold' must be >= 1"),
    (lambda lb: lb.ex_create_lb_health_check_policy("lb-1", ping_path=7), TypeError,
     "'ping_path' must be a str"),
    (lambda lb: lb.ex_create_lb_stickiness_policy("lb-1", "s", ""), ValueError,
     "'method' must not be empty"),
    (lambda lb: lb.ex_create_lb_stickiness_policy("lb-1", "s", "LbCookie", params=["a"]),
     TypeError, "'params' must be a dict"),
    (lambda lb: lb.ex_create_lb_stickiness_policy("lb-1", "s", "LbCookie",
                                                  params={"mode": None}),
     TypeError, r"params\['mode'\] must be a str or an int"),
    (lambda lb: lb.ex_delete_lb_health_check_policy(1.5), TypeError,
     "'policy' must be a CloudStackLBHealthCheckPolicy or an id"),
    (lambda lb: lb.ex_list_lb_stickiness_policies([]), TypeError,
     "'balancer' must be a LoadBalancer or an id"),
])
def test_policy_methods_refuse_bad_input(lb: CloudStackLBDriver, refused: Any,
                                         call: Callable[[Any], Any], error: type[Exception],
                                         match: str) -> None:
    with refused(error, match=match):
        call(lb)


# -- models ------------------------------------------------------------------------------------

def test_models_keep_libclouds_constructors_and_reprs(lb: CloudStackLBDriver) -> None:
    made = LoadBalancer(5, "web", State.PENDING, "203.0.113.1", 80, lb)
    assert (made.id, made.extra, made.ex_private_port, made.ex_public_ip_id) == ("5", {}, None,
                                                                                 None)
    assert repr(made) == ("<LoadBalancer: id=5, name=web, state=1, ip=203.0.113.1, "
                          "port=80>")
    member = Member(2600, "10.1.1.5", 8080)
    assert (member.id, member.balancer, member.extra) == ("2600", None, {})
    assert repr(member) == "<Member: id=2600, address=10.1.1.5:8080>"
    assert member != Member(2600, "10.1.1.5", 8080)  # identity, as in libcloud


def test_records_of_an_older_server(lb: CloudStackLBDriver) -> None:
    old = LoadBalancer.from_record(lb, {"id": 700, "name": "web", "publicip": "203.0.113.9",
                                        "publicipid": 34000, "publicport": 80,
                                        "privateport": "8080", "networkid": 5,
                                        "state": "Add"})
    assert (old.id, old.ex_public_ip_id, old.port, old.ex_private_port, old.state,
            old.extra["network_id"]) == ("700", "34000", 80, 8080, State.PENDING, "5")
    assert LoadBalancer.from_record(lb, {"state": "Mystery"}).state == State.UNKNOWN
    assert LoadBalancer.from_record(lb, {"state": "Revoke"}).state == State.DELETED


def test_enums_hold_libclouds_numbers() -> None:
    from libcloud.loadbalancer import base as libcloud_base
    from libcloud.loadbalancer import types as libcloud_types

    for ours, theirs in ((State, libcloud_types.State),
                         (MemberCondition, libcloud_types.MemberCondition),
                         (Algorithm, libcloud_base.Algorithm)):
        names = [n for n in vars(theirs) if n.isupper()]
        assert {n: getattr(theirs, n) for n in names} == {m.name: int(m) for m in ours}
    assert DEFAULT_ALGORITHM == libcloud_base.DEFAULT_ALGORITHM
    assert (str(State.RUNNING), f"{Algorithm.ROUND_ROBIN}") == ("0", "1")
    assert Provider.CLOUDSTACK == libcloud_types.Provider.CLOUDSTACK


def test_libcloud_modules_port_by_changing_the_package() -> None:
    import importlib

    for module in ("types", "base", "providers"):
        theirs = importlib.import_module(f"libcloud.loadbalancer.{module}")
        ours = importlib.import_module(f"cloudstack_driver.loadbalancer.{module}")
        missing = [name for name in theirs.__all__ if not hasattr(ours, name)]
        assert missing == [], module
    from libcloud.loadbalancer.drivers import cloudstack as libcloud_cloudstack

    import cloudstack_driver.loadbalancer as ours_pkg
    for name in ("CloudStackLBDriver", "Member", "LoadBalancer", "Algorithm", "State",
                 "DEFAULT_ALGORITHM", "Provider"):
        assert hasattr(libcloud_cloudstack, name) and hasattr(ours_pkg, name), name


def test_every_libcloud_method_keeps_its_arguments() -> None:
    from libcloud.loadbalancer.drivers.cloudstack import CloudStackLBDriver as Theirs

    checked = []
    for name, theirs in inspect.getmembers(Theirs, inspect.isfunction):
        if name.startswith("_") and name != "__init__":
            continue
        ours = getattr(CloudStackLBDriver, name)
        want = [(p.name, p.default) for p in inspect.signature(theirs).parameters.values()
                if p.kind is p.POSITIONAL_OR_KEYWORD]
        have = [(p.name, p.default) for p in inspect.signature(ours).parameters.values()
                if p.kind is p.POSITIONAL_OR_KEYWORD][:len(want)]
        assert have == want, name
        checked.append(name)
    assert {"__init__", "create_balancer", "update_balancer", "list_supported_algorithms",
            "balancer_attach_compute_node"} <= set(checked)
    assert len(checked) == 12


# -- docstrings --------------------------------------------------------------------------------

_SPEC = Path(simulator_pkg.__file__).parent / "data" / "cloudstack-api-4.18.json.gz"
_ASYNC = {api["name"]: bool(api.get("isasync"))
          for api in json.loads(gzip.decompress(_SPEC.read_bytes()))["apis"]}
_METHODS = sorted(name for name, member in inspect.getmembers(CloudStackLBDriver)
                  if not name.startswith("_") and callable(member)
                  and not inspect.isclass(member))


@pytest.mark.parametrize("name", _METHODS)
def test_docstring_names_its_command_and_job(name: str) -> None:
    doc = inspect.getdoc(getattr(CloudStackLBDriver, name)) or ""
    assert doc, name
    if "sends no request" in doc.lower():
        return
    named = [word for word in re.findall(r"[A-Za-z]+", doc) if word in _ASYNC]
    assert named, f"{name}: names no CloudStack command"
    if any(_ASYNC[command] for command in named):
        assert re.search(r"wait(s|ing)?\s+for", doc), f"{name}: does not say it waits for the job"
    else:
        assert "No job" in doc, f"{name}: does not say it waits for no job"
