"""Fault injection: each kind, which requests a fault hits, the record of what fired, the
command line's spelling; plain ``requests`` against a running simulator (never the driver)."""

from __future__ import annotations

import json
import logging
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sim_helpers import KEY, SECRET, sign, signed

import cloudstack_driver.simulator as simulator_package
from cloudstack_driver.simulator import Fault, Fired, Simulator
from cloudstack_driver.simulator.__main__ import build_parser
from cloudstack_driver.simulator.faults import KINDS, parse_spec
from cloudstack_driver.simulator.seed import BASIC_ZONE_ID, TINY_LINUX_ID

ROOT = Path(simulator_package.__file__).resolve().parents[2]
TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"  # service offering
SMALL_DISK = "d1b2c3a4-0001-4a00-8000-0000000000a1"
DEPLOY = {"zoneid": BASIC_ZONE_ID, "templateid": TINY_LINUX_ID, "serviceofferingid": TINY}


@dataclass
class Reply:
    status: int
    ctype: str
    length: str | None
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)

    def inner(self) -> dict[str, Any]:
        data = self.json()
        assert len(data) == 1
        value: dict[str, Any] = next(iter(data.values()))
        return value


class Client:
    """Signed calls over one session; every response is read whole and closed."""

    def __init__(self, sim: Simulator, session: requests.Session) -> None:
        self.sim = sim
        self.session = session

    def __call__(self, command: str, post: bool = True, **params: Any) -> Reply:
        data = signed(command, **params)
        sent = (self.session.post(self.sim.url, data=data, timeout=30) if post
                else self.session.get(self.sim.url, params=data, timeout=30))
        with sent as response:
            return Reply(response.status_code, response.headers.get("Content-Type", ""),
                         response.headers.get("Content-Length"), response.content)

    def ok(self, command: str, **params: Any) -> dict[str, Any]:
        reply = self(command, **params)
        assert reply.status == 200, reply.content
        return reply.inner()

    def job(self, jobid: str) -> dict[str, Any]:
        """The job once it ended (bounded polling)."""
        for _ in range(500):
            result = self.ok("queryAsyncJobResult", jobid=jobid)
            if result["jobstatus"] != 0:
                return result
            time.sleep(0.02)
        raise AssertionError(f"job {jobid} did not end")

    def vms(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.ok("listVirtualMachines", **params).get("virtualmachine", []))

    def jobs(self) -> list[dict[str, Any]]:
        return list(self.ok("listAsyncJobs").get("asyncjobs", []))


@pytest.fixture
def client(sim: Simulator) -> Iterator[Client]:
    with requests.Session() as session:
        yield Client(sim, session)


def _deploy(client: Client, name: str) -> Reply:
    return client("deployVirtualMachine", name=name, **DEPLOY)


# -- http ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "cserrorcode"),
                         [(401, None), (429, 9999), (431, 4350), (530, 9999), (534, 9999)])
def test_http_error_envelope_without_acting(sim: Simulator, client: Client, status: int,
                                            cserrorcode: int | None) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "http", occurrence=1, status=status))
    reply = _deploy(client, "web1")
    assert reply.status == status
    assert reply.ctype.startswith("application/json")
    inner = reply.json()["deployvirtualmachineresponse"]
    assert inner["uuidList"] == [] and inner["errorcode"] == status
    assert inner.get("cserrorcode") == cserrorcode
    assert isinstance(inner["errortext"], str) and inner["errortext"]
    assert client.vms() == [] and client.jobs() == []  # nothing ran
    assert sim.faults.fired == [Fired("deployVirtualMachine", 1, "http", None)]
    assert _deploy(client, "web1").status == 200  # the 2nd is not hit


def test_429_asks_for_the_configured_wait(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", occurrence=1, status=429),
                   Fault("listZones", "http", occurrence=2, status=429, retry_after_ms=2000))
    texts = [client("listZones").inner()["errortext"] for _ in range(2)]
    pattern = r"^The given user has reached his/her account api limit, please retry after " \
              r"\[(\d+)\] ms\.$"
    waits = [re.match(pattern, text) for text in texts]
    assert [m.group(1) if m else text for m, text in zip(waits, texts, strict=True)] == ["1000", "2000"]


