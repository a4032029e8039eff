"""The asyncio load-balancer driver against the simulator over real HTTP: the same calls and
answers as the sync one, on the asyncio compute driver's connection."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cloudstack_driver import LibcloudError
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.aio.loadbalancer import AsyncCloudStackLBDriver, get_driver
from cloudstack_driver.loadbalancer import (
    Algorithm,
    CloudStackLBDriver,
    LoadBalancerNotFoundError,
    Member,
    Provider,
)
from cloudstack_driver.simulator import Simulator


async def _walk(sim: Simulator) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    async with AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url) as conn:
        lb = AsyncCloudStackLBDriver.ex_from_node_driver(conn)
        assert lb.connection is conn.connection
        zone = next(z for z in await conn.list_locations()
                    if z.extra["network_type"] == "Advanced")
        image = (await conn.list_images(location=zone))[0]
        size = (await conn.list_sizes())[0]
        offering = next(o for o in await conn.ex_list_network_offerings()
                        if o.guest_ip_type == "Isolated" and not o.for_vpc)
        network = await conn.ex_create_network("lb", "lb", offering, zone)
        first, second = await asyncio.gather(*(
            conn.create_node(name=f"member-{i}", image=image, size=size, networks=[network],
                             location=zone) for i in range(2)))
        balancer = await lb.create_balancer(
            name="web", members=[Member(first.id, None, None), second], protocol="tcp",
            port=80, private_port=8080, algorithm=Algorithm.ROUND_ROBIN,
            network_id=network.id)
        seen["balancer"] = balancer
        seen["members"] = sorted(m.id for m in await balancer.list_members())
        seen["got"] = await lb.get_balancer(balancer.id)
        policy = await lb.ex_create_lb_health_check_policy(balancer, ping_path="/health",
                                                           interval=10)
        seen["policies"] = [p.id for p in await lb.ex_list_lb_health_check_policies(balancer)]
        seen["policy"] = policy
        assert await balancer.detach_member(Member(second.id, None, None)) is True
        seen["left"] = [m.id for m in await lb.balancer_list_members(balancer)]
        seen["destroyed"] = await balancer.destroy()
        seen["after"] = await lb.list_balancers()
        with pytest.raises(LoadBalancerNotFoundError) as caught:
            await lb.get_balancer(balancer.id)
        seen["missing"] = caught.value
        seen["ids"] = (first.id, second.id)
    return seen


def test_a_balancer_over_two_nodes_is_made_listed_and_removed() -> None:
    with Simulator(job_duration=0.2) as sim:
        seen = asyncio.run(_walk(sim))
        rules = sim.cloud.tables["loadbalancerrule"]  # made by the create, emptied by destroy
    first, second = seen["ids"]
    balancer = seen["balancer"]
    assert (balancer.name, balancer.port, balancer.ex_private_port) == ("web", 80, 8080)
    assert seen["members"] == sorted([first, second])
    assert seen["got"].id == balancer.id and seen["got"].ip == balancer.ip
    assert seen["policies"] == [seen["policy"].id]
    assert seen["policy"].ping_path == "/health"
    assert seen["left"] == [first]
    assert seen["destroyed"] is True and seen["after"] == []
    assert balancer.id in str(seen["missing"])
    assert rules == {}


def test_get_driver_and_the_driver_kinds_do_not_mix() -> None:
    assert get_driver(Provider.CLOUDSTACK) is AsyncCloudStackLBDriver
    assert get_driver("cloudstack") is AsyncCloudStackLBDriver
    with pytest.raises(LibcloudError, match="no asyncio load-balancer driver for provider"):
        get_driver("elb")
    nodes = AsyncCloudStackNodeDriver("k", "s", url="http://127.0.0.1:9/client/api")
    with pytest.raises(TypeError, match=r"'driver' is an asyncio driver; use "
                                        r"cloudstack_driver\.aio\.AsyncCloudStackLBDriver"):
        CloudStackLBDriver.ex_from_node_driver(nodes)
    sync = CloudStackLBDriver("k", "s", url="http://127.0.0.1:9/client/api")
    with pytest.raises(TypeError, match="'driver' is a sync driver; use CloudStackLBDriver"):
        AsyncCloudStackLBDriver.ex_from_node_driver(sync._nodes)


def test_own_constructor_closes_its_connection() -> None:
    async def run(sim: Simulator) -> list[str]:
        async with AsyncCloudStackLBDriver(sim.api_key, sim.secret_key, url=sim.url,
                                           max_concurrency=2) as lb:
            assert lb.connection.max_concurrency == 2
            protocols = await lb.list_protocols()
            assert await lb.list_balancers() == []
        assert lb.connection._client is None
        return list(protocols)

    with Simulator() as sim:
        assert asyncio.run(run(sim)) == ["tcp", "udp", "tcp-proxy"]
