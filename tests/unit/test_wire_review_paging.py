"""Wire review: paging and job waiting against servers that misbehave (pages that shift, repeat
or ignore paging), CloudStack's ``pagesize=-1``, numbers sent as strings, and resuming a job
after a time-out. requests-mock pins the exact paging parameters; time is a fake."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests_mock as rm
from _fakes import FakeTime

from cloudstack_driver import errors
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.http.jobs import JobWaiter

URL = "http://cs.test/client/api"


def make(fake_time: FakeTime, **kwargs: Any) -> CloudStackConnection:
    kwargs.setdefault("rand", lambda: 0.0)
    return CloudStackConnection("KEY", "SECRET", URL, clock=fake_time.clock,
                                sleep=fake_time.sleep, **kwargs)


@pytest.fixture
def conn(fake_time: FakeTime) -> CloudStackConnection:
    return make(fake_time)


def sent(request: Any) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))


def paging(mocker: rm.Mocker) -> list[tuple[str | None, str | None]]:
    return [(sent(r).get("page"), sent(r).get("pagesize")) for r in mocker.request_history]


def answer(command: str, inner: dict[str, Any]) -> dict[str, Any]:
    return {"json": {f"{command.lower()}response": inner}}


def vms(*ids: int, count: int | None = None) -> dict[str, Any]:
    inner: dict[str, Any] = {"virtualmachine": [{"id": f"vm{i}"} for i in ids]}
    if count is not None:
        inner["count"] = count
    return answer("listVirtualMachines", inner)


# -- paging -----------------------------------------------------------------------------------


def test_caller_page_without_pagesize_sends_the_connection_page_size(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    """The server refuses ``page`` without ``pagesize`` (431); the driver methods that take
    ``page=`` alone (ex_list_vpn_gateways, list_key_pairs ...) rely on this."""
    requests_mock.get(URL, **vms(1, count=900))
    assert conn.list("listVirtualMachines", page=2) == [{"id": "vm1"}]
    assert paging(requests_mock) == [("2", "500")]


def test_pagesize_minus_one_asks_for_everything_in_one_request(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    """CloudStack's "unlimited" page size: one request, ``pagesize=-1`` and no ``page`` (the
    server refuses ``page`` with it)."""
    requests_mock.get(URL, **vms(*range(1200), count=1200))
    assert len(conn.list("listVirtualMachines", pagesize=-1)) == 1200
    assert paging(requests_mock) == [(None, "-1")]


def test_pagesize_minus_one_with_page_is_refused_before_sending(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    with pytest.raises(ValueError, match="'page'"):
        conn.list("listVirtualMachines", page=1, pagesize=-1)
    with pytest.raises(ValueError, match="'pagesize'"):
        conn.list("listVirtualMachines", pagesize=-2)
    assert requests_mock.call_count == 0


def test_rows_shifted_onto_the_next_page_are_not_returned_twice(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    """A VM created between two pages pushes vm3 onto page 2 as well."""
    requests_mock.get(URL, [vms(1, 2, 3, count=5), vms(3, 4, 5, count=6)])
    rows = conn.list("listVirtualMachines", pagesize=3)
    assert [row["id"] for row in rows] == ["vm1", "vm2", "vm3", "vm4", "vm5"]
    assert paging(requests_mock) == [("1", "3"), ("2", "3")]


def test_rows_differing_only_by_zone_are_all_kept(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    """listTemplates answers one row per template and zone: same id, different rows."""
    rows = [{"id": "t1", "zoneid": "z1"}, {"id": "t1", "zoneid": "z2"}]
    requests_mock.get(URL, **answer("listTemplates", {"count": 2, "template": rows}))
    assert conn.list("listTemplates", templatefilter="all") == rows


def test_a_server_that_alternates_pages_stops_when_nothing_new_arrives(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, [vms(1, 2, count=100), vms(3, 4, count=100)] * 30)
    rows = conn.list("listVirtualMachines", pagesize=2)
    assert [row["id"] for row in rows] == ["vm1", "vm2", "vm3", "vm4"]
    assert requests_mock.call_count == 3


def test_a_server_that_ignores_pagesize_is_read_once(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, **vms(*range(700), count=700))
    assert len(conn.list("listVirtualMachines")) == 700
    assert requests_mock.call_count == 1


def test_counts_sent_as_strings_are_numbers(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, [vms(1, 2, count="3"), vms(3, count="3")])  # type: ignore[arg-type]
    assert len(conn.list("listVirtualMachines", pagesize=2)) == 3
    assert requests_mock.call_count == 2


# -- jobs -------------------------------------------------------------------------------------


def job(jobid: str, status: Any, **extra: Any) -> dict[str, Any]:
    return {"jobid": jobid, "jobstatus": status, **extra}


def test_listing_without_count_that_repeats_forever_still_ends() -> None:
    """A listAsyncJobs that ignores ``page`` and sends no count must not loop: the round ends
    when a page shows nothing new, and the missing job is asked for by id."""
    calls: list[str] = []

    def send(command: str, params: dict[str, Any]) -> dict[str, Any]:
        calls.append(command)
        assert len(calls) < 50, "the listing never ended"
        if command == "listAsyncJobs":
            return {"asyncjobs": [job(f"other{i}", 1) for i in range(500)]}
        return job("mine", "1", jobresult={"success": True})

    time = FakeTime()
    waiter = JobWaiter(send, clock=time.clock, sleep=time.sleep)
    assert waiter.wait_many(["mine"], timeout=10, poll_interval=1) == {"mine": {"success": True}}
    assert calls == ["listAsyncJobs", "listAsyncJobs", "queryAsyncJobResult"]


def test_job_listing_uses_the_connection_page_size(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    """A server whose default.page.size is 100 refuses pagesize=500 with 431."""
    conn = make(fake_time, page_size=100)
    requests_mock.get(URL, **answer("listAsyncJobs", {"count": 2, "asyncjobs": [
        job("a", "1", jobresult={"success": "true"}),
        job("b", "2", jobresult={"errorcode": "536", "cserrorcode": "4365",
                                 "errortext": "in use"})]}))
    outcome = conn.wait_for_jobs(["a", "b"])
    assert paging(requests_mock) == [("1", "100")]
    assert outcome["a"] == {"success": "true"}
    failed = outcome["b"]
    assert isinstance(failed, errors.AsyncJobError)
    assert isinstance(failed, errors.ResourceInUseError)
    assert (failed.jobid, failed.jobstatus, failed.errorcode, failed.cserrorcode,
            failed.errortext) == ("b", 2, 536, 4365, "in use")


def test_a_timed_out_job_can_be_waited_on_again(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(URL, **answer("deployVirtualMachine", {"jobid": "j9", "id": "vm9"}))
    running = answer("queryAsyncJobResult", job("j9", "0"))
    done = answer("queryAsyncJobResult",
                  job("j9", "1", jobresult={"virtualmachine": {"id": "vm9"}}))
    requests_mock.get(URL, [running, running, running, done])
    conn.poll_first = conn.poll_interval = 1.0  # one poll a second: 2 s see only "running"
    with pytest.raises(errors.AsyncJobTimeoutError) as info:
        conn.request("deployVirtualMachine", zoneid="z", templateid="t",
                     serviceofferingid="s", job_timeout=2)
    assert (info.value.jobid, info.value.command, info.value.timeout) == (
        "j9", "deployVirtualMachine", 2)
    assert conn.wait_for_job(info.value.jobid) == {"virtualmachine": {"id": "vm9"}}
    posts = [r for r in requests_mock.request_history if r.method == "POST"]
    assert len(posts) == 1
