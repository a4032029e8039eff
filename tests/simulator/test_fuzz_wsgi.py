"""Bad input never breaks the simulator (issue 3, "Bad input").

Hypothesis drives the WSGI application directly (``werkzeug.test.Client``, no server): raw
query strings and bodies, invalid UTF-8, bad escapes, oversized values, odd ``response``
values, wrong or missing signatures, and correctly signed calls of every registered command
with arbitrary values for the spec's parameters. Every answer must be a CloudStack envelope
whose HTTP status is its ``errorcode``, never a 500 and never the catch-all 530 for a
simulator bug; and a call that fails must leave the cloud exactly as it was.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sim_helpers import KEY, SECRET, sign
from werkzeug.test import Client, EnvironBuilder

from cloudstack_driver.simulator import handlers, spec  # noqa: F401  (registers commands)
from cloudstack_driver.simulator.app import SimulatorApp
from cloudstack_driver.simulator.registry import COMMANDS
from cloudstack_driver.simulator.seed import seed
from cloudstack_driver.simulator.state import Cloud

ERROR_CODES = {401, 430, 431, 432, 530, 531, 532, 533, 534, 535, 536, 537}
COMMAND_NAMES = sorted(COMMANDS)


class _Bugs(logging.Handler):
    """Collects the app's "simulator handler failed" records (a caught handler crash)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """One seeded cloud whose jobs never finish on their own (so state only changes by calls)."""

    def __init__(self) -> None:
        self.cloud = Cloud(api_key=KEY, secret_key=SECRET, job_duration=10_000)
        seed(self.cloud)
        self.client = Client(SimulatorApp(self.cloud))
        self.bugs = _Bugs()

    def ids(self) -> list[str]:
        return [rid for table in self.cloud.tables.values() for rid in table][:200]

    def snapshot(self) -> dict[str, Any]:
        return {kind: copy.deepcopy(table) for kind, table in self.cloud.tables.items() if table}

    def send(self, query: bytes = b"", body: bytes | None = None,
             content_type: str = "application/x-www-form-urlencoded") -> tuple[int, bytes]:
        method = "GET" if body is None else "POST"
        builder = EnvironBuilder(path="/client/api", method=method, data=body,
                                 content_type=content_type if body is not None else None)
        environ = builder.get_environ()
        environ["QUERY_STRING"] = query.decode("latin-1")  # raw bytes, as a server hands them
        before = self.snapshot()
        jobs_before = set(self.cloud.jobs.jobs)
        logger = logging.getLogger("cloudstack_driver.simulator.app")
        logger.addHandler(self.bugs)
        try:
            response = self.client.open(environ)
        finally:
            logger.removeHandler(self.bugs)
        data = response.get_data()
        assert self.bugs.records == [], [r.exc_text for r in self.bugs.records]
        if response.status_code != 200:
            assert self.snapshot() == before, "a failed call changed the cloud"
            assert set(self.cloud.jobs.jobs) == jobs_before, "a failed call started a job"
        return response.status_code, data


def check_envelope(status: int, data: bytes, *, as_json: bool = True) -> dict[str, Any]:
    assert status != 500
    assert status == 200 or status in ERROR_CODES, status
    if not as_json:
        assert data.startswith(b"<?xml")
        return {}
    answer = json.loads(data)
    assert isinstance(answer, dict) and len(answer) == 1, answer
    (envelope, inner), = answer.items()
    # the server names the envelope of a 401 for a request without a command "null"
    assert envelope.endswith("response") or (envelope, status) == ("null", 401)
    assert isinstance(inner, dict)
    if status != 200:
        assert inner["errorcode"] == status
        # a 401 is written from the code alone: no cserrorcode
        assert isinstance(inner["cserrorcode"], int) if status != 401 else (
            "cserrorcode" not in inner)
        assert isinstance(inner["errortext"], str) and inner["errortext"]
        assert inner["uuidList"] == []
        assert "Traceback" not in inner["errortext"]
    return inner


def encode(params: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params).encode()


@pytest.fixture(scope="module")
def harness() -> Harness:
    return Harness()


FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

raw_bytes = st.binary(max_size=300)
weird_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "-1", "0", "1", "true", "false", "TRUE", "nan", "1e9", "9" * 30,
                     "%", "%zz", "a,b,,c", "[", "tags[0].key", "é日本", "\x00", "json", "xml"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(min_size=256, max_size=300),
    st.just("x" * 5000),
)


@FUZZ
@given(query=raw_bytes, body=st.one_of(st.none(), raw_bytes),
       content_type=st.sampled_from(["application/x-www-form-urlencoded", "text/plain",
                                     "multipart/form-data; boundary=x", ""]))
def test_raw_bytes_get_an_envelope(harness: Harness, query: bytes, body: bytes | None,
                                   content_type: str) -> None:
    status, data = harness.send(b"response=json&" + query, body, content_type)
    check_envelope(status, data)
    assert status != 200 or b"command=" in query + (body or b"")


@FUZZ
@given(prefix=raw_bytes, response=weird_text, command=st.sampled_from(COMMAND_NAMES))
def test_response_values_pick_json_or_xml(harness: Harness, prefix: bytes, response: str,
                                          command: str) -> None:
    query = prefix + b"&" + encode([("command", command), ("response", response)])
    status, data = harness.send(query)
    assert status != 500
    if data.startswith(b"<?xml"):
        return
    check_envelope(status, data)


@FUZZ
@given(command=st.one_of(st.sampled_from(COMMAND_NAMES), st.text(max_size=30)),
       signature=st.one_of(st.none(), st.text(max_size=40), st.just(sign({"a": "b"}))),
       key=st.sampled_from([KEY, "", "other", None]),
       extra=st.lists(st.tuples(st.text(min_size=1, max_size=10), weird_text), max_size=4))
