"""http.jobs.JobWaiter: outcomes decided on jobstatus, transient poll failures, deadlines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from _fakes import FakeTime

from cloudstack_driver import errors
from cloudstack_driver.http.jobs import JobWaiter

Answer = dict[str, Any] | BaseException


class FakeServer:
    """Answers each (command) from a queue; the last answer repeats."""

    def __init__(self, answers: dict[str, list[Answer] | Callable[[dict[str, Any]], Answer]]):
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def send(self, command: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((command, dict(params)))
        source = self.answers[command]
        answer = source(params) if callable(source) else (
            source.pop(0) if len(source) > 1 else source[0])
        if isinstance(answer, BaseException):
            raise answer
        return answer


def running(jobid: str = "j1") -> dict[str, Any]:
    return {"jobid": jobid, "jobstatus": 0}


def waiter(server: FakeServer, time: FakeTime) -> JobWaiter:
    return JobWaiter(server.send, clock=time.clock, sleep=time.sleep)


def test_success_returns_jobresult_after_polling() -> None:
    done = {"jobid": "j1", "jobstatus": 1, "jobresultcode": 0,
            "jobresult": {"virtualmachine": {"id": "vm1"}}}
    server = FakeServer({"queryAsyncJobResult": [running(), running(), done]})
    time = FakeTime()
    result = waiter(server, time).wait("j1", timeout=60, poll_interval=2)
    assert result == {"virtualmachine": {"id": "vm1"}}
    assert server.calls == [("queryAsyncJobResult", {"jobid": "j1"})] * 3
    assert time.sleeps == [2, 2]


def test_failure_with_530_is_async_job_error_and_server_error() -> None:
    failed = {"jobid": "j1", "jobstatus": 2, "jobresultcode": 530,
              "jobresult": {"errorcode": 530, "cserrorcode": 4250, "errortext": "boom"}}
    server = FakeServer({"queryAsyncJobResult": [failed]})
    with pytest.raises(errors.AsyncJobError) as info:
        waiter(server, FakeTime()).wait("j1", timeout=60, poll_interval=1,
                                        command="deployVirtualMachine")
    err = info.value
    assert isinstance(err, errors.ServerError)
    assert errors.AsyncJobCancelledError not in type(err).__mro__
    assert (err.jobid, err.jobstatus, err.errorcode, err.cserrorcode, err.errortext) == (
        "j1", 2, 530, 4250, "boom")
    assert err.command == "deployVirtualMachine"
    assert err.jobresult == failed["jobresult"]


def test_failure_is_decided_on_jobstatus_not_jobresultcode() -> None:
    failed = {"jobid": "j1", "jobstatus": 2, "jobresultcode": 0,
              "jobresult": {"errorcode": 536, "errortext": "in use"}}
    server = FakeServer({"queryAsyncJobResult": [failed]})
    with pytest.raises(errors.ResourceInUseError) as info:
        waiter(server, FakeTime()).wait("j1", timeout=60, poll_interval=1)
    assert isinstance(info.value, errors.AsyncJobError)
    assert info.value.errorcode == 536


def test_cancelled_job_raises_the_cancelled_class() -> None:
    cancelled = {"jobid": "j1", "jobstatus": 3, "jobresult": {"errortext": "cancelled by admin"}}
    server = FakeServer({"queryAsyncJobResult": [cancelled]})
    with pytest.raises(errors.AsyncJobCancelledError) as info:
        waiter(server, FakeTime()).wait("j1", timeout=60, poll_interval=1)
    assert (info.value.jobid, info.value.jobstatus) == ("j1", 3)
    assert info.value.errortext == "cancelled by admin"


def test_timeout_names_the_job_and_never_oversleeps() -> None:
    server = FakeServer({"queryAsyncJobResult": [running()]})
    time = FakeTime()
    with pytest.raises(errors.AsyncJobTimeoutError) as info:
        waiter(server, time).wait("j1", timeout=10, poll_interval=3, command="startVirtualMachine")
    assert info.value.jobid == "j1"
    assert info.value.timeout == 10
    assert "j1" in str(info.value)
    assert time.sleeps == [3, 3, 3, 1]
    assert time.now == 10
    assert len(server.calls) == 5  # a last poll at the deadline


def test_transient_poll_failures_are_retried_within_the_deadline() -> None:
    done = {"jobid": "j1", "jobstatus": 1, "jobresult": {"success": True}}
    server = FakeServer({"queryAsyncJobResult": [
        errors.CloudStackConnectionError("reset", command="queryAsyncJobResult"),
        errors.ServerError("db hiccup", errorcode=530),
        errors.ResourceUnavailableError("shutting down", errorcode=534),
        errors.ThrottledError("please retry after [4000] ms.", errorcode=429),
        done,
    ]})
    time = FakeTime()
    assert waiter(server, time).wait("j1", timeout=60, poll_interval=1) == {"success": True}
    assert time.sleeps == [1, 1, 1, 4.0]


def test_other_poll_errors_are_not_retried() -> None:
    server = FakeServer({"queryAsyncJobResult": [
        errors.InvalidParameterError("no such job", errorcode=431)]})
    with pytest.raises(errors.InvalidParameterError):
        waiter(server, FakeTime()).wait("nope", timeout=60, poll_interval=1)
    assert len(server.calls) == 1


def _job(jobid: str, status: int, **extra: Any) -> dict[str, Any]:
    return {"jobid": jobid, "jobstatus": status, **extra}


def test_wait_many_uses_one_listing_per_round() -> None:
    ids = [f"j{i}" for i in range(100)]
    rounds = {"n": 0}

    def listing(params: dict[str, Any]) -> dict[str, Any]:
        rounds["n"] += 1
        status = 1 if rounds["n"] >= 3 else 0
        rows = [_job(j, status, jobresult={"success": True}) for j in ids]
        rows.append(_job("someone-else", 0))
        return {"count": len(rows), "asyncjobs": rows}

    server = FakeServer({"listAsyncJobs": listing, "queryAsyncJobResult": [running()]})
    time = FakeTime()
    outcome = waiter(server, time).wait_many(ids, timeout=60, poll_interval=5)
    assert outcome == {j: {"success": True} for j in ids}
    assert list(outcome) == ids
    assert [c[0] for c in server.calls] == ["listAsyncJobs"] * 3
    assert server.calls[0][1] == {"page": 1, "pagesize": 500}
    assert time.sleeps == [5, 5]


def test_wait_many_mixed_outcomes_fallback_and_timeout() -> None:
    listing = {"count": 3, "asyncjobs": [
        _job("ok", 1, jobresult={"virtualmachine": {"id": "v"}}),
        _job("bad", 2, jobresult={"errorcode": 533, "errortext": "no capacity"}),
        _job("slow", 0),
    ]}

    def query(params: dict[str, Any]) -> Answer:
        if params["jobid"] == "hidden":
            return _job("hidden", 3, jobresult={"errortext": "cancelled"})
        return errors.InvalidParameterError("unknown job", errorcode=431)

    server = FakeServer({"listAsyncJobs": [listing], "queryAsyncJobResult": query})
    time = FakeTime()
    outcome = waiter(server, time).wait_many(["ok", "bad", "slow", "hidden", "ghost"],
                                             timeout=4, poll_interval=2)
    assert outcome["ok"] == {"virtualmachine": {"id": "v"}}
    bad = outcome["bad"]
    assert isinstance(bad, errors.AsyncJobError) and isinstance(bad, errors.InsufficientCapacityError)
    assert bad.jobid == "bad"
    assert isinstance(outcome["hidden"], errors.AsyncJobCancelledError)
    assert isinstance(outcome["ghost"], errors.InvalidParameterError)
    slow = outcome["slow"]
    assert isinstance(slow, errors.AsyncJobTimeoutError) and slow.jobid == "slow"
    queried = [c[1]["jobid"] for c in server.calls if c[0] == "queryAsyncJobResult"]
    assert queried == ["hidden", "ghost"]  # only jobs the listing did not show


def test_wait_many_pages_the_listing_until_all_are_found() -> None:
    def listing(params: dict[str, Any]) -> dict[str, Any]:
        page = params["page"]
        rows = [_job(f"old{page}-{i}", 1) for i in range(500)]
        if page == 2:
            rows[7] = _job("mine", 1, jobresult={"success": True})
        return {"count": 5000, "asyncjobs": rows}

    server = FakeServer({"listAsyncJobs": listing, "queryAsyncJobResult": [running()]})
    outcome = waiter(server, FakeTime()).wait_many(["mine"], timeout=10, poll_interval=1)
    assert outcome == {"mine": {"success": True}}
    assert [c[1]["page"] for c in server.calls] == [1, 2]


def test_wait_many_falls_back_when_listing_is_refused() -> None:
    server = FakeServer({
        "listAsyncJobs": [errors.UnsupportedCommandError("not for you", errorcode=432)],
        "queryAsyncJobResult": [_job("a", 1, jobresult={"success": True})],
    })
    time = FakeTime()
    assert waiter(server, time).wait_many(["a"], timeout=10, poll_interval=1) == {
        "a": {"success": True}}
    assert [c[0] for c in server.calls] == ["listAsyncJobs", "queryAsyncJobResult"]
