"""The examples the configuration and command-line pages include run against a simulator:
``config_and_discovery.py`` configured by ``~/.cloudstack.ini`` in a temporary HOME,
``config_from_env.py`` by CLOUDSTACK_ENDPOINT / _KEY / _SECRET (and refused without them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               **extra)
    return env


def _run_example(name: str, home: Path, **env: str) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "examples" / name)],
                            capture_output=True, text=True, timeout=120,
                            env=_env(home, **env), cwd=home, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_included_examples_run(tmp_path: Path) -> None:
    home = tmp_path / "me"
    home.mkdir()
    with Simulator() as sim:
        (home / ".cloudstack.ini").write_text(
            f"[cloudstack]\nendpoint = {sim.url}\nkey = {sim.api_key}\n"
            f"secret = {sim.secret_key}\n", encoding="utf-8")
        assert _run_example("config_and_discovery.py", home).splitlines() == [
            "CH-GV2 Basic",
            "DE-FRA1 Advanced",
            "the server lists no command 'listZone'; did you mean listZones?",
            "createNetwork needs zoneid, networkofferingid (required by the server's listApis)",
            "CloudStack command listZones (a list command: every row, all pages).",
        ]
        out = _run_example("config_from_env.py", home, CLOUDSTACK_ENDPOINT=sim.url,
                           CLOUDSTACK_KEY=sim.api_key, CLOUDSTACK_SECRET=sim.secret_key)
        assert out.splitlines()[1:] == ["1128bd56-b4d9-4ac6-a7b9-c715b187ce11 CH-GV2",
                                        "4a8b5b77-0a77-4b4a-8c4e-8e9a4b5c2f01 DE-FRA1"]
        assert sim.secret_key not in out
    missing = subprocess.run([sys.executable, str(ROOT / "examples" / "config_from_env.py")],
                             capture_output=True, text=True, timeout=120, env=_env(home),
                             cwd=home, check=False)
    assert missing.returncode == 1
    assert missing.stderr.startswith("not configured: CloudStack endpoint, key and secret not "
                                     "configured: set CLOUDSTACK_ENDPOINT")
