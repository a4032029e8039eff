"""Wire review: awkward values signed and sent alike by GET and POST, parameters that collide,
which failures are repeated for which commands, and where the secret and the signature must
never show up (exceptions, their chains, log records)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
import requests_mock as rm
from _fakes import FakeTime
from test_connection import SECRET, URL, make, sent

from cloudstack_driver import errors
from cloudstack_driver.http.params import flatten
from cloudstack_driver.http.signing import sign

NASTY = {
    "name": "a~b [1] *c+d&e=f g",
    "displayname": "line1\nline2\r\nend",
    "description": "héllo 日本 🙂",
    "keyword": "",
    "tags": [{"key": "k~1", "value": "v[0]=*"}, {"key": "empty", "value": ""}],
    "details": {"cpuNumber": 2, "memory": "1024"},
    "networkids": ["n1", "n2"],
    "userdata": b"#!/bin/sh\necho \xff\x00\n",
}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_awkward_values_arrive_intact_and_signed_the_same_either_way(
    fake_time: FakeTime, requests_mock: rm.Mocker, method: str
) -> None:
    conn = make(fake_time)
    requests_mock.register_uri(method, URL, json={"updatevirtualmachineresponse": {}})
    conn.request("updateVirtualMachine", method=method, id="vm1", **NASTY)
    [request] = requests_mock.request_history
    params = sent(request)
    assert {k: v for k, v in params.items()
            if k not in ("command", "apiKey", "response", "signature", "signatureVersion",
                         "expires")} == {"id": "vm1", **flatten(NASTY)}
    assert params["keyword"] == ""
    assert params["userdata"] == "IyEvYmluL3NoCmVjaG8g/wAK"
    assert params["signature"] == sign(params, SECRET)
    assert params["expires"] == "2026-01-01T12:10:00+0000"


def test_get_and_post_of_the_same_call_carry_the_same_signature(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time)
    requests_mock.get(URL, json={"listvirtualmachinesresponse": {}})
    requests_mock.post(URL, json={"listvirtualmachinesresponse": {}})
    conn.request("listVirtualMachines", method="GET", keyword="x~y z")
    conn.request("listVirtualMachines", method="POST", keyword="x~y z")
    first, second = (sent(r) for r in requests_mock.request_history)
    assert first == second


def test_a_name_given_twice_is_refused_not_overwritten(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time)
    with pytest.raises(ValueError, match=r"'tags\[0\]\.key'"):
        conn.request("createTags", tags=[{"key": "a", "value": "1"}],
                     **{"tags[0].key": "b"})
    with pytest.raises(ValueError, match=r"'details\[0\]\.x'"):
        flatten({"details[0].x": "1", "details": {"x": "2"}})
    assert requests_mock.call_count == 0


def test_text_that_has_no_utf8_form_is_refused_naming_the_parameter(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time)
    with pytest.raises(ValueError, match="'displayname'"):
        conn.request("updateVirtualMachine", id="vm1", displayname="bad \ud800 half")
    with pytest.raises(ValueError, match=r"'tags\[0\]\.value'"):
        flatten({"tags": [{"key": "k", "value": "\udfff"}]})
    assert requests_mock.call_count == 0


# -- which failures are repeated --------------------------------------------------------------

FAILURES: list[tuple[str, dict[str, Any], type[errors.LibcloudError]]] = [
    ("read timeout", {"exc": requests.exceptions.ReadTimeout("read timed out")},
     errors.CloudStackConnectionError),
    ("reset", {"exc": requests.exceptions.ConnectionError("reset by peer")},
     errors.CloudStackConnectionError),
    ("proxy 502", {"status_code": 502, "text": "<html><h1>502 Bad Gateway</h1></html>"},
     errors.CloudStackError),
    ("proxy 503 empty", {"status_code": 503, "text": ""}, errors.CloudStackError),
    ("530", {"status_code": 530, "json": {"x": {"errorcode": 530, "errortext": "boom"}}},
     errors.ServerError),
    ("534", {"status_code": 534, "json": {"x": {"errorcode": 534, "errortext": "shutdown"}}},
     errors.ResourceUnavailableError),
]


def _envelope_for(command: str, spec: dict[str, Any]) -> dict[str, Any]:
    spec = dict(spec)
    if "json" in spec:
        spec["json"] = {f"{command.lower()}response": spec["json"]["x"]}
    return spec


#: What a deploy raises for each failure: a lost answer becomes an OutcomeUnknownError.
LOST = ("read timeout", "reset", "proxy 502", "proxy 503 empty")
DEPLOY_FAILURES = [(label, spec, errors.OutcomeUnknownError if label in LOST else cls)
                   for label, spec, cls in FAILURES]


@pytest.mark.parametrize(("label", "spec", "cls"), DEPLOY_FAILURES,
                         ids=[f[0] for f in DEPLOY_FAILURES])
def test_deploy_is_sent_once_whatever_goes_wrong(
    fake_time: FakeTime, requests_mock: rm.Mocker, label: str, spec: dict[str, Any],
    cls: type[errors.LibcloudError],
) -> None:
    """Never resent; when the answer may be lost (no CloudStack error code), the server's
    jobs are asked instead (none here: the outcome is unknown, the original error kept)."""
    conn = make(fake_time, max_retries=5)
    deploys = requests_mock.post(URL, **_envelope_for("deployVirtualMachine", spec))
    jobs = requests_mock.get(URL, json={"listasyncjobsresponse": {}})
    with pytest.raises(cls) as info:
        conn.request("deployVirtualMachine", zoneid="z", templateid="t",
                     serviceofferingid="s")
    assert deploys.call_count == 1
    assert fake_time.sleeps == []
    error = info.value
    if isinstance(error, errors.OutcomeUnknownError):
        assert jobs.call_count == 1
        assert (error.command, error.candidate_jobids) == ("deployVirtualMachine", [])
        assert error.params == {"zoneid": "z", "templateid": "t", "serviceofferingid": "s"}
        error = error.original  # type: ignore[assignment]
    else:
        assert jobs.call_count == 0
    if isinstance(error, errors.CloudStackError):
        assert error.http_status == spec["status_code"]
        assert error.command == "deployVirtualMachine"


@pytest.mark.parametrize(("label", "spec", "cls"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_listing_is_repeated_up_to_max_retries(
    fake_time: FakeTime, requests_mock: rm.Mocker, label: str, spec: dict[str, Any],
    cls: type[errors.LibcloudError],
) -> None:
    conn = make(fake_time, max_retries=2, retry_delay=1, backoff=3)
    requests_mock.get(URL, **_envelope_for("listVirtualMachines", spec))
    with pytest.raises(cls):
        conn.request("listVirtualMachines")
    assert requests_mock.call_count == 3
    assert fake_time.sleeps == [1, 3]


@pytest.mark.parametrize("command", ["getDiagnosticsData", "getUploadParamsForVolume"])
def test_reads_by_name_that_change_state_are_not_repeated(
    fake_time: FakeTime, requests_mock: rm.Mocker, command: str
) -> None:
    conn = make(fake_time, max_retries=3)
    requests_mock.post(URL, status_code=530, json={f"{command.lower()}response": {
        "errorcode": 530, "errortext": "boom"}})
    with pytest.raises(errors.ServerError):
        conn.request(command, wait=False, id="x")
    assert requests_mock.call_count == 1


# -- the secret and the signature stay hidden -------------------------------------------------


def test_a_rebuilt_error_keeps_no_link_to_the_echoing_original(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    """A proxy page echoing the URL is rebuilt without the signature; the first exception,
    which still held it, must not hang on as ``__context__``."""
    conn = make(fake_time)

    def echo(request: Any, context: Any) -> str:
        context.status_code = 400
        query = urlsplit(request.url).query
        return f"<html>Bad request: ?{query[query.index('signature='):]}</html>"

    requests_mock.get(URL, text=echo)
    with pytest.raises(errors.CloudStackError) as info:
        conn.request("listZones", keyword="k")
    signature = sent(requests_mock.request_history[0])["signature"]
    chain: list[BaseException] = []
    exc: BaseException | None = info.value
    while exc is not None and len(chain) < 10:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert info.value.http_status == 400
    assert "Bad request: ?signature=[redacted]" in str(info.value)
    for each in chain:
        for text in (str(each), repr(each), repr(each.args), repr(vars(each))):
            assert signature not in text and quote(signature, safe="") not in text
            assert SECRET not in text


def test_log_records_never_hold_the_secret_or_signature(
    fake_time: FakeTime, requests_mock: rm.Mocker, caplog: pytest.LogCaptureFixture
) -> None:
    conn = make(fake_time, max_retries=1)
    requests_mock.get(URL, [
        {"exc": requests.exceptions.ConnectTimeout("timed out")},
        {"status_code": 530, "json": {"listzonesresponse": {"errorcode": 530}}},
    ])
    with caplog.at_level(logging.DEBUG), pytest.raises(errors.ServerError):
        conn.request("listZones")
    signatures = [sent(r)["signature"] for r in requests_mock.request_history]
    ours = [r for r in caplog.records if r.name.startswith("cloudstack_driver")]
    assert ours, "the retry should have been logged"
    for record in ours:
        text = record.getMessage()
        assert SECRET not in text
        for signature in signatures:
            assert signature not in text and quote(signature, safe="") not in text


def test_a_proxy_refusing_a_long_get_with_414_gets_the_same_call_by_post(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    """414 means the request never reached CloudStack: sending it again as a form POST is
    safe, and is what the server accepts for long parameters."""
    conn = make(fake_time, max_retries=0)
    requests_mock.get(URL, status_code=414, text="<html><h1>414 Request-URI Too Large</h1>")
    requests_mock.post(URL, json={"listvirtualmachinesresponse": {}})
    assert conn.request("listVirtualMachines", keyword="k" * 1500) == {}
    get, post = requests_mock.request_history
    assert (get.method, post.method) == ("GET", "POST")
    assert sent(post)["keyword"] == "k" * 1500
    assert sent(post)["signature"] == sign(sent(post), SECRET)
    assert fake_time.sleeps == []


def test_a_forced_get_refused_with_414_is_not_switched(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time, max_retries=0)
    requests_mock.get(URL, status_code=414, text="too long")
    with pytest.raises(errors.CloudStackError) as info:
        conn.request("listVirtualMachines", method="GET")
    assert info.value.http_status == 414
    assert requests_mock.call_count == 1


def test_a_proxy_429_waits_as_its_retry_after_header_says(
    fake_time: FakeTime, requests_mock: rm.Mocker
) -> None:
    conn = make(fake_time, max_retries=2, retry_delay=1)
    requests_mock.post(URL, [
        {"status_code": 429, "text": "<html>slow down</html>", "headers": {"Retry-After": "7"}},
        {"json": {"deployvirtualmachineresponse": {"jobid": "j1", "id": "vm1"}}},
    ])
    assert conn.request("deployVirtualMachine", wait=False, zoneid="z") == {
        "jobid": "j1", "id": "vm1"}
    assert fake_time.sleeps == [7.0]
