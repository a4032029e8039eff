"""The fault matrix (issue 11, item 4; issue 15 for the asyncio driver): every operation under
every fault the simulator can inject, on the first, middle and last of three calls.

One scenario table and one rule-checking body, run on two drivers: the sync
``CloudStackNodeDriver`` (``test_fault_matrix.py``) and the asyncio
``AsyncCloudStackNodeDriver`` (``test_fault_matrix_aio.py``, through :class:`BlockingAsync`,
which runs each coroutine to its end on an event loop the scenario owns).

Each scenario runs one driver operation three times against a fresh simulator, with one fault
on the chosen call's CloudStack command. It then holds the library to four rules:

* no resource is made twice (every name at most once, never more resources than calls);
* every exception is one of the library's own, with its fields set;
* every job the server started for these calls reaches the caller: as the call's result, or
  named by the exception (``jobid``, ``candidate_jobids``);
* the simulator's state matches what the caller was told: success means done, a definite
  error means not done, only an ``OutcomeUnknownError`` or a timed-out job may go either way.

What each call gave is recorded (:data:`OUTCOMES`, per driver and scenario) before the rules
are checked, so the asyncio run can be compared with the sync one class by class.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cloudstack_driver import (
    AsyncJobError,
    AsyncJobTimeoutError,
    CloudStackConnectionError,
    CloudStackError,
    CloudStackNodeDriver,
    LibcloudError,
    MalformedResponseError,
    NodeState,
    OutcomeUnknownError,
)
from cloudstack_driver.simulator import Fault, Simulator

CALLS = 3

#: The drivers' settings in every scenario: fast polls, two retries without a pause, and a
#: job timeout short enough for ``job_hang`` to end quickly.
DRIVER_OPTIONS: dict[str, Any] = {"poll_interval": 0.01, "poll_first": 0.0, "max_retries": 2,
                                  "retry_delay": 0, "job_timeout": 0.5}


@contextlib.contextmanager
def matrix_session(directory: Path) -> Iterator[None]:
    """What a module of matrix tests runs in: the drivers verify TLS against a one-certificate
    CA bundle written to ``directory``, and every simulator has stopped when it ends.

    The endpoints are ``http://``, so ``verify`` changes nothing the scenarios see. It keeps
    the asyncio driver from reading the system's whole CA store for each scenario (it builds
    its client's ``ssl.SSLContext`` even for ``http://``: about 25 ms of CPU, a fifth of an
    asyncio scenario's cost); the sync driver gets the same option, so the scenarios stay the
    same on both."""
    import trustme

    bundle = directory / "fault-matrix-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    DRIVER_OPTIONS["verify"] = str(bundle)
    try:
        yield
    finally:
        DRIVER_OPTIONS.pop("verify", None)
        stop_all()


#: The commands that poll jobs (counted per scenario, for the report).
POLL_COMMANDS = ("queryAsyncJobResult", "listAsyncJobs")


@dataclass
class Run:
    """One scenario's driver, simulator and what each call gave. ``driver`` is the sync
    driver or a :class:`BlockingAsync` of the asyncio one: the operations cannot tell."""

    sim: Simulator
    driver: Any
    names: list[str]
    targets: list[Any]
    outcomes: list[Any]


def _records(sim: Simulator, table: str) -> list[dict[str, Any]]:
    return list(sim.cloud.tables.get(table, {}).values())


# -- operations: (command, async?, prepare, call, done(sim, run, i) -> bool | None) ----------

def zone_of(driver: Any, kind: str) -> Any:
    return next(z for z in driver.list_locations() if z.extra["network_type"] == kind)


def _prepare_nodes(run: Run) -> None:
    zone = zone_of(run.driver, "Basic")
    size, image = run.driver.list_sizes()[0], run.driver.list_images()[0]
    run.targets = [run.driver.create_node(f"target-{i}", size, image, zone)
                   for i in range(CALLS)]


def _prepare_attach(run: Run) -> None:
    _prepare_nodes(run)
    zone = zone_of(run.driver, "Basic")
    run.targets = [(node, run.driver.create_volume(1, f"disk-{i}", location=zone))
                   for i, node in enumerate(run.targets)]


def _create_node(run: Run, i: int) -> Any:
    zone = zone_of(run.driver, "Basic")
    return run.driver.create_node(run.names[i], run.driver.list_sizes()[0],
                                  run.driver.list_images()[0], zone)


def _vm_named(sim: Simulator, name: str) -> list[dict[str, Any]]:
    return [vm for vm in _records(sim, "virtualmachine") if vm.get("name") == name]


def _node_done(sim: Simulator, run: Run, i: int) -> bool:
    return any(vm.get("state") == "Running" for vm in _vm_named(sim, run.names[i]))


def _destroyed(sim: Simulator, run: Run, i: int) -> bool:
    vm = sim.cloud.tables.get("virtualmachine", {}).get(str(run.targets[i].id))
    return vm is None or vm.get("state") in ("Destroyed", "Expunging")


def _attached(sim: Simulator, run: Run, i: int) -> bool:
    node, volume = run.targets[i]
    record = sim.cloud.tables.get("volume", {}).get(str(volume.id), {})
    return bool(record.get("virtualmachineid") == node.id)


def _volume_done(sim: Simulator, run: Run, i: int) -> bool:
    return any(v.get("name") == run.names[i] for v in _records(sim, "volume"))


def _left_by_failed_job(sim: Simulator, run: Run, i: int, told: AsyncJobError) -> bool:
    """A failed create job may leave the record the command made at once; the error names
    it (``entity_id``), so the caller knows of it."""
    for table in ("volume", "virtualmachine"):
        for record in _records(sim, table):
            if record.get("name") == run.names[i]:
                return str(record.get("id")) == told.entity_id
    return True


def ips(sim: Simulator) -> int:
    return sum(1 for ip in _records(sim, "publicipaddress")
               if ip.get("state") in ("Allocated", "Allocating"))


def _key_done(sim: Simulator, run: Run, i: int) -> bool:
    return any(k.get("name") == run.names[i] for k in _records(sim, "sshkeypair"))


@dataclass(frozen=True)
class Operation:
    name: str
    command: str
    is_async: bool
    call: Callable[[Run, int], Any]
    done: Callable[[Simulator, Run, int], bool] | None  # None: reads nothing new
    prepare: Callable[[Run], None] | None = None


OPERATIONS = [
    Operation("create_node", "deployVirtualMachine", True, _create_node, _node_done),
    Operation("destroy_node", "destroyVirtualMachine", True,
              lambda run, i: run.driver.destroy_node(run.targets[i]), _destroyed,
              _prepare_nodes),
    Operation("list_nodes", "listVirtualMachines", False,
              lambda run, i: run.driver.list_nodes(), None),
    Operation("create_volume", "createVolume", True,
              lambda run, i: run.driver.create_volume(
                  1, run.names[i], location=zone_of(run.driver, "Basic")), _volume_done),
    Operation("attach_volume", "attachVolume", True,
              lambda run, i: run.driver.attach_volume(*run.targets[i]), _attached,
              _prepare_attach),
    Operation("ex_allocate_public_ip", "associateIpAddress", True,
              lambda run, i: run.driver.ex_allocate_public_ip(), None),
    Operation("create_key_pair", "createSSHKeyPair", False,
              lambda run, i: run.driver.create_key_pair(run.names[i]), _key_done),
    Operation("list_images", "listTemplates", False,
              lambda run, i: run.driver.list_images(), None),
]

FAULTS: list[tuple[str, dict[str, Any]]] = [
    *((f"http {status}", {"kind": "http", "status": status})
      for status in (401, 429, 431, 530, 534, 502, 503)),
    ("latency", {"kind": "latency", "seconds": 0.01}),
    ("drop_before", {"kind": "drop_before"}),
    ("drop_after", {"kind": "drop_after"}),
    ("truncate", {"kind": "truncate"}),
    ("not_json", {"kind": "not_json"}),
    ("job_fail", {"kind": "job_fail"}),
    ("job_cancel", {"kind": "job_cancel"}),
    ("job_hang", {"kind": "job_hang"}),
]


@dataclass(frozen=True)
class Scenario:
    """One operation, one fault, on call ``which`` (0-based) of :data:`CALLS`."""

    op: Operation
    label: str
    fault: dict[str, Any] = field(hash=False)
    which: int

    @property
    def id(self) -> str:
        return f"{self.op.name}-{self.label}-call{self.which + 1}"


SCENARIOS = [
    Scenario(op, label, fault, which)
    for op, (label, fault), which in itertools.product(OPERATIONS, FAULTS, range(CALLS))
    if op.is_async or not fault["kind"].startswith("job_")
]


def scenario_params() -> list[Any]:
    """:data:`SCENARIOS` as ``pytest.param`` s, named ``<operation>-<fault>-call<n>``."""
    return [pytest.param(scenario, id=scenario.id) for scenario in SCENARIOS]


# -- what each run gave -----------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What the three calls of one scenario gave (``returned`` or the exception's class
    name, per call), and the requests it cost once the fault was set."""

    calls: tuple[str, ...]
    details: tuple[tuple[tuple[str, Any], ...], ...]
    which: int
    requests: int
    polls: int
    jobs: int
    seconds: float

    @property
    def faulted(self) -> str:
        return self.calls[self.which]


