"""The fault matrix (issue 11, item 4) on the sync driver: every operation under every fault the
simulator can inject, on the first, middle and last of three calls, held to four rules (no
resource twice; every exception the library's own, with its fields set; every job started
reaches the caller; the simulator's state matches what the caller was told).

The scenarios and the rules are in ``_fault_matrix.py``, shared with the asyncio driver's run
(``test_fault_matrix_aio.py``). ``FAULT_MATRIX_REPORT=1 pytest -s`` prints the outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _fault_matrix import SCENARIOS, Scenario, matrix_session, report, run_scenario, scenario_params


@pytest.fixture(scope="module", autouse=True)
def _matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with matrix_session(tmp_path_factory.mktemp("fault-matrix")):
        yield
    report("sync", "fault matrix")


@pytest.mark.parametrize("scenario", scenario_params())
def test_fault_matrix(scenario: Scenario) -> None:
    run_scenario("sync", scenario)


def test_fault_matrix_is_several_hundred_scenarios() -> None:
    assert len(SCENARIOS) >= 300
