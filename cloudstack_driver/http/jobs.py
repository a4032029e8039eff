"""Waiting for CloudStack async jobs (WIRE.md section 6).

:class:`JobWaiter` polls through a ``send(command, params) -> inner dict`` callable (the
connection's single-request function) and takes ``clock`` and ``sleep`` callables, so tests can
drive time by hand.

* One job: ``queryAsyncJobResult`` until ``jobstatus`` is not 0.
* Many jobs: one ``listAsyncJobs`` per round (paged, stopping as soon as every wanted job is
  seen); jobs the listing does not show fall back to ``queryAsyncJobResult``.

Polling adapts (WIRE.md section 6 says nothing of how often to ask): the first poll comes
``first`` seconds after the wait starts, each later wait is ``growth`` times the one before,
up to ``poll_interval``. A short job is noticed soon after it ends; a long one costs few polls.

The outcome is decided on ``jobstatus`` (never ``jobresultcode``): 1 gives ``jobresult``;
2 raises :func:`~cloudstack_driver.errors.job_error_class_for` of the job's ``errorcode`` (an
``AsyncJobError`` that is also, say, a ``ServerError`` for 530); 3 raises the cancelled class.
Transient poll failures (connection errors, 429, 530, 534) are retried until the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudstack_driver import errors
from cloudstack_driver.http.envelope import list_items

__all__ = ["DEFAULT_PAGE_SIZE", "TRANSIENT_ERRORS", "JobWaiter", "PollRound", "Send",
           "job_outcome", "settle"]

Send = Callable[[str, dict[str, Any]], dict[str, Any]]

#: Poll failures worth another try: the poll itself changes nothing on the server.
TRANSIENT_ERRORS: tuple[type[errors.LibcloudError], ...] = (
    errors.CloudStackConnectionError,
    errors.ThrottledError,
    errors.ServerError,
    errors.ResourceUnavailableError,
)

#: ``pagesize`` of ``listAsyncJobs`` unless the caller gives one (CloudStack's default limit).
DEFAULT_PAGE_SIZE = 500


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def job_outcome(jobid: str, job: Mapping[str, Any], command: str | None = None
                ) -> dict[str, Any] | None:
    """None while the job runs; its ``jobresult`` when it succeeded; raises when it failed
    (``jobstatus`` 2) or was cancelled (3)."""
    status = _int(job.get("jobstatus"))
    if status == 0:
        return None
    result = job.get("jobresult")
    if status == 1:
        if isinstance(result, dict):
            return result
        return {} if result is None else {"jobresult": result}
    details: Mapping[str, Any] = result if isinstance(result, Mapping) else {}
    errorcode = _int(details.get("errorcode"), 0) or _int(job.get("jobresultcode"), 0) or None
    cserrorcode = _int(details.get("cserrorcode"), 0) or None
    text = details.get("errortext")
    cls = errors.job_error_class_for(errorcode, cancelled=status == 3)
    raise cls(
        str(text) if text else None,
        jobid=jobid,
        jobstatus=status,
        jobresult=result,
        command=command,
        errorcode=errorcode,
        cserrorcode=cserrorcode,
    )


class JobWaiter:
    """Waits for async jobs through ``send``; ``clock`` and ``sleep`` are injectable."""

    def __init__(
        self,
        send: Send,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._send = send
        self._clock = clock
        self._sleep = sleep

    def _pause(self, deadline: float, wanted: float) -> bool:
        """Sleep up to ``wanted`` seconds without passing ``deadline``; False when no time is
        left."""
        left = deadline - self._clock()
        if left <= 0:
            return False
        self._sleep(min(max(wanted, 0.0), left))
        return True

    @staticmethod
    def _schedule(first: float | None, growth: float, cap: float) -> Iterator[float]:
        """The waits between polls: ``first``, then ``growth`` times more each time, capped at
        ``cap`` (a constant ``cap`` when ``first`` is None)."""
        wait = cap if first is None else min(first, cap)
        while True:
            yield wait
            wait = min(max(wait * growth, first or cap), cap)

    @staticmethod
    def _retry_wait(exc: BaseException, poll_interval: float) -> float:
        if isinstance(exc, errors.ThrottledError) and exc.retry_after is not None:
            return max(exc.retry_after, poll_interval)
        return poll_interval

    def wait(self, jobid: str, *, timeout: float, poll_interval: float,
             command: str | None = None, first: float | None = None,
             growth: float = 1.5) -> dict[str, Any]:
        """Poll ``queryAsyncJobResult`` until the job ends; return its ``jobresult``.

        Waits between polls follow :meth:`_schedule` (``first``, ``growth``, capped at
        ``poll_interval``). Raises the job's ``AsyncJobError`` class on failure or
        cancellation, and ``AsyncJobTimeoutError`` (naming ``jobid``) when ``timeout`` seconds
        run out.
        """
        deadline = self._clock() + timeout
        waits = self._schedule(first, growth, poll_interval)
        while True:
            wanted = next(waits)
            try:
                job = self._send("queryAsyncJobResult", {"jobid": jobid})
            except TRANSIENT_ERRORS as exc:
                wanted = self._retry_wait(exc, poll_interval)
            else:
                result = job_outcome(jobid, job, command)
                if result is not None:
                    return result
            if not self._pause(deadline, wanted):
                raise errors.AsyncJobTimeoutError(jobid, timeout=timeout, command=command)

    def _listed_jobs(self, wanted: set[str], page_size: int) -> dict[str, dict[str, Any]]:
        """The wanted jobs ``listAsyncJobs`` shows, paging only until all are found (or a page
        shows no job not seen before: a server that ignores ``page`` cannot loop us)."""
        found: dict[str, dict[str, Any]] = {}
        listed: set[str] = set()
        page = 1
        seen = 0
        while True:
            inner = self._send("listAsyncJobs", {"page": page, "pagesize": page_size})
            count, rows = list_items(inner)
            fresh = 0
            for row in rows:
                jobid = str(row.get("jobid", ""))
                fresh += jobid not in listed
                listed.add(jobid)
                if jobid in wanted:
                    found[jobid] = row
            seen += len(rows)
            if (not fresh or len(found) == len(wanted) or (count is not None and seen >= count)
                    or (count is None and len(rows) < page_size)):
                return found
            page += 1

    def poll_round(self, pending: Iterable[str], *, page_size: int = DEFAULT_PAGE_SIZE,
                   use_listing: bool = True) -> PollRound:
        """Ask once about every job of ``pending``: one ``listAsyncJobs`` listing (unless
        ``use_listing`` is False), ``queryAsyncJobResult`` for the jobs it does not show.

        The returned :class:`PollRound` holds, per job that is no longer running, its record
        (pass it to :func:`job_outcome`) or the ``CloudStackError`` of a job the server does
        not know; jobs still running are absent. A transient failure is not raised: it sets
        ``retry_after`` (the wait it asks for; 0 when it asked for none), and a listing the
        account may not use clears ``use_listing`` for the rounds after.
        """
        wanted = list(dict.fromkeys(pending))
        outcome = PollRound(use_listing=use_listing)
        listed: dict[str, dict[str, Any]] = {}
        if use_listing and wanted:
            try:
                listed = self._listed_jobs(set(wanted), page_size)
            except TRANSIENT_ERRORS as exc:
                outcome.retry_after = self._retry_wait(exc, 0.0)
            except errors.CloudStackError:
                outcome.use_listing = False  # e.g. 432/401 for this role: ask job by job
        for jobid in wanted:
            job = listed.get(jobid)
            if job is None:
                try:
                    job = self._send("queryAsyncJobResult", {"jobid": jobid})
                except TRANSIENT_ERRORS as exc:
                    outcome.retry_after = max(outcome.retry_after or 0.0,
                                              self._retry_wait(exc, 0.0))
                    continue
                except errors.CloudStackError as exc:
                    outcome.ended[jobid] = exc
                    continue
            if _int(job.get("jobstatus")) != 0:
                outcome.ended[jobid] = job
        return outcome

    def wait_many(
        self, jobids: Iterable[str], *, timeout: float, poll_interval: float,
        page_size: int = DEFAULT_PAGE_SIZE, first: float | None = None, growth: float = 1.5,
    ) -> dict[str, dict[str, Any] | errors.LibcloudError]:
        """Wait for every job in ``jobids`` at once; one ``listAsyncJobs`` call per round.

        Returns ``{jobid: jobresult}`` for jobs that succeeded and ``{jobid: error}`` for the
        rest: the ``AsyncJobError`` (subclass) of a failed or cancelled job, the
        ``CloudStackError`` of a job the server does not know, or ``AsyncJobTimeoutError`` for
        a job still running when ``timeout`` ran out. Nothing is raised for a single job.
        ``page_size`` is the ``pagesize`` of the listing (at most the server's
        ``default.page.size``); waits follow :meth:`_schedule`.
        """
        order = list(dict.fromkeys(str(jobid) for jobid in jobids))
        pending = list(order)
        outcomes: dict[str, dict[str, Any] | errors.LibcloudError] = {}
        deadline = self._clock() + timeout
        waits = self._schedule(first, growth, poll_interval)
        use_listing = True
        while pending:
            wanted = next(waits)
            round_ = self.poll_round(pending, page_size=page_size, use_listing=use_listing)
            use_listing = round_.use_listing
            if round_.retry_after is not None:
                wanted = max(wanted, round_.retry_after, poll_interval)
            for jobid, ended in round_.ended.items():
                outcomes[jobid] = settle(jobid, ended)
                pending.remove(jobid)
            if pending and not self._pause(deadline, wanted):
                for jobid in pending:
                    outcomes[jobid] = errors.AsyncJobTimeoutError(jobid, timeout=timeout)
                break
        return {jobid: outcomes[jobid] for jobid in order}


@dataclass
class PollRound:
    """What one :meth:`JobWaiter.poll_round` learnt."""

    #: jobid -> the record of a job that ended, or the error of a job the server does not know
    ended: dict[str, dict[str, Any] | errors.CloudStackError] = field(default_factory=dict)
    #: set after a transient failure: the wait it asked for (0.0: none in particular)
    retry_after: float | None = None
    #: False once ``listAsyncJobs`` was refused: later rounds ask job by job
    use_listing: bool = True


def settle(jobid: str, ended: dict[str, Any] | errors.CloudStackError,
           command: str | None = None) -> dict[str, Any] | errors.LibcloudError:
    """An ended job of a :class:`PollRound` as ``wait_many`` reports it: its ``jobresult``,
    or the error it ended with (never raised)."""
    if isinstance(ended, errors.LibcloudError):
        return ended
    try:
        result = job_outcome(jobid, ended, command)
    except errors.AsyncJobError as exc:
        return exc
    return result if result is not None else {}
