"""Speed targets, measured with pytest-benchmark (run: pytest tests/benchmarks --benchmark-enable).

In the normal suite (``--benchmark-disable``) each body runs once, as a correctness check.
"""

from __future__ import annotations

from typing import Any

import pytest

from cloudstack_driver import Provider, get_driver
from cloudstack_driver.http.signing import sign
from cloudstack_driver.simulator import Simulator

pytestmark = pytest.mark.benchmark


def test_sign_a_deploy_request(benchmark: Any) -> None:
    params = {
        "command": "deployVirtualMachine", "response": "json", "apiKey": "KEY",
        "name": "a b*c", "displayname": "héllo 日本 ~[x]", "userdata": "QUJD" * 8192,
        "serviceofferingid": "ef2537ad-c70f-11e1-821b-0800277e749c",
    }
    signature = benchmark(sign, params, "SECRET")
    assert len(signature) == 28


def test_list_10000_nodes(benchmark: Any) -> None:
    with Simulator(vms=10_000) as sim:
        driver = get_driver(Provider.CLOUDSTACK)(sim.api_key, sim.secret_key, url=sim.url)
        nodes = benchmark.pedantic(driver.list_nodes, rounds=1, iterations=1)
    assert len(nodes) == 10_000
