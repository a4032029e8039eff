"""Affinity groups, tags, limits and site-to-site VPN against the bundled simulator."""

from __future__ import annotations

import pytest

from cloudstack_driver import CloudStackNodeDriver, LibcloudError, NodeLocation
from cloudstack_driver.cloudstack.netmodels import CloudStackVPC
from cloudstack_driver.errors import InvalidParameterError, ResourceInUseError


@pytest.fixture
def vpc(conn: CloudStackNodeDriver, advanced: NodeLocation) -> CloudStackVPC:
    offering = conn.ex_list_vpc_offerings()[0]
    return conn.ex_create_vpc("10.20.0.0/16", "VPN test", "vpn-vpc", offering, advanced)


def test_affinity_group_lifecycle(conn: CloudStackNodeDriver) -> None:
    types = conn.ex_list_affinity_group_types()
    anti = next(t for t in types if t.type == "host anti-affinity")
    assert conn.ex_list_affinity_groups() == []
    group = conn.ex_create_affinity_group("webserver", anti)
    assert (group.name, group.type, group.virtualmachine_ids) == ("webserver", anti, [])
    web = conn.ex_create_affinity_group("web", anti)  # a prefix is not a duplicate
    with pytest.raises(LibcloudError, match="already exists"):
        conn.ex_create_affinity_group("web", anti)
    assert {g.name for g in conn.ex_list_affinity_groups()} == {"web", "webserver"}
    assert conn.ex_delete_affinity_group(web) is True
    assert group.delete() is True
    assert conn.ex_list_affinity_groups() == []


def test_bad_affinity_type_is_refused_by_the_server(conn: CloudStackNodeDriver) -> None:
    with pytest.raises(InvalidParameterError, match="invalid affinity group type"):
        conn.ex_create_affinity_group("g", "no such type")


def test_tags_round_trip_through_vpc_listing(conn: CloudStackNodeDriver,
                                             vpc: CloudStackVPC) -> None:
    assert conn.ex_create_tags([vpc.id], "Vpc", {"env": "test", "owner": "me"}) is True
    tags = conn.connection.list("listTags", resourceid=vpc.id)
    assert {t["key"]: t["value"] for t in tags} == {"env": "test", "owner": "me"}
    assert conn.ex_delete_tags([vpc.id], "Vpc", ["env"]) is True
    tags = conn.connection.list("listTags", resourceid=vpc.id)
    assert [t["key"] for t in tags] == ["owner"]


def test_limits(conn: CloudStackNodeDriver) -> None:
    limits = conn.ex_limits()
    assert set(limits) == {"max_instances", "max_public_ips", "max_volumes", "max_snapshots",
                           "max_images", "max_projects", "max_networks", "max_vpc", "max_cpu",
                           "max_memory", "max_primary_storage", "max_secondary_storage"}
    assert all(v == -1 for v in limits.values())


def test_site_to_site_vpn(conn: CloudStackNodeDriver, vpc: CloudStackVPC) -> None:
    gateway = conn.ex_create_vpn_gateway(vpc)
    assert gateway.vpc_id == vpc.id and gateway.public_ip
    assert gateway.vpc.id == vpc.id
    assert conn.ex_list_vpn_gateways(vpc_id=vpc) == [gateway]

    customer = conn.ex_create_vpn_customer_gateway(
        "192.168.50.0/24", "aes128-sha1", "198.51.100.7", "aes128-sha1;modp1536",
        "very-secret", dpd=True, ike_lifetime=7200, name="office")
    assert customer.ipsec_psk == "very-secret" and "very-secret" not in repr(customer)
    assert customer.extra["name"] == "office" and customer.extra["ike_lifetime"] == 7200
    assert customer.extra["dpd"] is True
    assert conn.ex_list_vpn_customer_gateways(id=customer.id) == [customer]

    connection = conn.ex_create_vpn_connection(customer, gateway)
    assert (connection.state, connection.vpn_gateway_id,
            connection.vpn_customer_gateway_id) == ("Connected", gateway.id, customer.id)
    assert connection.vpn_gateway == gateway
    assert connection.vpn_customer_gateway == customer
    assert conn.ex_list_vpn_connections(vpc_id=vpc.id) == [connection]

    with pytest.raises(ResourceInUseError):
        customer.delete()
    assert connection.delete() is True
    assert conn.ex_list_vpn_connections() == []
    assert customer.delete() is True
    assert gateway.delete() is True
    assert conn.ex_list_vpn_gateways() == []
