"""Snapshot templates, ISO registration, node affinity groups (PARITY 4.1, 4.2): wire params."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import (
    CloudStackNode,
    LibcloudError,
    NodeImage,
    NodeLocation,
    NodeState,
    VolumeSnapshot,
)
from cloudstack_driver.cloudstack.ext.templates import IsoArgumentError

TEMPLATE = {"id": "t-9", "name": "golden", "displaytext": "golden image", "ostypeid": "os-1",
            "ostypename": "Ubuntu 22.04", "hypervisor": "KVM", "format": "QCOW2",
            "zoneid": "z1", "isready": False}
ISO = {"id": "iso-1", "name": "rescue", "displaytext": "rescue", "bootable": True,
       "zoneid": "z1", "isready": False}
VM = {"id": "vm-1", "name": "web", "state": "Stopped", "zoneid": "z1",
      "affinitygroup": [{"id": "ag-1", "name": "spread"}], "nic": []}


@dataclass
class Group:
    id: str
    name: str = "spread"


@pytest.fixture
def node(driver: Any) -> CloudStackNode:
    return CloudStackNode("vm-1", "web", NodeState.STOPPED, [], [], driver)


def test_create_snapshot_template_waits_and_maps(driver: Any, cs_answer_async: Any,
                                                 cs_sent: Any) -> None:
    cs_answer_async("createTemplate", {"template": TEMPLATE})
    image = driver.ex_create_snapshot_template(VolumeSnapshot("snap-1", driver), "golden",
                                               "os-1")
    assert wire(cs_sent("createTemplate")[0]) == {
        "snapshotid": "snap-1", "name": "golden", "displaytext": "golden", "ostypeid": "os-1"}
    assert len(cs_sent("queryAsyncJobResult")) == 1
    assert isinstance(image, NodeImage)
    assert (image.id, image.name, image.extra["os"], image.extra["format"]) == (
        "t-9", "golden", "Ubuntu 22.04", "QCOW2")


def test_create_snapshot_template_sends_displaytext(driver: Any, cs_answer_async: Any,
                                                    cs_sent: Any) -> None:
    cs_answer_async("createTemplate", {"template": TEMPLATE})
    driver.ex_create_snapshot_template(VolumeSnapshot("snap-1", driver), "golden", "os-1",
                                       displaytext="golden image")
    assert wire(cs_sent("createTemplate")[0])["displaytext"] == "golden image"


def test_register_iso_first_zone_and_options(driver: Any, cs_answer: Any,
                                             cs_sent: Any) -> None:
    cs_answer("listZones", {"count": 1, "zone": [{"id": "z1", "name": "Zone1"}]})
    cs_answer("registerIso", {"count": 1, "iso": [ISO]})
    answer = driver.ex_register_iso("rescue", "http://example.com/r.iso", bootable=True,
                                    ostypeid="os-1", ispublic=False)
    assert wire(cs_sent("registerIso")[0]) == {
        "name": "rescue", "displaytext": "rescue", "url": "http://example.com/r.iso",
        "zoneid": "z1", "bootable": "true", "ostypeid": "os-1", "ispublic": "false"}
    assert answer == {"count": 1, "iso": [ISO]}


def test_register_iso_given_location_not_bootable(driver: Any, cs_answer: Any,
                                                  cs_sent: Any) -> None:
    cs_answer("listZones", {"count": 1, "zone": [{"id": "z2", "name": "Zone2"}]})
    cs_answer("registerIso", {"count": 1, "iso": [ISO]})
    where = NodeLocation("z2", "Zone2", "Unknown", driver)
    driver.ex_register_iso("data", "http://example.com/d.iso", location=where)
    assert wire(cs_sent("registerIso")[0]) == {
        "name": "data", "displaytext": "data", "url": "http://example.com/d.iso",
        "zoneid": "z2", "bootable": "false"}


def test_update_node_affinity_group(driver: Any, node: CloudStackNode, cs_answer_async: Any,
                                    cs_sent: Any) -> None:
    cs_answer_async("updateVMAffinityGroup", {"virtualmachine": VM})
    updated = driver.ex_update_node_affinity_group(node, [Group("ag-1"), Group("ag-2")])
    assert wire(cs_sent("updateVMAffinityGroup")[0]) == {"id": "vm-1",
                                                         "affinitygroupids": "ag-1,ag-2"}
    assert isinstance(updated, CloudStackNode)
    assert (updated.id, updated.extra["affinity_group"]) == ("vm-1", ["ag-1"])


CASES: list[tuple[str, Any, type[Exception], str]] = [
    ("snapshot id", lambda d, n: d.ex_create_snapshot_template("snap-1", "g", "os-1"),
     TypeError, "'snapshot' must be a VolumeSnapshot"),
    ("template name", lambda d, n: d.ex_create_snapshot_template(
        VolumeSnapshot("s", d), "", "os-1"), ValueError, "'name' must not be empty"),
    ("ostypeid", lambda d, n: d.ex_create_snapshot_template(VolumeSnapshot("s", d), "g", 5.0),
     TypeError, r"'ostypeid' must be an id \(str or int\)"),
    ("iso bootable no os", lambda d, n: d.ex_register_iso("r", "http://x/r.iso",
                                                          bootable=True),
     IsoArgumentError, "'ostypeid'"),
    ("iso unknown kwarg", lambda d, n: d.ex_register_iso("r", "http://x/r.iso", boot=True),
     TypeError, "boot"),
    ("iso location str", lambda d, n: d.ex_register_iso("r", "http://x/r.iso", "z1"),
     TypeError, "'location' must be a NodeLocation"),
    ("iso bootable str", lambda d, n: d.ex_register_iso("r", "http://x/r.iso",
                                                        bootable="yes"),
     TypeError, "'bootable' must be a bool"),
    ("iso empty url", lambda d, n: d.ex_register_iso("r", ""), ValueError, "'url'"),
    ("affinity node id", lambda d, n: d.ex_update_node_affinity_group("vm-1", []),
     TypeError, "'node' must be a Node"),
    ("affinity dicts", lambda d, n: d.ex_update_node_affinity_group(n, [{"id": "ag-1"}]),
     TypeError, r"'affinity_group_list\[0\]' must be an object with an id"),
    ("affinity str", lambda d, n: d.ex_update_node_affinity_group(n, "ag-1"),
     TypeError, "'affinity_group_list' must be a list"),
]


@pytest.mark.parametrize(("label", "call", "error", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_request(driver: Any, refused: Any, node: CloudStackNode,
                                            label: str, call: Any, error: type[Exception],
                                            message: str) -> None:
    with refused(error, match=message):
        call(driver, node)


def test_iso_argument_error_is_also_libclouds_error() -> None:
    assert issubclass(IsoArgumentError, LibcloudError)
    assert issubclass(IsoArgumentError, ValueError)


def test_update_node_affinity_group_empty_list_clears(driver: Any, node: CloudStackNode,
                                                      cs_answer_async: Any,
                                                      cs_sent: Any) -> None:
    cs_answer_async("updateVMAffinityGroup", {"virtualmachine": {**VM, "affinitygroup": []}})
    updated = driver.ex_update_node_affinity_group(node, [])
    assert wire(cs_sent("updateVMAffinityGroup")[0]) == {"id": "vm-1", "affinitygroupids": ""}
    assert updated.extra["affinity_group"] == []
