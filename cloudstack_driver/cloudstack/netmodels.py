"""Advanced-zone models: public IPs, forwarding and firewall rules, networks, NICs, VPCs, ACLs.

Each model is declared once (:mod:`cloudstack_driver._schema`): constructors keep libcloud's
positional order and attribute names (PARITY 5.1; ``extra`` and ``driver`` keywords are
additions), ``from_record`` reads the CloudStack record, ids are ``str``, every other value is
the server's as sent. Every class compares equal by class and ``id`` and hashes by ``id``.
Helpers (``release()``, ``delete()``) call the driver with keyword arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._awaitable import then
from cloudstack_driver._convert import flag, tags_of
from cloudstack_driver._schema import RAW, Extra, field, ident, new_dict
from cloudstack_driver.cloudstack._modelbase import Model, deleter

__all__ = [
    "CloudStackAddress",
    "CloudStackEgressFirewallRule",
    "CloudStackFirewallRule",
    "CloudStackIPForwardingRule",
    "CloudStackNetwork",
    "CloudStackNetworkACL",
    "CloudStackNetworkACLList",
    "CloudStackNetworkOffering",
    "CloudStackNic",
    "CloudStackPortForwardingRule",
    "CloudStackRouter",
    "CloudStackVPC",
    "CloudStackVPCOffering",
    "service_names",
]

TAGS = Extra("tags", read=tags_of, record=True)


def service_names(record: Mapping[str, Any]) -> list[Any]:
    """The names of an offering's ``service`` list."""
    return [service.get("name") for service in (record.get("service") or [])
            if isinstance(service, Mapping)]


SERVICES = Extra("services", read=service_names, record=True)


class CloudStackAddress(Model):
    """A public IP address. ``str(address)`` is the IP itself."""

    id: str | None = field("id")
    address: str | None = field("ipaddress")
    driver: Any = field()
    associated_network_id: str | None = field("associatednetworkid", default=None)
    vpc_id: str | None = field("vpcid", default=None)
    virtualmachine_id: str | None = field("virtualmachineid", default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("state"),
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        Extra("network_id", "networkid"),
        Extra("is_source_nat", "issourcenat", flag),
        Extra("is_static_nat", "isstaticnat", flag),
        Extra("virtualmachine_name", "virtualmachinename"),
        Extra("vm_ip_address", "vmipaddress"),
        Extra("project_id", "projectid"),
        Extra("purpose"),
        TAGS,
    )
    REPR = ("id", "address", "driver")

    def release(self) -> bool:
        """``driver.ex_release_public_ip(address=self)``."""
        return then(self.driver.ex_release_public_ip(address=self), bool)

    def __str__(self) -> str:
        return str(self.address)


#: The ``extra`` of every firewall and forwarding rule.
RULE_EXTRA = (
    Extra("state"),
    Extra("ipaddress_id", "ipaddressid"),
    Extra("ipaddress"),
    Extra("network_id", "networkid"),
    Extra("virtualmachine_id", "virtualmachineid"),
    Extra("virtualmachine_name", "virtualmachinename"),
    Extra("vm_guest_ip", "vmguestip"),
    Extra("cidr_list", "cidrlist"),
    Extra("traffic_type", "traffictype"),
    TAGS,
)


class CloudStackFirewallRule(Model):
    """An ingress firewall rule on a public IP (``address`` is a ``CloudStackAddress``; the
    driver defaults to the address's)."""

    id: str | None = field("id")
    address: CloudStackAddress | None = field()
    cidr_list: str | None = field("cidrlist")
    protocol: str | None = field("protocol")
    icmp_code: Any = field("icmpcode", default=None)
    icmp_type: Any = field("icmptype", default=None)
    start_port: Any = field("startport", default=None)
    end_port: Any = field("endport", default=None)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = RULE_EXTRA
    REPR = ("id", "address", "protocol", "cidr_list", "start_port", "end_port")

    def _post_init(self) -> None:
        if self.driver is None:
            self.driver = getattr(self.address, "driver", None)

    delete = deleter("ex_delete_firewall_rule", "firewall_rule")


class CloudStackEgressFirewallRule(Model):
    """An egress firewall rule of a guest network."""

    id: str | None = field("id")
    network_id: str | None = field("networkid")
    cidr_list: str | None = field("cidrlist")
    protocol: str | None = field("protocol")
    icmp_code: Any = field("icmpcode", default=None)
    icmp_type: Any = field("icmptype", default=None)
    start_port: Any = field("startport", default=None)
    end_port: Any = field("endport", default=None)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = RULE_EXTRA
    REPR = ("id", "network_id", "protocol", "cidr_list", "start_port", "end_port")

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        if self.network_id is None:
            self.network_id = self.extra["network_id"] = ident(context.get("network_id"))
        return self

    delete = deleter("ex_delete_egress_firewall_rule", "firewall_rule")


