"""Raw advanced-zone records -> the models of :mod:`.netmodels`.

Every optional field is read with a default (D6); ports become ints; ids are never converted
(D33). ``extra`` maps list every key, None when the cloud sent nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver.cloudstack.mappers import Record, extra_of, tags_of, to_bool, to_int
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackEgressFirewallRule,
    CloudStackFirewallRule,
    CloudStackIPForwardingRule,
    CloudStackNetwork,
    CloudStackNetworkACL,
    CloudStackNetworkACLList,
    CloudStackNetworkOffering,
    CloudStackNic,
    CloudStackPortForwardingRule,
    CloudStackRouter,
    CloudStackVPC,
    CloudStackVPCOffering,
)


def entity(result: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The object a command or job answered: ``result[key]``, else the only dict inside it."""
    found = result.get(key)
    if isinstance(found, Mapping):
        return dict(found)
    dicts = [v for v in result.values() if isinstance(v, Mapping)]
    if len(dicts) == 1:
        return dict(dicts[0])
    return dict(result)


def _tagged(record: Record, fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """:func:`extra_of` over ``fields``, then ``tags`` as a ``{key: value}`` dict."""
    extra = extra_of(record, fields)
    extra["tags"] = tags_of(record)
    return extra


def service_names(record: Record) -> list[Any]:
    """The names of an offering's ``service`` list."""
    return [service.get("name") for service in (record.get("service") or [])
            if isinstance(service, Mapping)]


# -- public IPs ---------------------------------------------------------------------------------

ADDRESS_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("state", "state"),
    ("zone_id", "zoneid"),
    ("zone_name", "zonename"),
    ("network_id", "networkid"),
    ("is_source_nat", "issourcenat"),
    ("is_static_nat", "isstaticnat"),
    ("virtualmachine_name", "virtualmachinename"),
    ("vm_ip_address", "vmipaddress"),
    ("project_id", "projectid"),
    ("purpose", "purpose"),
)


def to_address(driver: Any, record: Record) -> CloudStackAddress:
    """A ``listPublicIpAddresses`` / ``associateIpAddress`` record -> ``CloudStackAddress``."""
    extra = _tagged(record, ADDRESS_EXTRA_FIELDS)
    extra["is_source_nat"] = to_bool(record.get("issourcenat"))
    extra["is_static_nat"] = to_bool(record.get("isstaticnat"))
    return CloudStackAddress(
        record.get("id"), record.get("ipaddress"), driver,
        associated_network_id=record.get("associatednetworkid"),
        vpc_id=record.get("vpcid"), virtualmachine_id=record.get("virtualmachineid"),
        extra=extra,
    )


def address_of_rule(driver: Any, rule: Record,
                    known: Mapping[Any, CloudStackAddress]) -> CloudStackAddress:
    """The loaded address a rule points to (by ``ipaddressid``), else one built from the
    rule's own ``ipaddressid``/``ipaddress`` (D9, D10)."""
    found = known.get(rule.get("ipaddressid"))
    if found is not None:
        return found
    return CloudStackAddress(rule.get("ipaddressid"), rule.get("ipaddress"), driver)


# -- rules ------------------------------------------------------------------------------------

RULE_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("state", "state"),
    ("ipaddress_id", "ipaddressid"),
    ("ipaddress", "ipaddress"),
    ("network_id", "networkid"),
    ("virtualmachine_id", "virtualmachineid"),
    ("virtualmachine_name", "virtualmachinename"),
    ("vm_guest_ip", "vmguestip"),
    ("cidr_list", "cidrlist"),
    ("traffic_type", "traffictype"),
)




def _protocol(record: Record, upper: bool) -> str | None:
    value = record.get("protocol")
    if not isinstance(value, str):
        return None
    return value.upper() if upper else value


def to_firewall_rule(driver: Any, record: Record, address: CloudStackAddress
                     ) -> CloudStackFirewallRule:
    """A ``listFirewallRules`` / ``createFirewallRule`` record."""
    return CloudStackFirewallRule(
        record.get("id"), address, record.get("cidrlist"), record.get("protocol"),
        to_int(record.get("icmpcode")), to_int(record.get("icmptype")),
        to_int(record.get("startport")), to_int(record.get("endport")),
        driver=driver, extra=_tagged(record, RULE_EXTRA_FIELDS),
    )


