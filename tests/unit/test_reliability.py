"""Lost answers recovered, never resent; the retry policy (jitter, cap, deadline); requests
that never reached the server resent for any command. Wire-level, with requests-mock."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import requests_mock as rm
from _fakes import FakeTime

from cloudstack_driver import errors
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.http.recovery import job_classes, never_reached, safe_params

URL = "http://cs.test/client/api"
NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
DEPLOY = {"zoneid": "z1", "templateid": "t1", "serviceofferingid": "s1", "name": "web"}


def make(fake_time: FakeTime, **kwargs: Any) -> CloudStackConnection:
    kwargs.setdefault("rand", lambda: 0.0)
    return CloudStackConnection("KEY", "SECRET", URL, clock=fake_time.clock,
                                sleep=fake_time.sleep, utcnow=lambda: NOW, poll_interval=0,
                                **kwargs)


def params_of(request: Any) -> dict[str, str]:
    found = dict(parse_qsl(urlsplit(request.url).query))
    if request.body:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        found.update(parse_qsl(body))
    return found


class Cloud:
    """Answers by command; ``deployVirtualMachine`` fails as told."""

    def __init__(self, jobs: list[dict[str, Any]], vms: dict[str, str]) -> None:
        self.jobs = jobs
        self.vms = vms  # id -> name
        self.calls: list[dict[str, str]] = []
        self.deploy_failure: Exception | None = None

    def __call__(self, request: Any, context: Any) -> Any:
        params = params_of(request)
        self.calls.append(params)
        command = params["command"]
        key = f"{command.lower()}response"
        if command == "deployVirtualMachine":
            if self.deploy_failure is not None:
                raise self.deploy_failure
            return {key: {"jobid": "j-new", "id": "vm-new"}}
        if command == "listAsyncJobs":
            return {key: {"count": len(self.jobs), "asyncjobs": self.jobs}}
        if command == "listVirtualMachines":
            rows = [{"id": i, "name": n} for i, n in self.vms.items() if i == params.get("id")]
            return {key: {"count": len(rows), "virtualmachine": rows}}
        if command == "queryAsyncJobResult":
            vm = params["jobid"].replace("j-", "vm-")
            return {key: {"jobid": params["jobid"], "jobstatus": 1,
                          "jobresult": {"virtualmachine": {"id": vm,
                                                           "name": self.vms.get(vm)}}}}
        context.status_code = 432
        return {key: {"errorcode": 432, "errortext": f"unexpected {command}"}}

    def sent(self, command: str) -> list[dict[str, str]]:
        return [c for c in self.calls if c["command"] == command]


def deploy_job(jobid: str, vm: str) -> dict[str, Any]:
    return {"jobid": jobid, "cmd": "org.apache.cloudstack.api.command.user.vm.DeployVMCmd",
            "jobinstancetype": "VirtualMachine", "jobinstanceid": vm, "jobstatus": 0,
            "created": "2026-01-01T12:00:00+0000"}


@pytest.fixture
def cloud(requests_mock: rm.Mocker) -> Cloud:
    served = Cloud([], {})
    requests_mock.register_uri(rm.ANY, URL, json=served)
    return served


def test_lost_deploy_answer_is_recovered_from_the_servers_job(fake_time: FakeTime,
                                                              cloud: Cloud) -> None:
    cloud.jobs = [deploy_job("j-1", "vm-1")]
    cloud.vms = {"vm-1": "web"}
    cloud.deploy_failure = requests.exceptions.ConnectionError("Connection aborted.")
    conn = make(fake_time)
    result = conn.request("deployVirtualMachine", **DEPLOY)
    assert result == {"virtualmachine": {"id": "vm-1", "name": "web"}}
    assert len(cloud.sent("deployVirtualMachine")) == 1  # never resent
    [search] = cloud.sent("listAsyncJobs")
    assert search["startdate"] == "2026-01-01T11:55:00+0000"  # five minutes of clock slack
    assert [c["jobid"] for c in cloud.sent("queryAsyncJobResult")] == ["j-1"]


def test_recovery_picks_the_job_of_the_vm_named_in_the_request(fake_time: FakeTime,
                                                               cloud: Cloud) -> None:
    """Other callers deploy too: the candidate whose VM carries the request's name wins."""
    cloud.jobs = [deploy_job("j-1", "vm-1"), deploy_job("j-2", "vm-2")]
    cloud.vms = {"vm-1": "db", "vm-2": "web"}
    cloud.deploy_failure = requests.exceptions.ReadTimeout("read timed out")
    conn = make(fake_time)
    assert conn.request("deployVirtualMachine", wait=False, **DEPLOY) == {
        "jobid": "j-2", "id": "vm-2"}
    assert sorted(c["id"] for c in cloud.sent("listVirtualMachines")) == ["vm-1", "vm-2"]
    assert len(cloud.sent("deployVirtualMachine")) == 1


