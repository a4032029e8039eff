"""Cancellation on the asyncio driver (issue 15, item 3): a cancelled wait or HTTP exchange
raises ``CancelledError`` to its caller and leaves no task, no waited job and no TCP
connection behind; the driver goes on working.

Open connections are this process's sockets (``/proc/self/fd``) whose peer is the
simulator's port (``/proc/self/net/tcp``). The simulator closes each connection after its
answer, so a socket exists exactly while a request is in flight: a ``latency`` fault keeps one
in flight when the test cancels. Waits are on conditions (``_until``), never on fixed sleeps.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from cloudstack_driver import AsyncJobTimeoutError, CloudStackNode, DriverClosedError, NodeState
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.simulator import Fault, Simulator
from tests.integration.conftest import track_handling

HUB = "cloudstack-driver-job-hub"


def _port(sim: Simulator) -> int:
    port = urlsplit(sim.url).port
    assert port is not None
    return port


def open_sockets(port: int) -> int:
    """This process's TCP sockets connected to ``port`` (any state but closed)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table, encoding="ascii") as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                    count += 1
    return count


async def _until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def _others() -> set[str]:
    return {t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task()}


async def _catalog(d: AsyncCloudStackNodeDriver) -> tuple[Any, Any, Any]:
    zone = next(z for z in await d.list_locations() if z.extra["network_type"] == "Basic")
    return zone, (await d.list_sizes())[0], (await d.list_images())[0]


def _driver(sim: Simulator, **options: Any) -> AsyncCloudStackNodeDriver:
    options = {"max_retries": 0, "retry_delay": 0, "job_timeout": 60, "poll_interval": 0.05,
               **options}
    return AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, **options)


def test_cancelling_creates_mid_wait_leaves_nothing_behind() -> None:
    with Simulator(job_duration=30.0) as sim:
        port = _port(sim)

        async def main() -> None:
            d = _driver(sim)
            try:
                zone, size, image = await _catalog(d)
                tasks = [asyncio.create_task(d.create_node(f"gone-{i}", size, image, zone))
                         for i in range(8)]
                await _until(lambda: d.connection.hub.pending == 8, "8 jobs waited on")
                assert HUB in _others()
                # a poll in flight when the waiters are cancelled: held by the server
                sim.faults.add(Fault("listAsyncJobs", "latency", seconds=5.0))
                seen = sim.faults.seen("listAsyncJobs")
                await _until(lambda: sim.faults.seen("listAsyncJobs") > seen, "a poll")
                assert open_sockets(port) == 1
                for task in tasks:
                    task.cancel()
                outcomes = await asyncio.gather(*tasks, return_exceptions=True)
                assert all(isinstance(o, asyncio.CancelledError) for o in outcomes), outcomes
                assert d.connection.hub.pending == 0
                await _until(lambda: _others() == set(), "the hub task to end", timeout=2.0)
                assert open_sockets(port) == 0  # the poll was abandoned, its socket closed
                # the jobs were the server's: they still run there, only the wait stopped
                assert sorted(vm["name"] for vm in sim.cloud.tables["virtualmachine"].values()
                              ) == sorted(f"gone-{i}" for i in range(8))

                sim.faults.clear()
                sim.cloud.jobs.duration = 0.05
                node = await d.create_node("after", size, image, zone)  # usable again
                assert isinstance(node, CloudStackNode) and node.state is NodeState.RUNNING
                assert d.connection.hub.pending == 0
            finally:
                await d.aclose()
            assert _others() == set()
            assert open_sockets(port) == 0

        asyncio.run(main())


def test_caller_cancelled_by_wait_for_gets_timeout_and_other_waiters_go_on() -> None:
    with Simulator(job_duration=2.0) as sim:

        async def main() -> None:
            async with _driver(sim) as d:
                zone, size, image = await _catalog(d)
                kept = asyncio.create_task(d.create_node("kept", size, image, zone))
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(d.create_node("dropped", size, image, zone), 0.2)
                assert d.connection.hub.pending == 1  # the other job is still waited on
                assert HUB in _others()
                node = await kept
                assert node.name == "kept" and node.state is NodeState.RUNNING
                assert d.connection.hub.pending == 0
                await _until(lambda: _others() == set(), "the hub task to end", timeout=2.0)

        asyncio.run(main())


def test_cancelling_wait_for_jobs_stops_the_poller() -> None:
    with Simulator(job_duration=30.0) as sim:

        async def main() -> None:
            async with _driver(sim, poll_interval=5.0) as d:
                zone, size, image = await _catalog(d)
                handles = [await d.create_node(f"h-{i}", size, image, zone, ex_wait=False)
                           for i in range(3)]
                task = asyncio.create_task(d.wait_for_jobs(handles))
                await _until(lambda: d.connection.hub.pending == 3, "3 jobs waited on")
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                assert d.connection.hub.pending == 0
                await _until(lambda: _others() == set(), "the hub task to end", timeout=2.0)

        asyncio.run(main())


