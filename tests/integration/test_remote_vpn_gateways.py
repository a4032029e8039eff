"""Remote-access VPN, VPN users and VPC private gateways against the simulator."""

from __future__ import annotations

import pytest

from cloudstack_driver import (
    AsyncJobError,
    CloudStackNodeDriver,
    InvalidParameterError,
    NodeLocation,
)


def test_remote_access_vpn_and_its_users(conn: CloudStackNodeDriver,
                                         advanced: NodeLocation) -> None:
    [source] = [a for a in conn.ex_list_public_ips(location=advanced)
                if a.extra["is_source_nat"]]
    vpn = conn.ex_create_remote_access_vpn(source, ip_range="10.9.0.1-10.9.0.20")
    assert (vpn.public_ip, vpn.ip_range, vpn.state) == (source.address, "10.9.0.2-10.9.0.20",
                                                        "Running")
    assert vpn.preshared_key is not None and len(vpn.preshared_key) == 24
    assert conn.ex_list_remote_access_vpns(address=source) == [vpn]
    with pytest.raises(InvalidParameterError, match="already exists") as info:
        conn.ex_create_remote_access_vpn(source)
    assert info.value.command == "createRemoteAccessVpn"

    alice = conn.ex_add_vpn_user("alice", "s3cret=pw")
    assert (alice.username, alice.state) == ("alice", "Active")
    assert conn.ex_list_vpn_users() == [alice]
    assert conn.ex_list_vpn_users(username="bob") == []
    assert alice.delete() is True
    with pytest.raises(AsyncJobError, match="Could not find vpn user alice") as job:
        conn.ex_remove_vpn_user("alice")
    assert isinstance(job.value, InvalidParameterError) and job.value.jobid

    assert vpn.delete() is True
    assert conn.ex_list_remote_access_vpns() == []
    other = conn.ex_allocate_public_ip(location=advanced)
    with pytest.raises(InvalidParameterError, match="source NAT"):
        conn.ex_create_remote_access_vpn(other)
    other.release()


def test_private_gateways_of_a_vpc(conn: CloudStackNodeDriver, advanced: NodeLocation) -> None:
    vpc = conn.ex_create_vpc("10.60.0.0/16", "shop", "shop", conn.ex_list_vpc_offerings()[0],
                             advanced)
    gateway = conn.ex_create_private_gateway(vpc, "172.16.9.1", "172.16.9.10",
                                             "255.255.255.0", 109)
    assert (gateway.vpc_id, gateway.ip_address, gateway.vlan, gateway.state,
            gateway.extra["acl_name"]) == (vpc.id, "172.16.9.10", "vlan://109", "Ready",
                                           "default_deny")
    assert conn.ex_list_private_gateways(vpc_id=vpc) == [gateway]
    assert conn.ex_list_private_gateways(vlan="vlan://109") == [gateway]
    with pytest.raises(InvalidParameterError, match=r"overlaps with the cidr 10\.60\.0\.0/16"):
        conn.ex_create_private_gateway(vpc, "10.60.9.1", "10.60.9.10", "255.255.255.0", 110)
    assert gateway.delete() is True
    assert conn.ex_list_private_gateways() == []
    second = conn.ex_create_private_gateway(vpc.id, "172.16.10.1", "172.16.10.10",
                                            "255.255.255.0", "vlan://110")
    assert conn.ex_delete_vpc(vpc) is True
    assert second not in conn.ex_list_private_gateways()
