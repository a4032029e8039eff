"""Bulk operations on the driver against the simulator, with jobs that take seconds
(issue 12, item 1): ``ex_wait=False`` handles, ``wait_for_jobs``, ``create_nodes``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudstack_driver import (
    AsyncJobTimeoutError,
    CloudStackNode,
    CloudStackNodeDriver,
    InvalidParameterError,
    JobHandle,
    NodeLocation,
    NodeState,
    StorageVolume,
)
from cloudstack_driver.simulator import Simulator


@pytest.fixture
def slow() -> Iterator[CloudStackNodeDriver]:
    """Jobs of 1.5 s; the driver's polls adapt (first after 50 ms, backing off to 1 s)."""
    with Simulator(job_duration=1.5) as sim:
        driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                      max_retries=0, job_timeout=60)
        try:
            yield driver
        finally:
            driver.connection.close()


def _basic(driver: CloudStackNodeDriver) -> NodeLocation:
    return next(z for z in driver.list_locations() if z.extra["network_type"] == "Basic")


def test_handles_then_one_wait_for_all(slow: CloudStackNodeDriver) -> None:
    zone = _basic(slow)
    size, image = slow.list_sizes()[0], slow.list_images()[0]
    handles = [slow.create_node(f"bulk-{i}", size, image, zone, ex_wait=False)
               for i in range(12)]
    assert all(isinstance(h, JobHandle) and h.command == "deployVirtualMachine"
               for h in handles)
    assert len({h.jobid for h in handles}) == 12
    volume_handle = slow.create_volume(1, "bulk-data", location=zone, ex_wait=False)
    outcomes = slow.wait_for_jobs([*handles, volume_handle])
    nodes, volume = outcomes[:-1], outcomes[-1]
    assert all(isinstance(n, CloudStackNode) for n in nodes)
    assert [n.name for n in nodes] == [f"bulk-{i}" for i in range(12)]
    assert [n.id for n in nodes] == [h.entity_id for h in handles]
    assert all(n.state is NodeState.RUNNING for n in nodes)
    assert isinstance(volume, StorageVolume) and volume.name == "bulk-data"
    attach = slow.attach_volume(nodes[0], volume, ex_wait=False)
    destroys = [slow.destroy_node(n, ex_wait=False) for n in nodes[1:]]
    assert slow.wait_for_jobs([attach, *destroys]) == [True] * 12
    assert [n.name for n in slow.list_nodes() if n.state is not NodeState.TERMINATED] == [
        "bulk-0"]


def test_create_nodes_returns_nodes_and_errors_in_order(slow: CloudStackNodeDriver) -> None:
    zone = _basic(slow)
    size, image = slow.list_sizes()[0], slow.list_images()[0]
    specs = [{"name": f"many-{i}", "size": size, "image": image, "location": zone}
             for i in range(8)]
    specs.insert(3, {"name": "refused", "size": size, "image": image, "location": zone,
                     "ex_keyname": "no-such-key"})
    results = slow.create_nodes(specs)
    assert len(results) == 9
    assert isinstance(results[3], InvalidParameterError)
    made = [r for i, r in enumerate(results) if i != 3]
    assert [n.name for n in made] == [f"many-{i}" for i in range(8)]
    assert sorted(n.name for n in slow.list_nodes()) == sorted(f"many-{i}" for i in range(8))


def test_create_nodes_checks_every_spec_before_sending(slow: CloudStackNodeDriver) -> None:
    zone = _basic(slow)
    size, image = slow.list_sizes()[0], slow.list_images()[0]
    good = {"name": "ok", "size": size, "image": image, "location": zone}
    with pytest.raises(TypeError, match=r"create_nodes\(\): specs\[1\]: .*'colour'"):
        slow.create_nodes([good, {**good, "colour": "red"}])
    with pytest.raises(TypeError, match=r"specs\[2\]: create_node\(\): 'image' must be a "
                                        r"NodeImage"):
        slow.create_nodes([good, good, {**good, "image": "tiny Linux"}])
    assert slow.list_nodes() == []
    with pytest.raises(TypeError, match=r"'handles\[0\]' must be a JobHandle"):
        slow.wait_for_jobs(["job-id"])  # type: ignore[list-item]


def test_a_job_still_running_at_the_deadline_is_an_error_naming_its_job(
        slow: CloudStackNodeDriver) -> None:
    zone = _basic(slow)
    handle = slow.create_node("late", slow.list_sizes()[0], slow.list_images()[0], zone,
                              ex_wait=False)
    [outcome] = slow.wait_for_jobs([handle], timeout=0.2)
    assert isinstance(outcome, AsyncJobTimeoutError)
    assert (outcome.jobid, outcome.command, outcome.entity_id) == (
        handle.jobid, "deployVirtualMachine", handle.entity_id)
    [node] = slow.wait_for_jobs([handle])
    assert isinstance(node, CloudStackNode) and node.name == "late"