#: driver ("sync", "aio") -> scenario id -> its :class:`Outcome`.
OUTCOMES: dict[str, dict[str, Outcome]] = {"sync": {}, "aio": {}}


def outcome_name(told: Any) -> str:
    return type(told).__name__ if isinstance(told, BaseException) else "returned"


#: The fields of an error compared between the drivers (the texts are not: they quote each
#: HTTP client's own wording).
_ERROR_FIELDS = ("command", "http_status", "errorcode", "cserrorcode", "jobstatus", "timeout")


def outcome_detail(told: Any) -> tuple[tuple[str, Any], ...]:
    """What the caller can tell of one call's outcome, beyond its class: the type returned
    (and a node's state), or the error's codes, whether it names the job, the resource and
    the candidates, and the class of the exception under it."""
    if not isinstance(told, BaseException):
        shown: dict[str, Any] = {"type": type(told).__name__}
        if hasattr(told, "state"):
            shown["state"] = str(told.state)
        if isinstance(told, list):
            shown["items"] = len(told)
        return tuple(shown.items())
    shown = {"class": type(told).__name__}
    shown.update((name, getattr(told, name)) for name in _ERROR_FIELDS if hasattr(told, name))
    for name in ("jobid", "entity_id"):
        if hasattr(told, name):
            shown[name] = getattr(told, name) is not None
    if hasattr(told, "candidate_jobids"):
        shown["candidates"] = len(told.candidate_jobids)
    if hasattr(told, "params"):
        shown["params"] = tuple(sorted(told.params))
    original = getattr(told, "original", None)
    if original is not None:
        shown["original"] = type(original).__name__
    return tuple(shown.items())


