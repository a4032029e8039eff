"""Affinity groups and site-to-site VPN models.

Each model is declared once (:mod:`cloudstack_driver._schema`): constructors keep libcloud's
positional order and attribute names (PARITY 5.1; ``driver`` and ``extra`` keywords are
additions where libcloud had none), ids are ``str``, other values the server's as sent. Every
class compares equal by class
and ``id`` (affinity group types: by ``type``) and is hashable. ``repr`` never shows the IPsec
pre-shared key (D34).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudstack_driver._awaitable import then
from cloudstack_driver._convert import flag
from cloudstack_driver._schema import Extra, Schema, field, ident, idents, new_dict
from cloudstack_driver.cloudstack._modelbase import EqByKey, Model, deleter
from cloudstack_driver.errors import NotFoundError

__all__ = [
    "CloudStackAffinityGroup",
    "CloudStackAffinityGroupType",
    "CloudStackVpnConnection",
    "CloudStackVpnCustomerGateway",
    "CloudStackVpnGateway",
]


def _by_id(found: Iterable[Any], wanted: Any, what: str, driver: Any) -> Any:
    """The item of ``found`` whose ``id`` is ``wanted``; ``NotFoundError`` ("<what> not
    found") when there is none."""
    for item in found:
        if item.id == wanted:
            return item
    raise NotFoundError(f"{what} not found", driver=driver)


# -- affinity groups ----------------------------------------------------------------------------

class CloudStackAffinityGroupType(Schema, EqByKey):
    """An affinity group type (``"host anti-affinity"``, ``"host affinity"``, ...)."""

    _key = "type"

    type: str | None = field("type", alias="type_name")

    REPR = ("type",)


def _group_type(value: Any) -> CloudStackAffinityGroupType | None:
    return None if value is None else CloudStackAffinityGroupType(value)


#: The ``extra`` keys naming the project a record belongs to.
PROJECT_EXTRA = (Extra("project"), Extra("project_id", "projectid"))
#: The ``extra`` keys naming the account and domain that own a record.
ACCOUNT_EXTRA = (Extra("account"), Extra("domain"), Extra("domain_id", "domainid"))


class CloudStackAffinityGroup(Model):
    """An affinity group. ``type`` is a :class:`CloudStackAffinityGroupType`;
    ``virtualmachine_ids`` lists the ids of its VMs (``virtualmachineIds`` on the wire)."""

    id: str | None = field("id")
    account: str | None = field("account")
    description: str | None = field("description")
    domain: str | None = field("domain")
    domainid: str | None = field("domainid", ident)
    name: str | None = field("name")
    type: CloudStackAffinityGroupType | None = field("type", _group_type, alias="group_type")
    virtualmachine_ids: list[str] | None = field("virtualmachineIds", idents)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = PROJECT_EXTRA
    REPR = ("id", "name", "type")

    delete = deleter("ex_delete_affinity_group", "affinity_group")


# -- site-to-site VPN ---------------------------------------------------------------------------

class CloudStackVpnGateway(Model):
    """The site-to-site VPN gateway of a VPC (``public_ip`` is the VPC's source NAT IP)."""

    id: str | None = field("id")
    account: str | None = field("account")
    domain: str | None = field("domain")
    domain_id: str | None = field("domainid")
    public_ip: str | None = field("publicip")
    vpc_id: str | None = field("vpcid")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (Extra("for_display", "fordisplay", flag), *PROJECT_EXTRA, Extra("removed"),
             Extra("vpc_name", "vpcname"))
    REPR = ("id", "account", "domain", "domain_id", "public_ip", "vpc_id")

    @property
    def vpc(self) -> Any:
        """The ``CloudStackVPC`` of this gateway, found with ``driver.ex_list_vpcs()``;
        ``NotFoundError`` (a ``LibcloudError``) when it is not listed."""
        return then(self.driver.ex_list_vpcs(), lambda found: _by_id(
            found, self.vpc_id, f"VPC {self.vpc_id} of VPN gateway {self.id}", self.driver))

    delete = deleter("ex_delete_vpn_gateway", "vpn_gateway")


class CloudStackVpnCustomerGateway(Model):
    """The remote end of a site-to-site VPN. ``ipsec_psk`` holds the pre-shared key, which
    ``repr`` never shows (D34)."""

    id: str | None = field("id")
    cidr_list: str | None = field("cidrlist")
    esp_policy: str | None = field("esppolicy")
    gateway: str | None = field("gateway")
    ike_policy: str | None = field("ikepolicy")
    ipsec_psk: str | None = field("ipsecpsk")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (*ACCOUNT_EXTRA, Extra("dpd", read=flag), Extra("esp_lifetime", "esplifetime"),
             Extra("ike_lifetime", "ikelifetime"), Extra("name"),
             Extra("ike_version", "ikeversion"), *PROJECT_EXTRA)
    REPR = ("id", "cidr_list", "esp_policy", "gateway", "ike_policy", "ipsec_psk")
    REPR_SECRET = ("ipsec_psk",)

    delete = deleter("ex_delete_vpn_customer_gateway", "vpn_customer_gateway")


class CloudStackVpnConnection(Model):
    """A site-to-site VPN connection between a VPN gateway and a customer gateway (the
    pre-shared key the server copies into it is not kept)."""

    id: str | None = field("id")
    passive: bool | None = field("passive", flag)
    vpn_customer_gateway_id: str | None = field("s2scustomergatewayid")
    vpn_gateway_id: str | None = field("s2svpngatewayid")
    state: str | None = field("state")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (*ACCOUNT_EXTRA, Extra("for_display", "fordisplay", flag), *PROJECT_EXTRA,
             Extra("created"), Extra("public_ip", "publicip"), Extra("gateway"),
             Extra("cidr_list", "cidrlist"))
    REPR = ("id", "passive", "vpn_customer_gateway_id", "vpn_gateway_id", "state")

    @property
    def vpn_customer_gateway(self) -> CloudStackVpnCustomerGateway:
        """The customer gateway, by id (``listVpnCustomerGateways(id)``); ``NotFoundError``
        (a ``LibcloudError``) when absent."""
        found = self.driver.ex_list_vpn_customer_gateways(id=self.vpn_customer_gateway_id)
        return then(found, lambda rows: _by_id(  # type: ignore[no-any-return]
            rows, self.vpn_customer_gateway_id, f"VPN customer gateway "
            f"{self.vpn_customer_gateway_id} of VPN connection {self.id}", self.driver))

    @property
    def vpn_gateway(self) -> CloudStackVpnGateway:
        """The VPN gateway, by id (``listVpnGateways(id)``); ``NotFoundError`` (a
        ``LibcloudError``) when absent."""
        found = self.driver.ex_list_vpn_gateways(id=self.vpn_gateway_id)
        return then(found, lambda rows: _by_id(  # type: ignore[no-any-return]
            rows, self.vpn_gateway_id, f"VPN gateway {self.vpn_gateway_id} of VPN connection "
            f"{self.id}", self.driver))

    delete = deleter("ex_delete_vpn_connection", "vpn_connection")
