"""The examples the asyncio page includes run against a simulator whose jobs take 1 s."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]


def _run(name: str, sim: Simulator) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(CLOUDSTACK_ENDPOINT=sim.url, CLOUDSTACK_KEY=sim.api_key,
               CLOUDSTACK_SECRET=sim.secret_key,
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-W", "error", str(ROOT / "examples" / name)],
                            capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def test_the_fleet_example_creates_lists_and_destroys_twenty_nodes() -> None:
    with Simulator(job_duration=1.0) as sim:
        lines = _run("asyncio_fleet.py", sim)
        vms = list(sim.cloud.tables["virtualmachine"].values())
    assert lines[0].startswith("20 nodes running in ")
    seconds = float(lines[0].split(" in ")[1].split()[0])
    assert seconds < 20  # one after the other would be 20 x 1 s of jobs and more
    assert lines[1] == "['fleet-00', 'fleet-01', 'fleet-02'] ..."
    assert lines[2] == "destroyed: True"
    fleet = [vm for vm in vms if vm["name"].startswith("fleet-")]
    assert len(fleet) == 20 and {vm["state"] for vm in fleet} == {"Destroyed"}


def test_the_jobs_example_waits_again_after_giving_up() -> None:
    with Simulator(job_duration=1.0) as sim:
        lines = _run("asyncio_jobs.py", sim)
    assert lines == [
        "started: 5 jobs",
        "still running after 0.01 s; waiting again",
        *(f"batch-{i} running" for i in range(5)),
        "volume scratch 1 GiB",
        "destroyed: True",
    ]
