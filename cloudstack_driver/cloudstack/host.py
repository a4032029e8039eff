"""What every part of the CloudStack driver may rely on: the connection and a few hooks.

``CloudStackNodeDriver`` is composed of one mixin per API area (``cloudstack/ext/*``) on top of
``CloudStackDriverCore``. Each mixin subclasses :class:`DriverHost`, so it is typed against the
same attributes without importing the core or the other mixins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudstack_driver import errors
from cloudstack_driver._schema import ident
from cloudstack_driver.base import NodeDriver
from cloudstack_driver.cloudstack.libcloud_names import LibcloudNamesMixin

if TYPE_CHECKING:
    from cloudstack_driver.cloudstack.models import CloudStackNode
    from cloudstack_driver.http.connection import CloudStackConnection

__all__ = ["DriverHost", "JobHandle", "Mapper"]

Mapper = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class JobHandle:
    """An async operation started with ``ex_wait=False``: pass it to
    ``driver.wait_for_jobs`` (or wait on ``jobid`` with
    ``driver.connection.wait_for_job``).

    :ivar jobid: the server's job id
    :ivar command: the CloudStack command that started it
    :ivar entity_id: the id the command answered at once (the VM, volume ... being made), or
        None
    """

    jobid: str
    command: str
    entity_id: str | None = None
    mapper: Mapper = field(default=lambda result: result, repr=False, compare=False)

    def result_of(self, jobresult: dict[str, Any]) -> Any:
        """The job's ``jobresult`` as the waiting method would have returned it."""
        return self.mapper(jobresult)


class DriverHost(LibcloudNamesMixin, NodeDriver):
    """The attributes and hooks shared by the core driver and its ``ex_*`` mixins."""

    connection: CloudStackConnection

    def _job(self, command: str, params: Mapping[str, Any], mapper: Mapper,
             ex_wait: bool) -> Any:
        """Send ``command``: with ``ex_wait`` wait for its job and return ``mapper(jobresult)``,
        else return a :class:`JobHandle` at once."""
        if not isinstance(ex_wait, bool):
            raise TypeError(f"'ex_wait' must be a bool, got {type(ex_wait).__name__}")
        if ex_wait:
            return mapper(self.connection.request(command, **params))
        inner = self.connection.request(command, wait=False, **params)
        jobid = inner.get("jobid")
        if not jobid:
            raise errors.MalformedResponseError(
                f"{command}: an async command answered without a jobid", body=inner)
        return JobHandle(str(jobid), command, ident(inner.get("id")), mapper)

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
