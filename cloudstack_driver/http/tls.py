"""TLS details of the session: one warning, not one per request, when verification is off.

``requests`` hands ``verify=False`` to urllib3, which warns (``InsecureRequestWarning``) on
every HTTPS request. A connection that owns its session mounts :class:`QuietUnverifiedAdapter`,
whose HTTPS pools skip that warning only when the caller turned verification off; the
connection then warns once itself (:func:`warn_unverified`). Verified requests are untouched.
"""

from __future__ import annotations

import ssl
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import InsecureRequestWarning

from cloudstack_driver._warnings import warn

__all__ = ["QuietUnverifiedAdapter", "warn_unverified"]

_OFF = ("CERT_NONE", "NONE", ssl.CERT_NONE)


class _OptedOutPool(HTTPSConnectionPool):
    """An HTTPS pool that does not warn per request when its ``cert_reqs`` is CERT_NONE."""

    def _validate_conn(self, conn: Any) -> None:
        if self.cert_reqs not in _OFF:
            super()._validate_conn(conn)
            return
        HTTPConnectionPool._validate_conn(self, conn)
        if conn.is_closed:
            conn.connect()


def _quiet(manager: Any) -> Any:
    manager.pool_classes_by_scheme = {**manager.pool_classes_by_scheme, "https": _OptedOutPool}
    return manager


class QuietUnverifiedAdapter(HTTPAdapter):
    """``HTTPAdapter`` whose HTTPS pools (direct and through a proxy) use :class:`_OptedOutPool`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _quiet(self.poolmanager)

    def proxy_manager_for(self, proxy: Any, **proxy_kwargs: Any) -> Any:
        return _quiet(super().proxy_manager_for(proxy, **proxy_kwargs))


def warn_unverified(url: str) -> None:
    """The one ``InsecureRequestWarning`` of a connection whose ``verify`` is False."""
    warn(
        f"TLS certificate verification is off for {url} (verify=False): the server is not "
        "authenticated and the traffic can be read and changed on the way. Pass a CA bundle "
        "(verify='/path/ca.pem') instead.",
        InsecureRequestWarning, stacklevel=4)
