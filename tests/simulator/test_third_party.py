"""Clients we did not write: the ``cs`` package, and our driver through the plugin fixture."""

from __future__ import annotations

from typing import Any

import pytest
from cs import CloudStack

from cloudstack_driver.simulator import Simulator
from cloudstack_driver.simulator.seed import TINY_LINUX_ID

TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"


def test_cs_client_creates_lists_destroys(sim: Simulator) -> None:
    client = CloudStack(endpoint=sim.url, key=sim.api_key, secret=sim.secret_key,
                        fetch_result=True, timeout=30, poll_interval=0.05)
    zone = next(z for z in client.listZones()["zone"] if z["networktype"] == "Basic")
    made = client.deployVirtualMachine(zoneid=zone["id"], templateid=TINY_LINUX_ID,
                                       serviceofferingid=TINY, name="from-cs")
    vm = made["virtualmachine"]
    assert vm["state"] == "Running"
    listed = client.listVirtualMachines(fetch_list=True)
    assert [v["name"] for v in listed] == ["from-cs"]
    client.destroyVirtualMachine(id=vm["id"], expunge=True)
    assert client.listVirtualMachines(fetch_list=True) == []


def test_cs_client_post(sim: Simulator) -> None:
    client = CloudStack(endpoint=sim.url, key=sim.api_key, secret=sim.secret_key,
                        method="post", timeout=30)
    assert len(client.listZones()["zone"]) == 2


def test_our_driver_through_plugin_fixture(cloudstack_driver: Any,
                                           cloudstack_simulator: Simulator) -> None:
    location = next(loc for loc in cloudstack_driver.list_locations() if loc.name == "CH-GV2")
    size = next(s for s in cloudstack_driver.list_sizes() if s.name == "tinyOffering")
    image = next(i for i in cloudstack_driver.list_images(location) if i.id == TINY_LINUX_ID)
    node = cloudstack_driver.create_node(name="ours", size=size, image=image,
                                         location=location)
    assert node.name == "ours"
    assert [n.id for n in cloudstack_driver.list_nodes()] == [node.id]
    assert cloudstack_driver.destroy_node(node) is True
    states = {r["state"] for r in cloudstack_simulator.cloud.all("virtualmachine")}
    assert states <= {"Destroyed"}


@pytest.mark.parametrize("count", [3])
def test_prepopulated_vms_visible_to_cs(count: int) -> None:
    with Simulator(vms=count) as server:
        client = CloudStack(endpoint=server.url, key=server.api_key, secret=server.secret_key)
        assert len(client.listVirtualMachines(fetch_list=True)) == count
