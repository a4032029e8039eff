"""The sync driver's retry, deadline and lost-answer rules on the asyncio driver (issue 15,
item 3), over real HTTP with the simulator's faults: each case is run on both drivers and
must end the same way (the fault matrix itself is ported separately).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import pytest

from cloudstack_driver import (
    AsyncJobError,
    AsyncJobTimeoutError,
    CloudStackConnectionError,
    CloudStackNode,
    CloudStackNodeDriver,
    NodeState,
    OutcomeUnknownError,
)
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.errors import CloudStackError
from cloudstack_driver.http.recovery import never_reached
from cloudstack_driver.simulator import Fault, Simulator
from tests.integration.conftest import track_handling

KEY, SECRET = "no-server-key", "no-server-secret"
OPTIONS: dict[str, Any] = {"poll_interval": 0.02, "poll_first": 0.0, "max_retries": 2,
                           "retry_delay": 0, "job_timeout": 10}


def _sync(url: str, sim: Simulator | None = None, **options: Any) -> CloudStackNodeDriver:
    key, secret = (sim.api_key, sim.secret_key) if sim is not None else (KEY, SECRET)
    return CloudStackNodeDriver(key, secret, url=url, **{**OPTIONS, **options})


def _async(url: str, sim: Simulator | None = None, **options: Any) -> AsyncCloudStackNodeDriver:
    key, secret = (sim.api_key, sim.secret_key) if sim is not None else (KEY, SECRET)
    return AsyncCloudStackNodeDriver(key, secret, url=url, **{**OPTIONS, **options})


def _both(sim: Simulator, call: Callable[[Any, str], Any], **options: Any
          ) -> tuple[Any, Any]:
    """``call(driver, "sync")`` on a sync driver, then ``await call(driver, "async")`` on an
    asyncio one; each outcome is its result or the exception it raised."""
    sync = _sync(sim.url, sim, **options)
    try:
        try:
            first: Any = call(sync, "sync")
        except Exception as exc:
            first = exc
    finally:
        sync.connection.close()

    async def main() -> Any:
        async with _async(sim.url, sim, **options) as d:
            try:
                return await call(d, "async")
            except Exception as exc:
                return exc

    return first, asyncio.run(main())


def _catalog(sim: Simulator) -> tuple[Any, Any, Any, list[str]]:
    """A Basic zone, a size, an image and every zone's name (read with a sync driver)."""
    driver = _sync(sim.url, sim)
    try:
        zones = driver.list_locations()
        zone = next(z for z in zones if z.extra["network_type"] == "Basic")
        return zone, driver.list_sizes()[0], driver.list_images()[0], [z.name for z in zones]
    finally:
        driver.connection.close()


def _retries(caplog: pytest.LogCaptureFixture, command: str) -> int:
    return sum(1 for r in caplog.records
               if r.name.startswith("cloudstack_driver") and r.getMessage().startswith(
                   f"{command}: ") and " retry " in r.getMessage())


def test_a_read_only_call_is_retried_after_a_503(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="cloudstack_driver")
    with Simulator(job_duration=0.02) as sim:
        expected = _catalog(sim)[3]
        sim.faults.add(Fault("listZones", "http", status=503, occurrence=1))
        seen = sim.faults.seen("listZones")

        async def main() -> list[str]:
            async with _async(sim.url, sim) as d:
                return [z.name for z in await d.list_locations()]

        assert asyncio.run(main()) == expected
        assert sim.faults.seen("listZones") - seen == 2  # the 503, then the retry
        assert _retries(caplog, "listZones") == 1
        sim.faults.add(Fault("listZones", "http", status=503))  # every one: retries run out
        sync_error, async_error = _both(sim, lambda d, _: d.list_locations())
        assert type(async_error) is type(sync_error) is CloudStackError
        assert async_error.http_status == sync_error.http_status == 503
        assert async_error.errorcode is None and str(async_error) == str(sync_error)


def test_a_lost_deploy_answer_is_recovered_from_the_servers_job() -> None:
    with Simulator(job_duration=0.2) as sim:
        zone, size, image, _ = _catalog(sim)
        sim.faults.add(Fault("deployVirtualMachine", "drop_after", occurrence=1))
        deploys = sim.faults.seen("deployVirtualMachine")
        listings = sim.faults.seen("listAsyncJobs")

        async def main() -> Any:
            async with _async(sim.url, sim) as d:
                return await d.create_node("lost-answer", size, image, zone)

        node = asyncio.run(main())
        assert isinstance(node, CloudStackNode) and node.state is NodeState.RUNNING
        assert node.name == "lost-answer"
        assert sim.faults.seen("deployVirtualMachine") - deploys == 1  # never resent
        assert sim.faults.seen("listAsyncJobs") > listings  # the job found by listing
        [fired] = [f for f in sim.faults.fired if f.command == "deployVirtualMachine"]
        assert fired.kind == "drop_after" and fired.jobid is not None
        [vm] = [vm for vm in sim.cloud.tables["virtualmachine"].values()
                if vm["name"] == "lost-answer"]
        assert vm["id"] == node.id and sim.cloud.jobs.jobs[fired.jobid].instance_id == node.id


