"""Nodes, images, sizes, locations: the exact parameters sent and the models returned."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import (
    CloudStackDiskOffering,
    CloudStackNode,
    CloudStackProject,
    ImageNotFoundError,
    NodeAuthSSHKey,
    NodeImage,
    NodeLocation,
    NodeNotFoundError,
    NodeSize,
    NodeState,
)

ZONE = {"id": "z1", "name": "Zone1", "networktype": "Advanced", "securitygroupsenabled": False}
SG_ZONE = {"id": "z2", "name": "Basic1", "networktype": "Basic", "securitygroupsenabled": True}

VM = {
    "id": "vm-1", "name": "toto", "displayname": "Toto", "state": "Running",
    "zoneid": "z1", "zonename": "Zone1", "templateid": "t1", "templatename": "tiny Linux",
    "templatedisplaytext": "tiny Linux 1.0", "serviceofferingid": "s1",
    "serviceofferingname": "tinyOffering", "passwordenabled": True, "haenable": False,
    "hypervisor": "KVM", "rootdeviceid": 0, "rootdevicetype": "ROOT", "keypairs": "mykey",
    "created": "2026-07-29T11:18:10+0000",
    "nic": [
        {"id": "n1", "ipaddress": "10.1.1.5", "ip6address": "2001:db8::5"},
        {"id": "n2", "ipaddress": "185.19.28.7", "ip6address": "2a04:c43:e00::7"},
        {"id": "n3", "ipaddress": "100.64.3.4"},
        {"id": "n4"},
    ],
    "securitygroup": [{"id": "g1", "name": "default"}],
    "affinitygroup": [{"id": "a1", "name": "spread"}],
    "tags": [{"key": "env", "value": "prod"}],
}


@pytest.fixture
def size(driver: Any) -> NodeSize:
    return NodeSize("s1", "tinyOffering", 100, 0, 0, 0, driver)


@pytest.fixture
def image(driver: Any) -> NodeImage:
    return NodeImage("t1", "tiny Linux", driver)


def test_list_nodes_maps_every_field(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [VM]})
    [node] = driver.list_nodes()
    assert wire(cs_sent("listVirtualMachines")[0]) == {}
    assert isinstance(node, CloudStackNode)
    assert (node.id, node.name, node.state) == ("vm-1", "toto", NodeState.RUNNING)
    assert node.private_ips == ["10.1.1.5", "100.64.3.4"]
    assert node.public_ips == ["185.19.28.7", "2001:db8::5", "2a04:c43:e00::7"]
    assert node.created_at == datetime(2026, 7, 29, 11, 18, 10, tzinfo=timezone.utc)
    extra = node.extra
    assert extra["ipv6_addresses"] == ["2001:db8::5", "2a04:c43:e00::7"]
    assert extra["state"] == "Running"
    assert extra["zone_id"] == "z1" and extra["zone_name"] == "Zone1"
    assert extra["image_id"] == "t1" and extra["image_name"] == "tiny Linux"
    assert extra["template_display_text"] == "tiny Linux 1.0"
    assert extra["size_id"] == "s1" and extra["size_name"] == "tinyOffering"
    assert extra["key_name"] == "mykey"
    assert extra["password_enabled"] is True and extra["haenable"] is False
    assert extra["password"] is None and extra["project_id"] is None
    assert extra["nics"] == VM["nic"] and extra["nics:"] == VM["nic"]
    assert extra["security_group"] == ["default"]
    assert extra["affinity_group"] == ["a1"]
    assert extra["tags"] == {"env": "prod"}
    assert extra["created"] == "2026-07-29T11:18:10+0000"
    assert extra["ip_addresses"] == [] and extra["port_forwarding_rules"] == []
    assert extra["ip_forwarding_rules"] == []


def test_list_nodes_filters(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVirtualMachines", {})
    project = CloudStackProject("p1", "proj", "Proj", driver)
    location = NodeLocation("z1", "Zone1", "Unknown", driver)
    assert driver.list_nodes(project=project, location=location, ex_listall=True) == []
    assert wire(cs_sent("listVirtualMachines")[0]) == {
        "projectid": "p1", "zoneid": "z1", "listall": "true"}


def test_list_nodes_pages_through_1200_vms(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    pages = [
        {"count": 1200, "virtualmachine": [
            {"id": f"vm-{p * 500 + i}", "name": f"n{p * 500 + i}", "state": "Stopped"}
            for i in range(500 if p < 2 else 200)]}
        for p in range(3)
    ]
    cs_answer("listVirtualMachines", pages)
    nodes = driver.list_nodes()
    assert len(nodes) == 1200
    assert len({n.id for n in nodes}) == 1200
    assert all(isinstance(n, CloudStackNode) and n.state == "stopped" for n in nodes)
    sent = cs_sent("listVirtualMachines")
    assert [(s["page"], s["pagesize"]) for s in sent] == [("1", "500"), ("2", "500"),
                                                          ("3", "500")]


def test_list_nodes_calls_the_network_details_hook(driver: Any, cs_answer: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [VM]})
    seen: list[Any] = []

    def hook(nodes: list[Any], *, projectid: Any = None, zoneid: Any = None,
             listall: Any = None) -> None:
        seen.append(([n.id for n in nodes], projectid, zoneid, listall))

    monkeypatch.setattr(driver, "_attach_network_details", hook)
    driver.list_nodes(location=NodeLocation("z1", "Zone1", "Unknown", driver))
    driver.list_nodes(ex_listall=True)
    assert seen == [(["vm-1"], None, "z1", None), (["vm-1"], None, None, True)]


@pytest.mark.parametrize(
    ("raw", "state"),
    [("Running", NodeState.RUNNING), ("Starting", NodeState.STARTING),
     ("Stopping", NodeState.STOPPING), ("Stopped", NodeState.STOPPED),
     ("Shutdown", NodeState.STOPPED), ("Destroyed", NodeState.TERMINATED),
     ("Expunging", NodeState.TERMINATED), ("Migrating", NodeState.MIGRATING),
     ("Error", NodeState.ERROR), ("Unknown", NodeState.UNKNOWN),
     ("Hibernating", NodeState.UNKNOWN), (None, NodeState.UNKNOWN)],
)
def test_every_vm_state_maps(driver: Any, cs_answer: Any, raw: Any, state: NodeState) -> None:
    vm: dict[str, Any] = {"id": "v", "name": "n"}
    if raw is not None:
        vm["state"] = raw
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [vm]})
    [node] = driver.list_nodes()
    assert node.state is state
    assert node.extra["state"] == raw


def test_state_map_is_class_data(driver: Any) -> None:
    assert driver.NODE_STATE_MAP["Shutdown"] is NodeState.STOPPED
    assert set(driver.NODE_STATE_MAP) == {
        "Running", "Starting", "Stopping", "Stopped", "Shutdown", "Destroyed", "Expunging",
        "Migrating", "Error", "Unknown"}


def test_create_node_minimal(driver: Any, cs_answer: Any, cs_answer_async: Any,
                             cs_sent: Any, size: NodeSize, image: NodeImage) -> None:
    cs_answer("listZones", {"count": 2, "zone": [ZONE, SG_ZONE]})
    cs_answer_async("deployVirtualMachine",
                    {"virtualmachine": {**VM, "state": "Running", "password": "Gen3rated"}},
                    entity_id="vm-1")
    node = driver.create_node(name="toto", size=size, image=image)
    assert wire(cs_sent("deployVirtualMachine")[0]) == {
        "name": "toto", "serviceofferingid": "s1", "templateid": "t1", "zoneid": "z1"}
    assert cs_sent("deployVirtualMachine")[0].get("startvm") is None
    assert isinstance(node, CloudStackNode)
    assert node.extra["password"] == "Gen3rated"
    assert "Gen3rated" not in repr(node)
    assert node.name == "toto"


def test_create_node_sends_every_argument(mock_driver: Any, cs_answer_async: Any,
                                          cs_sent: Any, size: NodeSize,
                                          image: NodeImage) -> None:
    driver, mocker = mock_driver
    cs_answer_async("deployVirtualMachine", {"virtualmachine": VM})

    class Ref:
        def __init__(self, id: str) -> None:
            self.id = id

    driver._zones = [SG_ZONE]
    location = NodeLocation("z2", "Basic1", "Unknown", driver)
    driver.create_node(
        "toto", size, image, location=location, networks=[Ref("net1"), Ref("net2")],
        project=CloudStackProject("p1", "proj", "Proj", driver),
        diskoffering=CloudStackDiskOffering("d1", "small", 10, False), ex_keyname="mykey",
        ex_userdata="#!/bin/sh\necho héllo ~\n", ex_security_groups=["default", "web"],
        ex_displayname="Toto VM", ex_ip_address="10.1.1.9", ex_start_vm=False,
        ex_rootdisksize=20, ex_affinity_groups=[Ref("a1")],
    )
    assert wire(cs_sent("deployVirtualMachine")[0]) == {
        "name": "toto", "serviceofferingid": "s1", "templateid": "t1", "zoneid": "z2",
        "networkids": "net1,net2", "projectid": "p1", "diskofferingid": "d1",
        "keypair": "mykey",
        "userdata": base64.b64encode("#!/bin/sh\necho héllo ~\n".encode()).decode(),
        "securitygroupnames": "default,web", "displayname": "Toto VM",
        "ipaddress": "10.1.1.9", "startvm": "false", "rootdisksize": "20",
        "affinitygroupids": "a1",
    }
    deploy = [r for r in mocker.request_history if "deployVirtualMachine" in (r.text or "")]
    assert [r.method for r in deploy] == ["POST"]  # state-changing: a form body
    assert mocker.call_count == 2  # no listZones: the location's zone was cached


def test_create_node_userdata_bytes(driver: Any, cs_answer: Any, cs_answer_async: Any,
                                    cs_sent: Any, size: NodeSize, image: NodeImage) -> None:
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer_async("deployVirtualMachine", {"virtualmachine": VM})
    driver.create_node("toto", size, image, ex_userdata=b"\x00\xffbin", ex_start_vm=True)
    sent = cs_sent("deployVirtualMachine")[0]
    assert sent["userdata"] == base64.b64encode(b"\x00\xffbin").decode()
    assert sent["startvm"] == "true"


def test_security_groups_in_a_zone_without_them(driver: Any, cs_answer: Any, cs_sent: Any,
                                                size: NodeSize, image: NodeImage) -> None:
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    with pytest.raises(ValueError, match=r"'ex_security_groups'.*zone 'Zone1'"):
        driver.create_node("toto", size, image, ex_security_groups=["default"])
    assert cs_sent("deployVirtualMachine") == []


def test_auth_ssh_key_picks_the_registered_key_pair(
        driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any, size: NodeSize,
        image: NodeImage) -> None:
    blob = base64.b64encode(b"\x00\x00\x00\x07ssh-rsa-fake-key").decode()
    import hashlib

    digest = hashlib.md5(base64.b64decode(blob)).hexdigest()
    fingerprint = ":".join(digest[i:i + 2] for i in range(0, 32, 2))
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer("listSSHKeyPairs", {"count": 1, "sshkeypair": [
        {"name": "laptop", "fingerprint": fingerprint}]})
    cs_answer_async("deployVirtualMachine", {"virtualmachine": VM})
    driver.create_node("toto", size, image, auth=NodeAuthSSHKey(f"ssh-rsa {blob} me@host"))
    assert wire(cs_sent("listSSHKeyPairs")[0]) == {"fingerprint": fingerprint}
    assert cs_sent("deployVirtualMachine")[0]["keypair"] == "laptop"


def test_auth_ssh_key_not_registered(driver: Any, cs_answer: Any, cs_sent: Any,
                                     size: NodeSize, image: NodeImage) -> None:
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer("listSSHKeyPairs", {})
    blob = base64.b64encode(b"key-bytes").decode()
    with pytest.raises(ValueError, match="import_key_pair_from_string"):
        driver.create_node("toto", size, image, auth=NodeAuthSSHKey(f"ssh-ed25519 {blob}"))
    assert cs_sent("deployVirtualMachine") == []


def test_auth_ssh_key_with_keyname_uses_the_keyname(
        driver: Any, cs_answer: Any, cs_answer_async: Any, cs_sent: Any, size: NodeSize,
        image: NodeImage) -> None:
    cs_answer("listZones", {"count": 1, "zone": [ZONE]})
    cs_answer_async("deployVirtualMachine", {"virtualmachine": VM})
    driver.create_node("toto", size, image, ex_keyname="mine",
                       auth=NodeAuthSSHKey("ssh-rsa AAAA"))
    assert cs_sent("listSSHKeyPairs") == []
    assert cs_sent("deployVirtualMachine")[0]["keypair"] == "mine"


@pytest.mark.parametrize(
    ("call", "command", "expected"),
    [
        (lambda d, n: d.reboot_node(n), "rebootVirtualMachine", {"id": "vm-1"}),
        (lambda d, n: d.start_node(n), "startVirtualMachine", {"id": "vm-1"}),
        (lambda d, n: d.stop_node(n), "stopVirtualMachine", {"id": "vm-1"}),
        (lambda d, n: d.stop_node(n, ex_force=True), "stopVirtualMachine",
         {"id": "vm-1", "forced": "true"}),
        (lambda d, n: d.destroy_node(n), "destroyVirtualMachine", {"id": "vm-1"}),
        (lambda d, n: d.destroy_node(n, ex_expunge=True), "destroyVirtualMachine",
         {"id": "vm-1", "expunge": "true"}),
        (lambda d, n: n.reboot(), "rebootVirtualMachine", {"id": "vm-1"}),
        (lambda d, n: n.destroy(), "destroyVirtualMachine", {"id": "vm-1"}),
    ],
)
def test_node_actions(driver: Any, cs_answer_async: Any, cs_sent: Any, call: Any,
                      command: str, expected: dict[str, str]) -> None:
    cs_answer_async(command, {"virtualmachine": {"id": "vm-1", "state": "Stopped"}})
    node = CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver)
    assert call(driver, node) is True
    assert wire(cs_sent(command)[0]) == expected


def test_ex_start_and_ex_stop_return_the_new_state(driver: Any, cs_answer_async: Any,
                                                   cs_sent: Any) -> None:
    node = CloudStackNode("vm-1", "n", NodeState.STOPPED, [], [], driver)
    cs_answer_async("startVirtualMachine", {"virtualmachine": {"id": "vm-1",
                                                               "state": "Running"}})
    cs_answer_async("stopVirtualMachine", {"virtualmachine": {"id": "vm-1",
                                                              "state": "Stopped"}})
    assert node.ex_start() == "Running"
    assert driver.ex_stop(node, ex_force=False) == "Stopped"
    assert wire(cs_sent("stopVirtualMachine")[0]) == {"id": "vm-1", "forced": "false"}


def test_ex_restore_and_change_size(driver: Any, cs_answer_async: Any, cs_sent: Any,
                                    size: NodeSize, image: NodeImage) -> None:
    node = CloudStackNode("vm-1", "n", NodeState.RUNNING, [], [], driver)
    cs_answer_async("restoreVirtualMachine", {"virtualmachine": {"id": "vm-1",
                                                                 "templateid": "t1"}})
    cs_answer_async("scaleVirtualMachine", {"virtualmachine": {"id": "vm-1",
                                                               "serviceofferingid": "s1"}})
    assert node.ex_restore(template=image) == "t1"
    assert wire(cs_sent("restoreVirtualMachine")[0]) == {"virtualmachineid": "vm-1",
                                                         "templateid": "t1"}
    assert node.ex_change_node_size(size) == "s1"
    assert wire(cs_sent("scaleVirtualMachine")[0]) == {"id": "vm-1", "serviceofferingid": "s1"}


def test_ex_get_node(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVirtualMachines", {"count": 1, "virtualmachine": [VM]})
    node = driver.ex_get_node("vm-1", project=CloudStackProject("p1", "p", "P", driver))
    assert node.id == "vm-1"
    assert wire(cs_sent("listVirtualMachines")[0]) == {"id": "vm-1", "projectid": "p1"}


def test_ex_get_node_absent(driver: Any, cs_answer: Any) -> None:
    cs_answer("listVirtualMachines", {})
    with pytest.raises(NodeNotFoundError, match="vm-9") as info:
        driver.ex_get_node("vm-9")
    assert info.value.driver is driver


def test_ex_get_node_unknown_id_431(driver: Any, cs_answer: Any) -> None:
    cs_answer("listVirtualMachines", {"errorcode": 431, "cserrorcode": 4350,
                                      "errortext": "entity does not exist"}, status=431)
    with pytest.raises(NodeNotFoundError) as info:
        driver.ex_get_node("vm-9")
    assert info.value.__cause__ is not None
    assert info.value.__cause__.errorcode == 431  # type: ignore[attr-defined]


def test_list_images(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listTemplates", {"count": 1, "template": [
        {"id": "13ccff62-132b-4caf-b456-e8ef20cbff0e", "name": "tiny Linux",
         "hypervisor": "KVM", "format": "QCOW2", "ostypename": "Other Linux",
         "displaytext": "tiny", "size": 2147483648}]})
    [image] = driver.list_images()
    assert wire(cs_sent("listTemplates")[0]) == {"templatefilter": "executable"}
    assert repr(image) == ("<NodeImage: id=13ccff62-132b-4caf-b456-e8ef20cbff0e, "
                           "name=tiny Linux, driver=CloudStack  ...>")
    assert image.extra["os"] == "Other Linux" and image.extra["size"] == 2147483648
    driver.list_images(location=NodeLocation("z1", "Z", "Unknown", driver),
                       ex_template_filter="featured")
    assert wire(cs_sent("listTemplates")[1]) == {"templatefilter": "featured", "zoneid": "z1"}


def test_get_image(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listTemplates", [{"count": 1, "template": [{"id": "t1", "name": "x"}]}, {}])
    assert driver.get_image("t1").id == "t1"
    assert wire(cs_sent("listTemplates")[0]) == {"templatefilter": "executable", "id": "t1"}
    with pytest.raises(ImageNotFoundError, match="t2"):
        driver.get_image("t2")


def test_list_sizes_matches_seed(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listServiceOfferings", {"count": 2, "serviceoffering": [
        {"id": "ef2537ad-c70f-11e1-821b-0800277e749c", "name": "tinyOffering", "memory": 100,
         "cpunumber": 1},
        {"id": "c66c2557-12a7-4b32-94f4-48837da3fa84", "name": "Small Instance",
         "memory": "512", "cpunumber": 1}]})
    sizes = driver.list_sizes(location=NodeLocation("z1", "Z", "Unknown", driver))
    assert wire(cs_sent("listServiceOfferings")[0]) == {"zoneid": "z1"}
    assert [repr(s) for s in sizes] == [
        "<NodeSize: id=ef2537ad-c70f-11e1-821b-0800277e749c, name=tinyOffering, ram=100 "
        "disk=0 bandwidth=0 price=0 driver=CloudStack ...>",
        "<NodeSize: id=c66c2557-12a7-4b32-94f4-48837da3fa84, name=Small Instance, ram=512 "
        "disk=0 bandwidth=0 price=0 driver=CloudStack ...>",
    ]
    assert sizes[0].extra["cpu"] == 1


def test_empty_lists_are_empty(driver: Any, cs_answer: Any) -> None:
    for command in ("listServiceOfferings", "listZones", "listSnapshots", "listOsTypes",
                    "listProjects", "listDiskOfferings"):
        cs_answer(command, {})
    assert driver.list_sizes() == []
    assert driver.list_locations() == []
    assert driver.list_snapshots() == []
    assert driver.ex_list_os_types() == []
    assert driver.ex_list_projects() == []
    assert driver.ex_list_disk_offerings() == []


def test_list_locations(driver: Any, cs_answer: Any) -> None:
    cs_answer("listZones", {"count": 2, "zone": [ZONE, SG_ZONE]})
    zones = driver.list_locations()
    assert [repr(z) for z in zones] == [
        "<NodeLocation: id=z1, name=Zone1, country=Unknown, driver=CloudStack>",
        "<NodeLocation: id=z2, name=Basic1, country=Unknown, driver=CloudStack>",
    ]
    assert zones[1].extra == {"network_type": "Basic", "security_groups_enabled": True}


def test_projects_and_os_types(driver: Any, cs_answer: Any) -> None:
    cs_answer("listProjects", {"count": 1, "project": [
        {"id": "p1", "name": "proj", "displaytext": "The project", "state": "Active",
         "account": "admin", "vmlimit": "Unlimited", "vmtotal": 3, "cpuavailable": "7"}]})
    cs_answer("listOsTypes", {"count": 1, "ostype": [{"id": "o1", "description": "Linux"}]})
    [project] = driver.ex_list_projects()
    assert (project.id, project.name, project.display_text) == ("p1", "proj", "The project")
    # limits as the server sent them, "Unlimited" included (libcloud's values)
    assert project.extra["vmlimit"] == "Unlimited" and project.extra["vmtotal"] == 3
    assert project.extra["cpuavailable"] == "7" and project.extra["state"] == "Active"
    assert project.extra["iplimit"] is None
    assert driver.ex_list_os_types() == [{"id": "o1", "description": "Linux"}]


def test_create_node_without_any_zone(driver: Any, cs_answer: Any, cs_sent: Any,
                                      size: NodeSize, image: NodeImage) -> None:
    from cloudstack_driver import LibcloudError

    cs_answer("listZones", {})
    with pytest.raises(LibcloudError, match="no zone"):
        driver.create_node("toto", size, image)
    assert cs_sent("deployVirtualMachine") == []


def test_zone_cache_is_refreshed_once_on_a_miss(driver: Any, cs_answer: Any, cs_sent: Any,
                                                cs_answer_async: Any, size: NodeSize,
                                                image: NodeImage) -> None:
    cs_answer("listZones", [{"count": 1, "zone": [ZONE]},
                            {"count": 2, "zone": [ZONE, SG_ZONE]}])
    cs_answer_async("deployVirtualMachine", {"virtualmachine": VM})
    driver.create_node("a", size, image)
    driver.create_node("b", size, image, ex_security_groups=["default"],
                       location=NodeLocation("z2", "Basic1", "Unknown", driver))
    driver.create_node("c", size, image)
    assert len(cs_sent("listZones")) == 2
    assert [s["zoneid"] for s in cs_sent("deployVirtualMachine")] == ["z1", "z2", "z1"]
    assert cs_sent("deployVirtualMachine")[1]["securitygroupnames"] == "default"
