"""Shared fixtures: a driver bound to requests-mock, answering CloudStack commands by name.

::

    def test_x(mock_driver, cs_answer, cs_answer_async, cs_sent):
        driver, mocker = mock_driver
        cs_answer("listZones", {"count": 1, "zone": [{"id": "z1", "name": "Z"}]})
        cs_answer_async("deployVirtualMachine", {"virtualmachine": {"id": "vm1"}})
        ...
        assert cs_sent("deployVirtualMachine")[0]["zoneid"] == "z1"

``cs_answer(command, inner)`` answers ``{"<command>response": inner}`` (a list of inners is
answered in turn, the last one repeated); ``status`` sends an error status. ``cs_answer_async``
answers a job id and makes ``queryAsyncJobResult`` report success with ``jobresult``.
``cs_sent(command)`` lists the parameters (query and form body merged) of each call made.
An unanswered command fails the test with a 432 answer naming it. ``cs_mock`` alone (the
Mocker, no driver) serves tests that build their own driver for ``API_URL``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests_mock
from hypothesis import settings

from cloudstack_driver import CloudStackNodeDriver

# The suite never flakes: property tests draw the same examples on every run and every machine
# (HYPOTHESIS_PROFILE=explore draws new ones, for a bug hunt outside CI).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

API_URL = "http://cs.test/client/api"


def sent_params(request: Any) -> dict[str, str]:
    """The CloudStack parameters of one mocked request (query string and form body)."""
    params = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
    if request.body:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        params.update(parse_qsl(body, keep_blank_values=True))
    return params


class CommandRouter:
    """Answers mocked CloudStack requests by command name."""

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, Any]]] = {}
        self.jobs: dict[str, Any] = {}
        self.calls: list[dict[str, str]] = []
        self._jobids = itertools.count(1)

    def answer(self, command: str, inner: Any, status: int = 200) -> None:
        items = inner if isinstance(inner, list) else [inner]
        self.answers[command] = [(status, item) for item in items]

    def answer_async(self, command: str, jobresult: Any, jobid: str | None = None,
                     entity_id: str | None = None) -> str:
        jobid = jobid or f"job-{next(self._jobids)}"
        first: dict[str, Any] = {"jobid": jobid}
        if entity_id is not None:
            first["id"] = entity_id
        self.answer(command, first)
        self.jobs[jobid] = jobresult
        return jobid

    def sent(self, command: str) -> list[dict[str, str]]:
        return [c for c in self.calls if c.get("command") == command]

    def __call__(self, request: Any, context: Any) -> Any:
        params = sent_params(request)
        self.calls.append(params)
        command = params.get("command", "")
        key = f"{command.lower()}response"
        if command == "queryAsyncJobResult" and params.get("jobid") in self.jobs:
            jobid = params["jobid"]
            return {key: {"jobid": jobid, "jobstatus": 1, "jobresultcode": 0,
                          "jobresult": self.jobs[jobid]}}
        queue = self.answers.get(command)
        if not queue:
            context.status_code = 432
            return {key: {"errorcode": 432, "cserrorcode": 9999,
                          "errortext": f"test did not answer {command}"}}
        status, inner = queue.pop(0) if len(queue) > 1 else queue[0]
        context.status_code = status
        return {key: inner}


@pytest.fixture
def cs_router() -> CommandRouter:
    return CommandRouter()


@pytest.fixture
def cs_mock(cs_router: CommandRouter) -> Iterator[Any]:
    """The requests_mock.Mocker whose ``http://cs.test/client/api`` the router answers."""
    with requests_mock.Mocker() as mocker:
        mocker.register_uri(requests_mock.ANY, API_URL, json=cs_router)
        yield mocker


@pytest.fixture
def mock_driver(cs_mock: Any) -> tuple[CloudStackNodeDriver, Any]:
    """(driver, requests_mock.Mocker): a driver for ``http://cs.test/client/api`` (key ``KEY``,
    secret ``SECRET``, no job polling delay, no retries) whose requests the router answers."""
    driver = CloudStackNodeDriver("KEY", "SECRET", url=API_URL, poll_interval=0,
                                  max_retries=0, retry_delay=0)
    return driver, cs_mock


@pytest.fixture
def cs_answer(mock_driver: Any, cs_router: CommandRouter) -> Callable[..., None]:
    """``cs_answer(command, inner, status=200)``."""
    return cs_router.answer


@pytest.fixture
def cs_answer_async(mock_driver: Any, cs_router: CommandRouter) -> Callable[..., str]:
    """``cs_answer_async(command, jobresult, jobid=None, entity_id=None) -> jobid``."""
    return cs_router.answer_async


@pytest.fixture
def cs_sent(mock_driver: Any, cs_router: CommandRouter) -> Callable[[str], list[dict[str, str]]]:
    """``cs_sent(command) -> [params of each call]``."""
    return cs_router.sent
