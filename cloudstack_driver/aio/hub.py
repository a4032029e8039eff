"""One job waiter per asyncio connection: every coroutine waiting on a job shares its polls.

A coroutine waiting on a job (``create_node`` after its ``deployVirtualMachine``) registers the
job id here and awaits a future. One task polls all registered jobs together, one
:meth:`~cloudstack_driver.http.jobs.JobWaiter.poll_round` (one ``listAsyncJobs``, paged only
until every wanted job is seen) per round, and settles each future as its job ends. A hundred
``create_node`` coroutines gathered at once thus cost a hundred deploys and one listing per
round, not a hundred ``queryAsyncJobResult`` per round.

Each job keeps the sync driver's schedule (first poll ``poll_first`` seconds after it was
registered, each wait ``poll_backoff`` times the last, at most ``poll_interval``); a round
happens when the earliest job is due and asks about all of them, so a job asked about early
simply starts its next wait then. The task ends when no job is waited on, and is cancelled at
once when the last waiter is (no request is left in flight for nobody).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudstack_driver import errors
from cloudstack_driver.aio._bridge import spawn
from cloudstack_driver.http.jobs import settle

if TYPE_CHECKING:
    from cloudstack_driver.aio.transport import AsyncCloudStackConnection

__all__ = ["JobHub"]

log = logging.getLogger("cloudstack_driver.aio")

_Outcome = dict[str, Any] | errors.LibcloudError


@dataclass(eq=False)
class _Waiting:
    jobid: str
    command: str | None
    timeout: float
    deadline: float
    wait: float
    next_at: float
    future: asyncio.Future[_Outcome] = field(repr=False)


class JobHub:
    """The shared job waiter of one :class:`AsyncCloudStackConnection`."""

    def __init__(self, connection: AsyncCloudStackConnection) -> None:
        self._connection = connection
        self._waiting: dict[str, list[_Waiting]] = {}
        self._task: asyncio.Task[None] | None = None
        self._changed: asyncio.Event | None = None
        self._use_listing = True
        self._stopping: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Jobs waited on now."""
        return len(self._waiting)

    def _add(self, jobid: str, timeout: float, command: str | None) -> _Waiting:
        loop = asyncio.get_running_loop()
        now = self._connection.clock()
        first = min(self._connection.poll_first, self._connection.poll_interval)
        entry = _Waiting(jobid, command, timeout, now + timeout, first, now + first,
                         loop.create_future())
        self._waiting.setdefault(jobid, []).append(entry)
        if self._changed is None:
            self._changed = asyncio.Event()
        self._changed.set()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run(), name="cloudstack-driver-job-hub")
        return entry

    def _drop(self, entry: _Waiting) -> None:
        """Forget ``entry`` (settled, or its waiter cancelled); with nobody left waiting,
        stop the polling task at once."""
        entries = self._waiting.get(entry.jobid)
        if entries is not None and entry in entries:
            entries.remove(entry)
            if not entries:
                del self._waiting[entry.jobid]
        settled = entry.future.done() and not entry.future.cancelled()
        if not entry.future.done():
            entry.future.cancel()
        if not settled and not self._waiting and self._task is not None \
                and not self._task.done():
            # its waiter was cancelled and nobody else waits: no poll for nobody
            self._stop(self._task)
            self._task = None  # the next waiter starts a new task at once

    def _stop(self, task: asyncio.Task[None]) -> None:
        """Cancel ``task``, remembered until it has ended (``aclose`` waits for it)."""
        task.cancel()
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    async def wait(self, jobid: str, timeout: float, command: str | None) -> dict[str, Any]:
        """The job's ``jobresult``; raises as ``wait_for_job`` does."""
        entry = self._add(jobid, timeout, command)
        try:
            outcome = await entry.future
        finally:
            self._drop(entry)
        if isinstance(outcome, errors.LibcloudError):
            raise outcome
        return outcome

    async def wait_all(self, jobids: list[str], timeout: float) -> dict[str, _Outcome]:
        """Every job's ``jobresult`` or error, as ``wait_for_jobs`` returns them."""
        entries = [self._add(jobid, timeout, None) for jobid in jobids]
        try:
            if entries:
                await asyncio.wait([entry.future for entry in entries])
        finally:
            for entry in entries:
                self._drop(entry)
        return {entry.jobid: entry.future.result() for entry in entries}

    async def aclose(self) -> None:
        """Stop polling; every wait still going ends with ``DriverClosedError`` (naming its
        job, which goes on on the server)."""
        task, self._task = self._task, None
        now = self._connection.clock()
        for entries in list(self._waiting.values()):
            for entry in entries:
                if not entry.future.done():
                    entry.future.set_result(errors.DriverClosedError(
                        entry.jobid, timeout=round(now - entry.deadline + entry.timeout, 3),
                        command=entry.command))
        self._waiting.clear()
        if task is not None and not task.done():
            self._stop(task)
        if self._stopping:
            await asyncio.wait(set(self._stopping))  # their CancelledErrors stay in them

    # -- the polling task ---------------------------------------------------------------------

    def _entries(self) -> list[_Waiting]:
        return [entry for entries in self._waiting.values() for entry in entries]

    def _settle(self, jobid: str, ended: dict[str, Any] | errors.CloudStackError) -> None:
        for entry in self._waiting.pop(jobid, []):
            if not entry.future.done():
                entry.future.set_result(settle(jobid, ended, entry.command))

    async def _run(self) -> None:
        connection = self._connection
        changed = self._changed
        assert changed is not None
        try:
            while self._waiting:
                now = connection.clock()
                entries = self._entries()
                due = min(entry.next_at for entry in entries)
                ends = min(entry.deadline for entry in entries)
                if min(due, ends) > now:
                    changed.clear()
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(changed.wait(), min(due, ends) - now)
                    continue
                if due <= now:
                    await self._round(now)
                now = connection.clock()
                for entry in self._entries():
                    if entry.deadline <= now and not entry.future.done():
                        self._waiting[entry.jobid].remove(entry)
                        if not self._waiting[entry.jobid]:
                            del self._waiting[entry.jobid]
                        entry.future.set_result(errors.AsyncJobTimeoutError(
                            entry.jobid, timeout=entry.timeout, command=entry.command))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # a defect or the loop closing: nobody waits forever
            log.error("job polling stopped: %s: %s", type(exc).__name__, exc)
            for entry in self._entries():
                if not entry.future.done():
                    entry.future.set_exception(exc)
            self._waiting.clear()
            if not isinstance(exc, Exception):
                raise

    async def _round(self, started: float) -> None:
        connection = self._connection
        round_ = await spawn(connection.jobs.poll_round, list(self._waiting),
                             page_size=connection.page_size, use_listing=self._use_listing)
        self._use_listing = round_.use_listing
        for jobid, ended in round_.ended.items():
            self._settle(jobid, ended)
        now = connection.clock()
        cap = connection.poll_interval
        for entry in self._entries():
            if entry.next_at <= started:  # it was due: its waits grow, as the sync ones do
                entry.wait = min(max(entry.wait * connection.poll_backoff,
                                     connection.poll_first or cap), cap)
            wait = entry.wait
            if round_.retry_after is not None:  # throttled or failed: back off
                wait = max(wait, round_.retry_after, cap)
            entry.next_at = now + wait