def test_unsigned_or_badly_signed_calls_get_401(harness: Harness, command: str,
                                                 signature: str | None, key: str | None,
                                                 extra: list[tuple[str, str]]) -> None:
    params = [("command", command), ("response", "json"), *extra]
    if key is not None:
        params.append(("apiKey", key))
    if signature is not None:
        params.append(("signature", signature))
    status, data = harness.send(encode(params))
    if data.startswith(b"<?xml"):  # an extra "response" parameter asked for XML
        assert status in (401, 430), data[:200]
        return
    inner = check_envelope(status, data)
    assert status in (401, 430), inner


@FUZZ
@given(data=st.data(), post=st.booleans())
def test_signed_calls_with_arbitrary_values(harness: Harness, data: st.DataObject,
                                            post: bool) -> None:
    command = data.draw(st.sampled_from(COMMAND_NAMES), label="command")
    names = sorted(spec.param_names(command)) or ["id"]
    ids = harness.ids()  # the seed alone holds dozens; the fuzzing may add more
    assert ids
    # Draw an index of fixed range, so the shape of the draws never depends on how many
    # records the cloud holds by then (hypothesis replays choices against a changed cloud).
    some_id = st.integers(0, 199).map(lambda i: ids[i % len(ids)])
    value = st.one_of(weird_text, some_id)
    chosen = data.draw(st.dictionaries(st.sampled_from(names), value, max_size=6), label="params")
    params = {"command": command, "response": "json", "apiKey": KEY, **chosen}
    params["signature"] = sign(params)
    raw = encode(sorted(params.items()))
    status, body = harness.send(b"", raw) if post else harness.send(raw)
    inner = check_envelope(status, body)
    if status == 200 and COMMANDS[command].is_async:
        assert set(inner) <= {"jobid", "id"} and "jobid" in inner


def test_state_survives_the_fuzzing(harness: Harness) -> None:
    """After every other test here, the shared cloud still answers and keeps its seed."""
    params = {"command": "listZones", "response": "json", "apiKey": KEY}
    params["signature"] = sign(params)
    status, data = harness.send(encode(sorted(params.items())))
    zones = check_envelope(status, data)
    assert status == 200 and zones["count"] == 2


def _params_of(kind: str, *, since: bool | None = None) -> list[tuple[str, str]]:
    return sorted((command, name) for command in COMMANDS
                  for name, param in spec.param_specs(command).items()
                  if param.type == kind and (since is None or bool(param.since) is since)
                  and name not in ("userdata", "response"))


def _low(command: str) -> str:
    """The name the server's parameter errors give a command: its response name less
    "response" (``restorevm`` for restoreVirtualMachine)."""
    return COMMANDS[command].envelope.removesuffix("response")


def _signed_query(command: str, **params: str) -> bytes:
    full = {"command": command, "response": "json", "apiKey": KEY, **params}
    full["signature"] = sign(full)
    return encode(sorted(full.items()))


@FUZZ
@given(target=st.sampled_from(_params_of("string")), extra=st.integers(1, 50))
def test_strings_longer_than_the_spec_allows_get_431(harness: Harness, target: tuple[str, str],
                                                     extra: int) -> None:
    command, name = target
    limit = spec.param_specs(command)[name].length
    status, data = harness.send(_signed_query(command, **{name: "a" * (limit + extra)}))
    inner = check_envelope(status, data)
    assert status == 431
    assert inner["errortext"] in (
        f"Unable to execute API command {_low(command)} due to invalid value. Value greater "
        f"than max allowed length {limit} for param: {name}",
        # a required parameter may be reported missing first
        *(f"Unable to execute API command {_low(command)} due to missing parameter {r}"
          for r in spec.required_params(command)))


@FUZZ
@given(target=st.sampled_from(_params_of("integer") + _params_of("long")),
       value=st.one_of(st.text(min_size=1, max_size=12).filter(
           lambda v: not v.lstrip("+-").isascii() or not v.lstrip("+-").isdigit()),
           st.just(str(2 ** 63)), st.just("1.5"), st.just(" 7")))
def test_numbers_java_cannot_parse_get_431(harness: Harness, target: tuple[str, str],
                                           value: str) -> None:
    command, name = target
    status, data = harness.send(_signed_query(command, **{name: value}))
    inner = check_envelope(status, data)
    assert status == 431
    assert "missing parameter" in inner["errortext"] or inner["errortext"] in (
        f"Unable to execute API command {_low(command)} due to invalid value {value} for "
        f"parameter {name}",
        f"Received value containing illegal ASCII non-printable characters for parameter {name}")


@FUZZ
@given(target=st.sampled_from(_params_of("uuid", since=False)),
       value=st.text(alphabet="ghijklmnop-_ ", min_size=1, max_size=20).filter(str.strip))
def test_malformed_ids_get_the_servers_431(harness: Harness, target: tuple[str, str],
                                           value: str) -> None:
    command, name = target
    status, data = harness.send(_signed_query(command, **{name: value}))
    inner = check_envelope(status, data)
    assert status == 431
    assert "missing parameter" in inner["errortext"] or (
        f"Invalid parameter {name} value={value} due to incorrect long value format"
        in inner["errortext"])


def test_a_malformed_id_for_a_newer_parameter_is_ignored(harness: Harness) -> None:
    """The server drops a non-uuid value of a parameter added since 3.x (ParamProcessWorker)."""
    command, name = "listPublicIpAddresses", "networkid"
    assert spec.param_specs(command)[name].since
    plain = check_envelope(*harness.send(_signed_query(command)))
    status, data = harness.send(_signed_query(command, **{name: "not-an-id"}))
    assert status == 200 and check_envelope(status, data) == plain