def totals(kind: str) -> dict[tuple[str, str], int]:
    """(fault, what the faulted call gave) -> scenarios, of the ``kind`` run so far."""
    counts: dict[tuple[str, str], int] = {}
    by_id = {scenario.id: scenario for scenario in SCENARIOS}
    for scenario_id, outcome in OUTCOMES[kind].items():
        key = (by_id[scenario_id].label, outcome.faulted)
        counts[key] = counts.get(key, 0) + 1
    return counts


def report(kind: str, title: str, *, beside: str | None = None) -> None:
    """With ``FAULT_MATRIX_REPORT=1`` (and ``-s``): the table of ``kind``'s outcomes, and
    the ``beside`` run's counts in a second column when that run recorded any."""
    if not os.environ.get("FAULT_MATRIX_REPORT"):
        return
    counts = totals(kind)
    other = totals(beside) if beside is not None and OUTCOMES[beside] else None
    runs = OUTCOMES[kind].values()
    print(f"\n{title}: {sum(counts.values())} scenarios, "
          f"{sum(o.requests for o in runs)} requests ({sum(o.polls for o in runs)} job polls), "
          f"{sum(o.seconds for o in runs):.1f}s in the calls")
    if other is not None:
        theirs = OUTCOMES[beside].values()  # type: ignore[index]
        print(f"  {'':12}    {'':32} {kind:>4} {beside:>5}   ({beside}: "
              f"{sum(o.requests for o in theirs)} requests, {sum(o.polls for o in theirs)} "
              f"job polls, {sum(o.seconds for o in theirs):.1f}s in the calls)")
    for key in sorted(counts.keys() | (other or {}).keys()):
        label, outcome = key
        line = f"  {label:12} -> {outcome:32} {counts.get(key, 0):4}"
        if other is not None:
            line += f" {other.get(key, 0):5}"
        print(line)


