"""The public (and the commonly used private) names libcloud's CloudStack drivers have beyond
their API methods, shared by the compute and the load-balancer driver.

libcloud scripts read ``driver.secret`` (to make a second driver), ``driver.region`` and
``driver.api_version`` (``None`` for CloudStack), and call arbitrary commands with
``driver._sync_request(command, params=...)`` / ``driver._async_request(...)``; these go to the
connection's methods of the same names (:meth:`~cloudstack_driver.http.connection.
CloudStackConnection._sync_request`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cloudstack_driver.http.connection import CloudStackConnection

__all__ = ["LibcloudNamesMixin"]


class LibcloudNamesMixin:
    """``secret``, ``region``, ``api_version``, ``_sync_request`` and ``_async_request``."""

    connection: CloudStackConnection
    #: libcloud's attributes: None for CloudStack (a preset may set ``region``)
    api_version: str | None = None
    region: Any = None

    @property
    def secret(self) -> str:
        """The secret key (libcloud's attribute; never sent, logged or shown in a repr)."""
        return self.connection.secret

    def _sync_request(self, command: str, action: str | None = None,
                      params: Mapping[str, Any] | None = None, data: Any = None,
                      headers: Any = None, method: str = "GET") -> dict[str, Any]:
        """Send ``command`` (libcloud's escape hatch; calls it, not waiting for a job): the
        answer's inner dict. See ``connection._sync_request``."""
        return self.connection._sync_request(command, action, params, data, headers, method)

    def _async_request(self, command: str, action: str | None = None,
                       params: Mapping[str, Any] | None = None, data: Any = None,
                       headers: Any = None, method: str = "GET", context: Any = None
                       ) -> dict[str, Any]:
        """Send the async ``command`` and wait for its job (libcloud's escape hatch): the
        job's ``jobresult``. See ``connection._async_request``."""
        return self.connection._async_request(command, action, params, data, headers, method,
                                              context)