@pytest.mark.parametrize(("status", "title"), [(502, "502 Bad Gateway"),
                                               (503, "503 Service Temporarily Unavailable"),
                                               (504, "504 Gateway Time-out")])
def test_http_proxy_page_without_acting(sim: Simulator, client: Client, status: int,
                                        title: str) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "http", occurrence=1, status=status))
    reply = _deploy(client, "web1")
    assert reply.status == status
    assert reply.ctype.split(";")[0] == "text/html"
    page = reply.content.decode("ascii")
    assert f"<title>{title}</title>" in page and "<center>nginx</center>" in page
    with pytest.raises(ValueError):
        reply.json()
    assert client.vms() == [] and client.jobs() == []


# -- latency, drops, spoiled answers --------------------------------------------------------------

def test_latency_waits_then_acts(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "latency", seconds=0.3))
    for _ in range(2):  # every request
        started = time.monotonic()
        inner = client.ok("listZones")
        assert time.monotonic() - started >= 0.3
        assert inner["count"] == 2
    assert [f.kind for f in sim.faults.fired] == ["latency", "latency"]


def test_latency_on_an_async_command_acts(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "latency", occurrence=1, seconds=0.2))
    started = time.monotonic()
    answer = _deploy(client, "slow").inner()
    assert time.monotonic() - started >= 0.2
    assert client.job(answer["jobid"])["jobstatus"] == 1
    assert sim.faults.fired == [Fired("deployVirtualMachine", 1, "latency", answer["jobid"])]


def test_drop_before_closes_without_acting(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "drop_before", occurrence=1))
    with pytest.raises(requests.ConnectionError):
        _deploy(client, "lost")
    assert client.vms() == [] and client.jobs() == []
    assert sim.faults.fired == [Fired("deployVirtualMachine", 1, "drop_before", None)]
    assert client.ok("listZones")["count"] == 2  # the server goes on serving


def test_drop_after_acts_then_loses_the_answer(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "drop_after", occurrence=1))
    with pytest.raises(requests.ConnectionError):
        _deploy(client, "lost")
    [fired] = sim.faults.fired
    assert fired[:3] == ("deployVirtualMachine", 1, "drop_after")
    assert isinstance(fired.jobid, str)
    [vm] = client.vms(name="lost")  # the VM exists: the command ran
    [job] = client.jobs()
    assert job["jobid"] == fired.jobid and job["jobinstanceid"] == vm["id"]
    done = client.job(fired.jobid)
    assert done["jobstatus"] == 1
    assert done["jobresult"]["virtualmachine"]["state"] == "Running"


def test_truncate_sends_half_the_body(sim: Simulator, client: Client) -> None:
    whole = client("listZones")
    sim.faults.add(Fault("listZones", "truncate", occurrence=1))
    cut = client("listZones")
    assert cut.status == 200 and cut.ctype == whole.ctype
    assert cut.content == whole.content[:len(whole.content) // 2]
    assert cut.length == str(len(cut.content))
    with pytest.raises(ValueError):
        cut.json()


def test_truncate_and_not_json_act(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "truncate", occurrence=1),
                   Fault("deployVirtualMachine", "not_json", occurrence=2))
    cut = _deploy(client, "cut")
    page = _deploy(client, "page")
    with pytest.raises(ValueError):
        cut.json()
    assert page.status == 200 and page.ctype.split(";")[0] == "text/html"
    assert page.content.lstrip().startswith(b"<!DOCTYPE html>")
    with pytest.raises(ValueError):
        page.json()
    assert sorted(vm["name"] for vm in client.vms()) == ["cut", "page"]
    fired = sim.faults.fired
    assert [(f.occurrence, f.kind) for f in fired] == [(1, "truncate"), (2, "not_json")]
    assert {f.jobid for f in fired} == {j["jobid"] for j in client.jobs()}


# -- jobs -----------------------------------------------------------------------------------------