# -- the drivers --------------------------------------------------------------------------------

DriverOpener = Callable[..., contextlib.AbstractContextManager[Any]]


@contextlib.contextmanager
def sync_driver(sim: Simulator, **options: Any) -> Iterator[CloudStackNodeDriver]:
    """The sync driver bound to ``sim`` (:data:`DRIVER_OPTIONS`, then ``options``), its
    connection closed after."""
    driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                  **{**DRIVER_OPTIONS, **options})
    try:
        yield driver
    finally:
        driver.connection.close()


class BlockingAsync:
    """The asyncio driver seen as a sync one: each method call makes the driver's coroutine
    and runs it to its end on ``loop``; so the operations' code is the sync run's.

    After each call no job may still be waited on (``connection.hub.pending`` is 0): a call
    that ended, by a result or an error, leaves nothing behind in the poller."""

    def __init__(self, driver: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._driver = driver
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._driver, name)
        if not callable(method):
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            awaitable = method(*args, **kwargs)
            assert inspect.isawaitable(awaitable), (
                f"AsyncCloudStackNodeDriver.{name} returned {awaitable!r}, not an awaitable")
            try:
                return self._loop.run_until_complete(awaitable)
            finally:
                pending = self._driver.connection.hub.pending
                assert pending == 0, f"{name} ended with {pending} job(s) still polled"

        return call

    def gather(self, name: str, times: int) -> list[Any]:
        """``times`` calls of the driver's ``name()`` gathered at once on the loop: each one's
        result or exception."""
        method = getattr(self._driver, name)

        async def calls() -> list[Any]:
            return await asyncio.gather(*(method() for _ in range(times)),
                                        return_exceptions=True)

        try:
            return self._loop.run_until_complete(calls())
        finally:
            pending = self._driver.connection.hub.pending
            assert pending == 0, f"{name} x{times} ended with {pending} job(s) still polled"


def at_once(driver: Any, name: str, times: int) -> list[Any]:
    """``times`` calls of ``driver.<name>()`` at the same time (gathered on the asyncio
    driver's loop; on threads for the sync driver): each one's result or exception."""
    if isinstance(driver, BlockingAsync):
        return driver.gather(name, times)
    with concurrent.futures.ThreadPoolExecutor(times, "fault-matrix-call") as pool:
        futures = [pool.submit(getattr(driver, name)) for _ in range(times)]
    return [future.exception() or future.result() for future in futures]