class _NodeRule(Model):
    """A forwarding rule to a VM: ``node`` when the VM was loaded, else None with the VM id
    in ``virtualmachine_id``; the driver defaults to the node's. ``from_record`` takes
    ``node`` and ``address`` as context, and ``upper=True`` for libcloud's upper-case
    protocol of listed rules."""

    node: Any
    driver: Any
    protocol: str | None
    virtualmachine_id: str | None

    def _post_init(self) -> None:
        if self.virtualmachine_id is None:
            self.virtualmachine_id = getattr(self.node, "id", None)
        if self.driver is None:
            self.driver = getattr(self.node, "driver", None)

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        if context.get("upper") and isinstance(self.protocol, str):
            self.protocol = self.protocol.upper()
        return self

    def _delete_rule(self, method: str) -> bool:
        """``node.<method>(rule=self)``, or ``driver.<method>(node=None, rule=self)`` when the
        node is not loaded."""
        if self.node is not None:
            return then(getattr(self.node, method)(rule=self), bool)
        return then(getattr(self.driver, method)(node=None, rule=self), bool)


def _start_port(record: Mapping[str, Any]) -> Any:
    """CloudStack reports an IP-forwarding rule's ports as ``startport``/``endport`` on some
    versions and as ``privateport``/``privateendport`` on others."""
    return record.get("startport", record.get("privateport"))


def _end_port(record: Mapping[str, Any]) -> Any:
    return record.get("endport", record.get("privateendport"))


class CloudStackIPForwardingRule(_NodeRule):
    """An IP-forwarding (static NAT) rule. ``node`` is None when its VM was not loaded; the
    VM id is then in ``virtualmachine_id``."""

    node: Any = field()
    id: str | None = field("id")
    address: CloudStackAddress | None = field()
    protocol: str | None = field("protocol")
    start_port: Any = field(read=_start_port)
    end_port: Any = field(read=_end_port, default=None)
    driver: Any = field(default=None, kw_only=True)
    virtualmachine_id: str | None = field("virtualmachineid", default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = RULE_EXTRA
    REPR = ("id", "address", "protocol", "start_port", "end_port", "virtualmachine_id")

    def delete(self) -> bool:
        """``node.ex_delete_ip_forwarding_rule(rule=self)`` (through the driver when the node
        is not loaded)."""
        return self._delete_rule("ex_delete_ip_forwarding_rule")


class CloudStackPortForwardingRule(_NodeRule):
    """A port-forwarding rule (``rule_id`` is stored as ``id``; ``network_id`` is kept).
    ``node`` is None when its VM was not loaded; the VM id is then in ``virtualmachine_id``."""

    node: Any = field()
    id: str | None = field("id", alias="rule_id")
    address: CloudStackAddress | None = field()
    protocol: str | None = field("protocol")
    public_port: Any = field("publicport")
    private_port: Any = field("privateport")
    public_end_port: Any = field("publicendport", default=None)
    private_end_port: Any = field("privateendport", default=None)
    network_id: str | None = field("networkid", default=None)
    driver: Any = field(default=None, kw_only=True)
    virtualmachine_id: str | None = field("virtualmachineid", default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = RULE_EXTRA
    REPR = ("id", "address", "protocol", "public_port", "private_port", "virtualmachine_id")

    def delete(self) -> bool:
        """``node.ex_delete_port_forwarding_rule(rule=self)`` (through the driver when the
        node is not loaded)."""
        return self._delete_rule("ex_delete_port_forwarding_rule")


class CloudStackNetwork(Model):
    """A guest network. Constructor arguments keep libcloud's raw CloudStack spellings."""

    displaytext: str | None = field("displaytext")
    name: str | None = field("name")
    networkofferingid: str | None = field("networkofferingid", ident)
    id: str | None = field("id")
    zoneid: str | None = field("zoneid", ident)
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("broadcast_domain_type", "broadcastdomaintype"),
        Extra("traffic_type", "traffictype"),
        Extra("zone_name", "zonename"),
        Extra("network_offering_name", "networkofferingname"),
        # libcloud's misspelt key, kept for its scripts, and the right one
        Extra("network_offeringdisplay_text", "networkofferingdisplaytext"),
        Extra("network_offering_display_text", "networkofferingdisplaytext"),
        Extra("network_offering_availability", "networkofferingavailability"),
        Extra("is_system", "issystem", flag),
        Extra("state"),
        Extra("dns1"),
        Extra("dns2"),
        Extra("type"),
        Extra("acl_type", "acltype"),
        Extra("subdomain_access", "subdomainaccess", flag),
        Extra("network_domain", "networkdomain"),
        Extra("physical_network_id", "physicalnetworkid"),
        Extra("can_use_for_deploy", "canusefordeploy", flag),
        Extra("gateway"),
        Extra("netmask"),
        Extra("vpc_id", "vpcid"),
        Extra("project_id", "projectid"),
        Extra("cidr"),
        Extra("acl_id", "aclid"),
        Extra("is_default", "isdefault", flag),
        TAGS,
    )
    REPR = ("displaytext", "name", "networkofferingid", "id", "zoneid", "driver")

    def delete(self, force: bool | None = None) -> bool:
        """``driver.ex_delete_network(network=self, force=force)``."""
        return then(self.driver.ex_delete_network(network=self, force=force), bool)


class CloudStackNetworkOffering(Model):
    """A network offering (what ``ex_create_network`` builds a network from)."""

    name: str | None = field("name")
    display_text: str | None = field("displaytext")
    guest_ip_type: str | None = field("guestiptype")
    id: str | None = field("id")
    service_offering_id: str | None = field("serviceofferingid")
    for_vpc: bool | None = field("forvpc", flag)
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("state"),
        Extra("traffic_type", "traffictype"),
        Extra("is_default", "isdefault", flag),
        Extra("availability"),
        Extra("specify_vlan", "specifyvlan", flag),
        SERVICES,
        Extra("tags"),
    )
    REPR = ("id", "name", "display_text", "guest_ip_type", "service_offering_id", "for_vpc",
            "driver")


