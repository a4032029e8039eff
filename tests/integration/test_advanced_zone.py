"""Advanced zones end to end against the bundled simulator (real HTTP, real jobs)."""

from __future__ import annotations

from typing import Any

import pytest

from cloudstack_driver import (
    AsyncJobError,
    CloudStackNodeDriver,
    InvalidParameterError,
    NodeLocation,
    ServerError,
)
from cloudstack_driver.cloudstack.netmodels import CloudStackNetwork


def guest_network(conn: CloudStackNodeDriver, zone: NodeLocation) -> CloudStackNetwork:
    return next(n for n in conn.ex_list_networks() if n.zoneid == zone.id)


def new_node(conn: CloudStackNodeDriver, zone: NodeLocation, name: str,
             networks: list[Any]) -> Any:
    image = conn.list_images(location=zone)[0]
    size = conn.list_sizes()[0]
    return conn.create_node(name=name, image=image, size=size, networks=networks,
                            location=zone)


def test_networks_and_nics(conn: CloudStackNodeDriver, advanced: NodeLocation) -> None:
    default = guest_network(conn, advanced)
    offering = next(o for o in conn.ex_list_network_offerings()
                    if o.guest_ip_type == "Isolated" and not o.for_vpc)
    extra = conn.ex_create_network("Second", "second", offering, advanced,
                                   gateway="10.3.0.1", netmask="255.255.255.0")
    assert (extra.name, extra.zoneid, extra.extra["gateway"]) == ("second", advanced.id,
                                                                  "10.3.0.1")
    assert extra in conn.ex_list_networks()
    node = new_node(conn, advanced, "multi", [default])
    assert [n.network_id for n in conn.ex_list_nics(node)] == [default.id]
    assert conn.ex_add_nic_to_node(node, extra) is True
    nics = conn.ex_list_nics(node)
    assert sorted(n.network_id for n in nics) == sorted([default.id, extra.id])
    added = next(n for n in nics if n.network_id == extra.id)
    assert added.ip_address is not None and added.ip_address.startswith("10.3.0.")
    assert conn.ex_remove_nic_from_node(node, added) is True
    assert [n.network_id for n in conn.ex_list_nics(node)] == [default.id]
    conn.destroy_node(node, ex_expunge=True)
    assert conn.ex_delete_network(extra) is True
    assert extra not in conn.ex_list_networks()


def test_nodes_see_only_their_own_networking(conn: CloudStackNodeDriver,
                                             advanced: NodeLocation) -> None:
    net = guest_network(conn, advanced)
    one = new_node(conn, advanced, "one", [net])
    two = new_node(conn, advanced, "two", [net])
    nat_ip = conn.ex_allocate_public_ip(network_id=net)
    pf_ip = one.ex_allocate_public_ip(network_id=net.id)
    assert conn.ex_enable_static_nat(one, nat_ip) is True
    udp = conn.ex_create_ip_forwarding_rule(one, nat_ip, "udp", 53)
    ssh = two.ex_create_port_forwarding_rule(pf_ip, 22, 2222, "TCP")

    by_id = {n.id: n for n in conn.list_nodes(location=advanced)}
    seen_one, seen_two = by_id[one.id], by_id[two.id]
    assert [a.id for a in seen_one.extra["ip_addresses"]] == [nat_ip.id]
    assert seen_two.extra["ip_addresses"] == []
    assert [r.id for r in seen_one.extra["ip_forwarding_rules"]] == [udp.id]
    assert seen_one.extra["port_forwarding_rules"] == []
    assert [r.id for r in seen_two.extra["port_forwarding_rules"]] == [ssh.id]
    assert seen_two.extra["ip_forwarding_rules"] == []
    assert seen_one.public_ips == [str(nat_ip)] and seen_two.public_ips == [str(pf_ip)]
    rule = seen_two.extra["port_forwarding_rules"][0]
    # listed: the ports as the server sends them (strings, as with libcloud)
    assert (rule.public_port, rule.private_port, rule.protocol, rule.network_id) == (
        "2222", "22", "TCP", net.id)
    assert conn.ex_get_node(one.id).public_ips == [str(nat_ip)]

    assert rule.delete() is True
    assert seen_two.extra["port_forwarding_rules"] == [] and seen_two.public_ips == []
    assert conn.ex_list_port_forwarding_rules() == []
    [listed] = conn.ex_list_ip_forwarding_rules()
    assert (listed.node.id, listed.address.id) == (one.id, nat_ip.id)
    assert listed.delete() is True
    assert conn.ex_disable_static_nat(nat_ip) is True
    assert conn.ex_get_node(one.id).public_ips == []
    assert conn.ex_release_public_ip(nat_ip) is True and pf_ip.release() is True
    assert {str(ip) for ip in conn.ex_list_public_ips()}.isdisjoint({str(nat_ip), str(pf_ip)})