@contextlib.contextmanager
def async_driver(sim: Simulator, **options: Any) -> Iterator[BlockingAsync]:
    """The asyncio driver bound to ``sim`` (:data:`DRIVER_OPTIONS`, then ``options``) on an
    event loop of its own; after, the driver is
    ``aclose()`` d and the loop shut down and closed. No task may be left on the loop after
    ``aclose()``, and the loop's exception handler must not have been called (a task's
    exception nobody retrieved, a callback that raised)."""
    from cloudstack_driver.aio import AsyncCloudStackNodeDriver

    loop = asyncio.new_event_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(
        f"{context.get('message')}: {context.get('exception')!r}"))
    left: list[asyncio.Task[Any]] = []
    try:
        driver = AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                           **{**DRIVER_OPTIONS, **options})
        try:
            yield BlockingAsync(driver, loop)
        finally:
            loop.run_until_complete(driver.aclose())
            left = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in left:
                task.cancel()
            if left:
                loop.run_until_complete(asyncio.wait(left))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
    assert not left, f"tasks left on the loop after aclose(): {left}"
    assert not reported, f"the event loop reported: {reported}"


DRIVERS: dict[str, DriverOpener] = {"sync": sync_driver, "aio": async_driver}


# -- simulators --------------------------------------------------------------------------------

_stopping: list[concurrent.futures.Future[None]] = []
_stopper: concurrent.futures.ThreadPoolExecutor | None = None


def stop_later(sim: Simulator) -> None:
    """Stop ``sim`` on a worker thread: a stop waits for the server's poll (up to 50 ms) to
    notice, and the next scenario need not wait with it. :func:`stop_all` waits for them."""
    global _stopper
    if _stopper is None:
        _stopper = concurrent.futures.ThreadPoolExecutor(2, "fault-matrix-stop")
    _stopping.append(_stopper.submit(sim.stop))


def stop_all() -> None:
    """Wait until every simulator :func:`stop_later` was given has stopped (raising what a
    stop raised)."""
    global _stopper
    stopper, _stopper = _stopper, None
    if stopper is not None:
        stopper.shutdown(wait=True)
    done, _stopping[:] = list(_stopping), []
    for future in done:
        future.result()


# -- the rules ----------------------------------------------------------------------------------

def _check_error(exc: BaseException, op: Operation) -> None:
    assert isinstance(exc, LibcloudError), f"not the library's own: {exc!r}"
    if isinstance(exc, OutcomeUnknownError):
        assert exc.command == op.command and exc.sent_at is not None
        assert all(v == "[redacted]" for k, v in exc.params.items() if "password" in k)
    elif isinstance(exc, AsyncJobError):
        assert exc.jobid and exc.jobstatus in (2, 3)
    elif isinstance(exc, AsyncJobTimeoutError):
        assert exc.jobid and exc.command == op.command
    elif isinstance(exc, CloudStackError):
        assert exc.command is not None
        assert exc.errorcode is not None or exc.http_status is not None
    elif isinstance(exc, CloudStackConnectionError):
        assert exc.command is not None and exc.original is not None
    elif isinstance(exc, MalformedResponseError):
        assert exc.body is not None
    else:
        raise AssertionError(f"unexpected error class {type(exc).__name__}: {exc}")


def _jobids_told(outcome: Any) -> set[str]:
    if isinstance(outcome, OutcomeUnknownError):
        return set(outcome.candidate_jobids)
    jobid = getattr(outcome, "jobid", None)
    return {str(jobid)} if jobid else set()


