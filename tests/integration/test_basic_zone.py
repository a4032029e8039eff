"""The seed's basic-zone walk-through against the simulator over real HTTP: key pairs, security
groups (ingress and egress, exact names, by name or id), a node with a key pair and security
groups, and 32 KB of user data (the server's vm.userdata.max.length) read back intact."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from cloudstack_driver import (
    CloudStackNodeDriver,
    KeyPairDoesNotExistError,
    LibcloudError,
    NodeState,
    ResourceInUseError,
)
from cloudstack_driver.cloudstack.sgmodels import CloudStackSecurityGroup
from cloudstack_driver.errors import InvalidParameterError

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzhAH4s4WBuY+6ul6bG9pN7s4mHuE9cG3VmdkQ"
              "k4P5T test@example")


def _basic_zone(driver: CloudStackNodeDriver) -> object:
    [zone] = [z for z in driver.list_locations() if z.extra["network_type"] == "Basic"]
    assert zone.extra["security_groups_enabled"] is True
    return zone


def test_key_pairs_walk_through(conn: CloudStackNodeDriver, tmp_path: Path) -> None:
    created = conn.create_key_pair(name="test-key-pair-1")
    assert created.private_key and "PRIVATE KEY" in created.private_key
    assert created.fingerprint and "PRIVATE" not in repr(created)
    key_file = tmp_path / "id_rsa_test.pub"
    key_file.write_text(PUBLIC_KEY + "\n", encoding="utf-8")
    imported = conn.import_key_pair_from_file(name="test-key-pair-2",
                                              key_file_path=str(key_file))
    assert imported.public_key == PUBLIC_KEY and imported.private_key is None
    fetched = conn.get_key_pair(name="test-key-pair-1")
    assert fetched.fingerprint == created.fingerprint and fetched.private_key is None
    assert sorted(k.name for k in conn.list_key_pairs()) == [
        "test-key-pair-1", "test-key-pair-2"]
    assert conn.delete_key_pair(key_pair=fetched) is True
    with pytest.raises(KeyPairDoesNotExistError):
        conn.get_key_pair(name="test-key-pair-1")


def test_security_groups_walk_through(conn: CloudStackNodeDriver) -> None:
    groups = conn.ex_list_security_groups()
    assert [g["name"] for g in groups] == ["default"]
    sg = conn.ex_create_security_group(name="test-security-group")
    assert isinstance(sg, CloudStackSecurityGroup) and sg["name"] == sg.name
    result = conn.ex_authorize_security_group_ingress(
        securitygroupname="test-security-group", protocol="tcp", startport="22",
        cidrlist="0.0.0.0/0")
    [rule] = result.ingress_rules
    assert (rule.protocol, rule.start_port, rule.end_port, rule.cidr) == (
        "tcp", 22, 22, "0.0.0.0/0")
    [listed] = conn.ex_list_security_groups(securitygroupname="test-security-group")
    assert listed["ingressrule"][0]["ruleid"] == rule.id
    assert conn.ex_delete_security_group(name="test-security-group") is True
    assert [g.name for g in conn.ex_list_security_groups()] == ["default"]


def test_exact_names_and_delete_by_object(conn: CloudStackNodeDriver) -> None:
    webserver = conn.ex_create_security_group("webserver", description="front")
    web = conn.ex_create_security_group("web")
    assert web.id != webserver.id and webserver.description == "front"
    with pytest.raises(LibcloudError, match="'web' already exists"):
        conn.ex_create_security_group("web")
    assert conn.ex_delete_security_group(webserver) is True
    assert sorted(g.name or "" for g in conn.ex_list_security_groups()) == [
        "default", "web"]
    # nothing is listed first: the server answers for a group that is gone (as libcloud)
    with pytest.raises(InvalidParameterError, match="webserver"):
        conn.ex_delete_security_group("webserver")


def test_rules_ingress_egress_icmp_and_revoke(conn: CloudStackNodeDriver) -> None:
    conn.ex_create_security_group("rules")
    ranged = conn.ex_authorize_security_group_ingress(
        "rules", "UDP", ["10.0.0.0/8", "192.168.0.0/16"], 5000, 5010)
    assert sorted((r.cidr, r.start_port, r.end_port) for r in ranged.ingress_rules) == [
        ("10.0.0.0/8", 5000, 5010), ("192.168.0.0/16", 5000, 5010)]
    ping = conn.ex_authorize_security_group_ingress("rules", "icmp", "0.0.0.0/0",
                                                    icmptype=8, icmpcode=0)
    assert any(r.icmp_type == 8 and r.icmp_code == 0 for r in ping.ingress_rules)
    out = conn.ex_authorize_security_group_egress("rules", "tcp", "0.0.0.0/0", 443)
    [egress] = out.egress_rules
    assert egress.direction == "egress" and egress.start_port == 443
    [group] = conn.ex_list_security_groups(securitygroupname="rules")
    assert len(group.ingress_rules) == 3 and len(group.egress_rules) == 1
    for found in group.ingress_rules:
        assert conn.ex_revoke_security_group_ingress(found.id or "") is True
    assert conn.ex_revoke_security_group_egress(group.egress_rules[0]) is True
    [group] = conn.ex_list_security_groups(securitygroupname="rules")
    assert group.ingress_rules == [] and group.egress_rules == []


def test_node_with_key_pair_and_security_groups(conn: CloudStackNodeDriver) -> None:
    conn.import_key_pair_from_string("keypairname", PUBLIC_KEY)
    for name in ("secgroup1", "secgroup2"):
        conn.ex_create_security_group(name=name)
    size, image = conn.list_sizes()[0], conn.list_images()[0]
    node = conn.create_node(name="test-node-1", image=image, size=size,
                            location=_basic_zone(conn),
                            ex_security_groups=["secgroup1", "secgroup2"],
                            ex_keyname="keypairname")
    assert node.state == NodeState.RUNNING
    assert sorted(node.extra["security_group"]) == ["secgroup1", "secgroup2"]
    assert node.extra["key_name"] == "keypairname"
    members = conn.ex_list_security_groups(virtualmachineid=node.id)
    assert sorted(g.name or "" for g in members) == ["secgroup1", "secgroup2"]
    assert all(g.virtual_machine_ids == [node.id] for g in members)
    with pytest.raises(ResourceInUseError):
        conn.ex_delete_security_group("secgroup1")
    with pytest.raises(InvalidParameterError, match="Unable to find group by name nope"):
        conn.create_node(name="bad", image=image, size=size,
                         ex_security_groups=["nope"])


def test_32k_user_data_round_trips(conn: CloudStackNodeDriver) -> None:
    # vm.userdata.max.length (32768) limits the base64 text: 24 KiB of data is 32 KiB on the
    # wire, four times what a GET request may carry.
    data = os.urandom(24 * 1024)
    assert len(base64.b64encode(data)) == 32 * 1024
    size, image = conn.list_sizes()[0], conn.list_images()[0]
    node = conn.create_node(name="userdata", image=image, size=size, ex_userdata=data)
    assert conn.ex_get_node_userdata(node) == data
    text = "#cloud-config\n" + "runcmd: [echo héllo]\n" * 1000
    other = conn.create_node(name="text", image=image, size=size, ex_userdata=text)
    assert conn.ex_get_node_userdata(other.id or "").decode("utf-8") == text
    plain = conn.create_node(name="plain", image=image, size=size)
    assert conn.ex_get_node_userdata(plain) == b""


def test_user_data_over_the_server_limit_is_refused(conn: CloudStackNodeDriver) -> None:
    size, image = conn.list_sizes()[0], conn.list_images()[0]
    with pytest.raises(InvalidParameterError, match="too long for an http POST"):
        conn.create_node(name="big", image=image, size=size,
                         ex_userdata=b"x" * (24 * 1024 + 3))
