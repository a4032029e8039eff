"""Affinity groups and site-to-site VPN models (their mappers are in :mod:`.vpnmappers`).

Constructors keep libcloud's positional order and attribute names (PARITY 5.1); ``driver`` and
``extra`` keywords are additions where libcloud had none. Every class compares equal by class
and ``id`` (affinity group types: by ``type``) and is hashable. ``repr`` never shows the IPsec
pre-shared key (D34).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudstack_driver.cloudstack._modelbase import EqByKey, Model, deleter, describe
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

class CloudStackAffinityGroupType(EqByKey):
    """An affinity group type (``"host anti-affinity"``, ``"host affinity"``, ...)."""

    _key = "type"

    def __init__(self, type_name: str) -> None:
        self.type = type_name

    def __repr__(self) -> str:
        return describe("CloudStackAffinityGroupType", self, "type")


class CloudStackAffinityGroup(Model):
    """An affinity group. ``type`` is a :class:`CloudStackAffinityGroupType`;
    ``virtualmachine_ids`` lists the ids of its VMs."""

    def __init__(self, id: Any, account: str | None, description: str | None,
                 domain: str | None, domainid: str | None, name: str | None,
                 group_type: CloudStackAffinityGroupType | None,
                 virtualmachine_ids: list[str] | None, *, driver: Any = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.account = account
        self.description = description
        self.domain = domain
        self.domainid = domainid
        self.name = name
        self.type = group_type
        self.virtualmachine_ids = virtualmachine_ids
        self._bind(driver, extra)

    delete = deleter("ex_delete_affinity_group", "affinity_group")

    def __repr__(self) -> str:
        return describe("CloudStackAffinityGroup", self, "id", "name", "type")


# -- site-to-site VPN ---------------------------------------------------------------------------

class CloudStackVpnGateway(Model):
    """The site-to-site VPN gateway of a VPC (``public_ip`` is the VPC's source NAT IP)."""

    def __init__(self, id: Any, account: str | None, domain: str | None,
                 domain_id: str | None, public_ip: str | None, vpc_id: str | None,
                 driver: Any, extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.account = account
        self.domain = domain
        self.domain_id = domain_id
        self.public_ip = public_ip
        self.vpc_id = vpc_id
        self._bind(driver, extra)

    @property
    def vpc(self) -> Any:
        """The ``CloudStackVPC`` of this gateway, found with ``driver.ex_list_vpcs()``;
        ``NotFoundError`` (a ``LibcloudError``) when it is not listed."""
        return _by_id(self.driver.ex_list_vpcs(), self.vpc_id,
                      f"VPC {self.vpc_id} of VPN gateway {self.id}", self.driver)

    delete = deleter("ex_delete_vpn_gateway", "vpn_gateway")

    def __repr__(self) -> str:
        return describe("CloudStackVpnGateway", self,
                        "id", "account", "domain", "domain_id", "public_ip", "vpc_id")


class CloudStackVpnCustomerGateway(Model):
    """The remote end of a site-to-site VPN. ``ipsec_psk`` holds the pre-shared key, which
    ``repr`` never shows (D34)."""

    def __init__(self, id: Any, cidr_list: str | None, esp_policy: str | None,
                 gateway: str | None, ike_policy: str | None, ipsec_psk: str | None,
                 driver: Any, extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.cidr_list = cidr_list
        self.esp_policy = esp_policy
        self.gateway = gateway
        self.ike_policy = ike_policy
        self.ipsec_psk = ipsec_psk
        self._bind(driver, extra)

    delete = deleter("ex_delete_vpn_customer_gateway", "vpn_customer_gateway")

    def __repr__(self) -> str:
        return describe("CloudStackVpnCustomerGateway", self,
                        "id", "cidr_list", "esp_policy", "gateway", "ike_policy", "ipsec_psk",
                        secret=("ipsec_psk",))


class CloudStackVpnConnection(Model):
    """A site-to-site VPN connection between a VPN gateway and a customer gateway."""

    def __init__(self, id: Any, passive: bool | None, vpn_customer_gateway_id: str | None,
                 vpn_gateway_id: str | None, state: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.passive = passive
        self.vpn_customer_gateway_id = vpn_customer_gateway_id
        self.vpn_gateway_id = vpn_gateway_id
        self.state = state
        self._bind(driver, extra)

    @property
    def vpn_customer_gateway(self) -> CloudStackVpnCustomerGateway:
        """The customer gateway, by id (``listVpnCustomerGateways(id)``); ``NotFoundError``
        (a ``LibcloudError``) when absent."""
        found = self.driver.ex_list_vpn_customer_gateways(id=self.vpn_customer_gateway_id)
        return _by_id(found, self.vpn_customer_gateway_id,  # type: ignore[no-any-return]
                      f"VPN customer gateway {self.vpn_customer_gateway_id} of VPN connection "
                      f"{self.id}", self.driver)

    @property
    def vpn_gateway(self) -> CloudStackVpnGateway:
        """The VPN gateway, by id (``listVpnGateways(id)``); ``NotFoundError`` (a
        ``LibcloudError``) when absent."""
        found = self.driver.ex_list_vpn_gateways(id=self.vpn_gateway_id)
        return _by_id(found, self.vpn_gateway_id,  # type: ignore[no-any-return]
                      f"VPN gateway {self.vpn_gateway_id} of VPN connection {self.id}",
                      self.driver)

    delete = deleter("ex_delete_vpn_connection", "vpn_connection")

    def __repr__(self) -> str:
        return describe("CloudStackVpnConnection", self,
                        "id", "passive", "vpn_customer_gateway_id", "vpn_gateway_id", "state")