def test_job_fail_leaves_no_running_vm(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "job_fail", occurrence=1))
    started = _deploy(client, "doomed").inner()
    assert sim.faults.fired == [Fired("deployVirtualMachine", 1, "job_fail", started["jobid"])]
    done = client.job(started["jobid"])
    assert done["jobstatus"] == 2 and done["jobresultcode"] == 530
    assert done["jobresult"]["errorcode"] == 530 and done["jobresult"]["errortext"]
    [vm] = client.vms(id=started["id"])
    assert vm["state"] == "Error" and "jobid" not in vm
    assert client.vms(state="Running") == []


def test_job_fail_on_a_stop_leaves_the_vm_running(sim: Simulator, client: Client) -> None:
    started = _deploy(client, "keep").inner()
    assert client.job(started["jobid"])["jobstatus"] == 1
    sim.faults.add(Fault("stopVirtualMachine", "job_fail", occurrence=1))
    stop = client.ok("stopVirtualMachine", id=started["id"])
    assert client.job(stop["jobid"])["jobstatus"] == 2
    assert client.vms(id=started["id"])[0]["state"] == "Running"


def test_job_cancel(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "job_cancel", occurrence=1))
    started = _deploy(client, "cancelled").inner()
    done = client.job(started["jobid"])
    assert done["jobstatus"] == 3 and done["jobresult"]["errorcode"] == 530
    assert client.vms(state="Running") == []


def test_job_hang_never_ends(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "job_hang", occurrence=1))
    hung = _deploy(client, "hung").inner()
    later = _deploy(client, "later").inner()
    assert client.job(later["jobid"])["jobstatus"] == 1  # a job started after it has ended
    pending = client.ok("queryAsyncJobResult", jobid=hung["jobid"])
    assert pending["jobstatus"] == 0 and "jobresult" not in pending
    [vm] = client.vms(id=hung["id"])
    assert vm["jobid"] == hung["jobid"] and vm["jobstatus"] == 0


def test_create_volume_first_three_jobs_fail(sim: Simulator, client: Client) -> None:
    sim.faults.add(parse_spec("createVolume:1-3:job_fail"))
    statuses = []
    for n in range(4):
        started = client.ok("createVolume", name=f"v{n}", diskofferingid=SMALL_DISK,
                            zoneid=BASIC_ZONE_ID)
        statuses.append(client.job(started["jobid"])["jobstatus"])
    assert statuses == [2, 2, 2, 1]
    assert [f.occurrence for f in sim.faults.fired] == [1, 2, 3]


def test_drop_after_with_job_fail_both_fire(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("deployVirtualMachine", "drop_after", occurrence=1),
                   Fault("deployVirtualMachine", "job_fail", occurrence=1))
    with pytest.raises(requests.ConnectionError):
        _deploy(client, "both")
    first, second = sim.faults.fired
    assert (first.kind, second.kind) == ("drop_after", "job_fail")
    assert first.jobid is not None and first.jobid == second.jobid
    assert client.job(first.jobid)["jobstatus"] == 2


# -- which requests are hit -----------------------------------------------------------------------

def _statuses(client: Client, command: str, n: int) -> list[int]:
    return [client(command).status for _ in range(n)]


