"""Public IP addresses and static NAT (advanced zones)."""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import check_optional_instance
from cloudstack_driver.cloudstack.ext._args import (
    id_of,
    node_id,
    optional_id,
    optional_id_of,
)
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackNetwork,
    CloudStackVPC,
)
from cloudstack_driver.models import Node, NodeLocation

__all__ = ["AddressesMixin", "add_public_ip"]


def add_public_ip(node: Any, address: Any) -> None:
    """Put an IP string on ``node.public_ips`` once (nodes of other drivers are left alone)."""
    text = getattr(address, "address", address)
    ips = getattr(node, "public_ips", None)
    if isinstance(text, str) and text and isinstance(ips, list) and text not in ips:
        ips.append(text)


class AddressesMixin(DriverHost):
    """``ex_list_public_ips``, ``ex_allocate_public_ip``, ``ex_release_public_ip``,
    ``ex_enable_static_nat``, ``ex_disable_static_nat``."""

    def ex_list_public_ips(
        self,
        *,
        vpc_id: CloudStackVPC | str | int | None = None,
        network_id: CloudStackNetwork | str | int | None = None,
        location: NodeLocation | None = None,
        project_id: str | int | None = None,
        list_all: bool | None = None,
    ) -> list[CloudStackAddress]:
        """Allocated public IPs: ``listPublicIpAddresses(vpcid?, associatednetworkid?, zoneid?,
        projectid?, listall?)``, all pages. No job."""
        m = "ex_list_public_ips"
        where = check_optional_instance(m, "location", location, NodeLocation)
        records = self.connection.list(
            "listPublicIpAddresses",
            vpcid=optional_id_of(m, "vpc_id", vpc_id, CloudStackVPC),
            associatednetworkid=optional_id_of(m, "network_id", network_id, CloudStackNetwork),
            zoneid=where.id if where is not None else None,
            projectid=optional_id(m, "project_id", project_id),
            listall=check_optional_instance(m, "list_all", list_all, bool),
        )
        return [CloudStackAddress.from_record(self, r) for r in records]

    def ex_allocate_public_ip(
        self,
        vpc_id: CloudStackVPC | str | int | None = None,
        network_id: CloudStackNetwork | str | int | None = None,
        location: NodeLocation | None = None,
        *,
        ex_wait: bool = True,
    ) -> Any:
        """Acquire a public IP: ``associateIpAddress(zoneid?, vpcid?, networkid?)``; waits for
        the job and returns the address as the server reports it (``ex_wait=False``: a
        ``JobHandle`` at once).

        ``zoneid`` is ``location``'s. Without a location, ``vpc_id`` or ``network_id`` it is
        the first Advanced zone without security groups (``listZones``, cached): the only kind
        of zone that hands out public IPs, so the seed's bare ``ex_allocate_public_ip()`` works
        on a cloud that also has Basic zones (libcloud took the first zone, whatever its type).
        A cloud with no such zone gets the first zone, and the server's refusal.
        """
        m = "ex_allocate_public_ip"
        vpc = optional_id_of(m, "vpc_id", vpc_id, CloudStackVPC)
        network = optional_id_of(m, "network_id", network_id, CloudStackNetwork)
        where = check_optional_instance(m, "location", location, NodeLocation)
        zoneid: Any = None
        if where is not None:
            zoneid = where.id
        elif vpc is None and network is None:
            zoneid = self._public_ip_zone().get("id")
        return self._job("associateIpAddress",
                         {"zoneid": zoneid, "vpcid": vpc, "networkid": network},
                         lambda r: CloudStackAddress.from_record(self, entity(r, "ipaddress")),
                         ex_wait)

    def _public_ip_zone(self) -> dict[str, Any]:
        for zone in self._zones_cached():
            advanced = str(zone.get("networktype", "")).lower() == "advanced"
            if advanced and str(zone.get("securitygroupsenabled", "")).lower() != "true":
                return zone
        return self._zone_of(None)

    def ex_release_public_ip(self, address: CloudStackAddress | str | int, *,
                             ex_wait: bool = True) -> Any:
        """Release a public IP: ``disassociateIpAddress(id)``; waits for the job
        (``ex_wait=False``: a ``JobHandle``). True."""
        ident = id_of("ex_release_public_ip", "address", address, CloudStackAddress)
        return self._job("disassociateIpAddress", {"id": ident}, lambda _r: True, ex_wait)

    def ex_enable_static_nat(self, node: Node, address: CloudStackAddress | str | int, *,
                             network_id: CloudStackNetwork | str | int | None = None) -> bool:
        """One-to-one NAT of ``address`` to ``node``: ``enableStaticNat(ipaddressid,
        virtualmachineid, networkid?)``. Synchronous (no job). In a VPC pass the tier as
        ``network_id``. On success the address and ``node.public_ips`` are updated. True."""
        m = "ex_enable_static_nat"
        vm = node_id(m, node)
        ip = id_of(m, "address", address, CloudStackAddress)
        net = optional_id_of(m, "network_id", network_id, CloudStackNetwork)
        self.connection.request("enableStaticNat", ipaddressid=ip, virtualmachineid=vm,
                                networkid=net)
        if isinstance(address, CloudStackAddress):
            address.virtualmachine_id = vm
            add_public_ip(node, address)
            cached = node.extra.get("ip_addresses")
            if isinstance(cached, list) and address not in cached:
                cached.append(address)
        return True

    def ex_disable_static_nat(self, address: CloudStackAddress | str | int) -> bool:
        """End the static NAT of ``address``: ``disableStaticNat(ipaddressid)``; waits for the
        job. True."""
        ip = id_of("ex_disable_static_nat", "address", address, CloudStackAddress)
        self.connection.request("disableStaticNat", ipaddressid=ip)
        if isinstance(address, CloudStackAddress):
            address.virtualmachine_id = None
        return True
