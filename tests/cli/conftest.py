"""Fixtures for the configuration, discovery, command line and shell tests.

``home`` is a temporary home directory (also the working directory, and the cache home's
parent) with no ``CLOUDSTACK_*`` variable set; ``sim`` a started simulator; ``ini`` writes
``~/.cloudstack.ini`` for it; ``cli(*args, input=...)`` runs ``python -m cloudstack_driver`` in a
subprocess with that home (every pipe closed, a time limit, never a fixed sleep).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Run, cli_env, write_ini

from cloudstack_driver.simulator import Simulator


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home (and working) directory; no CLOUDSTACK_* in the environment."""
    path = tmp_path / "home"
    path.mkdir()
    for name in list(os.environ):
        if name.startswith("CLOUDSTACK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(path / ".cache"))
    monkeypatch.chdir(path)
    return path


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(job_duration=0.05) as server:
        yield server


@pytest.fixture
def ini(home: Path, sim: Simulator) -> Path:
    """``~/.cloudstack.ini`` whose ``[cloudstack]`` section points at ``sim``."""
    return write_ini(home, sim)


@pytest.fixture
def cli(home: Path) -> Run:
    """``cli(*args, input=None, env=None) -> CompletedProcess`` of ``python -m
    cloudstack_driver``; ``env`` adds variables."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            python: list[str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *(python or ["-m", "cloudstack_driver"]), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              input=input if input is not None else "",
                              env=cli_env(home, **(env or {})), cwd=home, check=False)

    return run
