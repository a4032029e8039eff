"""CloudStackConnection on the wire: exact parameters, methods, signing, retries, paging, jobs.

requests-mock pins what is sent; the sleeps and the clock are fakes, so nothing here waits.
"""

from __future__ import annotations

import base64
import socket
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
import requests_mock as rm
from _fakes import FakeTime

from cloudstack_driver import errors, security
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.http.signing import sign

URL = "http://127.0.0.1:8080/client/api"
KEY, SECRET = "the-api-key", "s3cr3t-never-shown"
NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
EXPIRES = "2026-01-01T12:10:00+0000"


@pytest.fixture
def conn(fake_time: FakeTime) -> CloudStackConnection:
    return make(fake_time)


def make(fake_time: FakeTime, **kwargs: Any) -> CloudStackConnection:
    """A connection on the fake clock; no jitter drawn unless ``rand`` is given."""
    kwargs.setdefault("rand", lambda: 0.0)
    return CloudStackConnection(KEY, SECRET, URL, clock=fake_time.clock, sleep=fake_time.sleep,
                                utcnow=lambda: NOW, **kwargs)


def sent(request: Any) -> dict[str, str]:
    """The parameters of a recorded request, from its query (GET) or form body (POST)."""
    if request.method == "GET":
        return dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
    body = request.body.decode("ascii") if isinstance(request.body, bytes) else request.body
    return dict(parse_qsl(body, keep_blank_values=True))


