"""Raw affinity-group and site-to-site VPN records -> the models of :mod:`.vpnmodels`.

Every optional field is read with a default (D6); ids are never converted. The owner fields
are named once, in :data:`ACCOUNT_FIELDS` and :data:`PROJECT_FIELDS`.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver.cloudstack.mappers import Record, extra_of, to_bool, to_int
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackAffinityGroup,
    CloudStackAffinityGroupType,
    CloudStackVpnConnection,
    CloudStackVpnCustomerGateway,
    CloudStackVpnGateway,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "PROJECT_FIELDS",
    "to_affinity_group",
    "to_affinity_group_type",
    "to_vpn_connection",
    "to_vpn_customer_gateway",
    "to_vpn_gateway",
]

#: ``extra`` key <- CloudStack field: the account and domain that own a record.
ACCOUNT_FIELDS: tuple[tuple[str, str], ...] = (
    ("account", "account"),
    ("domain", "domain"),
    ("domain_id", "domainid"),
)

#: ``extra`` key <- CloudStack field: the project a record belongs to.
PROJECT_FIELDS: tuple[tuple[str, str], ...] = (
    ("project", "project"),
    ("project_id", "projectid"),
)


# -- affinity groups ----------------------------------------------------------------------------

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
        driver=driver, extra=extra_of(record, PROJECT_FIELDS),
    )


# -- site-to-site VPN ---------------------------------------------------------------------------

def to_vpn_gateway(driver: Any, record: Record) -> CloudStackVpnGateway:
    """A ``listVpnGateways`` / ``createVpnGateway`` record -> ``CloudStackVpnGateway``."""
    extra = {
        "for_display": to_bool(record.get("fordisplay")),
        **extra_of(record, PROJECT_FIELDS),
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
        **extra_of(record, ACCOUNT_FIELDS),
        "dpd": to_bool(record.get("dpd")),
        "esp_lifetime": to_int(record.get("esplifetime")),
        "ike_lifetime": to_int(record.get("ikelifetime")),
        "name": record.get("name"),
        "ike_version": record.get("ikeversion"),
        **extra_of(record, PROJECT_FIELDS),
    }
    return CloudStackVpnCustomerGateway(
        record.get("id"), record.get("cidrlist"), record.get("esppolicy"),
        record.get("gateway"), record.get("ikepolicy"), record.get("ipsecpsk"), driver,
        extra=extra)


def to_vpn_connection(driver: Any, record: Record) -> CloudStackVpnConnection:
    """A ``listVpnConnections`` / ``createVpnConnection`` record -> ``CloudStackVpnConnection``
    (the copied pre-shared key is not kept)."""
    extra = {
        **extra_of(record, ACCOUNT_FIELDS),
        "for_display": to_bool(record.get("fordisplay")),
        **extra_of(record, PROJECT_FIELDS),
        "created": record.get("created"),
        "public_ip": record.get("publicip"),
        "gateway": record.get("gateway"),
        "cidr_list": record.get("cidrlist"),
    }
    return CloudStackVpnConnection(
        record.get("id"), to_bool(record.get("passive")), record.get("s2scustomergatewayid"),
        record.get("s2svpngatewayid"), record.get("state"), driver, extra=extra)
