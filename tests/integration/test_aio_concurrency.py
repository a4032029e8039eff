"""Many coroutines on one asyncio driver (issue 15, item 3 and its Done-when): jobs that take
seconds, one shared job waiter, a bound on requests in flight.

Requests are counted by the simulator (``requests_served``, and per command with
``faults.seen``); requests in flight are measured server-side, by wrapping the simulator
application's ``handle`` (a ``latency`` fault keeps each deploy in the server long enough for
the requests to overlap).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any

from cloudstack_driver import CloudStackNode, CloudStackNodeDriver, NodeState
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.aio.transport import DEFAULT_MAX_CONCURRENCY
from cloudstack_driver.simulator import Fault, Simulator


class InFlight:
    """Counts the requests the simulator is handling at once (its ``peak``)."""

    def __init__(self, sim: Simulator) -> None:
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()
        handle = sim.app.handle

        def counted(environ: dict[str, Any]) -> Any:
            with self._lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            try:
                return handle(environ)
            finally:
                with self._lock:
                    self.now -= 1

        sim.app.handle = counted  # type: ignore[method-assign]

    def reset(self) -> None:
        with self._lock:
            self.peak = self.now


def _catalog(sim: Simulator) -> tuple[Any, Any, Any]:
    """A Basic zone, a size and an image, read with the sync driver."""
    driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, max_retries=0)
    try:
        zone = next(z for z in driver.list_locations() if z.extra["network_type"] == "Basic")
        return zone, driver.list_sizes()[0], driver.list_images()[0]
    finally:
        driver.connection.close()


def _seen(sim: Simulator, *commands: str) -> dict[str, int]:
    return {c: sim.faults.seen(c) for c in commands}


COMMANDS = ("deployVirtualMachine", "listAsyncJobs", "queryAsyncJobResult",
            "listVirtualMachines")


def _driver_tasks() -> set[str]:
    return {t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task()}


def test_500_concurrent_creates_with_jobs_of_two_seconds() -> None:
    with Simulator(job_duration=2.0) as sim:
        inflight = InFlight(sim)
        sim.faults.add(Fault("deployVirtualMachine", "latency", seconds=0.03))
        before, seen_before = 0, _seen(sim, *COMMANDS)

        async def main() -> list[Any]:
            nonlocal before, seen_before
            async with AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                                 max_retries=0, job_timeout=120) as d:
                assert d.connection.max_concurrency == DEFAULT_MAX_CONCURRENCY
                zone = next(z for z in await d.list_locations()
                            if z.extra["network_type"] == "Basic")
                size, image = (await d.list_sizes())[0], (await d.list_images())[0]
                before, seen_before = sim.requests_served, _seen(sim, *COMMANDS)
                inflight.reset()
                nodes = await asyncio.gather(*(d.create_node(f"c-{i:03d}", size, image, zone)
                                               for i in range(500)))
                assert d.connection.hub.pending == 0
                assert _driver_tasks() == set()
                return nodes

        started = time.monotonic()
        nodes = asyncio.run(main())
        elapsed = time.monotonic() - started
        requests = sim.requests_served - before
        by_command = {c: n - seen_before[c] for c, n in _seen(sim, *COMMANDS).items()}
        print(f"\n500 creates (2 s jobs): {requests} requests {by_command}, "
              f"{elapsed:.2f} s, peak in flight {inflight.peak}")

        assert all(isinstance(n, CloudStackNode) and n.state is NodeState.RUNNING
                   for n in nodes)
        assert [n.name for n in nodes] == [f"c-{i:03d}" for i in range(500)]
        assert len({n.id for n in nodes}) == 500
        vms = list(sim.cloud.tables["virtualmachine"].values())
        names = Counter(vm["name"] for vm in vms)
        assert len(vms) == 500 and max(names.values()) == 1  # no duplicate
        assert all(vm["state"] == "Running" for vm in vms)
        assert {vm["id"] for vm in vms} == {n.id for n in nodes}

        assert by_command["deployVirtualMachine"] == 500  # one each, none resent
        assert by_command["queryAsyncJobResult"] == 0  # the listing saw every job
        assert 1 <= by_command["listAsyncJobs"] < 50  # one listing per round, for all
        assert requests == by_command["deployVirtualMachine"] + by_command["listAsyncJobs"]
        assert requests < 600
        # the bound held, and was used (8 even when a loaded machine starves the client)
        assert 8 <= inflight.peak <= DEFAULT_MAX_CONCURRENCY


def test_done_when_100_creates_within_one_and_a_half_jobs_in_140_requests() -> None:
    """Issue 15's acceptance criterion, with the driver's default settings: the issue's
    block (``async with driver as d: await asyncio.gather(*(d.create_node(...) ...))``) is
    timed; the zone, size and image it creates with are read by the same driver just before,
    and those requests are counted too. Jobs of 6 s keep the 100 submissions small next to
    one job, even on a loaded 2-core machine (the polls' backoff alone may end up to about a
    fifth of a job after the last one ends)."""
    job = 6.0
    with Simulator(job_duration=job) as sim:
        before = sim.requests_served

        async def main() -> tuple[list[Any], float]:
            driver = AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url)
            try:
                zone = (await driver.list_locations())[0]
                size, image = (await driver.list_sizes())[0], (await driver.list_images())[0]
            except BaseException:
                await driver.aclose()
                raise
            started = time.monotonic()
            async with driver as d:
                nodes = await asyncio.gather(*(d.create_node(f"w-{i}", size, image, zone)
                                               for i in range(100)))
            return nodes, time.monotonic() - started

        nodes, elapsed = asyncio.run(main())
        requests = sim.requests_served - before
        print(f"\nDone-when: 100 creates of {job:.0f} s jobs in {elapsed:.2f} s "
              f"(ratio {elapsed / job:.2f}), {requests} requests")
        assert [n.name for n in nodes] == [f"w-{i}" for i in range(100)]
        assert all(n.state is NodeState.RUNNING for n in nodes)
        assert len(sim.cloud.tables["virtualmachine"]) == 100
        assert requests <= 140
        assert job <= elapsed <= 1.5 * job  # no job ends sooner; the waiting costs < half


def test_concurrent_creates_on_a_fresh_driver_share_one_zone_listing() -> None:
    """``create_node`` reads the zone (``listZones``, cached per driver) on a driver that has
    not listed zones yet. Fifty creates gathered on such a driver must share one listing.
    (Fails today: each coroutine sees the empty cache and sends its own ``listZones``, so
    the Done-when's 100 creates with a location from elsewhere cost 100 extra requests.)"""
    with Simulator(job_duration=0.05) as sim:
        zone, size, image = _catalog(sim)
        before = sim.faults.seen("listZones")

        async def main() -> None:
            async with AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                                 max_retries=0, poll_interval=0.05) as d:
                nodes = await asyncio.gather(*(d.create_node(f"z-{i}", size, image, zone)
                                               for i in range(50)))
                assert len({n.id for n in nodes}) == 50

        asyncio.run(main())
        assert sim.faults.seen("listZones") - before == 1


def test_max_concurrency_bounds_every_request_of_the_driver() -> None:
    with Simulator(job_duration=0.3) as sim:
        zone = _catalog(sim)[0]
        inflight = InFlight(sim)
        for command in ("listVirtualMachines", "createVolume", "listAsyncJobs"):
            sim.faults.add(Fault(command, "latency", seconds=0.03))

        async def main() -> None:
            async with AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                                 max_concurrency=3, max_retries=0,
                                                 poll_interval=0.05) as d:
                inflight.reset()
                results = await asyncio.gather(
                    *(d.list_nodes() for _ in range(12)),
                    *(d.create_volume(1, f"v-{i}", location=zone) for i in range(12)))
                assert all(r == [] for r in results[:12])
                assert sorted(v.name for v in results[12:]) == sorted(
                    f"v-{i}" for i in range(12))

        asyncio.run(main())
        print(f"\nmax_concurrency=3: peak in flight {inflight.peak}")
        assert 2 <= inflight.peak <= 3
        assert len(sim.cloud.tables["volume"]) >= 12