def test_recovery_never_adopts_a_job_whose_answer_already_arrived(fake_time: FakeTime,
                                                                  cloud: Cloud) -> None:
    conn = make(fake_time)
    cloud.vms = {"vm-new": "web"}
    assert conn.request("deployVirtualMachine", wait=False, **DEPLOY) == {
        "jobid": "j-new", "id": "vm-new"}
    cloud.jobs = [deploy_job("j-new", "vm-new")]  # this connection was handed it already
    cloud.deploy_failure = requests.exceptions.ConnectionError("Connection aborted.")
    with pytest.raises(errors.OutcomeUnknownError) as info:
        conn.request("deployVirtualMachine", **DEPLOY)
    assert info.value.candidate_jobids == []
    assert "no job of it was found" in str(info.value)


def test_ambiguous_candidates_raise_outcome_unknown_with_their_ids(fake_time: FakeTime,
                                                                   cloud: Cloud) -> None:
    cloud.jobs = [deploy_job("j-1", "vm-1"), deploy_job("j-2", "vm-2")]
    cloud.vms = {"vm-1": "web", "vm-2": "web"}
    cloud.deploy_failure = requests.exceptions.ChunkedEncodingError("cut")
    conn = make(fake_time)
    with pytest.raises(errors.OutcomeUnknownError) as info:
        conn.request("deployVirtualMachine", userdata="c2VjcmV0", **DEPLOY)
    error = info.value
    assert isinstance(error, errors.CloudStackConnectionError)
    assert (error.command, error.candidate_jobids, error.sent_at) == (
        "deployVirtualMachine", ["j-1", "j-2"], NOW)
    assert error.params["userdata"] == "[redacted]" and error.params["name"] == "web"
    assert "c2VjcmV0" not in str(error) and "SECRET" not in str(error)
    assert isinstance(error.original, requests.exceptions.ChunkedEncodingError)
    assert cloud.sent("queryAsyncJobResult") == []


def test_a_synchronous_command_lost_is_outcome_unknown(fake_time: FakeTime,
                                                       requests_mock: rm.Mocker) -> None:
    sent = requests_mock.post(URL, exc=requests.exceptions.ConnectionError("aborted"))
    conn = make(fake_time, max_retries=5)
    with pytest.raises(errors.OutcomeUnknownError) as info:
        conn.request("createSSHKeyPair", name="k")
    assert sent.call_count == 1
    assert info.value.params == {"name": "k"} and info.value.candidate_jobids == []
    assert "synchronous" in str(info.value)


@pytest.mark.parametrize("body", ['{"deployvirtualmachineresponse": {"jobid": "j-',
                                  "<html>Service Unavailable</html>"])
def test_an_unreadable_answer_to_a_deploy_is_a_lost_answer(fake_time: FakeTime,
                                                           requests_mock: rm.Mocker,
                                                           body: str) -> None:
    posted = requests_mock.post(URL, text=body)
    requests_mock.get(URL, json={"listasyncjobsresponse": {
        "count": 1, "asyncjobs": [deploy_job("j-7", "vm-7")]}})
    conn = make(fake_time)
    assert conn.request("deployVirtualMachine", wait=False, zoneid="z") == {
        "jobid": "j-7", "id": "vm-7"}
    assert posted.call_count == 1


def test_a_request_that_never_reached_the_server_is_resent_for_any_command(
        fake_time: FakeTime, requests_mock: rm.Mocker) -> None:
    posted = requests_mock.post(URL, [
        {"exc": requests.exceptions.ConnectTimeout("connect timed out")},
        {"json": {"deployvirtualmachineresponse": {"jobid": "j1", "id": "vm1"}}}])
    conn = make(fake_time, retry_delay=2)
    assert conn.request("deployVirtualMachine", wait=False, zoneid="z") == {
        "jobid": "j1", "id": "vm1"}
    assert posted.call_count == 2 and fake_time.sleeps == [2.0]


