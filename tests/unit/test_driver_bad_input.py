"""Bad input: TypeError/ValueError naming the argument, and no request sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cloudstack_driver import (
    CloudStackNode,
    KeyPair,
    NodeAuthPassword,
    NodeImage,
    NodeSize,
    NodeState,
    StorageVolume,
)

Call = Callable[[Any, Any], Any]


def parts(driver: Any) -> dict[str, Any]:
    return {
        "size": NodeSize("s1", "tiny", 100, 0, 0, 0, driver),
        "image": NodeImage("t1", "tiny Linux", driver),
        "node": CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver),
        "volume": StorageVolume("v1", "data", 10, driver),
    }


CASES: list[tuple[str, Call, type[Exception], str]] = [
    ("image as str", lambda d, p: d.create_node("n", p["size"], "tiny Linux"),
     TypeError, r"create_node\(\): 'image' must be a NodeImage, got str 'tiny Linux'"),
    ("size as str", lambda d, p: d.create_node("n", "s1", p["image"]),
     TypeError, "'size' must be a NodeSize"),
    ("empty name", lambda d, p: d.create_node("", p["size"], p["image"]),
     ValueError, "'name' must not be empty"),
    ("blank name", lambda d, p: d.create_node("  ", p["size"], p["image"]),
     ValueError, "'name' must not be empty"),
    ("unknown kwarg", lambda d, p: d.create_node("n", p["size"], p["image"], ex_colour="red"),
     TypeError, "ex_colour"),
    ("location as str", lambda d, p: d.create_node("n", p["size"], p["image"], location="z1"),
     TypeError, "'location' must be a NodeLocation"),
    ("networks as dicts", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                     networks=[{"id": "net-1"}]),
     TypeError, r"'networks\[0\]' must be an object with an id"),
    ("groups as str", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                 ex_security_groups="default"),
     TypeError, "'ex_security_groups' must be a list"),
    ("project as str", lambda d, p: d.create_node("n", p["size"], p["image"], project="p1"),
     TypeError, "'project' must be a CloudStackProject"),
    ("start_vm as str", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                   ex_start_vm="yes"),
     TypeError, "'ex_start_vm' must be a bool"),
    ("empty userdata", lambda d, p: d.create_node("n", p["size"], p["image"], ex_userdata=""),
     ValueError, "'ex_userdata' is empty"),
    ("empty userdata bytes", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                        ex_userdata=b""),
     ValueError, "'ex_userdata' is empty"),
    ("rootdisksize 0", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                  ex_rootdisksize=0),
     ValueError, "'ex_rootdisksize' must be >= 1"),
    ("password auth", lambda d, p: d.create_node("n", p["size"], p["image"],
                                                 auth=NodeAuthPassword("pw")),
     ValueError, "NodeAuthPassword is not supported"),
    ("auth as str", lambda d, p: d.create_node("n", p["size"], p["image"], auth="ssh-rsa A"),
     TypeError, "'auth' must be a NodeAuthSSHKey"),
    ("node id for node", lambda d, p: d.reboot_node("vm-1"),
     TypeError, r"reboot_node\(\): 'node' must be a Node, got str 'vm-1'"),
    ("node id for destroy", lambda d, p: d.destroy_node("vm-1"), TypeError, "'node'"),
    ("expunge as str", lambda d, p: d.destroy_node(p["node"], ex_expunge="yes"),
     TypeError, "'ex_expunge'"),
    ("stop force as int", lambda d, p: d.stop_node(p["node"], ex_force=1),
     TypeError, "'ex_force'"),
    ("start by id", lambda d, p: d.start_node("vm-1"), TypeError, "'node'"),
    ("ex_get_node empty", lambda d, p: d.ex_get_node(""), ValueError, "'node_id'"),
    ("restore template str", lambda d, p: d.ex_restore(p["node"], template="t1"),
     TypeError, "'template' must be a NodeImage"),
    ("scale offering str", lambda d, p: d.ex_change_node_size(p["node"], "s1"),
     TypeError, "'offering' must be a NodeSize"),
    ("template filter", lambda d, p: d.list_images(ex_template_filter="mine"),
     ValueError, "'ex_template_filter' must be one of"),
    ("listall as str", lambda d, p: d.list_nodes(ex_listall="yes"),
     TypeError, r"list_nodes\(\): 'ex_listall' must be a bool"),
    ("sizes location", lambda d, p: d.list_sizes(location="z1"), TypeError, "'location'"),
    ("volume size str", lambda d, p: d.create_volume("ten", "data"), TypeError, "'size'"),
    ("volume size 0", lambda d, p: d.create_volume(0, "data"), ValueError, "'size'"),
    ("volume no size", lambda d, p: d.create_volume(None, "data"), TypeError, "'size'"),
    ("volume empty name", lambda d, p: d.create_volume(10, ""), ValueError, "'name'"),
    ("volume snapshot str", lambda d, p: d.create_volume(10, "d", snapshot="s1"),
     TypeError, "'snapshot' must be a VolumeSnapshot"),
    ("attach volume id", lambda d, p: d.attach_volume(p["node"], "v1"),
     TypeError, "'volume' must be a StorageVolume"),
    ("attach node id", lambda d, p: d.attach_volume("vm-1", p["volume"]), TypeError, "'node'"),
    ("attach device", lambda d, p: d.attach_volume(p["node"], p["volume"], device=-1),
     ValueError, "'device'"),
    ("detach id", lambda d, p: d.detach_volume("v1"), TypeError, "'volume'"),
    ("snapshot id", lambda d, p: d.destroy_volume_snapshot("s1"), TypeError, "'snapshot'"),
    ("snapshot name", lambda d, p: d.create_volume_snapshot(p["volume"], name=""),
     ValueError, "'name'"),
    ("list volumes node", lambda d, p: d.list_volumes(node="vm-1"), TypeError, "'node'"),
    ("key pair name", lambda d, p: d.delete_key_pair("laptop"),
     TypeError, "'key_pair' must be a KeyPair"),
    ("key pair kwargs", lambda d, p: d.delete_key_pair(KeyPair("k", None, None, d), x=1),
     TypeError, "x"),
    ("get key pair empty", lambda d, p: d.get_key_pair(""), ValueError, "'name'"),
    ("import empty key", lambda d, p: d.import_key_pair_from_string("k", " "),
     ValueError, "'key_material'"),
]


@pytest.mark.parametrize(("label", "call", "error", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_request(driver: Any, refused: Any, label: str, call: Call,
                                            error: type[Exception], message: str) -> None:
    with refused(error, match=message):
        call(driver, parts(driver))
