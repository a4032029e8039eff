"""Every public driver method documents the CloudStack command it sends and whether it waits."""

from __future__ import annotations

import gzip
import inspect
import json
import re
from pathlib import Path

import pytest

import cloudstack_driver.simulator as simulator_pkg
from cloudstack_driver.cloudstack import CloudStackNodeDriver

_SPEC = Path(simulator_pkg.__file__).parent / "data" / "cloudstack-api-4.18.json.gz"


def _commands() -> dict[str, bool]:
    apis = json.loads(gzip.decompress(_SPEC.read_bytes()))["apis"]
    if isinstance(apis, dict):
        apis = list(apis.values())
    return {api["name"]: bool(api.get("isasync")) for api in apis}


COMMANDS = _commands()
METHODS = sorted(
    name for name, member in inspect.getmembers(CloudStackNodeDriver)
    if not name.startswith("_") and inspect.isfunction(member)
)


def test_the_surface_is_large_enough_to_mean_something() -> None:
    assert len(METHODS) > 100
    assert "create_node" in METHODS and "ex_create_vpc" in METHODS


@pytest.mark.parametrize("name", METHODS)
def test_docstring_names_its_command_and_job(name: str) -> None:
    doc = inspect.getdoc(getattr(CloudStackNodeDriver, name)) or ""
    assert doc, f"{name} has no docstring"
    named = [word for word in re.findall(r"[A-Za-z]+", doc) if word in COMMANDS]
    if "sends no command" in doc or "sends no request" in doc:
        return
    assert named, f"{name}: docstring names no CloudStack command"
    if any(COMMANDS[command] for command in named):
        assert re.search(r"wait|job", doc, re.IGNORECASE), (
            f"{name}: calls an async command but does not say whether it waits for the job")
