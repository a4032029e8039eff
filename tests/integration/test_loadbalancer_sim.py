"""The load-balancer driver against the bundled simulator (real HTTP, real jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cloudstack_driver import (
    AsyncJobError,
    CloudStackNodeDriver,
    InvalidParameterError,
    NetworkRuleConflictError,
    NodeLocation,
)
from cloudstack_driver.cloudstack.netmodels import CloudStackNetwork
from cloudstack_driver.loadbalancer import (
    Algorithm,
    CloudStackLBDriver,
    CloudStackLBHealthCheckPolicy,
    CloudStackLBStickinessPolicy,
    LibcloudLBImmutableError,
    LoadBalancer,
    LoadBalancerNotFoundError,
    Member,
    Provider,
    State,
    get_driver,
)
from cloudstack_driver.simulator import Simulator


@pytest.fixture
def lb(sim: Simulator) -> Iterator[CloudStackLBDriver]:
    driver: CloudStackLBDriver = get_driver(Provider.CLOUDSTACK)(
        sim.api_key, sim.secret_key, url=sim.url, poll_interval=0.01, max_retries=0,
        retry_delay=0, job_timeout=30)
    try:
        yield driver
    finally:
        driver.connection.close()


def _network(conn: CloudStackNodeDriver, zone: NodeLocation) -> CloudStackNetwork:
    return next(n for n in conn.ex_list_networks() if n.zoneid == zone.id)


def _node(conn: CloudStackNodeDriver, zone: NodeLocation, name: str,
          network: CloudStackNetwork) -> Any:
    return conn.create_node(name=name, image=conn.list_images(location=zone)[0],
                            size=conn.list_sizes()[0], networks=[network], location=zone)


@pytest.fixture
def web(conn: CloudStackNodeDriver, advanced: NodeLocation) -> dict[str, Any]:
    network = _network(conn, advanced)
    return {"network": network, "one": _node(conn, advanced, "web1", network),
            "two": _node(conn, advanced, "web2", network)}


def test_a_balancer_from_creation_to_destruction(lb: CloudStackLBDriver,
                                                 conn: CloudStackNodeDriver,
                                                 web: dict[str, Any]) -> None:
    one, two, network = web["one"], web["two"], web["network"]
    ips_before = {a.id for a in conn.ex_list_public_ips()}
    first = Member(one.id, None, None)
    balancer = lb.create_balancer("web", members=[first, two], port=80,
                                  algorithm=Algorithm.ROUND_ROBIN, private_port=8080,
                                  network_id=network)
    assert isinstance(balancer, LoadBalancer) and balancer.driver is lb
    assert (balancer.name, balancer.state, balancer.port, balancer.ex_private_port) == (
        "web", State.RUNNING, 80, 8080)
    assert balancer.ip is not None and balancer.ip.startswith("203.0.113.")
    assert (balancer.extra["algorithm"], balancer.extra["network_id"],
            balancer.extra["state"]) == ("roundrobin", network.id, "Active")
    assert (first.port, first.balancer) == (8080, balancer)
    assert balancer.ex_public_ip_id not in ips_before  # a new address was allocated

    [listed] = lb.list_balancers()
    got = lb.get_balancer(balancer.id)
    assert (listed.id, got.id, got.ip, got.port, got.state) == (
        balancer.id, balancer.id, balancer.ip, 80, State.RUNNING)
    assert [b.id for b in lb.list_balancers(ex_node=two)] == [balancer.id]
    assert [b.id for b in lb.list_balancers(ex_public_ip_id=balancer.ex_public_ip_id)] == [
        balancer.id]
    with pytest.raises(InvalidParameterError, match="Invalid parameter networkid value="):
        lb.list_balancers(ex_network_id="0f0e0d0c-0b0a-4909-8807-060504030201")

    members = balancer.list_members()
    assert sorted((m.id, m.ip, m.port) for m in members) == sorted([
        (one.id, one.private_ips[0], 8080), (two.id, two.private_ips[0], 8080)])
    assert {m.extra["name"] for m in members} == {"web1", "web2"}
    assert all(m.balancer is balancer for m in members)

    leaving = next(m for m in members if m.id == two.id)
    assert balancer.detach_member(leaving) is True
    assert [m.id for m in lb.balancer_list_members(balancer)] == [one.id]
    rejoined = balancer.attach_compute_node(two)
    assert (rejoined.id, rejoined.ip, rejoined.port) == (two.id, two.private_ips[0], 8080)
    assert len(balancer.list_members()) == 2

    renamed = lb.update_balancer(balancer, name="front", algorithm=Algorithm.LEAST_CONNECTIONS,
                                 ex_description="the front door")
    assert (renamed.id, renamed.name, renamed.extra["algorithm"],
            renamed.extra["description"]) == (balancer.id, "front", "leastconn",
                                              "the front door")
    with pytest.raises(LibcloudLBImmutableError, match="'port' cannot change"):
        lb.update_balancer(renamed, port=81)

    assert balancer.destroy() is True
    assert lb.list_balancers() == []
    assert {a.id for a in conn.ex_list_public_ips()} == ips_before  # its address released
    with pytest.raises(LoadBalancerNotFoundError, match=f"no such load balancer: {balancer.id}"):
        lb.get_balancer(balancer.id)


def test_health_check_and_stickiness_policies(lb: CloudStackLBDriver,
                                              web: dict[str, Any]) -> None:
    balancer = lb.create_balancer("web", members=[], network_id=web["network"])
    check = lb.ex_create_lb_health_check_policy(balancer, ping_path="/health", interval=10)
    assert isinstance(check, CloudStackLBHealthCheckPolicy)
    assert (check.ping_path, check.interval, check.response_time, check.healthy_threshold,
            check.unhealthy_threshold, check.state, check.balancer_id) == (
        "/health", 10, 2, 2, 10, "Active", balancer.id)
    assert lb.ex_list_lb_health_check_policies(balancer) == [check]
    with pytest.raises(InvalidParameterError, match="Already policy attached") as info:
        lb.ex_create_lb_health_check_policy(balancer.id)
    assert (info.value.errorcode, info.value.command) == (431, "createLBHealthCheckPolicy")
    assert check.delete() is True
    assert lb.ex_list_lb_health_check_policies(balancer) == []

    sticky = lb.ex_create_lb_stickiness_policy(balancer, "sticky", "LbCookie",
                                               params={"cookie-name": "SRV"},
                                               description="by cookie")
    assert isinstance(sticky, CloudStackLBStickinessPolicy)
    assert (sticky.name, sticky.method, sticky.params, sticky.description,
            sticky.balancer_id) == ("sticky", "LbCookie", {"cookie-name": "SRV"},
                                    "by cookie", balancer.id)
    assert lb.ex_list_lb_stickiness_policies(balancer.id) == [sticky]
    assert lb.ex_delete_lb_stickiness_policy(sticky.id) is True
    with pytest.raises(InvalidParameterError, match="invalid stickiness method Magic"):
        lb.ex_create_lb_stickiness_policy(balancer, "s", "Magic")
    assert lb.ex_list_lb_stickiness_policies(balancer) == []
    assert lb.destroy_balancer(balancer) is True


def test_a_failed_create_leaves_nothing_behind(lb: CloudStackLBDriver,
                                               conn: CloudStackNodeDriver,
                                               advanced: NodeLocation,
                                               web: dict[str, Any]) -> None:
    offering = next(o for o in conn.ex_list_network_offerings()
                    if o.guest_ip_type == "Isolated" and not o.for_vpc)
    other = conn.ex_create_network("Other", "other", offering, advanced)
    stranger = _node(conn, advanced, "stranger", other)
    ips_before = {a.id for a in conn.ex_list_public_ips()}
    with pytest.raises(AsyncJobError) as info:
        lb.create_balancer("web", members=[web["one"], stranger], network_id=web["network"])
    assert isinstance(info.value, InvalidParameterError)  # the job's errorcode, 431
    assert info.value.command == "assignToLoadBalancerRule"
    assert "VM stranger is not in the network" in str(info.value)
    assert lb.list_balancers() == []
    assert {a.id for a in conn.ex_list_public_ips()} == ips_before


def test_ports_taken_by_port_forwarding(lb: CloudStackLBDriver, conn: CloudStackNodeDriver,
                                        web: dict[str, Any]) -> None:
    address = conn.ex_allocate_public_ip(network_id=web["network"])
    forward = conn.ex_create_port_forwarding_rule(web["one"], address, 80, 80, "tcp")
    with pytest.raises(NetworkRuleConflictError, match="conflicts with rule") as info:
        lb.create_balancer("web", members=[], port=80, ex_public_ip=address)
    assert (info.value.errorcode, info.value.cserrorcode) == (537, 4360)
    assert address in conn.ex_list_public_ips()  # a given address is never released on failure
    balancer = lb.create_balancer("web", members=[web["two"]], port=443, ex_public_ip=address,
                                  algorithm=Algorithm.PERSISTENT_IP)
    assert (balancer.ip, balancer.extra["algorithm"]) == (address.address, "source")
    assert lb.destroy_balancer(balancer, ex_release_ip=False) is True
    assert address in conn.ex_list_public_ips()
    forward.delete()
    address.release()


def test_a_balancer_on_a_vpc_tier(lb: CloudStackLBDriver, conn: CloudStackNodeDriver,
                                  advanced: NodeLocation) -> None:
    offering = conn.ex_list_vpc_offerings()[0]
    vpc = conn.ex_create_vpc("10.40.0.0/16", "shop", "shop", offering, advanced)
    tier_offering = next(o for o in conn.ex_list_network_offerings() if o.for_vpc)
    tier = conn.ex_create_network("web", "web", tier_offering, advanced, gateway="10.40.1.1",
                                  netmask="255.255.255.0", vpc_id=vpc)
    node = _node(conn, advanced, "tiervm", tier)
    balancer = lb.create_balancer("shop", members=[node], vpc_id=vpc, network_id=tier)
    assert balancer.extra["network_id"] == tier.id
    [address] = [a for a in conn.ex_list_public_ips(vpc_id=vpc) if a.id == balancer.ex_public_ip_id]
    assert (address.vpc_id, address.associated_network_id) == (vpc.id, tier.id)
    assert [m.ip for m in balancer.list_members()] == [node.private_ips[0]]
    assert balancer.destroy() is True
    assert [a.id for a in conn.ex_list_public_ips(vpc_id=vpc)
            if a.id == balancer.ex_public_ip_id] == []


def test_one_connection_for_compute_and_balancers(conn: CloudStackNodeDriver,
                                                  web: dict[str, Any]) -> None:
    lb = CloudStackLBDriver.ex_from_node_driver(conn)
    assert lb.connection is conn.connection and lb.url == conn.url
    balancer = lb.create_balancer("web", members=[web["one"]], network_id=web["network"])
    assert [m.id for m in balancer.list_members()] == [web["one"].id]
    assert lb.destroy_balancer(balancer) is True
