"""The asyncio driver (issue 15) against the simulator over real HTTP: every method family in
both zones, model methods awaited, ``ex_wait=False`` handles, ``create_nodes``, ``api`` and
``connection.request``; the same models and the same errors as the sync driver.

Each test runs one coroutine with ``asyncio.run`` (no pytest-asyncio) and, before the driver is
closed, checks that the driver left no task of its own on the loop.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import inspect
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from cloudstack_driver import (
    AsyncJobError,
    CloudStackNode,
    CloudStackNodeDriver,
    InvalidParameterError,
    JobHandle,
    KeyPairDoesNotExistError,
    LibcloudError,
    NodeImage,
    NodeLocation,
    NodeSize,
    NodeState,
    ResourceInUseError,
    StorageVolume,
    VolumeSnapshot,
)
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.cloudstack.netmodels import CloudStackNetwork
from cloudstack_driver.cloudstack.sgmodels import CloudStackSecurityGroup
from cloudstack_driver.errors import (
    CloudStackError,
    NodeNotFoundError,
    UnsupportedCommandError,
    VolumeNotFoundError,
)
from cloudstack_driver.simulator import Simulator

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzhAH4s4WBuY+6ul6bG9pN7s4mHuE9cG3VmdkQ"
              "k4P5T test@example")


def _options() -> dict[str, Any]:
    return {"poll_interval": 0.01, "max_retries": 0, "retry_delay": 0, "job_timeout": 30}


def _adriver(sim: Simulator, **options: Any) -> AsyncCloudStackNodeDriver:
    return AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                     **{**_options(), **options})


@pytest.fixture
def sync(sim: Simulator) -> Iterator[CloudStackNodeDriver]:
    driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, **_options())
    try:
        yield driver
    finally:
        driver.connection.close()


def _run(sim: Simulator, scenario: Callable[[AsyncCloudStackNodeDriver], Awaitable[None]],
         **options: Any) -> None:
    """Run ``scenario(driver)`` on a fresh loop; the driver is closed after, and must have left
    no task of its own behind before that."""

    async def main() -> None:
        async with _adriver(sim, **options) as driver:
            await scenario(driver)
            assert driver.connection.hub.pending == 0
            left = {t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task()}
            assert left == set(), left

    asyncio.run(main())


async def _zone(driver: AsyncCloudStackNodeDriver, kind: str) -> NodeLocation:
    return next(z for z in await driver.list_locations() if z.extra["network_type"] == kind)


def _key(obj: Any) -> tuple[Any, ...]:
    return (type(obj), obj.id, getattr(obj, "name", None))


# -- catalog: the same models as the sync driver ---------------------------------------------

def test_locations_sizes_images_match_the_sync_driver(sim: Simulator,
                                                      sync: CloudStackNodeDriver) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zones = await d.list_locations()
        sizes = await d.list_sizes()
        images = await d.list_images()
        assert [_key(z) for z in zones] == [_key(z) for z in sync.list_locations()]
        assert [_key(s) for s in sizes] == [_key(s) for s in sync.list_sizes()]
        assert [_key(i) for i in images] == [_key(i) for i in sync.list_images()]
        assert {z.extra["network_type"] for z in zones} == {"Basic", "Advanced"}
        assert all(isinstance(s, NodeSize) and s.driver is d for s in sizes)
        assert all(isinstance(i, NodeImage) and i.driver is d for i in images)
        advanced = next(z for z in zones if z.extra["network_type"] == "Advanced")
        assert [_key(i) for i in await d.list_images(location=advanced)] == [
            _key(i) for i in sync.list_images(location=advanced)]
        image = await d.get_image(images[0].id)
        assert _key(image) == _key(images[0])
        assert [o["id"] for o in await d.ex_list_os_types()] == [
            o["id"] for o in sync.ex_list_os_types()]
        assert [_key(o) for o in await d.ex_list_disk_offerings()] == [
            _key(o) for o in sync.ex_list_disk_offerings()]
        assert await d.ex_limits() == sync.ex_limits()

    _run(sim, scenario)


# -- the basic zone ------------------------------------------------------------------------

def test_key_pairs(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        created = await d.create_key_pair(name="aio-1")
        assert created.private_key and "PRIVATE KEY" in created.private_key
        imported = await d.import_key_pair_from_string("aio-2", PUBLIC_KEY)
        assert imported.public_key == PUBLIC_KEY and imported.private_key is None
        fetched = await d.get_key_pair(name="aio-1")
        assert fetched.fingerprint == created.fingerprint and fetched.driver is d
        assert sorted(k.name for k in await d.list_key_pairs()) == ["aio-1", "aio-2"]
        assert await d.delete_key_pair(key_pair=fetched) is True
        with pytest.raises(KeyPairDoesNotExistError) as info:
            await d.get_key_pair(name="aio-1")
        assert info.value.name == "aio-1"
        with pytest.warns(DeprecationWarning, match=r"ex_create_keypair\(\) is deprecated"):
            legacy = await d.ex_create_keypair("aio-3")
        assert legacy["name"] == "aio-3" and "privateKey" in legacy
        with pytest.warns(DeprecationWarning, match="ex_list_keypairs"):
            assert {k["name"] for k in await d.ex_list_keypairs()} == {"aio-2", "aio-3"}
        with pytest.warns(DeprecationWarning, match="ex_delete_keypair"):
            assert await d.ex_delete_keypair("aio-3") is True
        assert sorted(k["name"] for k in sim.cloud.tables["sshkeypair"].values()) == ["aio-2"]

    _run(sim, scenario)


def test_security_groups_in_the_basic_zone(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        assert [g.name for g in await d.ex_list_security_groups()] == ["default"]
        group = await d.ex_create_security_group("aio-web", description="front")
        assert isinstance(group, CloudStackSecurityGroup) and group.driver is d
        with pytest.raises(LibcloudError, match="'aio-web' already exists"):
            await d.ex_create_security_group("aio-web")
        ingress = await d.ex_authorize_security_group_ingress("aio-web", "tcp", "0.0.0.0/0",
                                                              22)
        [rule] = ingress.ingress_rules
        assert (rule.protocol, rule.start_port, rule.end_port) == ("tcp", 22, 22)
        egress = await d.ex_authorize_security_group_egress("aio-web", "tcp", "0.0.0.0/0",
                                                            443)
        [out] = egress.egress_rules
        assert out.direction == "egress"
        [listed] = await d.ex_list_security_groups(securitygroupname="aio-web")
        assert len(listed.ingress_rules) == 1 and len(listed.egress_rules) == 1
        assert await d.ex_revoke_security_group_ingress(rule.id or "") is True
        assert await d.ex_revoke_security_group_egress(out) is True
        assert await d.ex_delete_security_group(listed) is True  # by the listed object
        assert [g.name for g in await d.ex_list_security_groups()] == ["default"]
        assert [g["name"] for g in sim.cloud.tables["securitygroup"].values()] == ["default"]

    _run(sim, scenario)


def test_security_group_model_delete(sim: Simulator) -> None:
    """``await group.delete()`` deletes the group. (Fails today on the sync driver too:
    ``CloudStackSecurityGroup.delete`` sends ``deleteSecurityGroup(name=<its id>)``.)"""

    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        group = await d.ex_create_security_group("aio-model")
        assert await group.delete() is True
        assert [g["name"] for g in sim.cloud.tables["securitygroup"].values()] == ["default"]

    _run(sim, scenario)


def test_node_life_cycle_in_the_basic_zone(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Basic")
        sizes, image = await d.list_sizes(), (await d.list_images())[0]
        await d.import_key_pair_from_string("kp", PUBLIC_KEY)
        await d.ex_create_security_group("sg1")
        data = b"#!/bin/sh\necho async\n" * 200
        node = await d.create_node("aio-node", sizes[0], image, zone, ex_keyname="kp",
                                   ex_security_groups=["sg1"], ex_userdata=data)
        assert isinstance(node, CloudStackNode) and node.driver is d
        assert node.state is NodeState.RUNNING and node.extra["key_name"] == "kp"
        assert node.extra["security_group"] == ["sg1"]
        assert await d.ex_get_node_userdata(node) == data
        vm = sim.cloud.tables["virtualmachine"][node.id]
        assert vm["name"] == "aio-node" and base64.b64decode(vm["_userdata"]) == data
        assert [n.id for n in await d.list_nodes()] == [node.id]
        assert [n.id for n in await d.list_nodes(location=zone)] == [node.id]
        fetched = await d.ex_get_node(node.id)
        assert (fetched.id, fetched.name, fetched.driver) == (node.id, "aio-node", d)
        with pytest.raises(ResourceInUseError):
            await d.ex_delete_security_group("sg1")

        assert await d.reboot_node(node) is True
        assert await node.reboot() is True
        assert await node.ex_stop() == "Stopped"
        assert sim.cloud.tables["virtualmachine"][node.id]["state"] == "Stopped"
        bigger = sizes[1]
        assert await d.ex_change_node_size(node, bigger) == bigger.id
        assert sim.cloud.tables["virtualmachine"][node.id]["serviceofferingid"] == bigger.id
        assert await node.ex_start() == "Running"
        assert await d.stop_node(node) is True
        assert await d.start_node(node) is True
        [(ready, ips)] = await d.wait_until_running([node], wait_period=0.05, timeout=10)
        assert ready.id == node.id and ips == node.public_ips and ips
        assert await node.ex_restore() == image.id
        assert await node.destroy() is True
        assert sim.cloud.tables["virtualmachine"][node.id]["state"] in ("Destroyed",
                                                                         "Expunging")

    _run(sim, scenario)


def test_volumes_and_snapshots(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Basic")
        node = await d.create_node("disks", (await d.list_sizes())[0],
                                   (await d.list_images())[0], zone)
        volume = await d.create_volume(2, "aio-data", location=zone)
        assert isinstance(volume, StorageVolume) and volume.driver is d
        assert volume.size == 2 and volume.name == "aio-data"
        assert await volume.attach(node) is True
        assert sim.cloud.tables["volume"][volume.id]["virtualmachineid"] == node.id
        assert "aio-data" in [v.name for v in await d.list_volumes(node)]
        assert (await d.ex_get_volume(volume.id)).extra["instance_id"] == node.id
        snapshot = await d.create_volume_snapshot(volume, "snap-1")
        assert isinstance(snapshot, VolumeSnapshot) and snapshot.driver is d
        assert [s.id for s in await d.list_volume_snapshots(volume)] == [snapshot.id]
        assert snapshot.id in [s.id for s in await d.list_snapshots()]
        assert snapshot.id in sim.cloud.tables["snapshot"]
        copy = await d.create_volume(None, "from-snap", location=zone, snapshot=snapshot)
        assert copy.name == "from-snap"
        assert await snapshot.destroy() is True
        assert await d.list_volume_snapshots(volume) == []
        assert await volume.detach() is True
        assert sim.cloud.tables["volume"][volume.id].get("virtualmachineid") is None
        assert await volume.destroy() is True and await d.destroy_volume(copy) is True
        assert {v.name for v in await d.list_volumes()}.isdisjoint({"aio-data", "from-snap"})

    _run(sim, scenario)


def test_affinity_groups_tags_projects(sim: Simulator, sync: CloudStackNodeDriver) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        types = await d.ex_list_affinity_group_types()
        assert [t.type for t in types] == [t.type for t in sync.ex_list_affinity_group_types()]
        anti = next(t for t in types if t.type == "host anti-affinity")
        group = await d.ex_create_affinity_group("spread", anti)
        assert (group.name, group.type) == ("spread", anti)
        zone = await _zone(d, "Basic")
        node = await d.create_node("grouped", (await d.list_sizes())[0],
                                   (await d.list_images())[0], zone,
                                   ex_affinity_groups=[group])
        [listed] = await d.ex_list_affinity_groups()
        assert listed.virtualmachine_ids == [node.id]
        with pytest.raises(ResourceInUseError):
            await d.ex_delete_affinity_group(group)

        assert await d.ex_create_tags([node.id], "UserVm", {"env": "aio", "team": "x"}) is True
        tags = await d.connection.list("listTags", resourceid=node.id)
        assert {t["key"]: t["value"] for t in tags} == {"env": "aio", "team": "x"}
        assert await d.ex_delete_tags([node.id], "UserVm", ["env"]) is True
        assert [t["key"] for t in await d.connection.list("listTags", resourceid=node.id)] == [
            "team"]

        assert await node.destroy() is True
        await d.connection.request("expungeVirtualMachine", id=node.id)
        assert await group.delete() is True
        assert await d.ex_list_affinity_groups() == []

        await d.connection.request("createProject", name="aio-project", displaytext="p")
        projects = await d.ex_list_projects()
        assert [p.name for p in projects] == [p.name for p in sync.ex_list_projects()]
        [project] = [p for p in projects if p.name == "aio-project"]
        assert project.driver is d
        inside = await d.create_node("in-project", (await d.list_sizes())[0],
                                     (await d.list_images())[0], zone, project=project)
        assert [n.id for n in await d.list_nodes(project=project)] == [inside.id]
        assert inside.id not in [n.id for n in await d.list_nodes()]
        [(ready, _)] = await d.wait_until_running([inside], wait_period=0.05, timeout=10,
                                                  ex_list_nodes_kwargs={"project": project})
        assert ready.id == inside.id

    _run(sim, scenario)


# -- the advanced zone ---------------------------------------------------------------------

async def _guest_network(d: AsyncCloudStackNodeDriver, zone: NodeLocation) -> CloudStackNetwork:
    return next(n for n in await d.ex_list_networks() if n.zoneid == zone.id)


async def _node_in(d: AsyncCloudStackNodeDriver, zone: NodeLocation, name: str,
                   networks: list[Any]) -> CloudStackNode:
    image = (await d.list_images(location=zone))[0]
    return await d.create_node(name, (await d.list_sizes())[0], image, zone,
                               networks=networks)


def test_networks_and_nics(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        default = await _guest_network(d, zone)
        offering = next(o for o in await d.ex_list_network_offerings()
                        if o.guest_ip_type == "Isolated" and not o.for_vpc)
        extra = await d.ex_create_network("Second", "second", offering, zone,
                                          gateway="10.3.0.1", netmask="255.255.255.0")
        assert (extra.name, extra.zoneid, extra.driver) == ("second", zone.id, d)
        assert extra in await d.ex_list_networks()
        node = await _node_in(d, zone, "multi", [default])
        assert [n.network_id for n in await d.ex_list_nics(node)] == [default.id]
        assert await d.ex_add_nic_to_node(node, extra) is True
        added = next(n for n in await d.ex_list_nics(node) if n.network_id == extra.id)
        assert added.ip_address is not None and added.ip_address.startswith("10.3.0.")
        assert await d.ex_remove_nic_from_node(node, added) is True
        assert await d.ex_attach_nic_to_node(node, extra) is True
        again = next(n for n in await d.ex_list_nics(node) if n.network_id == extra.id)
        assert await d.ex_detach_nic_from_node(again, node) is True
        assert [n.network_id for n in await d.ex_list_nics(node)] == [default.id]
        assert await d.destroy_node(node, ex_expunge=True) is True
        assert await extra.delete() is True
        assert extra not in await d.ex_list_networks()

    _run(sim, scenario)


def test_addresses_static_nat_and_forwarding_rules(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        net = await _guest_network(d, zone)
        one = await _node_in(d, zone, "one", [net])
        two = await _node_in(d, zone, "two", [net])
        nat_ip = await d.ex_allocate_public_ip(network_id=net)
        pf_ip = await one.ex_allocate_public_ip(network_id=net.id)  # a model method
        assert nat_ip.driver is d and nat_ip.id in sim.cloud.tables["publicipaddress"]
        assert await d.ex_enable_static_nat(one, nat_ip) is True
        assert sim.cloud.tables["publicipaddress"][nat_ip.id]["isstaticnat"] is True
        udp = await d.ex_create_ip_forwarding_rule(one, nat_ip, "udp", 53)
        ssh = await two.ex_create_port_forwarding_rule(pf_ip, 22, 2222, "TCP")
        assert [r.id for r in await d.ex_list_port_forwarding_rules()] == [ssh.id]
        [listed] = await d.ex_list_ip_forwarding_rules()
        assert (listed.id, listed.node.id, listed.address.id) == (udp.id, one.id, nat_ip.id)
        assert (await d.ex_get_node(one.id)).public_ips == [str(nat_ip)]
        assert await d.ex_delete_port_forwarding_rule(two, ssh) is True
        assert await d.ex_list_port_forwarding_rules() == []
        assert await one.ex_delete_ip_forwarding_rule(udp) is True
        assert await d.ex_disable_static_nat(nat_ip) is True
        assert await d.ex_release_public_ip(nat_ip) is True and await pf_ip.release() is True
        assert {str(ip) for ip in await d.ex_list_public_ips()}.isdisjoint(
            {str(nat_ip), str(pf_ip)})

    _run(sim, scenario)


def test_forwarding_rule_model_delete(sim: Simulator) -> None:
    """``await rule.delete()`` deletes a port- or IP-forwarding rule. (Fails today:
    ``_NodeRule._delete_rule`` in cloudstack/netmodels.py returns ``bool(<coroutine>)``, so
    the rule stays, ``True`` is returned and the coroutine is never awaited.)"""

    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        net = await _guest_network(d, zone)
        node = await _node_in(d, zone, "fwd", [net])
        pf_ip = await d.ex_allocate_public_ip(network_id=net)
        nat_ip = await d.ex_allocate_public_ip(network_id=net)
        ssh = await d.ex_create_port_forwarding_rule(node, pf_ip, 22, 2222, "TCP")
        await d.ex_enable_static_nat(node, nat_ip)
        udp = await d.ex_create_ip_forwarding_rule(node, nat_ip, "udp", 53)
        deleted = ssh.delete()
        assert inspect.isawaitable(deleted), deleted
        assert await deleted is True
        assert await d.ex_list_port_forwarding_rules() == []
        [listed] = await d.ex_list_ip_forwarding_rules()  # node loaded: node's method
        assert listed.id == udp.id
        deleted = listed.delete()
        assert inspect.isawaitable(deleted), deleted
        assert await deleted is True
        assert await d.ex_list_ip_forwarding_rules() == []

    # A coroutine dropped unawaited is the defect this test shows (its assertion fails);
    # its "never awaited" warning is kept from spilling into later tests.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        try:
            _run(sim, scenario)
        finally:
            gc.collect()


def test_firewall_and_egress_rules(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        net = await _guest_network(d, zone)
        ip = await d.ex_allocate_public_ip(location=zone)
        rule = await d.ex_create_firewall_rule(ip, "0.0.0.0/0", "tcp", start_port=80,
                                               end_port=81)
        assert (rule.start_port, rule.end_port, rule.cidr_list) == (80, 81, "0.0.0.0/0")
        assert await d.ex_list_firewall_rules() == [rule]
        egress = await d.ex_create_egress_firewall_rule(net.id, ["10.1.1.0/24"], "icmp",
                                                        icmp_code=-1, icmp_type=-1)
        assert egress in await d.ex_list_egress_firewall_rules()
        assert await d.ex_delete_firewall_rule(rule) is True
        assert await egress.delete() is True
        assert await d.ex_list_firewall_rules() == []
        assert await d.ex_list_egress_firewall_rules() == []
        assert await ip.release() is True

    _run(sim, scenario)


def test_vpc_acl_and_refusals_inside_jobs(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        vpc = await d.ex_create_vpc("10.20.0.0/16", "V", "v",
                                    (await d.ex_list_vpc_offerings())[0], zone)
        assert vpc.extra["state"] == "Enabled" and vpc in await d.ex_list_vpcs()
        assert [r.vpc_id for r in await d.ex_list_routers(vpc_id=vpc)] == [vpc.id]
        acl_list = await d.ex_create_network_acllist("acl", vpc, description="d")
        assert acl_list in await d.ex_list_network_acllists()
        tier_offering = next(o for o in await d.ex_list_network_offerings() if o.for_vpc)
        tier = await d.ex_create_network("T", "t", tier_offering, zone, gateway="10.20.1.1",
                                         netmask="255.255.255.0", vpc_id=vpc)
        assert await d.ex_replace_network_acllist(acl_list, tier) is True
        acl = await d.ex_create_network_acl("all", acl_list, "10.0.0.0/8", None, None,
                                            action="Deny", traffic_type="Egress")
        assert acl in await d.ex_list_network_acl()
        with pytest.raises(InvalidParameterError) as busy:
            await d.ex_delete_vpc(vpc)
        assert isinstance(busy.value, AsyncJobError) and busy.value.jobid
        assert busy.value.errorcode == 431 and "used by 1 networks" in busy.value.errortext
        assert await d.ex_delete_network(tier) and await d.ex_delete_network_acl(acl)
        assert await d.ex_delete_network_acllist(acl_list) and await vpc.delete()
        assert vpc.id not in sim.cloud.tables.get("vpc", {})

    _run(sim, scenario)


def test_site_to_site_vpn(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        vpc = await d.ex_create_vpc("10.20.0.0/16", "VPN", "vpn",
                                    (await d.ex_list_vpc_offerings())[0], zone)
        gateway = await d.ex_create_vpn_gateway(vpc)
        assert gateway.vpc_id == vpc.id and gateway.public_ip
        assert (await gateway.vpc).id == vpc.id  # a property that asks the driver: awaitable
        assert await d.ex_list_vpn_gateways(vpc_id=vpc) == [gateway]
        customer = await d.ex_create_vpn_customer_gateway(
            "192.168.50.0/24", "aes128-sha1", "198.51.100.7", "aes128-sha1;modp1536",
            "very-secret", name="office")
        assert await d.ex_list_vpn_customer_gateways(id=customer.id) == [customer]
        connection = await d.ex_create_vpn_connection(customer, gateway)
        assert connection.state == "Connected"
        assert await connection.vpn_gateway == gateway
        assert await connection.vpn_customer_gateway == customer
        assert await d.ex_list_vpn_connections(vpc_id=vpc.id) == [connection]
        with pytest.raises(ResourceInUseError):
            await customer.delete()
        assert await connection.delete() is True
        assert await d.ex_delete_vpn_customer_gateway(customer) is True
        assert await d.ex_delete_vpn_gateway(gateway) is True
        assert await d.ex_list_vpn_gateways() == []

    _run(sim, scenario)


def test_remote_access_vpn_users_and_private_gateways(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Advanced")
        [source] = [a for a in await d.ex_list_public_ips(location=zone)
                    if a.extra["is_source_nat"]]
        vpn = await d.ex_create_remote_access_vpn(source, ip_range="10.9.0.1-10.9.0.20")
        assert (vpn.public_ip, vpn.state) == (source.address, "Running")
        assert await d.ex_list_remote_access_vpns(address=source) == [vpn]
        alice = await d.ex_add_vpn_user("alice", "s3cret=pw")
        assert (alice.username, alice.state) == ("alice", "Active")
        assert await d.ex_list_vpn_users() == [alice]
        assert await alice.delete() is True
        with pytest.raises(AsyncJobError, match="Could not find vpn user alice") as job:
            await d.ex_remove_vpn_user("alice")
        assert isinstance(job.value, InvalidParameterError) and job.value.jobid
        assert await vpn.delete() is True
        assert await d.ex_list_remote_access_vpns() == []

        vpc = await d.ex_create_vpc("10.60.0.0/16", "shop", "shop",
                                    (await d.ex_list_vpc_offerings())[0], zone)
        gateway = await d.ex_create_private_gateway(vpc, "172.16.9.1", "172.16.9.10",
                                                    "255.255.255.0", 109)
        assert (gateway.vpc_id, gateway.vlan, gateway.state) == (vpc.id, "vlan://109", "Ready")
        assert await d.ex_list_private_gateways(vpc_id=vpc) == [gateway]
        with pytest.raises(InvalidParameterError, match=r"overlaps with the cidr"):
            await d.ex_create_private_gateway(vpc, "10.60.9.1", "10.60.9.10",
                                              "255.255.255.0", 110)
        assert await gateway.delete() is True
        assert await d.ex_delete_private_gateway(
            await d.ex_create_private_gateway(vpc.id, "172.16.10.1", "172.16.10.10",
                                              "255.255.255.0", 110)) is True
        assert await d.ex_list_private_gateways() == []
        assert await d.ex_delete_vpc(vpc) is True

    _run(sim, scenario)


# -- many jobs at once, the raw API ----------------------------------------------------------

def test_handles_then_wait_for_jobs_and_create_nodes(sim: Simulator) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zone = await _zone(d, "Basic")
        size, image = (await d.list_sizes())[0], (await d.list_images())[0]
        handles = [await d.create_node(f"h-{i}", size, image, zone, ex_wait=False)
                   for i in range(6)]
        assert all(isinstance(h, JobHandle) and h.command == "deployVirtualMachine"
                   for h in handles)
        volume_handle = await d.create_volume(1, "bulk-data", location=zone, ex_wait=False)
        *nodes, volume = await d.wait_for_jobs([*handles, volume_handle])
        assert [n.name for n in nodes] == [f"h-{i}" for i in range(6)]
        assert [n.id for n in nodes] == [h.entity_id for h in handles]
        assert all(n.state is NodeState.RUNNING and n.driver is d for n in nodes)
        assert isinstance(volume, StorageVolume) and volume.name == "bulk-data"
        destroys = [await d.destroy_node(n, ex_wait=False) for n in nodes]
        assert await d.wait_for_jobs(destroys) == [True] * 6

        specs: list[dict[str, Any]] = [{"name": f"many-{i}", "size": size, "image": image,
                                        "location": zone} for i in range(5)]
        specs.insert(2, {**specs[0], "name": "refused", "ex_keyname": "no-such-key"})
        results = await d.create_nodes(specs)
        assert isinstance(results[2], InvalidParameterError)
        assert [r.name for i, r in enumerate(results) if i != 2] == [
            f"many-{i}" for i in range(5)]
        running = sorted(vm["name"] for vm in sim.cloud.tables["virtualmachine"].values()
                         if vm["state"] == "Running")
        assert running == [f"many-{i}" for i in range(5)]

    _run(sim, scenario)


def test_api_and_connection_request(sim: Simulator, sync: CloudStackNodeDriver) -> None:
    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        zones = await d.api.listZones()
        assert [z["id"] for z in zones] == [z.id for z in sync.list_locations()]
        answer = await d.connection.request("listZones")
        assert [z["id"] for z in answer["zone"]] == [z["id"] for z in zones]
        assert [z["name"] for z in await d.connection.list("listZones")] == [
            z["name"] for z in zones]
        assert "listZones" in await d.api.load()
        with pytest.raises(LibcloudError, match="noSuchCommand"):
            await d.api.noSuchCommand()

    _run(sim, scenario)


# -- the same errors as the sync driver ----------------------------------------------------

def _outcome(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("the call did not fail")


async def _aoutcome(call: Callable[[], Awaitable[Any]]) -> BaseException:
    try:
        await call()
    except BaseException as exc:
        return exc
    raise AssertionError("the call did not fail")


def _fields(exc: BaseException) -> tuple[Any, ...]:
    return (type(exc), str(exc), getattr(exc, "errorcode", None),
            getattr(exc, "cserrorcode", None), getattr(exc, "command", None))


def test_the_same_errors_as_the_sync_driver(sim: Simulator,
                                            sync: CloudStackNodeDriver) -> None:
    zones = sync.list_locations()
    basic = next(z for z in zones if z.extra["network_type"] == "Basic")
    advanced = next(z for z in zones if z.extra["network_type"] == "Advanced")
    size, image = sync.list_sizes()[0], sync.list_images()[0]
    offering = sync.ex_list_vpc_offerings()[0]
    # (label, call, the class it must raise, (errorcode, cserrorcode) or None)
    server_errors: list[tuple[str, Callable[[Any], Any], type[BaseException], Any]] = [
        ("bad node id", lambda drv: drv.ex_get_node("no-such-node"), NodeNotFoundError, None),
        ("bad volume id", lambda drv: drv.ex_get_volume("no-such-volume"),
         VolumeNotFoundError, None),
        ("missing key pair", lambda drv: drv.get_key_pair("nope"),
         KeyPairDoesNotExistError, None),
        ("vpc in the basic zone", lambda drv: drv.ex_create_vpc(
            "10.30.0.0/16", "V", "v", offering, basic), InvalidParameterError, (431, 4350)),
        ("unknown key pair", lambda drv: drv.create_node("k", size, image, basic,
                                                         ex_keyname="nope"),
         InvalidParameterError, (431, 4350)),
        ("missing parameter", lambda drv: drv.connection.request("deployVirtualMachine",
                                                                 zoneid="bad"),
         InvalidParameterError, (431, 9999)),
        ("command the server lacks", lambda drv: drv.ex_register_iso(
            "iso", "http://example.test/a.iso", basic), UnsupportedCommandError, (432, 9999)),
        ("bad id in a job's command", lambda drv: drv.connection.request(
            "rebootVirtualMachine", id="no-such-vm"), CloudStackError, None),
        ("affinity update the server lacks", lambda drv: drv.ex_update_node_affinity_group(
            CloudStackNode("vm-1", "web", NodeState.STOPPED, [], [], drv), []),
         UnsupportedCommandError, (432, 9999)),
    ]
    input_errors: list[tuple[str, Callable[[Any], Any], type[BaseException]]] = [
        ("image as str", lambda drv: drv.create_node("x", size, "tiny Linux", basic),
         TypeError),
        ("size as None", lambda drv: drv.create_node("x", None, image, basic), TypeError),
        ("security groups outside the basic zone", lambda drv: drv.create_node(
            "x", size, image, advanced, ex_security_groups=["default"]), ValueError),
        ("unknown spec key", lambda drv: drv.create_nodes(
            [{"name": "x", "size": size, "image": image, "colour": "red"}]), TypeError),
        ("a bad spec after a good one", lambda drv: drv.create_nodes(
            [{"name": "x", "size": size, "image": image},
             {"name": "y", "size": size, "image": "tiny Linux"}]), TypeError),
        ("a job id for a handle", lambda drv: drv.wait_for_jobs(["job-id"]), TypeError),
        ("a zero job timeout", lambda drv: drv.connection.wait_for_job("j", timeout=0),
         ValueError),
        ("a str of job ids", lambda drv: drv.connection.wait_for_jobs("j1"), TypeError),
        ("unknown create_node argument", lambda drv: drv.create_node(
            "x", size, image, colour="red"), TypeError),
        ("a template from no snapshot", lambda drv: drv.ex_create_snapshot_template(
            None, "x", "1"), TypeError),
    ]

    sync_server = {label: _outcome(lambda c=call: c(sync)) for label, call, _, _ in
                   server_errors}
    served = sim.requests_served
    sync_input = {label: _outcome(lambda c=call: c(sync)) for label, call, _ in input_errors}
    assert sim.requests_served == served  # the sync driver sends nothing for these either
    for label, _, cls, codes in server_errors:
        got = sync_server[label]
        assert type(got) is cls or (cls is CloudStackError and isinstance(got, cls)), (
            label, got)
        if codes is not None:
            assert (got.errorcode, got.cserrorcode) == codes, label  # type: ignore[attr-defined]
    for label, _, cls in input_errors:
        assert type(sync_input[label]) is cls, (label, sync_input[label])

    async def scenario(d: AsyncCloudStackNodeDriver) -> None:
        await d.list_locations()
        for label, call, _, _ in server_errors:
            got = await _aoutcome(lambda c=call: c(d))
            assert _fields(got) == _fields(sync_server[label]), label
        served = sim.requests_served
        for label, call, _ in input_errors:
            got = await _aoutcome(lambda c=call: c(d))
            assert _fields(got) == _fields(sync_input[label]), label
        for name in ("copy_image", "delete_image", "create_image"):
            with pytest.raises(NotImplementedError, match=f"does not implement {name}"):
                await getattr(d, name)()
        assert sim.requests_served == served  # refused before anything was sent

    _run(sim, scenario)