def test_occurrence_counts_requests_of_its_command_only(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", occurrence=2, status=530))
    assert client("listZones").status == 200
    assert client("listTemplates", templatefilter="featured").status == 200  # not counted
    assert _statuses(client, "listZones", 2) == [530, 200]
    assert sim.faults.fired == [Fired("listZones", 2, "http", None)]
    assert sim.faults.seen("listZones") == 3


def test_every_request(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", status=503))
    assert _statuses(client, "listZones", 3) == [503, 503, 503]
    assert [f.occurrence for f in sim.faults.fired] == [1, 2, 3]


def test_times(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", occurrence=2, times=2, status=530),
                   Fault("listTemplates", "http", occurrence=3, times=None, status=534))
    assert _statuses(client, "listZones", 5) == [200, 530, 530, 200, 200]
    statuses = [client("listTemplates", templatefilter="featured").status for _ in range(5)]
    assert statuses == [200, 200, 534, 534, 534]


def test_counting_starts_when_a_fault_is_added(sim: Simulator, client: Client) -> None:
    assert _statuses(client, "listZones", 2) == [200, 200]
    sim.faults.add(Fault("listZones", "http", occurrence=1, status=530))
    assert _statuses(client, "listZones", 2) == [530, 200]
    assert sim.faults.fired == [Fired("listZones", 1, "http", None)]


def test_faults_given_at_construction() -> None:
    faults = [Fault("listZones", "http", occurrence=2, status=530)]
    with Simulator(api_key=KEY, secret_key=SECRET, faults=faults) as sim, \
            requests.Session() as session:
        assert _statuses(Client(sim, session), "listZones", 3) == [200, 530, 200]
        assert list(sim.faults) == faults


def test_clear(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", status=530))
    assert client("listZones").status == 530
    sim.faults.clear()
    assert len(sim.faults) == 0
    assert _statuses(client, "listZones", 2) == [200, 200]
    assert sim.faults.fired == [Fired("listZones", 1, "http", None)]  # the record stays


def test_a_refused_signature_is_not_counted(sim: Simulator, client: Client) -> None:
    sim.faults.add(Fault("listZones", "http", occurrence=1, status=530))
    with client.session.get(sim.url, params=signed("listZones", secret="WRONG"),
                            timeout=30) as response:
        assert response.status_code == 401
    assert sim.faults.seen("listZones") == 0 and sim.faults.fired == []
    assert client("listZones").status == 530


def test_the_first_added_of_two_refusals_wins_and_latency_adds(sim: Simulator,
                                                               client: Client) -> None:
    sim.faults.add(Fault("listZones", "latency", occurrence=1, seconds=0.1),
                   Fault("listZones", "http", occurrence=1, status=503),
                   Fault("listZones", "drop_before", occurrence=1),
                   Fault("listZones", "latency", occurrence=1, seconds=0.1))
    started = time.monotonic()
    assert client("listZones").status == 503
    assert time.monotonic() - started >= 0.2
    assert [f.kind for f in sim.faults.fired] == ["latency", "http", "latency"]


def test_concurrent_requests_are_counted_exactly(sim: Simulator) -> None:
    sim.faults.add(Fault("listZones", "http", occurrence=1, times=5, status=530))
    statuses: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        with requests.Session() as session:
            for _ in range(4):
                status = Client(sim, session)("listZones").status
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200] * 15 + [530] * 5
    assert sorted(f.occurrence for f in sim.faults.fired) == [1, 2, 3, 4, 5]
    assert sim.faults.seen("listZones") == 20


def test_drops_log_nothing_and_the_server_goes_on(sim: Simulator, client: Client,
                                                 caplog: pytest.LogCaptureFixture,
                                                 capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    sim.faults.add(Fault("listZones", "drop_before", occurrence=1),
                   Fault("listZones", "drop_after", occurrence=2))
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            client("listZones", post=False)
    assert client.ok("listZones")["count"] == 2
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and err == ""


# -- validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "kwargs", "field"), [
    (("deployVM", "drop_after"), {}, "command"),
    (("", "drop_after"), {}, "command"),
    (("listZones", "explode"), {}, "kind"),
    (("listZones", "drop_after"), {"occurrence": 0}, "occurrence"),
    (("listZones", "drop_after"), {"occurrence": True}, "occurrence"),
    (("listZones", "drop_after"), {"occurrence": "2"}, "occurrence"),
    (("listZones", "drop_after"), {"occurrence": 1, "times": 0}, "times"),
    (("listZones", "drop_after"), {"times": 3}, "times"),
    (("listZones", "http"), {}, "status"),
    (("listZones", "http"), {"status": 404}, "status"),
    (("listZones", "latency"), {"seconds": 1, "status": 429}, "status"),
    (("listZones", "http"), {"status": 530, "retry_after_ms": 5}, "retry_after_ms"),
    (("listZones", "http"), {"status": 429, "retry_after_ms": -1}, "retry_after_ms"),
    (("listZones", "drop_after"), {"retry_after_ms": 5}, "retry_after_ms"),
    (("listZones", "latency"), {}, "seconds"),
    (("listZones", "latency"), {"seconds": -0.1}, "seconds"),
    (("listZones", "latency"), {"seconds": float("nan")}, "seconds"),
    (("listZones", "drop_after"), {"seconds": 1}, "seconds"),
    (("listZones", "job_fail"), {}, "kind"),
])
def test_bad_faults_name_the_field(args: tuple[str, str], kwargs: dict[str, Any],
                                   field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        Fault(*args, **kwargs)


def test_faults_add_takes_only_faults(sim: Simulator) -> None:
    with pytest.raises(TypeError):
        sim.faults.add("listZones:1:drop_after")  # type: ignore[arg-type]


# -- the command line -----------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "fault"), [
    ("deployVirtualMachine:2:drop_after", Fault("deployVirtualMachine", "drop_after",
                                                occurrence=2)),
    ("listZones:*:latency=0.5", Fault("listZones", "latency", seconds=0.5)),
    ("deployVirtualMachine:1:http=429,retry_after_ms=2000",
     Fault("deployVirtualMachine", "http", occurrence=1, status=429, retry_after_ms=2000)),
    ("createVolume:1-3:job_fail", Fault("createVolume", "job_fail", occurrence=1, times=3)),
    ("listZones:4-:http=503", Fault("listZones", "http", occurrence=4, times=None, status=503)),
    ("listZones:2:http,status=530", Fault("listZones", "http", occurrence=2, status=530)),
    ("listZones:1:latency,seconds=2", Fault("listZones", "latency", occurrence=1, seconds=2.0)),
    ("deployVirtualMachine:3:job_hang", Fault("deployVirtualMachine", "job_hang",
                                              occurrence=3)),
])
def test_fault_specs(spec: str, fault: Fault) -> None:
    assert parse_spec(spec) == fault
    assert build_parser().parse_args(["--fault", spec, "--fault", spec]).faults == [fault, fault]


