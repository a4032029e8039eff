"""A load-balancer script written for libcloud's ``CloudStackLBDriver``, run unchanged but for
its imports (issue 14, item 1).

The same script text runs twice against the same recorded answers (shaped as an older server
sends them: ids as JSON numbers, ports as text): once with ``apache-libcloud``'s driver, proving
it is an ordinary libcloud script, and once with ours. Both finish; the results differ only
where this library deliberately differs (ports and ids as ``int``/``str``, a member's address on
the rule's network), and ours waits for every async job and sends every id back as text.
"""

from __future__ import annotations

import textwrap
from typing import Any

import requests_mock
from _wire import wire

API_URL = "http://cs.test/client/api"

SCRIPT = textwrap.dedent('''
    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls(key="KEY", secret="SECRET", host="cs.test", path="/client/api", secure=False)
    tune(driver)

    protocols = driver.list_protocols()
    balancers = driver.list_balancers()
    balancer = driver.get_balancer(balancers[0].id)
    members = balancer.list_members()

    new = driver.create_balancer(name="new", members=[Member(2601, None, None)],
                                 protocol="http", port=80,
                                 algorithm=Algorithm.ROUND_ROBIN, network_id=5)
    balancer.attach_member(Member(2602, None, None))
    balancer.detach_member(members[0])
    driver.destroy_balancer(new)

    result = {
        "tcp": "tcp" in protocols,
        "names": [b.name for b in balancers],
        "running": balancer.state == State.RUNNING,
        "ip": balancer.ip, "port": balancer.port, "private_port": balancer.ex_private_port,
        "public_ip_id": balancer.ex_public_ip_id,
        "members": [(m.id, m.ip, m.port) for m in members],
        "new": (new.id, new.name),
    }
''')

RULE = {"id": 700, "name": "web", "publicip": "203.0.113.10", "publicipid": 34000,
        "publicport": "80", "privateport": "8080", "algorithm": "roundrobin", "networkid": 5,
        "zoneid": 1, "state": "Active"}
NEW_RULE = {"id": 701, "name": "new", "publicip": "203.0.113.11", "publicipid": 34001,
            "publicport": "80", "privateport": "80", "algorithm": "roundrobin",
            "networkid": 5, "zoneid": 1, "state": "Active"}
# the VM's first NIC is on another network: the rule balances to the one on network 5
VM = {"id": 2600, "name": "vm1", "state": "Running", "zoneid": 1,
      "nic": [{"id": 76, "networkid": 9, "ipaddress": "10.9.0.5"},
              {"id": 77, "networkid": 5, "ipaddress": "10.1.1.5"}]}


def _answer_all(cs_router: Any) -> None:
    cs_router.answer("listZones", {"count": 1, "zone": [{"id": 1, "name": "Zone1",
                                                         "networktype": "Advanced"}]})
    cs_router.answer("listLoadBalancerRules",
                     {"count": 2, "loadbalancerrule": [RULE, NEW_RULE]})
    cs_router.answer("listLoadBalancerRuleInstances",
                     {"count": 1, "loadbalancerruleinstance": [VM]})
    cs_router.answer_async("associateIpAddress",
                           {"ipaddress": {"id": 34001, "ipaddress": "203.0.113.11"}},
                           entity_id=34001)
    cs_router.answer_async("createLoadBalancerRule", {"loadbalancer": NEW_RULE}, entity_id=701)
    for command in ("assignToLoadBalancerRule", "removeFromLoadBalancerRule",
                    "deleteLoadBalancerRule", "disassociateIpAddress"):
        cs_router.answer_async(command, {"success": True})


def _tune(driver: Any) -> None:
    driver.connection.poll_interval = 0


def _run(namespace: dict[str, Any]) -> dict[str, Any]:
    exec(compile(SCRIPT, "<libcloud lb script>", "exec"), namespace)
    result: dict[str, Any] = namespace["result"]
    return result


def test_the_script_runs_on_libcloud_itself(cs_mock: Any, cs_router: Any) -> None:
    from libcloud.loadbalancer.base import Algorithm, Member
    from libcloud.loadbalancer.providers import get_driver
    from libcloud.loadbalancer.types import Provider, State

    cs_mock.register_uri(requests_mock.ANY, "http://cs.test:80/client/api", json=cs_router)
    _answer_all(cs_router)
    result = _run({"get_driver": get_driver, "Provider": Provider, "State": State,
                   "Member": Member, "Algorithm": Algorithm, "tune": _tune})
    assert result == {"tcp": True, "names": ["web", "new"], "running": True,
                      "ip": "203.0.113.10", "port": "80", "private_port": "8080",
                      "public_ip_id": 34000, "members": [("2600", "10.9.0.5", "8080")],
                      "new": ("701", "new")}
    # libcloud treats the async createLoadBalancerRule as sync and lists every rule again
    commands = [c["command"] for c in cs_router.calls]
    assert commands.count("listLoadBalancerRules") == 3 and "listZones" in commands


def test_the_script_runs_unchanged_on_ours(cs_mock: Any, cs_router: Any) -> None:
    from cloudstack_driver.loadbalancer import Algorithm, Member, Provider, State, get_driver

    _answer_all(cs_router)
    result = _run({"get_driver": get_driver, "Provider": Provider, "State": State,
                   "Member": Member, "Algorithm": Algorithm, "tune": _tune})
    assert result == {"tcp": True, "names": ["web", "new"], "running": True,
                      "ip": "203.0.113.10", "port": 80, "private_port": 8080,
                      "public_ip_id": "34000", "members": [("2600", "10.1.1.5", 8080)],
                      "new": ("701", "new")}
    sent = cs_router.sent
    commands = [c["command"] for c in cs_router.calls]
    assert "listZones" not in commands  # the network names the zone
    assert commands.count("listLoadBalancerRules") == 2
    assert wire(sent("associateIpAddress")[0]) == {"networkid": "5"}
    assert wire(sent("createLoadBalancerRule")[0]) == {
        "name": "new", "algorithm": "roundrobin", "publicport": "80", "privateport": "80",
        "networkid": "5", "protocol": "tcp", "publicipid": "34001"}
    assert [wire(p) for p in sent("assignToLoadBalancerRule")] == [
        {"id": "701", "virtualmachineids": "2601"}, {"id": "700", "virtualmachineids": "2602"}]
    assert [wire(p) for p in sent("removeFromLoadBalancerRule")] == [
        {"id": "700", "virtualmachineids": "2600"}]
    assert [wire(p) for p in sent("deleteLoadBalancerRule")] == [{"id": "701"}]
    assert [wire(p) for p in sent("disassociateIpAddress")] == [{"id": "34001"}]
    # every async call's job was waited for (both assignments got the router's one job id)
    jobs = [c["jobid"] for c in sent("queryAsyncJobResult")]
    assert jobs == ["job-1", "job-2", "job-3", "job-3", "job-4", "job-5", "job-6"]