def test_refused_connections_are_resent_then_raised_as_connection_errors(
        fake_time: FakeTime) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conn = CloudStackConnection("KEY", "SECRET", f"http://127.0.0.1:{port}/client/api",
                                clock=fake_time.clock, sleep=fake_time.sleep, max_retries=2,
                                retry_delay=1, rand=lambda: 0.0)
    try:
        with pytest.raises(errors.CloudStackConnectionError) as info:
            conn.request("deployVirtualMachine", zoneid="z")
    finally:
        conn.close()
    assert not isinstance(info.value, errors.OutcomeUnknownError)
    assert never_reached(info.value.original)  # type: ignore[arg-type]
    assert fake_time.sleeps == [1.0, 2.0]


def test_waits_have_jitter_and_a_cap(fake_time: FakeTime, requests_mock: rm.Mocker) -> None:
    requests_mock.get(URL, status_code=530, json={"listzonesresponse": {
        "errorcode": 530, "errortext": "boom"}})
    draws = iter([0.5, 0.0, 1.0, 0.25])
    conn = make(fake_time, max_retries=4, retry_delay=1, backoff=4, max_delay=10, jitter=0.5,
                deadline=1000, rand=lambda: next(draws))
    with pytest.raises(errors.ServerError):
        conn.request("listZones")
    # 1 x (1 - 0.25), 4 x 1, min(16, 10) x 0.5, min(64, 10) x (1 - 0.125)
    assert fake_time.sleeps == [0.75, 4.0, 5.0, 8.75]


def test_one_call_ends_by_its_deadline(fake_time: FakeTime, requests_mock: rm.Mocker) -> None:
    """A server that accepts and never answers: each exchange costs its timeout; retries and
    waits stop at the deadline (twice the timeout by default) and timeouts are cut to fit."""
    timeouts: list[float] = []

    def hang(request: Any, context: Any) -> Any:
        timeouts.append(request.timeout)
        fake_time.now += request.timeout
        raise requests.exceptions.ReadTimeout("read timed out")

    requests_mock.get(URL, json=hang)
    conn = make(fake_time, timeout=2, max_retries=3, retry_delay=1, backoff=2)
    start = fake_time.clock()
    with pytest.raises(errors.CloudStackConnectionError):
        conn.request("listZones")
    assert timeouts == [2.0, 1.0]
    assert fake_time.sleeps == [1.0]
    assert fake_time.clock() - start <= 4.0


def test_policy_knobs_are_checked() -> None:
    with pytest.raises(ValueError, match="'jitter' must be between 0 and 1"):
        CloudStackConnection("K", "S", URL, jitter=2)
    with pytest.raises(ValueError, match="'deadline' must be > 0"):
        CloudStackConnection("K", "S", URL, deadline=0)
    with pytest.raises(TypeError, match="'max_delay' must be a number"):
        CloudStackConnection("K", "S", URL, max_delay="10")


def test_helpers() -> None:
    assert "deployvmcmd" in job_classes("deployVirtualMachine")
    assert "associateipaddrcmd" in job_classes("associateIpAddress")
    assert "createvolumecmd" in job_classes("createVolume")
    assert safe_params({"name": "n", "ipsecpsk": "p", "password": "x", "userdata": "u"}) == {
        "name": "n", "ipsecpsk": "[redacted]", "password": "[redacted]",
        "userdata": "[redacted]"}
    assert never_reached(requests.exceptions.ConnectTimeout("x"))
    assert not never_reached(requests.exceptions.ReadTimeout("x"))
    assert not never_reached(requests.exceptions.ConnectionError("Connection aborted."))


def test_nothing_is_printed_when_the_application_configures_no_logging() -> None:
    """Retry warnings go to the library's loggers, which end in a NullHandler: Python's
    last-resort handler never prints them."""
    script = (
        "import socket\n"
        "from cloudstack_driver import CloudStackNodeDriver, CloudStackConnectionError\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()\n"
        "d = CloudStackNodeDriver('K', 'S', url=f'http://127.0.0.1:{port}/client/api',\n"
        "                         max_retries=2, retry_delay=0)\n"
        "try:\n"
        "    d.list_locations()\n"
        "except CloudStackConnectionError:\n"
        "    pass\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""
