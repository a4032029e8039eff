"""pytest plugin (entry point ``pytest11``): a CloudStack simulator and a driver bound to it.

::

    def test_boot(cloudstack_driver):
        node = cloudstack_driver.create_node(name="web", size=..., image=...)

``cloudstack_simulator`` is a fresh :class:`~cloudstack_driver.simulator.Simulator` per test
(async jobs take 0.05 s); ``cloudstack_driver`` is a ``CloudStackNodeDriver`` talking to it over
real HTTP (short job polling, no retries).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
    from cloudstack_driver.simulator import Simulator

__all__ = ["cloudstack_driver", "cloudstack_simulator"]

JOB_DURATION = 0.05


@pytest.fixture
def cloudstack_simulator() -> Iterator[Simulator]:
    """A started simulator, stopped after the test."""
    from cloudstack_driver.simulator import Simulator

    with Simulator(job_duration=JOB_DURATION) as sim:
        yield sim


@pytest.fixture
def cloudstack_driver(cloudstack_simulator: Simulator) -> CloudStackNodeDriver:
    """A driver for ``cloudstack_simulator`` (jobs polled every 0.02 s, no retries)."""
    from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver

    return CloudStackNodeDriver(cloudstack_simulator.api_key, cloudstack_simulator.secret_key,
                                url=cloudstack_simulator.url, poll_interval=0.02,
                                max_retries=0, retry_delay=0, job_timeout=30)
