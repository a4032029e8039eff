"""All resources of one simulated cloud, in one object (no module globals).

Resources are records: dicts whose keys are CloudStack response field names, kept in
``cloud.tables[kind][id]``. Keys starting with ``_`` are private to the simulator and never
rendered. A record with a pending job carries ``jobid`` and ``jobstatus`` 0 until it ends (with
several pending, the latest; its private ``_pending`` lists them).
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .errors import ApiError, not_found

if TYPE_CHECKING:
    from .registry import Call

__all__ = ["FORCED_TEXT", "Cloud", "Job", "JobQueue", "JobTicket", "now_stamp"]

Record = dict[str, Any]

#: ``errortext`` of jobs a fault fails or cancels (``errorcode`` 530)
FORCED_TEXT = {"fail": "Job failed: fault injected by the simulator",
               "cancel": "Job cancelled: fault injected by the simulator"}


def now_stamp() -> str:
    """A CloudStack date: ``2026-07-29T11:18:10+0000``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Job:
    id: str
    cmd: str
    due: float
    work: Callable[[], Record]
    instance_type: str | None
    instance_id: str | None
    result_key: str | None
    on_fail: Callable[[ApiError], None] | None
    account: Record
    created: str = field(default_factory=now_stamp)
    status: int = 0
    result: Record | None = None
    resultcode: int = 0
    completed: str | None = None
    record: Record | None = None  # the resource that shows jobid/jobstatus while pending
    forced: str | None = None  # "fail", "cancel" or "hang": the end a fault chose


@dataclass(frozen=True)
class JobTicket:
    jobid: str
    instance_id: str | None


class JobQueue:
    """Async jobs: each finishes ``duration`` seconds after it starts, when next looked at."""

    def __init__(self, cloud: Cloud, duration: float, clock: Callable[[], float]) -> None:
        self.cloud = cloud
        self.duration = duration
        self.clock = clock
        self.jobs: dict[str, Job] = {}

    def start(self, call: Call, work: Callable[[], Record], *, instance_type: str | None,
              instance_id: str | None, result_key: str | None,
              on_fail: Callable[[ApiError], None] | None) -> JobTicket:
        job = Job(id=str(uuid.uuid4()), cmd=_job_cmd(call.command), due=self.clock() + self.duration,
                  work=work, instance_type=instance_type, instance_id=instance_id,
                  result_key=result_key, on_fail=on_fail, account=self.cloud.account)
        if instance_type and instance_id:
            record = self.cloud.find_record(instance_type, instance_id)
            if record is not None:
                record.setdefault("_pending", []).append(job.id)
                record["jobid"] = job.id
                record["jobstatus"] = 0
                job.record = record
        self.jobs[job.id] = job
        return JobTicket(job.id, instance_id)

    def advance(self) -> None:
        """Finish every job whose time has come, oldest first."""
        now = self.clock()
        for job in sorted(self.jobs.values(), key=lambda j: j.due):
            if job.status == 0 and job.due <= now:
                self.finish(job)

    def force(self, jobid: str, end: str) -> None:
        """Make a pending job end as a fault says: ``fail`` (jobstatus 2), ``cancel`` (3), both
        without running its work and with its ``on_fail`` rollback, or ``hang`` (never ends)."""
        if end not in ("fail", "cancel", "hang"):
            raise ValueError(f"end: {end!r} is not fail, cancel or hang")
        job = self.jobs[jobid]
        job.forced = end
        if end == "hang":
            job.due = math.inf

    def finish(self, job: Job) -> None:
        try:
            if job.forced in FORCED_TEXT:
                raise ApiError(530, FORCED_TEXT[job.forced])
            out = job.work()
            job.result = {job.result_key: out} if job.result_key else out
            job.status = 1
        except ApiError as err:
            if job.on_fail is not None:
                job.on_fail(err)
            job.result = {"errorcode": err.errorcode, "errortext": err.errortext}
            job.status = 3 if job.forced == "cancel" else 2
            job.resultcode = err.errorcode
        job.completed = now_stamp()
        if job.record is not None:
            _job_ended(job.record, job.id)

    def get(self, jobid: str, command: str) -> Job:
        try:
            return self.jobs[jobid]
        except KeyError:
            raise not_found(command, "jobid", jobid) from None


def _job_ended(record: Record, jobid: str) -> None:
    """The record names its latest job still pending (as the server's views join the pending
    job on the object), or none."""
    pending: list[str] = record.get("_pending") or []
    if jobid in pending:
        pending.remove(jobid)
    if pending:
        record["jobid"] = pending[-1]
        record["jobstatus"] = 0
    else:
        record.pop("jobid", None)
        record.pop("jobstatus", None)
        record.pop("_pending", None)


def _job_cmd(command: str) -> str:
    return f"org.apache.cloudstack.api.command.user.{command}Cmd"


class Cloud:
    """One simulated cloud: tables of records, jobs, settings and a lock."""

    def __init__(self, *, api_key: str, secret_key: str, job_duration: float = 0.2,
                 page_size: int = 500, clock: Callable[[], float] = time.monotonic) -> None:
        self.api_key = api_key
        self.secret_key = secret_key
        self.page_size = page_size
        self.lock = threading.RLock()
        self.tables: dict[str, dict[str, Record]] = {}
        # Ids of records taken out of each table: the server keeps many rows after deletion
        # (marked removed) and still resolves their uuids, see ``params``.
        self.removed: dict[str, set[str]] = {}
        self.jobs = JobQueue(self, job_duration, clock)
        self.account: Record = {}
        self._numbers: dict[str, int] = {}
        # The address Basic-zone VMs get, where a real sshd answers (``Simulator(ssh_address)``).
        self.ssh_address: str | None = None

    # -- records ------------------------------------------------------------------------
    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def number(self, kind: str) -> int:
        """The next internal number of ``kind`` (10, 11, ...): like the server's database ids,
        never given twice, so names built from it (``i-2-10-VM``, ``ROOT-10``) stay unique."""
        self._numbers[kind] = self._numbers.get(kind, 9) + 1
        return self._numbers[kind]

    def table(self, kind: str) -> dict[str, Record]:
        return self.tables.setdefault(kind, {})

    def add(self, kind: str, record: Record) -> Record:
        record.setdefault("id", self.new_id())
        self.table(kind)[record["id"]] = record
        return record

    def find_record(self, kind: str, rid: str) -> Record | None:
        return self.table(kind).get(rid)

    def get(self, kind: str, rid: str | None, *, command: str, param: str = "id") -> Record:
        """The record or the real server's 431 for an unknown id."""
        record = self.table(kind).get(rid or "")
        if record is None:
            raise not_found(command, param, str(rid))
        return record

    def all(self, kind: str) -> list[Record]:
        return list(self.table(kind).values())

    def where(self, kind: str, **equal: Any) -> list[Record]:
        """Records whose fields equal the given values (None values are ignored)."""
        wanted = {k: v for k, v in equal.items() if v is not None}
        return [r for r in self.table(kind).values()
                if all(r.get(k) == v for k, v in wanted.items())]

    def has_id(self, kind: str, rid: str) -> bool:
        """Whether a record of ``kind`` has the id ``rid`` (tables keyed otherwise included)."""
        table = self.table(kind)
        return rid in table or any(r.get("id") == rid for r in table.values())

    def remove(self, kind: str, rid: str) -> Record | None:
        record = self.table(kind).pop(rid, None)
        if record is not None:
            self.removed.setdefault(kind, set()).add(str(record.get("id", rid)))
        return record

    def remove_all(self, kind: str, records: Iterable[Record]) -> None:
        for record in list(records):
            self.remove(kind, record["id"])
