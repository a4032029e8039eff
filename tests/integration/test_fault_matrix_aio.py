"""The fault matrix on the asyncio driver (issue 15, item 4): the sync matrix's scenarios and
rules (``_fault_matrix.py``), each operation run on ``AsyncCloudStackNodeDriver`` through
:class:`~_fault_matrix.BlockingAsync` (its coroutine run to the end on an event loop the
scenario owns and closes; the driver ``aclose()`` d after, no task left on the loop, nothing
reported to the loop's exception handler, no job still polled when a call has ended).

Beyond the four rules, the asyncio run must tell the caller what the sync run tells: per call
of every scenario the same outcome class, the same error fields (codes, job, resource,
candidates, the ``requests`` exception under it) and the same requests, except the scenarios in
:data:`DIVERGENCES`, each with its reason. Error texts are not compared: they quote each HTTP
client's own wording (``RemoteDisconnected`` from requests, ``Server disconnected without
sending a response`` from httpx).

``FAULT_MATRIX_REPORT=1 pytest -s`` prints the outcomes, beside the sync run's when it ran in
the same session. Run alone, the comparisons run the sync scenarios they need themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from _fault_matrix import (
    DRIVER_OPTIONS,
    DRIVERS,
    OUTCOMES,
    POLL_COMMANDS,
    SCENARIOS,
    Outcome,
    Scenario,
    at_once,
    ips,
    matrix_session,
    report,
    run_scenario,
    scenario_params,
    totals,
    zone_of,
)

from cloudstack_driver import AsyncJobTimeoutError, OutcomeUnknownError
from cloudstack_driver.simulator import Fault, Simulator

pytest.importorskip("httpx")
pytest.importorskip("greenlet")

#: Scenario id -> (what the asyncio driver's three calls give, why it differs from the sync
#: driver). Empty: every scenario ends for the asyncio driver's caller as for the sync one's.
DIVERGENCES: dict[str, tuple[tuple[str, ...], str]] = {}


@pytest.fixture(scope="module", autouse=True)
def _matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with matrix_session(tmp_path_factory.mktemp("fault-matrix")):
        yield
    report("aio", "fault matrix (asyncio driver)", beside="sync")


@pytest.mark.parametrize("scenario", scenario_params())
def test_fault_matrix_aio(scenario: Scenario) -> None:
    run_scenario("aio", scenario)


def _outcome(kind: str, scenario: Scenario) -> Outcome:
    """The recorded outcome of ``scenario`` on ``kind``, run now when this session did not
    (recorded even when the run broke a rule: that run's own test reports it)."""
    if scenario.id not in OUTCOMES[kind]:
        with contextlib.suppress(AssertionError):
            run_scenario(kind, scenario)
    return OUTCOMES[kind][scenario.id]


def test_async_outcomes_are_the_sync_ones() -> None:
    """Every call of every scenario: the same outcome class on both drivers (or the one
    :data:`DIVERGENCES` gives, with its reason)."""
    differ = []
    for scenario in SCENARIOS:
        sync, aio = _outcome("sync", scenario), _outcome("aio", scenario)
        expected = DIVERGENCES.get(scenario.id, (sync.calls, ""))[0]
        if aio.calls != expected:
            differ.append(f"{scenario.id}: sync {sync.calls}, asyncio {aio.calls}"
                          + (f" (expected {expected})" if expected != sync.calls else ""))
    assert not differ, "\n".join(differ)


def test_async_errors_carry_the_sync_fields() -> None:
    """Beyond the class: each call's error has the same codes, names the job, the resource and
    as many candidate jobs, lists the same parameters and wraps the same exception class;
    each result is of the same type (a node in the same state, a list as long)."""
    differ = []
    for scenario in SCENARIOS:
        if scenario.id in DIVERGENCES:
            continue
        sync, aio = _outcome("sync", scenario), _outcome("aio", scenario)
        for i, (mine, theirs) in enumerate(zip(aio.details, sync.details, strict=True)):
            if mine != theirs:
                differ.append(f"{scenario.id} call {i + 1}: sync {dict(theirs)}, "
                              f"asyncio {dict(mine)}")
    assert not differ, "\n".join(differ)


def hung_job_polls(timeout: float, interval: float) -> int:
    """The most polls a job that never ends may cost on the sync schedule with ``poll_first``
    0: two at once (the first wait is 0), one per ``interval`` after, the last at the
    deadline; one more for the clock's granularity."""
    return 2 + int(timeout / interval) + 1


HUNG_JOB_POLLS = hung_job_polls(DRIVER_OPTIONS["job_timeout"], DRIVER_OPTIONS["poll_interval"])


def test_async_requests_are_the_sync_ones() -> None:
    """Requests counted: each scenario costs the asyncio driver the requests it costs the sync
    one (the same retries, the same lost-answer lookups, one poll per job that ends at once).
    With a hung job the count depends on timing; both drivers then stay within the schedule:
    one poll per job that ended, :data:`HUNG_JOB_POLLS` for the hung one."""
    differ = []
    for scenario in SCENARIOS:
        sync, aio = _outcome("sync", scenario), _outcome("aio", scenario)
        if scenario.fault["kind"] == "job_hang":
            bound = sync.jobs - 1 + HUNG_JOB_POLLS
            for kind, outcome in (("sync", sync), ("asyncio", aio)):
                if outcome.polls > bound:
                    differ.append(f"{scenario.id}: {kind} polled {outcome.polls} times in "
                                  f"{outcome.seconds:.2f}s, more than {bound}")
        elif (aio.requests, aio.polls) != (sync.requests, sync.polls):
            differ.append(f"{scenario.id}: sync {sync.requests} requests ({sync.polls} "
                          f"polls), asyncio {aio.requests} ({aio.polls})")
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize("kind", ["sync", "aio"])
def test_a_hung_job_is_polled_once_per_poll_interval(kind: str) -> None:
    """``poll_first=0`` (as in the matrix): the first poll at once, the next ones
    ``poll_interval`` apart (the sync schedule, ``JobWaiter._schedule``), not back to back."""
    timeout, interval = 0.5, 0.05
    with (Simulator(job_duration=0.0) as sim,
          DRIVERS[kind](sim, poll_interval=interval, job_timeout=timeout) as driver):
        zone = zone_of(driver, "Basic")
        sim.faults.add(Fault("createVolume", "job_hang"))
        before = sum(sim.faults.seen(command) for command in POLL_COMMANDS)
        with pytest.raises(AsyncJobTimeoutError):
            driver.create_volume(1, "hung", location=zone)
        polls = sum(sim.faults.seen(command) for command in POLL_COMMANDS) - before
    assert polls <= hung_job_polls(timeout, interval), f"{polls} polls in {timeout}s"


@pytest.mark.parametrize("kind", ["aio", "sync"], ids=["aio", "sync-threads"])
def test_a_lost_answer_never_takes_the_job_of_a_call_in_flight(kind: str) -> None:
    """Two ``ex_allocate_public_ip()`` at once on one driver (gathered; for the sync driver,
    two threads): the first request to arrive is dropped before the server runs it, the
    second is held 0.2 s before it runs, and the dropped call's job lookup
    (``listAsyncJobs``) is held 0.6 s. The lookup then sees the second call's job, which no
    answer has handed out yet when the lookup starts. It is not the dropped call's: that call
    must end in ``OutcomeUnknownError`` (with the job as a candidate at most), and the two
    callers must not both be handed the one address made (the matrix's rules: no resource
    twice, the state matches what the callers were told).

    The holds make the race certain, not the outcome: a correct driver passes however the
    requests are timed; with a broken one the test fails whenever the dropped call's
    disconnect is noticed within the 0.2 s."""
    with Simulator(job_duration=0.0) as sim, DRIVERS[kind](sim) as driver:
        driver.list_locations()
        before = ips(sim)
        sim.faults.add(Fault("associateIpAddress", "drop_before", occurrence=1),
                       Fault("associateIpAddress", "latency", occurrence=2, seconds=0.2),
                       Fault("listAsyncJobs", "latency", occurrence=1, seconds=0.6))
        told = at_once(driver, "ex_allocate_public_ip", 2)
        made = ips(sim) - before
    handed = [address.id for address in told if not isinstance(address, BaseException)]
    assert len(set(handed)) == len(handed), f"one address handed to two callers: {told}"
    assert made == 1 and len(handed) <= made, f"{made} address made, callers told {told}"
    for outcome in told:
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, OutcomeUnknownError), repr(outcome)


def test_divergences_name_scenarios_and_reasons() -> None:
    ids = {scenario.id for scenario in SCENARIOS}
    for scenario_id, (calls, why) in DIVERGENCES.items():
        assert scenario_id in ids and len(calls) == 3 and why, scenario_id


def test_report_counts_every_asyncio_scenario_run() -> None:
    assert sum(totals("aio").values()) == len(OUTCOMES["aio"])
