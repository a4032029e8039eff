"""State enums and Provider: libcloud's values and string behaviour."""

from __future__ import annotations

from cloudstack_driver import NodeState, Provider, StorageVolumeState, VolumeSnapshotState


def test_provider_values_are_libclouds_type_strings() -> None:
    assert {p.name: p.value for p in Provider} == {
        "CLOUDSTACK": "cloudstack", "EXOSCALE": "exoscale", "IKOULA": "ikoula",
        "AURORACOMPUTE": "aurora_compute", "KTUCLOUD": "ktucloud",
    }


def test_node_state_members() -> None:
    assert [s.name for s in NodeState] == [
        "RUNNING", "STARTING", "REBOOTING", "TERMINATED", "PENDING", "UNKNOWN", "STOPPING",
        "STOPPED", "SUSPENDED", "ERROR", "PAUSED", "RECONFIGURING", "MIGRATING", "NORMAL",
        "UPDATING",
    ]


def test_volume_and_snapshot_state_members() -> None:
    assert [s.name for s in StorageVolumeState] == [
        "AVAILABLE", "ERROR", "INUSE", "CREATING", "DELETING", "DELETED", "BACKUP",
        "ATTACHING", "UNKNOWN", "MIGRATING", "UPDATING",
    ]
    assert [s.name for s in VolumeSnapshotState] == [
        "AVAILABLE", "ERROR", "CREATING", "DELETING", "RESTORING", "UNKNOWN", "UPDATING",
    ]


def test_members_equal_and_hash_like_their_values() -> None:
    assert NodeState.RUNNING == "running"
    assert str.__eq__("running", NodeState.RUNNING.value)
    assert NodeState.RUNNING in {"running"}
    assert NodeState.RUNNING != "stopped"
    assert hash(NodeState.RUNNING) == hash("running")
    assert {"running": 1}[NodeState.RUNNING] == 1
    assert str(NodeState.RUNNING) == "running"
    assert repr(StorageVolumeState.INUSE) == "inuse"


def test_tostring_and_fromstring() -> None:
    assert NodeState.tostring(NodeState.RUNNING) == "RUNNING"
    assert NodeState.fromstring("RUNNING") is NodeState.RUNNING
    assert NodeState.fromstring("stopped") is NodeState.STOPPED
    assert NodeState.fromstring("nonsense") is None
