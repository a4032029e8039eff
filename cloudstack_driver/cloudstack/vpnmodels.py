"""Affinity groups and site-to-site VPN models, with the mappers from raw CloudStack records.

Constructors keep libcloud's positional order and attribute names (PARITY 5.1); ``driver`` and
``extra`` keywords are additions where libcloud had none. Every class compares equal by class
and ``id`` (affinity group types: by ``type``) and is hashable. ``repr`` never shows the IPsec
pre-shared key (D34). Optional fields are read with defaults (D6); ids are never converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver.cloudstack.mappers import to_bool, to_int
from cloudstack_driver.errors import NotFoundError

__all__ = [
    "CloudStackAffinityGroup",
    "CloudStackAffinityGroupType",
    "CloudStackVpnConnection",
    "CloudStackVpnCustomerGateway",
    "CloudStackVpnGateway",
    "to_affinity_group",
    "to_affinity_group_type",
    "to_vpn_connection",
    "to_vpn_customer_gateway",
    "to_vpn_gateway",
]

Record = Mapping[str, Any]


class _EqById:
    """``==`` by class and ``id``; hashable by ``id``."""

    id: Any

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self.id == other.id)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))


# -- affinity groups ----------------------------------------------------------------------------

class CloudStackAffinityGroupType:
    """An affinity group type (``"host anti-affinity"``, ``"host affinity"``, ...)."""

    def __init__(self, type_name: str) -> None:
        self.type = type_name

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self.type == other.type)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.type))

    def __repr__(self) -> str:
        return f"<CloudStackAffinityGroupType: type={self.type}>"


class CloudStackAffinityGroup(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_affinity_group(affinity_group=self)``."""
        return bool(self.driver.ex_delete_affinity_group(affinity_group=self))

    def __repr__(self) -> str:
        return f"<CloudStackAffinityGroup: id={self.id}, name={self.name}, type={self.type}>"


def to_affinity_group_type(record: Record) -> CloudStackAffinityGroupType:
    """A ``listAffinityGroupTypes`` item -> ``CloudStackAffinityGroupType``."""
    return CloudStackAffinityGroupType(record.get("type"))  # type: ignore[arg-type]


def to_affinity_group(driver: Any, record: Record) -> CloudStackAffinityGroup:
    """A ``listAffinityGroups`` / ``createAffinityGroup`` record -> ``CloudStackAffinityGroup``
    (``virtualmachineIds`` is camel case on the wire)."""
    kind = record.get("type")
    vms = record.get("virtualmachineIds")
    return CloudStackAffinityGroup(
        record.get("id"), record.get("account"), record.get("description"),
        record.get("domain"), record.get("domainid"), record.get("name"),
        None if kind is None else CloudStackAffinityGroupType(kind),
        list(vms) if isinstance(vms, list) else [],
        driver=driver,
        extra={"project": record.get("project"), "project_id": record.get("projectid")},
    )


# -- site-to-site VPN ---------------------------------------------------------------------------

