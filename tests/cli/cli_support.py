"""Helpers of the command line tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]

#: ``cli(*args, input=None, env=None)`` (the fixture): a finished ``python -m cloudstack_driver``
Run = Callable[..., subprocess.CompletedProcess[str]]


def write_ini(home: Path, sim: Simulator, *, section: str = "cloudstack", extra: str = "",
              name: str = ".cloudstack.ini") -> Path:
    path = home / name
    path.write_text(f"[{section}]\nendpoint = {sim.url}\nkey = {sim.api_key}\n"
                    f"secret = {sim.secret_key}\npoll_interval = 0.02\n{extra}",
                    encoding="utf-8")
    return path


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               **extra)
    return env



def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``cloudstack-driver: error: ...`` line a failure prints."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cloudstack-driver: error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def no_secret(sim: Any, *texts: str) -> None:
    for text in texts:
        assert sim.secret_key not in text
