"""Fixtures for simulator tests: a simulator with known keys and a signed-call helper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sim_helpers import KEY, SECRET, Api, signed, spec_problems

from cloudstack_driver.simulator import Simulator, render
from cloudstack_driver.testing import cloudstack_driver, cloudstack_simulator

__all__ = ["KEY", "SECRET", "cloudstack_driver", "cloudstack_simulator"]


@pytest.fixture(autouse=True)
def answers_use_spec_fields() -> Iterator[None]:
    """Every successful answer any simulator test provokes uses only the spec's field names
    for its command (list items, wrapped objects and finished jobs' results)."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def hook(command: str, inner: dict[str, Any]) -> None:
        seen.append((command, inner))

    render.HOOKS.append(hook)
    try:
        yield
    finally:
        render.HOOKS.remove(hook)
    problems = {command: extra for command, inner in seen
                if (extra := spec_problems(command, inner))}
    assert problems == {}


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.05) as server:
        yield server


@pytest.fixture
def api(sim: Simulator) -> Iterator[Api]:
    """``api(command, post=False, **params) -> requests.Response`` (signed); the session is
    closed after the test."""
    session = requests.Session()

    def call(command: str, post: bool = False, **params: Any) -> requests.Response:
        data = signed(command, **params)
        if post:
            return session.post(sim.url, data=data, timeout=30)
        return session.get(sim.url, params=data, timeout=30)

    try:
        yield call
    finally:
        session.close()


