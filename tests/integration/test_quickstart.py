"""README's first command runs examples/quickstart.py; the tutorial in the docs must hold."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quickstart_walks_the_seed_session_against_a_simulator() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Started a CloudStack simulator at http://127.0.0.1:" in out
    assert "<NodeImage: id=13ccff62-132b-4caf-b456-e8ef20cbff0e, name=tiny Linux, driver=CloudStack  ...>" in out
    assert ("<NodeSize: id=ef2537ad-c70f-11e1-821b-0800277e749c, name=tinyOffering, ram=100 disk=0 "
            "bandwidth=0 price=0 driver=CloudStack ...>") in out
    assert "name=toto, state=RUNNING" in out
    assert "state: Stopped" in out and "state: Running" in out
    assert "attached:" in out and "DATADISK" in out
    assert out.rstrip().endswith("destroyed 'toto'.")


def test_quickstart_refuses_a_half_configured_endpoint() -> None:
    env = dict(os.environ, CLOUDSTACK_ENDPOINT="http://127.0.0.1:9/client/api")
    env.pop("CLOUDSTACK_KEY", None)
    env.pop("CLOUDSTACK_SECRET", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.returncode == 1
    assert "set CLOUDSTACK_KEY and CLOUDSTACK_SECRET too" in result.stderr


def test_getting_started_session_in_the_docs_runs() -> None:
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "getting-started.rst"), module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried >= 10
    assert failures == 0