def to_egress_rule(driver: Any, record: Record) -> CloudStackEgressFirewallRule:
    """A ``listEgressFirewallRules`` / ``createEgressFirewallRule`` record."""
    return CloudStackEgressFirewallRule(
        record.get("id"), record.get("networkid"), record.get("cidrlist"),
        record.get("protocol"), to_int(record.get("icmpcode")),
        to_int(record.get("icmptype")), to_int(record.get("startport")),
        to_int(record.get("endport")), driver=driver, extra=_tagged(record, RULE_EXTRA_FIELDS),
    )


def to_ip_forwarding_rule(driver: Any, record: Record, node: Any,
                          address: CloudStackAddress, *, upper: bool = False
                          ) -> CloudStackIPForwardingRule:
    """A ``listIpForwardingRules`` / ``createIpForwardingRule`` record. ``node`` may be None
    (its VM not loaded): ``virtualmachine_id`` keeps the raw id. CloudStack reports the
    rule's ports as ``startport``/``endport`` on some versions and as
    ``privateport``/``privateendport`` on others: both are read."""
    start = record.get("startport", record.get("privateport"))
    end = record.get("endport", record.get("privateendport"))
    return CloudStackIPForwardingRule(
        node, record.get("id"), address, _protocol(record, upper), to_int(start), to_int(end),
        driver=driver, virtualmachine_id=record.get("virtualmachineid"),
        extra=_tagged(record, RULE_EXTRA_FIELDS),
    )


def to_port_forwarding_rule(driver: Any, record: Record, node: Any,
                            address: CloudStackAddress, *, upper: bool = False
                            ) -> CloudStackPortForwardingRule:
    """A ``listPortForwardingRules`` / ``createPortForwardingRule`` record (``network_id``
    stored, D33). ``node`` may be None (its VM not loaded)."""
    return CloudStackPortForwardingRule(
        node, record.get("id"), address, _protocol(record, upper),
        to_int(record.get("publicport")), to_int(record.get("privateport")),
        to_int(record.get("publicendport")), to_int(record.get("privateendport")),
        record.get("networkid"), driver=driver,
        virtualmachine_id=record.get("virtualmachineid"), extra=_tagged(record, RULE_EXTRA_FIELDS),
    )


# -- networks, offerings, NICs ----------------------------------------------------------------

NETWORK_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("broadcast_domain_type", "broadcastdomaintype"),
    ("traffic_type", "traffictype"),
    ("zone_name", "zonename"),
    ("network_offering_name", "networkofferingname"),
    ("network_offeringdisplay_text", "networkofferingdisplaytext"),
    ("network_offering_display_text", "networkofferingdisplaytext"),
    ("network_offering_availability", "networkofferingavailability"),
    ("is_system", "issystem"),
    ("state", "state"),
    ("dns1", "dns1"),
    ("dns2", "dns2"),
    ("type", "type"),
    ("acl_type", "acltype"),
    ("subdomain_access", "subdomainaccess"),
    ("network_domain", "networkdomain"),
    ("physical_network_id", "physicalnetworkid"),
    ("can_use_for_deploy", "canusefordeploy"),
    ("gateway", "gateway"),
    ("netmask", "netmask"),
    ("vpc_id", "vpcid"),
    ("project_id", "projectid"),
    ("cidr", "cidr"),
    ("acl_id", "aclid"),
    ("is_default", "isdefault"),
)


def to_network(driver: Any, record: Record) -> CloudStackNetwork:
    """A ``listNetworks`` / ``createNetwork`` record -> ``CloudStackNetwork``."""
    extra = _tagged(record, NETWORK_EXTRA_FIELDS)
    return CloudStackNetwork(record.get("displaytext"), record.get("name"),
                             record.get("networkofferingid"), record.get("id"),
                             record.get("zoneid"), driver, extra=extra)