def test_a_lost_key_pair_answer_is_outcome_unknown() -> None:
    with Simulator(job_duration=0.02) as sim:
        sim.faults.add(Fault("createSSHKeyPair", "drop_after"))
        sync_error, async_error = _both(sim, lambda d, who: d.create_key_pair(f"{who}-k"))
        for error, name in ((sync_error, "sync-k"), (async_error, "async-k")):
            assert isinstance(error, OutcomeUnknownError), error
            assert (error.command, error.candidate_jobids, error.params) == (
                "createSSHKeyPair", [], {"name": name})
            assert error.sent_at is not None and "synchronous" in str(error)
        assert type(async_error.original) is type(sync_error.original)
        assert sim.faults.seen("createSSHKeyPair") == 2  # once each, never resent
        # it did run: the outcome was unknown to the caller, not to the server
        assert sorted(k["name"] for k in sim.cloud.tables["sshkeypair"].values()) == [
            "async-k", "sync-k"]


def _closed_port_url() -> str:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/client/api"


def test_a_refused_connection_is_resent_then_a_connection_error(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="cloudstack_driver")
    url = _closed_port_url()

    async def main() -> BaseException:
        async with _async(url, max_retries=2, retry_delay=0.01) as d:
            with pytest.raises(CloudStackConnectionError) as info:
                await d.connection.request("deployVirtualMachine", zoneid="z",
                                           templateid="t", serviceofferingid="s")
            return info.value

    error = asyncio.run(main())
    assert not isinstance(error, OutcomeUnknownError)  # known never to have arrived
    assert error.command == "deployVirtualMachine"  # type: ignore[attr-defined]
    assert never_reached(error.original)  # type: ignore[attr-defined]
    assert "ConnectError" in str(error), str(error)
    assert _retries(caplog, "deployVirtualMachine") == 2  # a create is resent: never reached
    caplog.clear()
    sync = _sync(url, max_retries=2, retry_delay=0.01)
    try:
        with pytest.raises(CloudStackConnectionError) as info:
            sync.connection.request("deployVirtualMachine", zoneid="z", templateid="t",
                                    serviceofferingid="s")
    finally:
        sync.connection.close()
    assert not isinstance(info.value, OutcomeUnknownError)
    assert _retries(caplog, "deployVirtualMachine") == 2


def test_a_refused_connection_keeps_its_os_error() -> None:
    """The transport's docstring: the OS error under httpx's is kept as the ``original``'s
    cause, and the message says what the sync driver's says. (Fails today: ``_send`` raises
    ``translate_error(exc) from None``, which resets the ``__cause__`` translate_error set;
    and the text is anyio's "All connection attempts failed", the refusal one level down.)"""
    url = _closed_port_url()

    async def main() -> BaseException:
        async with _async(url, max_retries=0) as d:
            with pytest.raises(CloudStackConnectionError) as info:
                await d.list_locations()
            return info.value

    error = asyncio.run(main())
    original = error.original  # type: ignore[attr-defined]
    assert isinstance(original.__cause__, OSError), repr(original.__cause__)
    assert "refused" in str(error).lower(), str(error)  # the sync one: "Connection refused"


def test_one_call_ends_by_its_deadline() -> None:
    """A server that holds every answer far longer than the timeout: the call gives up at its
    deadline (twice the timeout by default), not after its five retries, on both drivers, and
    while the server still holds the request (no answer was waited for)."""
    with Simulator(job_duration=0.02) as sim:
        sim.faults.add(Fault("listZones", "latency", seconds=5.0))
        holding = track_handling(sim)

        def on_sync() -> tuple[BaseException, bool]:
            d = _sync(sim.url, sim, timeout=0.25, max_retries=5)
            try:
                with pytest.raises(CloudStackConnectionError) as info:
                    d.list_locations()
                return info.value, bool(holding)
            finally:
                d.connection.close()

        async def on_async() -> tuple[BaseException, bool]:
            async with _async(sim.url, sim, timeout=0.25, max_retries=5) as d:
                with pytest.raises(CloudStackConnectionError) as info:
                    await d.list_locations()
                return info.value, bool(holding)

        for run in (on_sync, lambda: asyncio.run(on_async())):
            seen = sim.faults.seen("listZones")
            error, still_held = run()
            assert not isinstance(error, OutcomeUnknownError)
            assert error.command == "listZones" and "Timeout" in str(error)  # type: ignore[attr-defined]
            assert still_held, "the call waited for an answer"
            # the first attempt and at most one cut to fit the deadline (a last attempt left
            # a few milliseconds may time out before the server sees it), not 1 + 5 retries
            assert 1 <= sim.faults.seen("listZones") - seen <= 2


def test_failed_and_hung_jobs_end_as_on_the_sync_driver() -> None:
    with Simulator(job_duration=0.05) as sim:
        zone, size, image, _ = _catalog(sim)
        sim.faults.add(Fault("deployVirtualMachine", "job_fail"))
        sync_error, async_error = _both(
            sim, lambda d, who: d.create_node(f"f-{who}", size, image, zone))
        for error in (sync_error, async_error):
            assert isinstance(error, AsyncJobError) and error.jobid
            assert (error.errorcode, error.jobstatus, error.command) == (
                530, 2, "deployVirtualMachine")
        assert async_error.jobid != sync_error.jobid
        sim.faults.clear()
        sim.faults.add(Fault("createVolume", "job_hang"))

        async def main() -> None:
            async with _async(sim.url, sim, job_timeout=0.3) as d:
                handle = await d.create_volume(1, "hung", location=zone, ex_wait=False)
                [late] = await d.wait_for_jobs([handle])
                assert isinstance(late, AsyncJobTimeoutError)
                assert (late.jobid, late.command, late.entity_id) == (
                    handle.jobid, "createVolume", handle.entity_id)
                with pytest.raises(AsyncJobTimeoutError) as info:
                    await d.create_volume(1, "hung-too", location=zone)
                assert info.value.command == "createVolume" and info.value.jobid
                assert d.connection.hub.pending == 0

        asyncio.run(main())