def test_firewall_rules(conn: CloudStackNodeDriver, advanced: NodeLocation) -> None:
    net = guest_network(conn, advanced)
    ip = conn.ex_allocate_public_ip(location=advanced)
    rule = conn.ex_create_firewall_rule(ip, "0.0.0.0/0", "tcp", start_port=80, end_port=81)
    assert (rule.start_port, rule.end_port, rule.cidr_list) == (80, 81, "0.0.0.0/0")
    [listed] = conn.ex_list_firewall_rules()
    assert listed == rule and listed.address.address == ip.address
    egress = conn.ex_create_egress_firewall_rule(net.id, ["10.1.1.0/24"], "icmp",
                                                 icmp_code=-1, icmp_type=-1)
    assert egress in conn.ex_list_egress_firewall_rules()
    assert egress.network_id == net.id
    assert rule.delete() is True and egress.delete() is True
    assert conn.ex_list_firewall_rules() == [] and conn.ex_list_egress_firewall_rules() == []
    ip.release()


def test_vpc_pieces_and_server_refusals(conn: CloudStackNodeDriver,
                                        advanced: NodeLocation) -> None:
    vpc = conn.ex_create_vpc("10.20.0.0/16", "V", "v", conn.ex_list_vpc_offerings()[0],
                             advanced)
    assert vpc.extra["state"] == "Enabled" and vpc in conn.ex_list_vpcs()
    assert [r.vpc_id for r in conn.ex_list_routers(vpc_id=vpc)] == [vpc.id]
    acl_list = conn.ex_create_network_acllist("acl", vpc, description="d")
    assert acl_list in conn.ex_list_network_acllists()
    tier_offering = next(o for o in conn.ex_list_network_offerings() if o.for_vpc)
    tier = conn.ex_create_network("T", "t", tier_offering, advanced, gateway="10.20.1.1",
                                  netmask="255.255.255.0", vpc_id=vpc)
    assert tier.extra["vpc_id"] == vpc.id
    assert conn.ex_replace_network_acllist(acl_list, tier) is True
    acl = conn.ex_create_network_acl("all", acl_list, "10.0.0.0/8", None, None,
                                     action="Deny", traffic_type="Egress")
    assert (acl.action, acl.traffic_type, acl.protocol) == ("Deny", "Egress", "all")
    assert acl in conn.ex_list_network_acl()

    # Refused inside their jobs, as on a real server: the job fails with errorcode 431
    with pytest.raises(InvalidParameterError) as busy:
        conn.ex_delete_vpc(vpc)  # tiers first
    assert isinstance(busy.value, AsyncJobError) and busy.value.jobid
    assert busy.value.errorcode == 431 and "used by 1 networks" in busy.value.errortext
    with pytest.raises(InvalidParameterError) as in_use:
        conn.ex_delete_network_acllist(acl_list)
    assert isinstance(in_use.value, AsyncJobError) and in_use.value.errorcode == 431

    assert conn.ex_delete_network(tier) and conn.ex_delete_network_acl(acl)
    assert conn.ex_delete_network_acllist(acl_list) and conn.ex_delete_vpc(vpc)
    assert vpc not in conn.ex_list_vpcs()
    assert conn.ex_list_routers(vpc_id=vpc.id) == []


# -- the wrong zone: the errors a real server gives ---------------------------------------------

def test_advanced_only_operations_in_the_basic_zone(conn: CloudStackNodeDriver,
                                                    basic: NodeLocation) -> None:
    offering = next(o for o in conn.ex_list_network_offerings()
                    if o.guest_ip_type == "Isolated" and not o.for_vpc)
    calls = [
        lambda: conn.ex_allocate_public_ip(location=basic),
        lambda: conn.ex_create_vpc("10.30.0.0/16", "V", "v", conn.ex_list_vpc_offerings()[0],
                                   basic),
        lambda: conn.ex_create_network("N", "n", offering, basic, gateway="10.4.0.1",
                                       netmask="255.255.255.0"),
    ]
    for call in calls:
        with pytest.raises(InvalidParameterError) as info:
            call()
        assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
        assert info.value.errortext
    assert conn.ex_list_vpcs() == []


def test_nic_hotplug_in_the_basic_zone(conn: CloudStackNodeDriver, basic: NodeLocation) -> None:
    node = new_node(conn, basic, "basic", [guest_network(conn, basic)])
    with pytest.raises(ServerError) as info:  # the job fails, as on a real server
        conn.ex_add_nic_to_node(node, guest_network(conn, basic))
    assert isinstance(info.value, AsyncJobError) and info.value.errorcode == 530
    assert "Basic" in info.value.errortext


def test_basic_only_operations_in_the_advanced_zone(conn: CloudStackNodeDriver,
                                                    advanced: NodeLocation) -> None:
    image = conn.list_images(location=advanced)[0]
    size = conn.list_sizes()[0]
    with pytest.raises(ValueError, match="ex_security_groups"):  # refused before sending
        conn.create_node(name="sg", image=image, size=size, location=advanced,
                         ex_security_groups=["default"])
    with pytest.raises(InvalidParameterError) as info:  # what the server says if sent anyway
        conn.connection.request("deployVirtualMachine", zoneid=advanced.id,
                                serviceofferingid=size.id, templateid=image.id,
                                securitygroupnames=["default"])
    assert (info.value.errorcode, info.value.cserrorcode) == (431, 4350)
    assert conn.list_nodes() == []
