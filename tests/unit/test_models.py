"""Base models: libcloud's constructors, reprs, uuid and delegation."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from cloudstack_driver import (
    CloudStackDiskOffering,
    CloudStackNode,
    CloudStackNodeDriver,
    CloudStackProject,
    KeyPair,
    Node,
    NodeAuthPassword,
    NodeAuthSSHKey,
    NodeImage,
    NodeLocation,
    NodeSize,
    NodeState,
    StorageVolume,
    StorageVolumeState,
    VolumeSnapshot,
)


@pytest.fixture
def driver() -> CloudStackNodeDriver:
    return CloudStackNodeDriver("KEY", "SECRET", url="http://cs.test/client/api")


class Recorder:
    """A stand-in driver recording the calls the models delegate."""

    name = "Recorder"
    type = "cloudstack"

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> str:
            assert not args, f"{method} was called with positional arguments {args}"
            self.calls.append((method, kwargs))
            return "result"
        return record


def test_uuid_vector(driver: CloudStackNodeDriver) -> None:
    node = Node(123, "n", NodeState.RUNNING, [], [], driver)
    assert node.get_uuid() == "ea824cb95733bb944d696fdc596fe4bb96324b4a"
    assert node.uuid == node.get_uuid()


def test_uuid_depends_on_driver_type(driver: CloudStackNodeDriver) -> None:
    class Other:
        type = "exoscale"
        name = "Exoscale"

    assert Node(123, "n", "running", [], [], Other()).uuid != Node(
        123, "n", "running", [], [], driver).uuid


def test_node_storage_rules(driver: CloudStackNodeDriver) -> None:
    node = Node(7, "n", NodeState.STOPPED, None, None, driver)
    assert node.id == "7"
    assert node.public_ips == [] and node.private_ips == []
    assert node.extra == {}
    assert node.size is None and node.image is None and node.created_at is None
    assert Node(0, "n", "running", [], [], driver).id == "0"
    assert Node("", "n", "running", [], [], driver).id is None


def test_node_repr(driver: CloudStackNodeDriver) -> None:
    node = CloudStackNode("123", "toto", NodeState.RUNNING, ["1.2.3.4"], ["10.0.0.1"], driver,
                          extra={"password": "s3cret!"})
    assert repr(node) == (
        "<Node: uuid=ea824cb95733bb944d696fdc596fe4bb96324b4a, name=toto, state=RUNNING, "
        "public_ips=['1.2.3.4'], private_ips=['10.0.0.1'], provider=CloudStack ...>"
    )
    assert "s3cret" not in repr(node)


def test_size_repr_matches_seed(driver: CloudStackNodeDriver) -> None:
    size = NodeSize("ef2537ad-c70f-11e1-821b-0800277e749c", "tinyOffering", 100, 0, 0, 0,
                    driver)
    assert repr(size) == (
        "<NodeSize: id=ef2537ad-c70f-11e1-821b-0800277e749c, name=tinyOffering, ram=100 "
        "disk=0 bandwidth=0 price=0 driver=CloudStack ...>"
    )


def test_image_repr_matches_seed(driver: CloudStackNodeDriver) -> None:
    image = NodeImage("13ccff62-132b-4caf-b456-e8ef20cbff0e", "tiny Linux", driver)
    assert repr(image) == (
        "<NodeImage: id=13ccff62-132b-4caf-b456-e8ef20cbff0e, name=tiny Linux, "
        "driver=CloudStack  ...>"
    )


def test_other_reprs(driver: CloudStackNodeDriver) -> None:
    assert repr(NodeLocation(1, "Zone1", "Unknown", driver)) == (
        "<NodeLocation: id=1, name=Zone1, country=Unknown, driver=CloudStack>")
    assert repr(StorageVolume("v1", "vol", 10, driver)) == (
        "<StorageVolume id=v1 size=10 driver=CloudStack>")
    assert repr(VolumeSnapshot("s1", driver, size=2, name="snap", state="available")) == (
        '<VolumeSnapshot "snap" id=s1 size=2 driver=CloudStack state=available>')
    assert repr(NodeAuthSSHKey("ssh-rsa AAAA")) == "<NodeAuthSSHKey>"
    assert repr(NodeAuthPassword("hunter2")) == "<NodeAuthPassword>"


def test_key_pair_repr_hides_private_key(driver: CloudStackNodeDriver) -> None:
    pair = KeyPair("k", "ssh-rsa AAAA", "aa:bb", driver, private_key="-----BEGIN SECRET")
    assert repr(pair) == "<KeyPair name=k fingerprint=aa:bb driver=CloudStack>"
    assert pair.private_key == "-----BEGIN SECRET"
    assert pair.extra == {}


def test_positional_orders(driver: CloudStackNodeDriver) -> None:
    size = NodeSize(1, "s", 512, 10, 100, 0.5, driver, {"cpu": 1})
    assert (size.id, size.ram, size.disk, size.bandwidth, size.price, size.extra) == (
        "1", 512, 10, 100, 0.5, {"cpu": 1})
    image = NodeImage(2, "i", driver, {"os": "x"})
    assert (image.id, image.extra) == ("2", {"os": "x"})
    volume = StorageVolume(3, "v", 5, driver, StorageVolumeState.INUSE)
    assert volume.id == "3" and volume.extra is None and volume.state == "inuse"
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    snap = VolumeSnapshot("s", driver, 1, {"a": 1}, when, "creating", "nm")
    assert (snap.size, snap.extra, snap.created, snap.state, snap.name) == (
        1, {"a": 1}, when, "creating", "nm")
    auth = NodeAuthPassword("p", True)
    assert auth.password == "p" and auth.generated is True


def test_node_delegation_uses_keywords() -> None:
    rec = Recorder()
    node = Node("1", "n", "running", [], [], rec)
    node.reboot()
    node.start()
    node.stop_node()
    node.stop()
    node.destroy()
    assert rec.calls == [
        ("reboot_node", {"node": node}), ("start_node", {"node": node}),
        ("stop_node", {"node": node}), ("stop_node", {"node": node}),
        ("destroy_node", {"node": node}),
    ]


def test_volume_and_snapshot_delegation() -> None:
    rec = Recorder()
    volume = StorageVolume("v", "vol", 1, rec)
    node = Node("1", "n", "running", [], [], rec)
    volume.attach(node, device=2)
    volume.detach()
    volume.snapshot("s")
    volume.list_snapshots()
    volume.destroy()
    snap = VolumeSnapshot("s", rec)
    snap.destroy()
    assert rec.calls == [
        ("attach_volume", {"node": node, "volume": volume, "device": 2}),
        ("detach_volume", {"volume": volume}),
        ("create_volume_snapshot", {"volume": volume, "name": "s"}),
        ("list_volume_snapshots", {"volume": volume}),
        ("destroy_volume", {"volume": volume}),
        ("destroy_volume_snapshot", {"snapshot": snap}),
    ]


def test_cloudstack_node_helpers_delegate_with_keywords() -> None:
    rec = Recorder()
    node = CloudStackNode("1", "n", "running", [], [], rec)
    node.ex_allocate_public_ip(network_id="net")
    node.ex_release_public_ip("addr")
    node.ex_create_ip_forwarding_rule("addr", "tcp", 22)
    node.ex_create_port_forwarding_rule("addr", 22, 2222, "tcp", network_id="n1")
    node.ex_delete_ip_forwarding_rule("r1")
    node.ex_delete_port_forwarding_rule("r2")
    node.ex_start()
    node.ex_stop()
    node.ex_restore()
    node.ex_change_node_size("off")
    assert rec.calls == [
        ("ex_allocate_public_ip", {"network_id": "net"}),
        ("ex_release_public_ip", {"address": "addr"}),
        ("ex_create_ip_forwarding_rule", {"node": node, "address": "addr", "protocol": "tcp",
                                          "start_port": 22, "end_port": None}),
        ("ex_create_port_forwarding_rule", {
            "node": node, "address": "addr", "private_port": 22, "public_port": 2222,
            "protocol": "tcp", "public_end_port": None, "private_end_port": None,
            "openfirewall": True, "network_id": "n1"}),
        ("ex_delete_ip_forwarding_rule", {"node": node, "rule": "r1"}),
        ("ex_delete_port_forwarding_rule", {"node": node, "rule": "r2"}),
        ("ex_start", {"node": node}),
        ("ex_stop", {"node": node}),
        ("ex_restore", {"node": node, "template": None}),
        ("ex_change_node_size", {"node": node, "offering": "off"}),
    ]


def test_cloudstack_models(driver: CloudStackNodeDriver) -> None:
    project = CloudStackProject("p1", "name", "display", driver)
    assert repr(project) == (
        "<CloudStackProject: id=p1, name=name, display_text=display, driver=CloudStack>")
    one = CloudStackDiskOffering("d1", "small", 10, False)
    assert one == CloudStackDiskOffering("d1", "other", 20, True)
    assert one != CloudStackDiskOffering("d2", "small", 10, False)
    assert len({one, CloudStackDiskOffering("d1", "x", 1, True)}) == 1
    assert repr(one) == "<CloudStackDiskOffering: id=d1, name=small, size=10, customizable=False>"
