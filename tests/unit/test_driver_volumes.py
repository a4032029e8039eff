"""Volumes, snapshots, disk offerings: parameters sent, offering choice (D24), GiB sizes (D22)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import (
    CloudStackNode,
    CloudStackProject,
    NodeLocation,
    NodeState,
    StorageVolume,
    StorageVolumeState,
    VolumeNotFoundError,
    VolumeSnapshot,
    VolumeSnapshotState,
)

GIB = 1024**3
ZONE = {"id": "z1", "name": "Zone1"}
OFFERINGS = {"count": 3, "diskoffering": [
    {"id": "d-custom", "name": "Custom", "disksize": 0, "iscustomized": True},
    {"id": "d-10", "name": "Small", "disksize": 10, "iscustomized": False},
    {"id": "d-50", "name": "Large", "disksize": 50, "iscustomized": False},
]}
VOLUME = {"id": "v1", "name": "data", "size": 10 * GIB, "state": "Ready",
          "virtualmachineid": "vm-1", "deviceid": "1", "type": "DATADISK", "zoneid": "z1",
          "zonename": "Zone1", "created": "2026-07-29T11:18:10+0000",
          "tags": [{"key": "k", "value": "v"}]}


def test_list_volumes_sizes_in_gib(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVolumes", {"count": 1, "volume": [VOLUME]})
    [volume] = driver.list_volumes()
    assert wire(cs_sent("listVolumes")[0]) == {}
    assert (volume.id, volume.name, volume.size) == ("v1", "data", 10)
    assert volume.state is StorageVolumeState.INUSE
    assert volume.extra["size_bytes"] == 10 * GIB
    assert volume.extra["device_id"] == "1"  # a device number, as sent (not an id)
    assert volume.extra["instance_id"] == "vm-1"
    assert volume.extra["volume_type"] == "DATADISK"
    assert volume.extra["state"] == "Ready"
    assert volume.extra["tags"] == {"k": "v"}


def test_list_volumes_of_a_node_in_a_project(driver: Any, cs_answer: Any,
                                             cs_sent: Any) -> None:
    cs_answer("listVolumes", {})
    node = CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver)
    assert driver.list_volumes(node=node,
                               ex_project=CloudStackProject("p1", "p", "P", driver)) == []
    assert wire(cs_sent("listVolumes")[0]) == {"virtualmachineid": "vm-1", "projectid": "p1"}


@pytest.mark.parametrize(
    ("raw", "attached", "state"),
    [("Allocated", False, StorageVolumeState.AVAILABLE), ("Ready", False,
                                                          StorageVolumeState.AVAILABLE),
     ("Ready", True, StorageVolumeState.INUSE), ("Creating", False,
                                                 StorageVolumeState.CREATING),
     ("Migrating", False, StorageVolumeState.MIGRATING),
     ("Snapshotting", True, StorageVolumeState.BACKUP),
     ("Destroy", False, StorageVolumeState.DELETED),
     ("Expunged", False, StorageVolumeState.DELETED),
     ("Destroying", False, StorageVolumeState.DELETING),
     ("Expunging", False, StorageVolumeState.DELETING),
     ("UploadError", False, StorageVolumeState.ERROR),
     ("Attaching", False, StorageVolumeState.ATTACHING),
     ("Resizing", True, StorageVolumeState.UPDATING),
     ("RevertSnapshotting", False, StorageVolumeState.UPDATING),
     ("UploadOp", False, StorageVolumeState.CREATING),
     ("NotUploaded", False, StorageVolumeState.CREATING),
     ("UploadInProgress", False, StorageVolumeState.CREATING),
     ("Copying", False, StorageVolumeState.CREATING),
     ("Uploaded", False, StorageVolumeState.AVAILABLE),
     ("UploadAbandoned", False, StorageVolumeState.ERROR),
     ("Frozen", False, StorageVolumeState.UNKNOWN)],
)
def test_every_volume_state_maps(driver: Any, cs_answer: Any, raw: str, attached: bool,
                                 state: StorageVolumeState) -> None:
    record: dict[str, Any] = {"id": "v", "name": "n", "state": raw}
    if attached:
        record["virtualmachineid"] = "vm-1"
    cs_answer("listVolumes", {"count": 1, "volume": [record]})
    [volume] = driver.list_volumes()
    assert volume.state is state
    assert volume.extra["state"] == raw


def test_ex_get_volume(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVolumes", [{"count": 1, "volume": [VOLUME]}, {}])
    assert driver.ex_get_volume("v1").size == 10
    assert wire(cs_sent("listVolumes")[0]) == {"id": "v1"}
    with pytest.raises(VolumeNotFoundError, match="v2"):
        driver.ex_get_volume("v2")


def test_create_volume_exact_size_offering_first(driver: Any, cs_answer: Any,
                                                 cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer("listDiskOfferings", OFFERINGS)
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer_async("createVolume", {"volume": {**VOLUME, "virtualmachineid": None,
                                                "state": "Allocated"}}, entity_id="v1")
    volume = driver.create_volume(10, "data")
    assert wire(cs_sent("createVolume")[0]) == {"name": "data", "diskofferingid": "d-10",
                                                "zoneid": "z1"}
    assert isinstance(volume, StorageVolume)
    assert volume.size == 10 and volume.state is StorageVolumeState.AVAILABLE


def test_create_volume_custom_size(driver: Any, cs_answer: Any, cs_answer_async: Any,
                                   cs_sent: Any) -> None:
    cs_answer("listDiskOfferings", OFFERINGS)
    cs_answer_async("createVolume", {"volume": {"id": "v2", "name": "big"}})
    volume = driver.create_volume(
        "20", "big", location=NodeLocation("z9", "Z", "Unknown", driver),
        ex_project=CloudStackProject("p1", "p", "P", driver))
    assert wire(cs_sent("createVolume")[0]) == {
        "name": "big", "diskofferingid": "d-custom", "size": "20", "zoneid": "z9",
        "projectid": "p1"}
    assert volume.size == 20
    assert cs_sent("listZones") == []


def test_create_volume_by_type(driver: Any, cs_answer: Any, cs_answer_async: Any,
                               cs_sent: Any) -> None:
    cs_answer("listDiskOfferings", OFFERINGS)
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer_async("createVolume", {"volume": {"id": "v3", "name": "l", "size": 50 * GIB}})
    driver.create_volume(50, "l", ex_volume_type="Large")
    assert wire(cs_sent("createVolume")[0])["diskofferingid"] == "d-50"
    with pytest.raises(ValueError, match=r"'Large' is 50 GB, but size=10"):
        driver.create_volume(10, "l", ex_volume_type="Large")
    with pytest.raises(ValueError, match=r"no disk offering named 'Gold'.*'Small' \(10 GB\)"):
        driver.create_volume(10, "l", ex_volume_type="Gold")
    assert len(cs_sent("createVolume")) == 1


def test_create_volume_without_a_fitting_offering(driver: Any, cs_answer: Any,
                                                  cs_sent: Any) -> None:
    cs_answer("listDiskOfferings", {"count": 1, "diskoffering": [OFFERINGS["diskoffering"][1]]})
    with pytest.raises(ValueError, match=r"no disk offering of 20 GB.*'Small' \(10 GB\)"):
        driver.create_volume(20, "data")
    assert cs_sent("createVolume") == []


def test_create_volume_from_snapshot(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createVolume", {"volume": {"id": "v4", "name": "restored",
                                                "size": 5 * GIB}})
    volume = driver.create_volume(None, "restored", snapshot=VolumeSnapshot("snap-1", driver))
    assert wire(cs_sent("createVolume")[0]) == {"name": "restored", "snapshotid": "snap-1"}
    assert volume.size == 5


def test_attach_detach_destroy(driver: Any, cs_answer: Any, cs_answer_async: Any,
                               cs_sent: Any) -> None:
    node = CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver)
    volume = StorageVolume("v1", "data", 10, driver)
    cs_answer_async("attachVolume", {"volume": VOLUME})
    cs_answer_async("detachVolume", {"volume": VOLUME})
    cs_answer("deleteVolume", {"success": "true"})
    assert driver.attach_volume(node, volume, device=3) is True
    assert volume.attach(node) is True
    assert volume.detach() is True
    assert volume.destroy() is True
    assert [wire(p) for p in cs_sent("attachVolume")] == [
        {"id": "v1", "virtualmachineid": "vm-1", "deviceid": "3"},
        {"id": "v1", "virtualmachineid": "vm-1"}]
    assert wire(cs_sent("detachVolume")[0]) == {"id": "v1"}
    assert wire(cs_sent("deleteVolume")[0]) == {"id": "v1"}


SNAPSHOT = {"id": "s1", "name": "data_snap", "volumeid": "v1", "state": "BackedUp",
            "created": "2026-07-29T11:18:10+0000", "virtualsize": 10 * GIB,
            "snapshottype": "MANUAL", "tags": []}


def test_snapshots(driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    volume = StorageVolume("v1", "data", 10, driver)
    cs_answer("listSnapshots", {"count": 1, "snapshot": [SNAPSHOT]})
    cs_answer_async("createSnapshot", {"snapshot": {**SNAPSHOT, "state": "BackingUp"}})
    cs_answer_async("deleteSnapshot", {"success": True})
    [snap] = volume.list_snapshots()
    assert wire(cs_sent("listSnapshots")[0]) == {"volumeid": "v1"}
    assert (snap.id, snap.name, snap.size, snap.state) == ("s1", "data_snap", 10,
                                                          VolumeSnapshotState.AVAILABLE)
    assert snap.created == datetime(2026, 7, 29, 11, 18, 10, tzinfo=timezone.utc)
    assert snap.extra["volume_id"] == "v1" and snap.extra["tags"] == {}
    made = volume.snapshot("nightly")
    assert wire(cs_sent("createSnapshot")[0]) == {"volumeid": "v1", "name": "nightly"}
    assert made.state is VolumeSnapshotState.CREATING
    driver.create_volume_snapshot(volume)
    assert wire(cs_sent("createSnapshot")[1]) == {"volumeid": "v1"}
    assert snap.destroy() is True
    assert wire(cs_sent("deleteSnapshot")[0]) == {"id": "s1"}
    assert len(driver.list_snapshots()) == 1
    assert wire(cs_sent("listSnapshots")[1]) == {}


def test_disk_offerings(driver: Any, cs_answer: Any) -> None:
    cs_answer("listDiskOfferings", OFFERINGS)
    offerings = driver.ex_list_disk_offerings()
    assert [(o.id, o.name, o.size, o.customizable) for o in offerings] == [
        ("d-custom", "Custom", 0, True), ("d-10", "Small", 10, False),
        ("d-50", "Large", 50, False)]