class CloudStackVpnGateway(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    @property
    def vpc(self) -> Any:
        """The ``CloudStackVPC`` of this gateway, found with ``driver.ex_list_vpcs()``;
        ``NotFoundError`` (a ``LibcloudError``) when it is not listed."""
        for vpc in self.driver.ex_list_vpcs():
            if vpc.id == self.vpc_id:
                return vpc
        raise NotFoundError(f"VPC {self.vpc_id} of VPN gateway {self.id} not found",
                            driver=self.driver)

    def delete(self) -> bool:
        """``driver.ex_delete_vpn_gateway(vpn_gateway=self)``."""
        return bool(self.driver.ex_delete_vpn_gateway(vpn_gateway=self))

    def __repr__(self) -> str:
        return (f"<CloudStackVpnGateway: id={self.id}, account={self.account}, "
                f"domain={self.domain}, domain_id={self.domain_id}, "
                f"public_ip={self.public_ip}, vpc_id={self.vpc_id}>")


class CloudStackVpnCustomerGateway(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_vpn_customer_gateway(vpn_customer_gateway=self)``."""
        return bool(self.driver.ex_delete_vpn_customer_gateway(vpn_customer_gateway=self))

    def __repr__(self) -> str:
        return (f"<CloudStackVpnCustomerGateway: id={self.id}, cidr_list={self.cidr_list}, "
                f"esp_policy={self.esp_policy}, gateway={self.gateway}, "
                f"ike_policy={self.ike_policy}, ipsec_psk=***>")


class CloudStackVpnConnection(_EqById):
    """A site-to-site VPN connection between a VPN gateway and a customer gateway."""

    def __init__(self, id: Any, passive: bool | None, vpn_customer_gateway_id: str | None,
                 vpn_gateway_id: str | None, state: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.passive = passive
        self.vpn_customer_gateway_id = vpn_customer_gateway_id
        self.vpn_gateway_id = vpn_gateway_id
        self.state = state
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    @property
    def vpn_customer_gateway(self) -> CloudStackVpnCustomerGateway:
        """The customer gateway, by id (``listVpnCustomerGateways(id)``); ``NotFoundError``
        (a ``LibcloudError``) when absent."""
        found = self.driver.ex_list_vpn_customer_gateways(id=self.vpn_customer_gateway_id)
        for gateway in found:
            if gateway.id == self.vpn_customer_gateway_id:
                return gateway  # type: ignore[no-any-return]
        raise NotFoundError(f"VPN customer gateway {self.vpn_customer_gateway_id} of VPN "
                            f"connection {self.id} not found", driver=self.driver)

    @property
    def vpn_gateway(self) -> CloudStackVpnGateway:
        """The VPN gateway, by id (``listVpnGateways(id)``); ``NotFoundError`` (a
        ``LibcloudError``) when absent."""
        for gateway in self.driver.ex_list_vpn_gateways(id=self.vpn_gateway_id):
            if gateway.id == self.vpn_gateway_id:
                return gateway  # type: ignore[no-any-return]
        raise NotFoundError(f"VPN gateway {self.vpn_gateway_id} of VPN connection {self.id} "
                            "not found", driver=self.driver)

    def delete(self) -> bool:
        """``driver.ex_delete_vpn_connection(vpn_connection=self)``."""
        return bool(self.driver.ex_delete_vpn_connection(vpn_connection=self))

    def __repr__(self) -> str:
        return (f"<CloudStackVpnConnection: id={self.id}, passive={self.passive}, "
                f"vpn_customer_gateway_id={self.vpn_customer_gateway_id}, "
                f"vpn_gateway_id={self.vpn_gateway_id}, state={self.state}>")


def to_vpn_gateway(driver: Any, record: Record) -> CloudStackVpnGateway:
    """A ``listVpnGateways`` / ``createVpnGateway`` record -> ``CloudStackVpnGateway``."""
    extra = {
        "for_display": to_bool(record.get("fordisplay")),
        "project": record.get("project"),
        "project_id": record.get("projectid"),
        "removed": record.get("removed"),
        "vpc_name": record.get("vpcname"),
    }
    return CloudStackVpnGateway(record.get("id"), record.get("account"), record.get("domain"),
                                record.get("domainid"), record.get("publicip"),
                                record.get("vpcid"), driver, extra=extra)


def to_vpn_customer_gateway(driver: Any, record: Record) -> CloudStackVpnCustomerGateway:
    """A ``listVpnCustomerGateways`` / ``createVpnCustomerGateway`` record ->
    ``CloudStackVpnCustomerGateway``."""
    extra = {
        "account": record.get("account"),
        "domain": record.get("domain"),
        "domain_id": record.get("domainid"),
        "dpd": to_bool(record.get("dpd")),
        "esp_lifetime": to_int(record.get("esplifetime")),
        "ike_lifetime": to_int(record.get("ikelifetime")),
        "name": record.get("name"),
        "ike_version": record.get("ikeversion"),
        "project": record.get("project"),
        "project_id": record.get("projectid"),
    }
    return CloudStackVpnCustomerGateway(
        record.get("id"), record.get("cidrlist"), record.get("esppolicy"),
        record.get("gateway"), record.get("ikepolicy"), record.get("ipsecpsk"), driver,
        extra=extra)


def to_vpn_connection(driver: Any, record: Record) -> CloudStackVpnConnection:
    """A ``listVpnConnections`` / ``createVpnConnection`` record -> ``CloudStackVpnConnection``
    (the copied pre-shared key is not kept)."""
    extra = {
        "account": record.get("account"),
        "domain": record.get("domain"),
        "domain_id": record.get("domainid"),
        "for_display": to_bool(record.get("fordisplay")),
        "project": record.get("project"),
        "project_id": record.get("projectid"),
        "created": record.get("created"),
        "public_ip": record.get("publicip"),
        "gateway": record.get("gateway"),
        "cidr_list": record.get("cidrlist"),
    }
    return CloudStackVpnConnection(
        record.get("id"), to_bool(record.get("passive")), record.get("s2scustomergatewayid"),
        record.get("s2svpngatewayid"), record.get("state"), driver, extra=extra)
