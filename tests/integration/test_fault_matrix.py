"""The fault matrix (issue 11, item 4): every operation under every fault the simulator can
inject, on the first, middle and last of three calls.

Each scenario runs one driver operation three times against a fresh simulator, with one fault
on the chosen call's CloudStack command. It then holds the library to four rules:

* no resource is made twice (every name at most once, never more resources than calls);
* every exception is one of the library's own, with its fields set;
* every job the server started for these calls reaches the caller: as the call's result, or
  named by the exception (``jobid``, ``candidate_jobids``);
* the simulator's state matches what the caller was told: success means done, a definite
  error means not done, only an ``OutcomeUnknownError`` or a timed-out job may go either way.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass
class Run:
    """One scenario's driver, simulator and what each call gave."""

    sim: Simulator
    driver: CloudStackNodeDriver
    names: list[str]
    targets: list[Any]
    outcomes: list[Any]


def _records(sim: Simulator, table: str) -> list[dict[str, Any]]:
    return list(sim.cloud.tables.get(table, {}).values())


# -- operations: (command, async?, prepare, call, done(sim, run, i) -> bool | None) ----------

def _zone(driver: CloudStackNodeDriver, kind: str) -> Any:
    return next(z for z in driver.list_locations() if z.extra["network_type"] == kind)


def _prepare_nodes(run: Run) -> None:
    zone = _zone(run.driver, "Basic")
    size, image = run.driver.list_sizes()[0], run.driver.list_images()[0]
    run.targets = [run.driver.create_node(f"target-{i}", size, image, zone)
                   for i in range(CALLS)]


def _prepare_attach(run: Run) -> None:
    _prepare_nodes(run)
    zone = _zone(run.driver, "Basic")
    run.targets = [(node, run.driver.create_volume(1, f"disk-{i}", location=zone))
                   for i, node in enumerate(run.targets)]


def _create_node(run: Run, i: int) -> Any:
    zone = _zone(run.driver, "Basic")
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


def _ips(sim: Simulator) -> int:
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
                  1, run.names[i], location=_zone(run.driver, "Basic")), _volume_done),
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

SCENARIOS = [
    pytest.param(op, label, fault, which, id=f"{op.name}-{label}-call{which + 1}")
    for op, (label, fault), which in itertools.product(OPERATIONS, FAULTS, range(CALLS))
    if op.is_async or not fault["kind"].startswith("job_")
]

#: (fault, what the faulted call gave) -> scenarios; printed with FAULT_MATRIX_REPORT=1 and -s.
TOTALS: dict[tuple[str, str], int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if os.environ.get("FAULT_MATRIX_REPORT"):
        print(f"\nfault matrix: {sum(TOTALS.values())} scenarios")
        for (label, outcome), count in sorted(TOTALS.items()):
            print(f"  {label:12} -> {outcome:32} {count:4}")


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


@pytest.mark.parametrize(("op", "label", "fault", "which"), SCENARIOS)
def test_fault_matrix(op: Operation, label: str, fault: dict[str, Any], which: int) -> None:
    options = dict(fault)
    kind = options.pop("kind")
    if options.get("status") == 429:
        options["retry_after_ms"] = 5
    with Simulator(job_duration=0.0) as sim:
        driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                      poll_interval=0.01, poll_first=0.0, max_retries=2,
                                      retry_delay=0, job_timeout=0.5)
        try:
            run = Run(sim, driver, [f"{op.name.replace('_', '-')}-{i}" for i in range(CALLS)],
                      [], [])
            if op.prepare is not None:
                op.prepare(run)
            driver.list_locations()
            jobs_before = set(sim.cloud.jobs.jobs)
            ips_before = _ips(sim)
            sim.faults.add(Fault(op.command, kind, occurrence=which + 1, **options))
            for i in range(CALLS):
                try:
                    run.outcomes.append(op.call(run, i))
                except Exception as exc:  # every one is checked below
                    _check_error(exc, op)
                    run.outcomes.append(exc)
        finally:
            driver.connection.close()
        outcome = run.outcomes[which]
        key = (label, "returned" if not isinstance(outcome, BaseException)
               else type(outcome).__name__)
        TOTALS[key] = TOTALS.get(key, 0) + 1
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
            made = _ips(sim) - ips_before
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


def test_fault_matrix_is_several_hundred_scenarios() -> None:
    assert len(SCENARIOS) >= 300
