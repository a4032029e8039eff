"""Every registered command is in the 4.18 spec, and what we emit uses the spec's field names."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from sim_helpers import Api, body, run
from test_vms import PASSWORD_TEMPLATE, SMALL, deploy, zones

from cloudstack_driver.simulator import render, spec
from cloudstack_driver.simulator.registry import COMMANDS

SMALL_DISK = "d1b2c3a4-0001-4a00-8000-0000000000a1"


def test_every_registered_command_is_in_the_spec() -> None:
    assert COMMANDS
    for name, command in COMMANDS.items():
        entry = spec.api(name)
        assert bool(entry["isasync"]) is command.is_async, name


def test_list_commands_declare_paging_as_the_spec_does() -> None:
    for name, command in COMMANDS.items():
        if command.list_key is not None:
            assert command.paged is ("pagesize" in spec.param_names(name)), name


@pytest.fixture
def emitted() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    seen: list[tuple[str, dict[str, Any]]] = []

    def hook(command: str, inner: dict[str, Any]) -> None:
        seen.append((command, inner))

    render.HOOKS.append(hook)
    try:
        yield seen
    finally:
        render.HOOKS.remove(hook)


def _objects(command: str, inner: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects whose fields the spec lists: list items, a wrapped single object, or the
    inner dict itself."""
    entry = COMMANDS.get(command)
    if entry is not None and entry.list_key is not None:
        items = inner.get(entry.list_key, [])
        assert set(inner) <= {"count", entry.list_key}, (command, sorted(inner))
        return list(items)
    fields = spec.response_fields(command)
    if len(inner) == 1:
        (key, value), = inner.items()
        if key not in fields and isinstance(value, dict):
            return [value]
    return [inner]


def _scenario(api: Api) -> None:
    run(api, "createSSHKeyPair", name="k")
    project = run(api, "createProject", name="p", displaytext="P")["project"]
    group = run(api, "createAffinityGroup", name="g", type="host affinity")["affinitygroup"]
    vm = deploy(api, keypair="k", userdata=base64.b64encode(b"hi").decode(),
                affinitygroupids=group["id"])
    deploy(api, templateid=PASSWORD_TEMPLATE, zone="Advanced")
    deploy(api, projectid=project["id"])
    run(api, "stopVirtualMachine", id=vm["id"])
    run(api, "scaleVirtualMachine", id=vm["id"], serviceofferingid=SMALL)
    run(api, "startVirtualMachine", id=vm["id"])
    run(api, "rebootVirtualMachine", id=vm["id"])
    run(api, "updateVirtualMachine", id=vm["id"], displayname="d")
    run(api, "getVirtualMachineUserData", virtualmachineid=vm["id"])
    run(api, "restoreVirtualMachine", virtualmachineid=vm["id"])
    volume = run(api, "createVolume", name="v", diskofferingid=SMALL_DISK,
                 zoneid=zones(api)["Basic"])["volume"]
    run(api, "attachVolume", id=volume["id"], virtualmachineid=vm["id"])
    snap = run(api, "createSnapshot", volumeid=volume["id"])["snapshot"]
    run(api, "resizeVolume", id=volume["id"], size=30)
    run(api, "createTags", resourcetype="UserVm", resourceids=vm["id"],
        **{"tags[0].key": "a", "tags[0].value": "b"})
    for command, params in [
        ("listZones", {}), ("listTemplates", {"templatefilter": "executable"}),
        ("listServiceOfferings", {}), ("listDiskOfferings", {}), ("listOsTypes", {}),
        ("listCapabilities", {}), ("listAsyncJobs", {}), ("listVirtualMachines", {}),
        ("listVirtualMachines", {"projectid": "-1"}), ("listVolumes", {}),
        ("listSnapshots", {}), ("listSSHKeyPairs", {}), ("listTags", {}),
        ("listResourceLimits", {}), ("listProjects", {}), ("listAffinityGroups", {}),
        ("listAffinityGroupTypes", {})]:
        assert api(command, **params).status_code == 200
    run(api, "deleteSnapshot", id=snap["id"])
    run(api, "detachVolume", id=volume["id"])
    run(api, "deleteVolume", id=volume["id"])
    run(api, "deleteTags", resourcetype="UserVm", resourceids=vm["id"])
    run(api, "destroyVirtualMachine", id=vm["id"])
    run(api, "recoverVirtualMachine", id=vm["id"])
    run(api, "destroyVirtualMachine", id=vm["id"])
    run(api, "expungeVirtualMachine", id=vm["id"])
    run(api, "deleteAffinityGroup", id=group["id"])
    run(api, "deleteSSHKeyPair", name="k")
    assert body(api("listVirtualMachines", id=vm["id"])) == {}


def test_emitted_fields_are_spec_fields(api: Api,
                                        emitted: list[tuple[str, dict[str, Any]]]) -> None:
    _scenario(api)
    checked: set[str] = set()
    problems: dict[str, set[str]] = {}
    for command, inner in emitted:
        fields = spec.response_fields(command)
        for obj in _objects(command, inner):
            extra = set(obj) - set(fields) - {"jobid", "id"}
            if extra:
                problems.setdefault(command, set()).update(extra)
        checked.add(command)
    assert problems == {}
    assert {"deployVirtualMachine", "listVirtualMachines", "createSSHKeyPair",
            "queryAsyncJobResult", "listAffinityGroupTypes", "restoreVirtualMachine"} <= checked