def to_network_offering(driver: Any, record: Record) -> CloudStackNetworkOffering:
    """A ``listNetworkOfferings`` record."""
    extra = {
        "state": record.get("state"),
        "traffic_type": record.get("traffictype"),
        "is_default": to_bool(record.get("isdefault")),
        "availability": record.get("availability"),
        "specify_vlan": to_bool(record.get("specifyvlan")),
        "services": service_names(record),
        "tags": record.get("tags"),
    }
    return CloudStackNetworkOffering(
        record.get("name"), record.get("displaytext"), record.get("guestiptype"),
        record.get("id"), record.get("serviceofferingid"), to_bool(record.get("forvpc")),
        driver, extra=extra,
    )


def to_nic(driver: Any, record: Record) -> CloudStackNic:
    """A ``listNics`` record (``extra["secondary_ip"]`` from ``secondaryip``)."""
    extra = {
        "secondary_ip": record.get("secondaryip"),
        "ip6_address": record.get("ip6address"),
        "type": record.get("type"),
        "traffic_type": record.get("traffictype"),
        "device_id": record.get("deviceid"),
        "network_name": record.get("networkname"),
        "virtualmachine_id": record.get("virtualmachineid"),
        "vpc_id": record.get("vpcid"),
    }
    return CloudStackNic(record.get("id"), record.get("networkid"), record.get("netmask"),
                         record.get("gateway"), record.get("ipaddress"),
                         to_bool(record.get("isdefault")), record.get("macaddress"), driver,
                         extra=extra)


# -- VPCs, routers, ACLs ----------------------------------------------------------------------

VPC_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("created", "created"),
    ("domain", "domain"),
    ("domain_id", "domainid"),
    ("network_domain", "networkdomain"),
    ("state", "state"),
    ("vpc_offering_id", "vpcofferingid"),
    ("zone_name", "zonename"),
    ("zone_id", "zoneid"),
    ("project_id", "projectid"),
    ("restart_required", "restartrequired"),
)


def to_vpc(driver: Any, record: Record) -> CloudStackVPC:
    """A ``listVPCs`` / ``createVPC`` record -> ``CloudStackVPC``."""
    extra = _tagged(record, VPC_EXTRA_FIELDS)
    return CloudStackVPC(record.get("name"), record.get("vpcofferingid"), record.get("id"),
                         record.get("cidr"), driver, zone_id=record.get("zoneid"),
                         display_text=record.get("displaytext"), extra=extra)


def to_vpc_offering(driver: Any, record: Record) -> CloudStackVPCOffering:
    """A ``listVPCOfferings`` record."""
    extra = {"state": record.get("state"), "is_default": to_bool(record.get("isdefault")),
             "services": service_names(record)}
    return CloudStackVPCOffering(record.get("name"), record.get("displaytext"),
                                 record.get("id"), driver, extra=extra)


def to_router(driver: Any, record: Record) -> CloudStackRouter:
    """A ``listRouters`` record (``vpcid``/``publicip`` optional, D6)."""
    extra = {"zone_id": record.get("zoneid"), "zone_name": record.get("zonename"),
             "role": record.get("role"), "guest_network_id": record.get("guestnetworkid"),
             "version": record.get("version")}
    return CloudStackRouter(record.get("id"), record.get("name"), record.get("state"),
                            record.get("publicip"), record.get("vpcid"), driver, extra=extra)


def to_acl_list(driver: Any, record: Record) -> CloudStackNetworkACLList:
    """A ``listNetworkACLLists`` / ``createNetworkACLList`` record."""
    return CloudStackNetworkACLList(record.get("id"), record.get("name"), record.get("vpcid"),
                                    driver, record.get("description"),
                                    extra={"vpc_name": record.get("vpcname")})


def to_acl(driver: Any, record: Record) -> CloudStackNetworkACL:
    """A ``listNetworkACLs`` / ``createNetworkACL`` record."""
    extra = {"number": to_int(record.get("number")), "state": record.get("state"),
             "acl_name": record.get("aclname"), "icmp_code": to_int(record.get("icmpcode")),
             "icmp_type": to_int(record.get("icmptype")), "reason": record.get("reason"),
             "tags": tags_of(record)}
    return CloudStackNetworkACL(
        record.get("id"), record.get("protocol"), record.get("aclid"), record.get("action"),
        record.get("cidrlist"), to_int(record.get("startport")),
        to_int(record.get("endport")), record.get("traffictype"), driver=driver, extra=extra,
    )