def run_scenario(kind: str, scenario: Scenario) -> Outcome:
    """Run ``scenario`` on the ``kind`` driver, record what it gave, check the four rules."""
    op, which = scenario.op, scenario.which
    options = dict(scenario.fault)
    fault_kind = options.pop("kind")
    if options.get("status") == 429:
        options["retry_after_ms"] = 5
    sim = Simulator(job_duration=0.0).start()
    try:
        run = Run(sim, None, [f"{op.name.replace('_', '-')}-{i}" for i in range(CALLS)], [], [])
        with DRIVERS[kind](sim) as driver:
            run.driver = driver
            if op.prepare is not None:
                op.prepare(run)
            driver.list_locations()
            jobs_before = set(sim.cloud.jobs.jobs)
            ips_before = ips(sim)
            requests_before = sim.requests_served
            polls_before = sum(sim.faults.seen(c) for c in POLL_COMMANDS)
            sim.faults.add(Fault(op.command, fault_kind, occurrence=which + 1, **options))
            started = time.monotonic()
            for i in range(CALLS):
                try:
                    run.outcomes.append(op.call(run, i))
                except Exception as exc:  # every one is checked below
                    run.outcomes.append(exc)
            outcome = Outcome(tuple(outcome_name(o) for o in run.outcomes),
                              tuple(outcome_detail(o) for o in run.outcomes), which,
                              sim.requests_served - requests_before,
                              sum(sim.faults.seen(c) for c in POLL_COMMANDS) - polls_before,
                              len(set(sim.cloud.jobs.jobs) - jobs_before),
                              time.monotonic() - started)
            OUTCOMES[kind][scenario.id] = outcome
        check_rules(scenario, run, jobs_before, ips_before)
    finally:
        stop_later(sim)
    return outcome


def check_rules(scenario: Scenario, run: Run, jobs_before: set[str], ips_before: int) -> None:
    """The four rules, on what the calls of ``run`` gave and the simulator's state."""
    op, which, sim = scenario.op, scenario.which, run.sim
    for told in run.outcomes:
        if isinstance(told, BaseException):
            _check_error(told, op)
    for i, told in enumerate(run.outcomes):
        if i != which:  # calls without a fault just work
            assert not isinstance(told, BaseException), (i, told)

    # no resource made twice
    if op.name == "create_node":
        for name in run.names:
            assert len(_vm_named(sim, name)) <= 1, name
    if op.name == "create_volume":
        for name in run.names:
            assert sum(v.get("name") == name for v in _records(sim, "volume")) <= 1
    if op.name == "ex_allocate_public_ip":
        made = ips(sim) - ips_before
        assert made <= CALLS
        told_ok = sum(not isinstance(o, BaseException) for o in run.outcomes)
        unknown = sum(isinstance(o, (OutcomeUnknownError, AsyncJobTimeoutError))
                      for o in run.outcomes)
        assert told_ok <= made <= told_ok + unknown

    # every job the server started for these calls reached the caller
    new_jobs = {j: job for j, job in sim.cloud.jobs.jobs.items() if j not in jobs_before}
    told_ids = set().union(*(_jobids_told(o) for o in run.outcomes))
    results = [o for o in run.outcomes if not isinstance(o, BaseException)]
    delivered_instances = {str(getattr(r, "id", "")) for r in results}
    for i, told in enumerate(run.outcomes):
        if told is True and op.prepare is not None:
            target = run.targets[i]
            delivered_instances.add(str((target[1] if isinstance(target, tuple)
                                         else target).id))
    for jobid, job in new_jobs.items():
        assert jobid in told_ids or str(job.instance_id) in delivered_instances, (
            f"job {jobid} ({job.cmd}, {job.instance_id}) never reached the caller: "
            f"{run.outcomes}")

    # the state matches what the caller was told
    if op.done is not None:
        for i, told in enumerate(run.outcomes):
            if isinstance(told, (OutcomeUnknownError, AsyncJobTimeoutError)):
                continue
            done = op.done(sim, run, i)
            if isinstance(told, AsyncJobError) and told.entity_id is not None and done:
                assert _left_by_failed_job(sim, run, i, told), (i, told)
            elif isinstance(told, BaseException):
                assert not done, f"call {i} was told {told!r} but it was done"
            else:
                assert done, f"call {i} returned {told!r} but it is not done"
    if op.name == "create_node":
        for told in results:
            assert told.state is NodeState.RUNNING
