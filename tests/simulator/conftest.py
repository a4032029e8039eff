"""Fixtures for simulator tests: a simulator with known keys and a signed-call helper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sim_helpers import KEY, SECRET, Api, signed

from cloudstack_driver.simulator import Simulator
from cloudstack_driver.testing import cloudstack_driver, cloudstack_simulator

__all__ = ["KEY", "SECRET", "cloudstack_driver", "cloudstack_simulator"]


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.05) as server:
        yield server


@pytest.fixture
def api(sim: Simulator) -> Api:
    """``api(command, post=False, **params) -> requests.Response`` (signed)."""
    session = requests.Session()

    def call(command: str, post: bool = False, **params: Any) -> requests.Response:
        data = signed(command, **params)
        if post:
            return session.post(sim.url, data=data, timeout=30)
        return session.get(sim.url, params=data, timeout=30)

    return call