class CloudStackNic(Model):
    """A network interface of a VM (``extra["device_id"]`` is its device number)."""

    id: str | None = field("id")
    network_id: str | None = field("networkid")
    net_mask: str | None = field("netmask")
    gateway: str | None = field("gateway")
    ip_address: str | None = field("ipaddress")
    is_default: bool | None = field("isdefault", flag)
    mac_address: str | None = field("macaddress")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("secondary_ip", "secondaryip"),
        Extra("ip6_address", "ip6address"),
        Extra("type"),
        Extra("traffic_type", "traffictype"),
        Extra("device_id", "deviceid", RAW),
        Extra("network_name", "networkname"),
        Extra("virtualmachine_id", "virtualmachineid"),
        Extra("vpc_id", "vpcid"),
    )
    REPR = ("id", "network_id", "net_mask", "gateway", "ip_address", "is_default",
            "mac_address", "driver")


class CloudStackVPC(Model):
    """A virtual private cloud."""

    name: str | None = field("name")
    vpc_offering_id: str | None = field("vpcofferingid")
    id: str | None = field("id")
    cidr: str | None = field("cidr")
    driver: Any = field()
    zone_id: str | None = field("zoneid", default=None)
    display_text: str | None = field("displaytext", default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("created"),
        Extra("domain"),
        Extra("domain_id", "domainid"),
        Extra("network_domain", "networkdomain"),
        Extra("state"),
        Extra("vpc_offering_id", "vpcofferingid"),
        Extra("zone_name", "zonename"),
        Extra("zone_id", "zoneid"),
        Extra("project_id", "projectid"),
        Extra("restart_required", "restartrequired", flag),
        TAGS,
    )
    REPR = ("name", "vpc_offering_id", "id", "cidr", "driver")

    delete = deleter("ex_delete_vpc", "vpc")


class CloudStackVPCOffering(Model):
    """A VPC offering (what ``ex_create_vpc`` builds a VPC from)."""

    name: str | None = field("name")
    display_text: str | None = field("displaytext")
    id: str | None = field("id")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (Extra("state"), Extra("is_default", "isdefault", flag), SERVICES)
    REPR = ("name", "display_text", "id", "driver")


class CloudStackRouter(Model):
    """A virtual router (``state`` is CloudStack's raw string)."""

    id: str | None = field("id")
    name: str | None = field("name")
    state: str | None = field("state")
    public_ip: str | None = field("publicip")
    vpc_id: str | None = field("vpcid")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        Extra("role"),
        Extra("guest_network_id", "guestnetworkid"),
        Extra("version"),
    )
    REPR = ("id", "name", "state", "public_ip", "vpc_id", "driver")


class CloudStackNetworkACLList(Model):
    """A network ACL list of a VPC (``acl_id`` is stored as ``id``)."""

    id: str | None = field("id", alias="acl_id")
    name: str | None = field("name")
    vpc_id: str | None = field("vpcid")
    driver: Any = field()
    description: str | None = field("description", default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (Extra("vpc_name", "vpcname"),)
    REPR = ("id", "name", "vpc_id", "driver", "description")

    delete = deleter("ex_delete_network_acllist", "acl_list")


class CloudStackNetworkACL(Model):
    """One rule of a network ACL list."""

    id: str | None = field("id")
    protocol: str | None = field("protocol")
    acl_id: str | None = field("aclid")
    action: str | None = field("action")
    cidr_list: str | None = field("cidrlist")
    start_port: Any = field("startport")
    end_port: Any = field("endport")
    traffic_type: str | None = field("traffictype", default=None)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (
        Extra("number"),
        Extra("state"),
        Extra("acl_name", "aclname"),
        Extra("icmp_code", "icmpcode"),
        Extra("icmp_type", "icmptype"),
        Extra("reason"),
        TAGS,
    )
    REPR = ("id", "protocol", "acl_id", "action", "cidr_list", "start_port", "end_port",
            "traffic_type")

    delete = deleter("ex_delete_network_acl", "acl")