def test_every_kind_has_a_spec() -> None:
    specs = {"http": "deployVirtualMachine:1:http=401", "latency": "listZones:1:latency=0"}
    for kind in KINDS:
        assert parse_spec(specs.get(kind, f"deployVirtualMachine:1:{kind}")).kind == kind


@pytest.mark.parametrize(("spec", "field"), [
    ("deployVirtualMachine", None), ("deployVirtualMachine:2", None),
    ("deployVirtualMachine:2:drop_after:x", None), ("::drop_after", None),
    ("nope:1:drop_after", "command"), ("listZones:1:boom", "kind"),
    ("listZones:0:drop_after", "occurrence"), ("listZones:x:drop_after", "occurrence"),
    ("listZones:3-1:drop_after", "occurrence"), ("listZones:-2:drop_after", "occurrence"),
    ("listZones:1:http", "status"), ("listZones:1:http=abc", "status"),
    ("listZones:1:http=418", "status"), ("listZones:1:latency=soon", "seconds"),
    ("listZones:1:latency=-1", "seconds"), ("listZones:1:drop_after=3", "kind"),
    ("listZones:1:http=429,retry_after_ms=1.5", "retry_after_ms"),
    ("listZones:1:http=429,wait=1", "option"), ("listZones:1:http=429,status=503", "status"),
    ("listZones:1:job_cancel", "kind"),
])
def test_bad_specs(spec: str, field: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match=f"^{field}: " if field else "COMMAND:OCCURRENCE:KIND"):
        parse_spec(spec)
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["--fault", spec])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(
        "python -m cloudstack_driver.simulator: error: argument --fault: ")
    assert "Traceback" not in err


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cloudstack_driver.simulator", "--port", "0",
                             "--api-key", KEY, "--secret-key", SECRET, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def test_command_line_refuses_a_bad_fault_in_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "cloudstack_driver.simulator", "--fault",
                           "listZones:1:http=418"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "argument --fault: status: 418" in errors[0]


def test_command_line_injects_faults_and_stays_quiet() -> None:
    proc = _serve("--fault", "listZones:1:drop_before", "--fault", "listZones:2:http=503")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" at ")[1].strip()
        params = {"command": "listZones", "response": "json", "apiKey": KEY}
        params["signature"] = sign(params, SECRET)
        with requests.Session() as session:
            with pytest.raises(requests.ConnectionError):
                session.get(url, params=params, timeout=30)
            with session.get(url, params=params, timeout=30) as response:
                assert response.status_code == 503
            with session.get(url, params=params, timeout=30) as response:
                assert response.json()["listzonesresponse"]["count"] == 2
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert err.strip() == "stopping", err
