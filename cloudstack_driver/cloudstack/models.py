"""CloudStack-only models of the core: nodes, disk offerings, projects.

``CloudStackNode`` helpers delegate to the driver with keyword arguments, so the driver's
argument order can never be mixed up again (libcloud's ``ex_allocate_public_ip`` passed the node
as ``vpc_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._awaitable import then
from cloudstack_driver._convert import flag, is_private_ip, tags_of
from cloudstack_driver._schema import RAW, Extra, Schema, field, ident, idents, new_dict
from cloudstack_driver.cloudstack._modelbase import EqByKey
from cloudstack_driver.models import Node

__all__ = ["CloudStackDiskOffering", "CloudStackNode", "CloudStackProject"]


def _add(target: list[str], address: Any) -> None:
    if isinstance(address, str) and address and address not in target:
        target.append(address)


def _group_names(record: Mapping[str, Any]) -> list[Any]:
    return [g.get("name") for g in (record.get("securitygroup") or [])
            if isinstance(g, Mapping)]


def _affinity_ids(record: Mapping[str, Any]) -> list[str]:
    return idents([g.get("id") for g in (record.get("affinitygroup") or [])
                   if isinstance(g, Mapping)])


def _nics(record: Mapping[str, Any]) -> list[Any]:
    return [n for n in (record.get("nic") or []) if isinstance(n, Mapping)]


def _empty(_record: Any) -> list[Any]:
    return []


class CloudStackNode(Node):
    """A CloudStack virtual machine, with libcloud's node helpers.

    ``public_ips``/``private_ips`` come from the NICs' IPv4 then IPv6 addresses (classified by
    range, D32) and ``publicip``; ``extra`` holds the keys of PARITY 5.2 (always present, None
    when absent), ``ipv6_addresses``, ``cpu_number``, ``memory``, ``public_ip(_id)``, and
    ``tags`` only when the VM has tags.
    """

    __slots__ = ()

    EXTRA = (
        Extra("haenable", read=flag),
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        Extra("password"),
        Extra("image_id", "templateid"),
        Extra("image_name", "templatename"),
        Extra("template_display_text", "templatedisplaytext"),
        Extra("password_enabled", "passwordenabled", flag),
        Extra("size_id", "serviceofferingid"),
        Extra("size_name", "serviceofferingname"),
        Extra("root_device_id", "rootdeviceid", RAW),
        Extra("root_device_type", "rootdevicetype"),
        Extra("hypervisor"),
        Extra("project"),
        Extra("project_id", "projectid"),
        Extra("state"),
        Extra("display_name", "displayname"),
        Extra("cpu_number", "cpunumber"),
        Extra("memory"),
        Extra("public_ip", "publicip"),
        Extra("public_ip_id", "publicipid"),
        Extra("key_name", read=lambda r: r.get("keypair", r.get("keypairs")), record=True),
        Extra("nics", read=_nics, record=True),
        Extra("security_group", read=_group_names, record=True),
        Extra("affinity_group", read=_affinity_ids, record=True),
        Extra("ip_addresses", read=_empty, record=True),
        Extra("ip_forwarding_rules", read=_empty, record=True),
        Extra("port_forwarding_rules", read=_empty, record=True),
        Extra("created", read=lambda r: r.get("created") or False, record=True),
    )

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        """Addresses from the NICs (IPv4 first, then IPv6) and ``publicip``; ``nics:``."""
        extra = self.extra
        nics = extra["nics"]
        extra["nics:"] = nics
        public = self.public_ips
        private = self.private_ips
        ipv6: list[str] = []
        for nic in nics:
            address = nic.get("ipaddress")
            if isinstance(address, str) and address:
                _add(private if is_private_ip(address) else public, address)
        for nic in nics:
            address6 = nic.get("ip6address")
            if isinstance(address6, str) and address6:
                _add(ipv6, address6)
                _add(private if is_private_ip(address6) else public, address6)
        _add(public, record.get("publicip"))
        extra["ipv6_addresses"] = ipv6
        if record.get("tags"):
            extra["tags"] = tags_of(record)
        return self

    def ex_allocate_public_ip(self, **kwargs: Any) -> Any:
        """``driver.ex_allocate_public_ip(**kwargs)`` (``vpc_id``, ``network_id``, ``location``)."""
        return self.driver.ex_allocate_public_ip(**kwargs)

    def ex_release_public_ip(self, address: Any) -> bool:
        """``driver.ex_release_public_ip(address=address)``."""
        return then(self.driver.ex_release_public_ip(address=address), bool)

    def ex_create_ip_forwarding_rule(self, address: Any, protocol: str, start_port: int,
                                     end_port: int | None = None) -> Any:
        """``driver.ex_create_ip_forwarding_rule(node=self, ...)``."""
        return self.driver.ex_create_ip_forwarding_rule(
            node=self, address=address, protocol=protocol, start_port=start_port,
            end_port=end_port,
        )

    def ex_create_port_forwarding_rule(
        self,
        address: Any,
        private_port: int,
        public_port: int,
        protocol: str,
        public_end_port: int | None = None,
        private_end_port: int | None = None,
        openfirewall: bool = True,
        network_id: str | int | None = None,
    ) -> Any:
        """``driver.ex_create_port_forwarding_rule(node=self, ...)``."""
        return self.driver.ex_create_port_forwarding_rule(
            node=self, address=address, private_port=private_port, public_port=public_port,
            protocol=protocol, public_end_port=public_end_port,
            private_end_port=private_end_port, openfirewall=openfirewall,
            network_id=network_id,
        )

    def ex_delete_ip_forwarding_rule(self, rule: Any) -> bool:
        """``driver.ex_delete_ip_forwarding_rule(node=self, rule=rule)``."""
        return then(self.driver.ex_delete_ip_forwarding_rule(node=self, rule=rule), bool)

    def ex_delete_port_forwarding_rule(self, rule: Any) -> bool:
        """``driver.ex_delete_port_forwarding_rule(node=self, rule=rule)``."""
        return then(self.driver.ex_delete_port_forwarding_rule(node=self, rule=rule), bool)

    def ex_start(self) -> str:
        """``driver.ex_start(node=self)``: the new CloudStack state."""
        return then(self.driver.ex_start(node=self), str)

    def ex_stop(self) -> str:
        """``driver.ex_stop(node=self)``: the new CloudStack state."""
        return then(self.driver.ex_stop(node=self), str)

    def ex_restore(self, template: Any = None) -> str:
        """``driver.ex_restore(node=self, template=template)``: the template id now used."""
        return then(self.driver.ex_restore(node=self, template=template), str)

    def ex_change_node_size(self, offering: Any) -> str:
        """``driver.ex_change_node_size(node=self, offering=offering)``: the new offering id."""
        return then(self.driver.ex_change_node_size(node=self, offering=offering), str)


class CloudStackDiskOffering(Schema, EqByKey):
    """A disk offering: ``size`` in GB as the server sent ``disksize`` (0 for a customizable
    one), ``customizable`` the server's ``iscustomized``."""

    id: str | None = field("id")
    name: str | None = field("name")
    size: int | None = field("disksize")
    customizable: bool | None = field("iscustomized", flag)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (Extra("display_text", "displaytext"), Extra("zone_id", "zoneid"))
    REPR = ("id", "name", "size", "customizable")


_PROJECT_RESOURCES = ("cpu", "ip", "memory", "network", "primarystorage", "secondarystorage",
                      "snapshot", "template", "vm", "volume", "vpc")


class CloudStackProject(Schema):
    """A CloudStack project; pass it as ``project`` to the methods that take one. ``extra``
    holds the owner, state, tags, ``vmrunning`` and each resource's ``<r>available``,
    ``<r>limit`` and ``<r>total`` as the server sent them (``"Unlimited"`` included)."""

    id: str | None = field("id")
    name: str | None = field("name")
    display_text: str | None = field("displaytext")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("account"),
        Extra("domain"),
        Extra("domainid", read=ident),
        Extra("state"),
        Extra("tags", read=tags_of, record=True),
        Extra("vmrunning"),
        *(Extra(f"{resource}{suffix}") for resource in _PROJECT_RESOURCES
          for suffix in ("available", "limit", "total")),
    )
    REPR = ("id", "name", "display_text", "driver")
