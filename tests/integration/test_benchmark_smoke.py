"""The benchmark (``python -m benchmarks``, issue 12) still runs: tiny sizes, every row printed.
Timings are never asserted here (the machines are shared and noisy); the benchmark checks its
own targets with ``--check``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_prints_every_row() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("machine: ")
    rows = [
        ("list_locations()", "floor (bare requests.Session)"),
        ("list_locations()", "cloudstack_driver"),
        ("list_nodes() 300 VMs", "floor (bare requests.Session)"),
        ("list_nodes() 300 VMs", "cloudstack_driver"),
        ("list_nodes() 300 VMs", "cloudstack_driver, page_concurrency=4"),
        ("list_nodes() 300 VMs: requests", "cloudstack_driver"),
        ("list_nodes() 300 VMs: peak memory per node beyond the JSON", "cloudstack_driver"),
        ("list_nodes() 600 VMs", "cloudstack_driver"),
        ("list_nodes() growth, 300 -> 600 VMs", "cloudstack_driver"),
        ("5 creates, 0.3 s jobs", "cloudstack_driver (driver.create_nodes)"),
        ("5 creates, 0.3 s jobs: requests", "cloudstack_driver (driver.create_nodes)"),
        ("one create, 0.3 s job: time beyond the job", "cloudstack_driver"),
        ("one create, 0.3 s job: requests", "cloudstack_driver"),
        ("import, over a bare interpreter", "bare interpreter"),
        ("import, over a bare interpreter", "cloudstack_driver"),
        ("import, over a bare interpreter", "cloudstack_driver + first driver"),
        ("import: heavy modules loaded", "cloudstack_driver"),
    ]
    for name, module in (("libcloud", "libcloud"), ("cs", "cs")):
        if importlib.util.find_spec(module) is not None:
            rows += [("list_locations()", name), ("import, over a bare interpreter", name),
                     ("5 creates, 0.3 s jobs", f"{name}"),
                     ("one create, 0.3 s job: time beyond the job", name)]
    lines = out.splitlines()
    for what, client in rows:
        assert any(line.startswith(what) and f"  {client}" in line for line in lines), (
            what, client, out)
    # every target row says met or NOT MET, and the summary counts them
    targets = [line for line in lines if "<=" in line]
    assert targets and all(line.rstrip().endswith(("met", "NOT MET")) for line in targets)
    assert lines[-1].startswith("targets: ")