def independent_signature(params: dict[str, str], secret: str) -> str:
    """A second signer, written differently: quote() with Java's safe set. quote() never
    encodes '~' (it is unreserved for Python), but the server does, hence the replace."""
    import hashlib
    import hmac

    pairs = sorted((k, v) for k, v in params.items() if k != "signature")
    text = "&".join(f"{k}={quote(v, safe='*-._').replace('~', '%7E')}" for k, v in pairs)
    digest = hmac.new(secret.encode(), text.lower().encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def assert_signed(params: dict[str, str]) -> None:
    assert params["signature"] == sign(params, SECRET)
    assert params["signature"] == independent_signature(params, SECRET)


def envelope(command: str, inner: dict[str, Any]) -> dict[str, Any]:
    return {f"{command.lower()}response": inner}


# -- methods, parameters, signing -------------------------------------------------------------


def test_read_only_command_is_a_signed_get_with_exact_parameters(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, json=envelope("listZones", {"count": 1, "zone": [{"id": "z1"}]}))
    assert conn.request("listZones", available=True, keyword=None) == {
        "count": 1, "zone": [{"id": "z1"}]}
    [req] = requests_mock.request_history
    assert req.method == "GET"
    assert req.body is None
    params = sent(req)
    assert params == {
        "command": "listZones", "available": "true", "apiKey": KEY, "response": "json",
        "signatureVersion": "3", "expires": EXPIRES, "signature": params["signature"],
    }
    assert_signed(params)
    assert req.timeout == 60.0
    assert req.verify not in (False, None)  # True, or the bundle REQUESTS_CA_BUNDLE names


def test_state_changing_command_is_a_form_post(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(URL, json=envelope("updateVirtualMachine", {"virtualmachine": {"id": "v"}}))
    conn.request("updateVirtualMachine", id="v", displayname="x~y [1] & z+w")
    [req] = requests_mock.request_history
    assert req.method == "POST"
    assert urlsplit(req.url).query == ""
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"
    params = sent(req)
    assert params["displayname"] == "x~y [1] & z+w"
    assert params["command"] == "updateVirtualMachine"
    assert_signed(params)


def test_32kb_userdata_is_posted_form_encoded_and_signed(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(URL, json=envelope("deployVirtualMachine", {"jobid": "j1", "id": "vm1"}))
    userdata = bytes(range(256)) * 96  # 24 KiB of bytes -> 32 KiB of base64 with + / =
    answer = conn.request("deployVirtualMachine", wait=False, zoneid="z", templateid="t",
                          serviceofferingid="s", userdata=userdata)
    assert answer == {"jobid": "j1", "id": "vm1"}
    [req] = requests_mock.request_history
    assert req.method == "POST"
    params = sent(req)
    assert len(params["userdata"]) == 32768
    assert base64.b64decode(params["userdata"]) == userdata
    assert {"+", "/"} <= set(params["userdata"])
    assert_signed(params)


def test_long_read_only_query_goes_by_post(fake_time: FakeTime, requests_mock: rm.Mocker) -> None:
    conn = make(fake_time, post_threshold=300)
    requests_mock.post(URL, json=envelope("listVirtualMachines", {}))
    requests_mock.get(URL, json=envelope("listVirtualMachines", {}))
    conn.request("listVirtualMachines", ids=["x" * 40] * 10)
    conn.request("listVirtualMachines", id="short")
    assert [r.method for r in requests_mock.request_history] == ["POST", "GET"]
    assert_signed(sent(requests_mock.request_history[0]))


def test_method_can_be_forced(conn: CloudStackConnection, requests_mock: rm.Mocker) -> None:
    requests_mock.post(URL, json=envelope("listZones", {}))
    conn.request("listZones", method="post")
    assert requests_mock.request_history[0].method == "POST"
    with pytest.raises(ValueError, match="'method'"):
        conn.request("listZones", method="PUT")


def test_signature_version_2_sends_no_expiry(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time, signature_version=2)
    requests_mock.get(URL, json=envelope("listZones", {}))
    conn.request("listZones")
    params = sent(requests_mock.request_history[0])
    assert set(params) == {"command", "apiKey", "response", "signature"}
    assert_signed(params)


def test_expiry_is_capped_below_15_minutes(fake_time: FakeTime, requests_mock: rm.Mocker) -> None:
    conn = make(fake_time, expires_after=3600)
    requests_mock.get(URL, json=envelope("listZones", {}))
    conn.request("listZones")
    assert sent(requests_mock.request_history[0])["expires"] == "2026-01-01T12:14:00+0000"


def test_bad_params_fail_before_any_request(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    with pytest.raises(TypeError, match="'zoneid'"):
        conn.request("listZones", zoneid=object())
    with pytest.raises(ValueError, match="'apikey'"):
        conn.request("listZones", apikey="other")
    with pytest.raises(ValueError, match="'command'"):
        conn.request("list Zones")
    assert requests_mock.call_count == 0


# -- errors -----------------------------------------------------------------------------------

CODES = [(401, errors.InvalidCredsError), (429, errors.ThrottledError),
         (430, errors.MalformedParameterError), (431, errors.InvalidParameterError),
         (432, errors.UnsupportedCommandError), (530, errors.ServerError),
         (531, errors.PermissionDeniedError), (532, errors.ResourceLimitError),
         (533, errors.InsufficientCapacityError), (534, errors.ResourceUnavailableError),
         (535, errors.ResourceAllocationError), (536, errors.ResourceInUseError),
         (537, errors.NetworkRuleConflictError)]


@pytest.mark.parametrize(("code", "cls"), CODES)
def test_error_answers_raise_their_class_with_every_field(
    fake_time: FakeTime, requests_mock: rm.Mocker, code: int, cls: type[errors.CloudStackError]
) -> None:
    conn = make(fake_time, max_retries=0)
    body = envelope("updateVolume", {"uuidList": [], "errorcode": code, "cserrorcode": 4350,
                                     "errortext": f"failed with {code}"})
    requests_mock.post(URL, status_code=code, json=body)
    with pytest.raises(cls) as info:
        conn.request("updateVolume", id="vol-1")
    err = info.value
    assert type(err) is cls
    assert (err.command, err.http_status, err.errorcode, err.cserrorcode, err.errortext) == (
        "updateVolume", code, code, 4350, f"failed with {code}")
    signature = sent(requests_mock.request_history[0])["signature"]
    for text in (str(err), repr(err), str(err.args)):
        assert SECRET not in text and signature not in text


def test_401_is_never_retried(conn: CloudStackConnection, requests_mock: rm.Mocker,
                              fake_time: FakeTime) -> None:
    requests_mock.get(URL, status_code=401, json=envelope("listZones", {
        "errorcode": 401, "errortext": "unable to verify user credentials"}))
    with pytest.raises(errors.InvalidCredsError):
        conn.request("listZones")
    assert requests_mock.call_count == 1
    assert fake_time.sleeps == []


def test_echoed_signature_is_removed_from_error_pages(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    def echo(request: Any, context: Any) -> str:
        context.status_code = 404
        return f"<html>Not found: {request.url}</html>"

    requests_mock.get(URL, text=echo)
    with pytest.raises(errors.CloudStackError) as info:
        conn.request("updateVolume", id="v", method="GET")
    signature = sent(requests_mock.request_history[0])["signature"]
    assert info.value.http_status == 404
    assert "Not found: http://127.0.0.1:8080/client/api?command=updateVolume" in str(info.value)
    assert "[redacted]" in str(info.value)
    assert signature not in str(info.value)
    assert quote(signature, safe="") not in str(info.value)


def test_async_answer_without_jobid_is_malformed(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(URL, json=envelope("startVirtualMachine", {"id": "vm1"}))
    with pytest.raises(errors.MalformedResponseError, match="jobid"):
        conn.request("startVirtualMachine", id="vm1")


# -- retries ----------------------------------------------------------------------------------


def test_list_is_retried_on_530_then_succeeds(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.get(URL, [
        {"status_code": 530, "json": envelope("listZones", {"errorcode": 530, "errortext": "x"})},
        {"json": envelope("listZones", {"count": 1, "zone": [{"id": "z"}]})},
    ])
    assert conn.request("listZones") == {"count": 1, "zone": [{"id": "z"}]}
    assert requests_mock.call_count == 2
    assert fake_time.sleeps == [1.0]
    first, second = (sent(r) for r in requests_mock.request_history)
    assert first["command"] == second["command"] == "listZones"
    assert_signed(second)


def test_list_is_retried_after_timeouts_with_backoff(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.get(URL, [
        {"exc": requests.exceptions.ConnectTimeout},
        {"exc": requests.exceptions.ReadTimeout},
        {"json": envelope("listZones", {})},
    ])
    assert conn.request("listZones") == {}
    assert fake_time.sleeps == [1.0, 2.0]


def test_retries_stop_at_max_retries(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time, max_retries=2, retry_delay=0.5, backoff=3)
    requests_mock.get(URL, status_code=534, json=envelope("listZones", {
        "errorcode": 534, "errortext": "shutting down"}))
    with pytest.raises(errors.ResourceUnavailableError):
        conn.request("listZones")
    assert requests_mock.call_count == 3
    assert fake_time.sleeps == [0.5, 1.5]


def test_deploy_is_not_retried_on_530(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(URL, status_code=530, json=envelope("deployVirtualMachine", {
        "errorcode": 530, "errortext": "internal"}))
    with pytest.raises(errors.ServerError) as info:
        conn.request("deployVirtualMachine", zoneid="z")
    assert info.value.command == "deployVirtualMachine"
    assert requests_mock.call_count == 1
    assert fake_time.sleeps == []


def test_deploy_is_not_retried_on_connection_timeout(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    deploys = requests_mock.post(URL, exc=requests.exceptions.ReadTimeout("read timed out"))
    requests_mock.get(URL, json={"listasyncjobsresponse": {}})
    with pytest.raises(errors.OutcomeUnknownError) as info:
        conn.request("deployVirtualMachine", zoneid="z")
    assert info.value.command == "deployVirtualMachine"
    assert isinstance(info.value.original, requests.exceptions.ReadTimeout)
    assert deploys.call_count == 1
    assert fake_time.sleeps == []


def test_429_is_retried_for_any_command_after_the_named_wait(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    throttled = envelope("deployVirtualMachine", {
        "errorcode": 429, "errortext": "The given command:deployVirtualMachine has reached its "
        "API limit, please retry after [1500] ms."})
    requests_mock.post(URL, [
        {"status_code": 429, "json": throttled},
        {"json": envelope("deployVirtualMachine", {"jobid": "j1", "id": "vm1"})},
    ])
    assert conn.request("deployVirtualMachine", wait=False, zoneid="z") == {
        "jobid": "j1", "id": "vm1"}
    assert requests_mock.call_count == 2
    assert fake_time.sleeps == [1.5]


def test_429_asking_for_a_longer_wait_than_max_throttle_wait_raises_at_once(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    throttled = envelope("listZones", {
        "errorcode": 429, "errortext": "API limit reached, please RETRY AFTER [120000] ms."})
    requests_mock.get(URL, status_code=429, json=throttled)
    with pytest.raises(errors.ThrottledError) as info:
        conn.request("listZones")
    assert info.value.retry_after == 120.0
    assert requests_mock.call_count == 1
    assert fake_time.sleeps == []
    conn.max_throttle_wait = 600
    conn.deadline = 1000  # the wait must also fit in the call's deadline (2 x timeout)
    requests_mock.get(URL, [{"status_code": 429, "json": throttled},
                            {"json": envelope("listZones", {})}])
    assert conn.request("listZones") == {}
    assert fake_time.sleeps == [120.0]


def test_connection_error_never_shows_secret_or_signature(fake_time: FakeTime) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/client/api"
    conn = CloudStackConnection(KEY, SECRET, url, clock=fake_time.clock, sleep=fake_time.sleep,
                                utcnow=lambda: NOW, max_retries=1, rand=lambda: 0.0)
    with pytest.raises(errors.CloudStackConnectionError) as info:
        conn.request("listZones")
    signature = sign({"command": "listZones", "apiKey": KEY, "response": "json",
                      "signatureVersion": "3", "expires": EXPIRES}, SECRET)
    err = info.value
    assert err.command == "listZones"
    assert isinstance(err.original, requests.ConnectionError)
    assert fake_time.sleeps == [1.0]
    chain: list[BaseException] = [err, err.original]
    texts = []
    for exc in chain:
        texts += [str(exc), repr(exc), str(exc.args)]
        texts += [str(getattr(getattr(exc, "request", None), "url", ""))]
    texts.append(str(getattr(err.original.args[0], "url", "")))
    for text in texts:
        assert SECRET not in text
        assert signature not in text
        assert quote(signature, safe="") not in text
    assert "[redacted]" in str(err)


# -- paging -----------------------------------------------------------------------------------


def test_list_pages_1200_rows_in_three_requests(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    def page(request: Any, context: Any) -> dict[str, Any]:
        number, size = int(sent(request)["page"]), int(sent(request)["pagesize"])
        rows = [{"id": f"vm{i}"} for i in range((number - 1) * size, min(number * size, 1200))]
        return envelope("listVirtualMachines", {"count": 1200, "virtualmachine": rows})

    requests_mock.get(URL, json=page)
    rows = conn.list("listVirtualMachines", listall=True)
    assert [r["id"] for r in rows] == [f"vm{i}" for i in range(1200)]
    pages = [sent(r) for r in requests_mock.request_history]
    assert [(p["page"], p["pagesize"], p["listall"]) for p in pages] == [
        ("1", "500", "true"), ("2", "500", "true"), ("3", "500", "true")]
    for params in pages:
        assert_signed(params)


@pytest.mark.parametrize("inner", [{}, {"count": 0}, {"count": 12}])
def test_empty_and_count_only_pages_give_no_rows(
    conn: CloudStackConnection, requests_mock: rm.Mocker, inner: dict[str, Any]
) -> None:
    requests_mock.get(URL, json=envelope("listSnapshots", inner))
    assert conn.list("listSnapshots") == []
    assert requests_mock.call_count == 1


def test_a_count_only_page_ends_the_listing(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, [
        {"json": envelope("listVolumes", {"count": 900, "volume": [{"id": i} for i in range(500)]})},
        {"json": envelope("listVolumes", {"count": 900})},
    ])
    assert len(conn.list("listVolumes")) == 500
    assert requests_mock.call_count == 2


def test_caller_page_fetches_that_page_only(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, json=envelope("listZones", {"count": 90, "zone": [{"id": "z"}]}))
    assert conn.list("listZones", page=3, pagesize=1) == [{"id": "z"}]
    assert requests_mock.call_count == 1
    params = sent(requests_mock.request_history[0])
    assert (params["page"], params["pagesize"]) == ("3", "1")


def test_unpaged_list_commands_get_no_paging(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(URL, json=envelope("listHypervisors", {"count": 1, "hypervisor": [{}]}))
    assert conn.list("listHypervisors") == [{}]
    assert "page" not in sent(requests_mock.request_history[0])


# -- jobs -------------------------------------------------------------------------------------


def job_answer(jobid: str, status: int, result: dict[str, Any] | None = None) -> dict[str, Any]:
    job: dict[str, Any] = {"jobid": jobid, "jobstatus": status}
    if result is not None:
        job["jobresult"] = result
    return envelope("queryAsyncJobResult", job)


def register_deploy(requests_mock: rm.Mocker) -> None:
    requests_mock.post(URL, json=envelope("deployVirtualMachine", {"jobid": "j1", "id": "vm1"}))


def test_job_polls_start_soon_and_back_off_to_the_cap(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    register_deploy(requests_mock)
    running = {"json": job_answer("j1", 0)}
    requests_mock.get(URL, [running] * 9 + [{"json": job_answer("j1", 1, {"success": True})}])
    conn.poll_first, conn.poll_backoff, conn.poll_interval = 0.1, 2.0, 1.0
    assert conn.request("deployVirtualMachine", zoneid="z") == {"success": True}
    assert fake_time.sleeps == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="'poll_backoff' must be >= 1"):
        CloudStackConnection(KEY, SECRET, URL, poll_backoff=0.5)


def test_async_command_waits_for_its_job(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    register_deploy(requests_mock)
    requests_mock.get(URL, [
        {"json": job_answer("j1", 0)},
        {"json": job_answer("j1", 1, {"virtualmachine": {"id": "vm1", "state": "Running"}})},
    ])
    conn.poll_interval = 0.25
    assert conn.request("deployVirtualMachine", zoneid="z") == {
        "virtualmachine": {"id": "vm1", "state": "Running"}}
    methods = [(r.method, sent(r)["command"]) for r in requests_mock.request_history]
    assert methods == [("POST", "deployVirtualMachine"), ("GET", "queryAsyncJobResult"),
                       ("GET", "queryAsyncJobResult")]
    assert sent(requests_mock.request_history[1])["jobid"] == "j1"
    assert fake_time.sleeps == [0.05]  # the first poll comes soon (poll_first)


def test_failed_job_with_530_is_async_job_error_and_server_error(
    conn: CloudStackConnection, requests_mock: rm.Mocker
) -> None:
    register_deploy(requests_mock)
    requests_mock.get(URL, json=job_answer("j1", 2, {"errorcode": 530, "errortext": "no host"}))
    with pytest.raises(errors.AsyncJobError) as info:
        conn.request("deployVirtualMachine", zoneid="z")
    err = info.value
    assert isinstance(err, errors.ServerError)
    assert (err.jobid, err.errorcode, err.errortext, err.command) == (
        "j1", 530, "no host", "deployVirtualMachine")


def test_cancelled_job(conn: CloudStackConnection, requests_mock: rm.Mocker) -> None:
    register_deploy(requests_mock)
    requests_mock.get(URL, json=job_answer("j1", 3, {"errortext": "cancelled"}))
    with pytest.raises(errors.AsyncJobCancelledError) as info:
        conn.request("deployVirtualMachine", zoneid="z")
    assert info.value.jobid == "j1"


def test_job_timeout_names_the_job(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    register_deploy(requests_mock)
    requests_mock.get(URL, json=job_answer("j1", 0))
    conn.job_timeout = 3
    with pytest.raises(errors.AsyncJobTimeoutError) as info:
        conn.request("deployVirtualMachine", zoneid="z")
    assert info.value.jobid == "j1"
    assert info.value.timeout == 3
    assert info.value.command == "deployVirtualMachine"
    assert info.value.entity_id == "vm1"  # what the create answered at once: to clean up
    assert "it is making vm1" in str(info.value)
    assert fake_time.now == 3
    with pytest.raises(errors.AsyncJobTimeoutError):
        conn.request("deployVirtualMachine", zoneid="z", job_timeout=1)
    assert fake_time.now == 4


def test_wait_for_100_jobs_costs_one_listing_per_round(
    conn: CloudStackConnection, requests_mock: rm.Mocker, fake_time: FakeTime
) -> None:
    ids = [f"job-{i}" for i in range(100)]

    def listing(request: Any, context: Any) -> dict[str, Any]:
        finished = requests_mock.call_count >= 2
        rows = [{"jobid": j, "jobstatus": 1 if finished else 0,
                 "jobresult": {"success": True}} for j in ids]
        return envelope("listAsyncJobs", {"count": 100, "asyncjobs": rows})

    requests_mock.get(URL, json=listing)
    outcome = conn.wait_for_jobs(ids)
    assert outcome == {j: {"success": True} for j in ids}
    commands = [sent(r)["command"] for r in requests_mock.request_history]
    assert commands == ["listAsyncJobs", "listAsyncJobs"]
    assert fake_time.sleeps == [0.05]
    with pytest.raises(TypeError, match="'jobids'"):
        conn.wait_for_jobs("job-1")


# -- construction and knobs -------------------------------------------------------------------


def test_endpoint_properties() -> None:
    conn = CloudStackConnection(KEY, SECRET, "https://cloud.example.com/client/api")
    assert (conn.host, conn.port, conn.secure, conn.path) == (
        "cloud.example.com", 443, True, "/client/api")
    plain = CloudStackConnection(KEY, SECRET, URL)
    assert (plain.host, plain.port, plain.secure, plain.path) == (
        "127.0.0.1", 8080, False, "/client/api")
    assert SECRET not in repr(plain)


def test_knobs_are_writable_and_used(
    conn: CloudStackConnection, requests_mock: rm.Mocker, tmp_path: Any
) -> None:
    bundle = tmp_path / "my-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    conn.timeout = 7
    conn.verify = str(bundle)
    requests_mock.get(URL, json=envelope("listZones", {}))
    conn.request("listZones")
    req = requests_mock.request_history[0]
    assert (req.timeout, req.verify) == (7, str(bundle))
    with pytest.raises(ValueError, match="'timeout'"):
        conn.timeout = 0
    with pytest.raises(TypeError, match="'poll_interval'"):
        conn.poll_interval = "1"  # type: ignore[assignment]


def test_verify_defaults_to_the_security_knobs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert CloudStackConnection(KEY, SECRET, URL).verify is True
    monkeypatch.setattr(security, "CA_CERTS_PATH", str(bundle))
    assert CloudStackConnection(KEY, SECRET, URL).verify == str(bundle)
    monkeypatch.setattr(security, "VERIFY_SSL_CERT", False)
    assert CloudStackConnection(KEY, SECRET, URL).verify is False
    assert CloudStackConnection(KEY, SECRET, URL, verify=True).verify is True


def test_proxy_url_goes_to_the_session(requests_mock: rm.Mocker) -> None:
    conn = CloudStackConnection(KEY, SECRET, URL, proxy_url="http://proxy:3128")
    assert conn.session.proxies == {"http": "http://proxy:3128", "https": "http://proxy:3128"}


def test_one_session_is_reused(conn: CloudStackConnection, requests_mock: rm.Mocker) -> None:
    requests_mock.get(URL, json=envelope("listZones", {}))
    session = conn.session
    conn.request("listZones")
    conn.request("listZones")
    assert conn.session is session
    assert isinstance(session, requests.Session)


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"url": "ftp://x/y"}, ValueError, "'url'"),
        ({"url": "http:///client/api"}, ValueError, "'url'"),
        ({"url": "http://h/api?x=1"}, ValueError, "'url'"),
        ({"secret": ""}, TypeError, "'secret'"),
        ({"key": None}, TypeError, "'key'"),
        ({"signature_version": 4}, ValueError, "'signature_version'"),
        ({"timeout": -1}, ValueError, "'timeout'"),
        ({"max_retries": 1.5}, TypeError, "'max_retries'"),
        ({"page_size": 0}, ValueError, "'page_size'"),
        ({"verify": 3}, TypeError, "'verify'"),
        ({"proxy_url": "proxy"}, ValueError, "'proxy_url'"),
    ],
)
def test_bad_constructor_arguments(kwargs: dict[str, Any], error: type[Exception],
                                   named: str) -> None:
    args: dict[str, Any] = {"key": KEY, "secret": SECRET, "url": URL, **kwargs}
    with pytest.raises(error, match=named):
        CloudStackConnection(args.pop("key"), args.pop("secret"), args.pop("url"), **args)



def test_short_secret_does_not_corrupt_answers() -> None:
    """The secret is scrubbed from errors only: a one-letter secret must not alter answers."""
    import requests_mock as rm

    from cloudstack_driver.http.connection import CloudStackConnection

    conn = CloudStackConnection("KEY", "s", "http://cs.test/client/api", max_retries=0)
    with rm.Mocker() as m:
        m.get("http://cs.test/client/api",
              json={"listzonesresponse": {"count": 1, "zone": [{"id": "z", "name": "sss"}]}})
        assert conn.list("listZones") == [{"id": "z", "name": "sss"}]