def test_cancelled_error_reaches_the_caller_through_its_own_code() -> None:
    with Simulator(job_duration=30.0) as sim:
        reached: list[str] = []

        async def caller(d: AsyncCloudStackNodeDriver, zone: Any, size: Any,
                         image: Any) -> None:
            try:
                await d.create_node("c", size, image, zone)
            except asyncio.CancelledError:
                reached.append("cancelled")
                raise
            finally:
                reached.append("finally")

        async def main() -> None:
            async with _driver(sim) as d:
                zone, size, image = await _catalog(d)
                task = asyncio.create_task(caller(d, zone, size, image))
                await _until(lambda: d.connection.hub.pending == 1, "the job waited on")
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                assert task.cancelled()
                assert reached == ["cancelled", "finally"]
                assert d.connection.hub.pending == 0
                await _until(lambda: _others() == set(), "the hub task to end", timeout=2.0)

        asyncio.run(main())


def test_cancelling_in_the_middle_of_an_http_exchange() -> None:
    with Simulator(job_duration=0.05) as sim:
        port = _port(sim)
        sim.faults.add(Fault("listVirtualMachines", "latency", seconds=5.0, occurrence=1))
        handling = track_handling(sim)

        async def main() -> None:
            d = _driver(sim)
            try:
                zone, size, image = await _catalog(d)
                task = asyncio.create_task(d.list_nodes())
                await _until(lambda: sim.faults.seen("listVirtualMachines") == 1,
                             "the request to reach the server")
                assert open_sockets(port) == 1
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                # cancelled while the server still holds the request: not waited for
                assert handling == [1]
                await _until(lambda: open_sockets(port) == 0, "the socket to close",
                             timeout=2.0)
                assert _others() == set()
                # usable at once, on a new connection
                assert await d.list_nodes() == []
                node = await d.create_node("next", size, image, zone)
                assert [n.id for n in await d.list_nodes()] == [node.id]
            finally:
                await d.aclose()
            assert open_sockets(port) == 0 and _others() == set()

        asyncio.run(main())


def test_cancelling_create_nodes_mid_submission() -> None:
    with Simulator(job_duration=0.05) as sim:
        sim.faults.add(Fault("deployVirtualMachine", "latency", seconds=0.5))

        async def main() -> None:
            async with _driver(sim, max_concurrency=2) as d:
                zone, size, image = await _catalog(d)
                specs = [{"name": f"b-{i}", "size": size, "image": image, "location": zone}
                         for i in range(10)]
                task = asyncio.create_task(d.create_nodes(specs))
                await _until(lambda: sim.faults.seen("deployVirtualMachine") >= 2,
                             "the first deploys")
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                await _until(lambda: _others() == set(), "every submission to stop",
                             timeout=2.0)
                sent = sim.faults.seen("deployVirtualMachine")
                assert sent < 10  # the deploys not yet sent never are
                assert d.connection.hub.pending == 0
                again = [{**spec, "name": f"again-{i}"} for i, spec in enumerate(specs[:2])]
                nodes = await d.create_nodes(again)
                assert [n.name for n in nodes] == ["again-0", "again-1"]

        asyncio.run(main())


def test_aclose_then_reuse_on_another_loop() -> None:
    with Simulator(job_duration=0.05) as sim:
        d = _driver(sim)

        async def first() -> str:
            zone, size, image = await _catalog(d)
            node = await d.create_node("one", size, image, zone)
            await d.aclose()
            return str(node.id)

        async def second() -> list[str]:
            try:
                return [str(n.id) for n in await d.list_nodes()]
            finally:
                await d.aclose()

        made = asyncio.run(first())
        assert asyncio.run(second()) == [made]
        assert open_sockets(_port(sim)) == 0


def test_aclose_ends_the_waits_in_progress_with_driver_closed_error() -> None:
    with Simulator(job_duration=30.0) as sim:

        async def main() -> tuple[list[Any], Any]:
            d = _driver(sim)
            try:
                zone, size, image = await _catalog(d)
                single = asyncio.create_task(d.create_node("closing", size, image, zone))
                handles = [await d.create_node(f"bulk-{i}", size, image, zone, ex_wait=False)
                           for i in range(2)]
                bulk = asyncio.create_task(d.wait_for_jobs(handles))
                await _until(lambda: d.connection.hub.pending == 3, "3 jobs waited on")
            finally:
                await d.aclose()
            outcomes = await bulk
            with pytest.raises(DriverClosedError) as caught:
                await single
            assert _others() == set()
            return outcomes, caught.value

        outcomes, error = asyncio.run(main())
        vms = {vm["name"]: vm for vm in sim.cloud.tables["virtualmachine"].values()}
    assert isinstance(error, AsyncJobTimeoutError)  # the wait ended before the job
    assert error.command == "deployVirtualMachine"
    assert error.entity_id == vms["closing"]["id"]
    assert error.jobid and "the driver was closed while waiting for job" in str(error)
    assert [type(o) for o in outcomes] == [DriverClosedError, DriverClosedError]
    assert [o.entity_id for o in outcomes] == [vms["bulk-0"]["id"], vms["bulk-1"]["id"]]
    assert [o.command for o in outcomes] == ["deployVirtualMachine"] * 2
