"""What every part of the CloudStack driver may rely on: the connection and a few hooks.

``CloudStackNodeDriver`` is composed of one mixin per API area (``cloudstack/ext/*``) on top of
``CloudStackDriverCore``. Each mixin subclasses :class:`DriverHost`, so it is typed against the
same attributes without importing the core or the other mixins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudstack_driver.base import NodeDriver

if TYPE_CHECKING:
    from cloudstack_driver.cloudstack.models import CloudStackNode
    from cloudstack_driver.http.connection import CloudStackConnection

__all__ = ["DriverHost"]


class DriverHost(NodeDriver):
    """The attributes and hooks shared by the core driver and its ``ex_*`` mixins."""

    connection: CloudStackConnection

    def _attach_network_details(
        self,
        nodes: list[CloudStackNode],
        *,
        projectid: str | None = None,
        zoneid: str | None = None,
        listall: bool | None = None,
    ) -> None:
        """Fill each node's public IPs and forwarding rules (``extra["ip_addresses"]``,
        ``extra["port_forwarding_rules"]``, ``extra["ip_forwarding_rules"]``, ``public_ips``).

        The core calls this from ``list_nodes`` and ``ex_get_node``; the forwarding mixin
        overrides it. The default leaves the nodes as they are.
        """

    def _zones_cached(self, refresh: bool = False) -> list[dict[str, Any]]:
        """Every raw ``listZones`` record, cached per driver (``refresh`` lists again).

        Implemented by the core."""
        raise NotImplementedError

    def _zone_of(self, location: Any) -> dict[str, Any]:
        """The raw zone record for a ``NodeLocation`` (or the first zone when None).

        Implemented by the core (one ``listZones`` call, cached per driver)."""
        raise NotImplementedError
