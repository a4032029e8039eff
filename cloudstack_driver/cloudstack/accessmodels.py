"""Remote-access VPN, VPN user and VPC private gateway models.

Declared once (:mod:`cloudstack_driver._schema`), ids ``str``, other values the server's as
sent; equal by class and ``id``. ``repr`` never shows the VPN's pre-shared key (D34), and a VPN
user's password is never kept.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver._convert import flag
from cloudstack_driver._schema import Extra, field, new_dict
from cloudstack_driver.cloudstack._modelbase import Model, deleter
from cloudstack_driver.cloudstack.vpnmodels import ACCOUNT_EXTRA, PROJECT_EXTRA

__all__ = ["CloudStackPrivateGateway", "CloudStackRemoteAccessVpn", "CloudStackVpnUser"]


class CloudStackRemoteAccessVpn(Model):
    """The remote-access (L2TP/IPsec) VPN of a source NAT address. ``ip_range`` is the clients'
    range; ``preshared_key`` the IPsec key, which ``repr`` never shows."""

    id: str | None = field("id")
    public_ip: str | None = field("publicip")
    public_ip_id: str | None = field("publicipid")
    ip_range: str | None = field("iprange")
    preshared_key: str | None = field("presharedkey")
    state: str | None = field("state")
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (Extra("for_display", "fordisplay", flag), *ACCOUNT_EXTRA, *PROJECT_EXTRA)
    REPR = ("id", "public_ip", "ip_range", "preshared_key", "state")
    REPR_SECRET = ("preshared_key",)

    delete = deleter("ex_delete_remote_access_vpn", "address")


class CloudStackVpnUser(Model):
    """A user of the account's (or project's) remote-access VPNs."""

    id: str | None = field("id")
    username: str | None = field("username")
    state: str | None = field("state")
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (*ACCOUNT_EXTRA, *PROJECT_EXTRA)
    REPR = ("id", "username", "state")

    delete = deleter("ex_remove_vpn_user", "user")


class CloudStackPrivateGateway(Model):
    """A VPC's private gateway: its address ``ip_address`` on the private network ``gateway``/
    ``netmask``, reached over ``vlan`` (``vlan://105``) or an associated network."""

    id: str | None = field("id")
    vpc_id: str | None = field("vpcid")
    gateway: str | None = field("gateway")
    ip_address: str | None = field("ipaddress")
    netmask: str | None = field("netmask")
    vlan: str | None = field("vlan")
    state: str | None = field("state")
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (
        Extra("vpc_name", "vpcname"),
        Extra("acl_id", "aclid"),
        Extra("acl_name", "aclname"),
        Extra("source_nat_supported", "sourcenatsupported", flag),
        Extra("associated_network_id", "associatednetworkid"),
        Extra("associated_network", "associatednetwork"),
        Extra("physical_network_id", "physicalnetworkid"),
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        *ACCOUNT_EXTRA,
        *PROJECT_EXTRA,
    )
    REPR = ("id", "vpc_id", "ip_address", "gateway", "netmask", "vlan", "state")

    delete = deleter("ex_delete_private_gateway", "gateway")
