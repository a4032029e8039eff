"""The ``requests`` session a connection makes for itself (a caller's own session is used as
given).

For every request, ``requests.Session.request`` asks the environment for proxies: it reads
the proxy variables, scanning the whole environment twice, and decides whether the host is
exempt (``no_proxy``) - about a tenth of a millisecond, a tenth of a small command's round trip
on a fast network, spent on an answer that only changes when the environment does.
:class:`EndpointSession` remembers that answer per host, keyed by the values of the variables
that decide it, so a changed ``HTTPS_PROXY`` or ``NO_PROXY`` is still seen on the next
request (the lower- and upper-case spellings; on macOS and Windows a change of the system's
own proxy settings is seen when the environment changes too). Everything else (the CA bundle variables, the session's own ``proxies``, ``verify``,
``cert``, ``stream``, and a caller's per-request values) is merged exactly as ``requests``
merges it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies

_merge: Callable[[Any, Any], Any] = merge_setting  # untyped in types-requests

__all__ = ["PROXY_VARIABLES", "EndpointSession"]

#: The variables ``requests`` reads to pick a proxy for an ``http(s)://`` URL (the CGI rule
#: ignores ``HTTP_PROXY`` when ``REQUEST_METHOD`` is set).
PROXY_VARIABLES = (
    *(name for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
      for name in (base, base.upper())),
    "REQUEST_METHOD",
)

_REMEMBERED = 64  # hosts x environments; a connection talks to one host


class EndpointSession(requests.Session):
    """A ``requests.Session`` that resolves the environment's proxies once per host and
    environment instead of on every request (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._environ_proxies: dict[tuple[Any, ...], dict[str, str]] = {}

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any,
                                   cert: Any) -> Any:
        if not self.trust_env or not isinstance(url, str):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        # requests' own steps (requests.Session.merge_environment_settings), the proxy
        # lookup remembered.
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        env_proxies = self._proxies_for(url, no_proxy)
        if proxies is not None:
            for key, value in env_proxies.items():
                proxies.setdefault(key, value)
        if verify is True or verify is None:
            verify = (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
                      or verify)
        return {"proxies": _merge(proxies, self.proxies),
                "stream": _merge(stream, self.stream),
                "verify": _merge(verify, self.verify),
                "cert": _merge(cert, self.cert)}

    def _proxies_for(self, url: str, no_proxy: str | None) -> dict[str, str]:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, no_proxy,
               *(os.environ.get(name) for name in PROXY_VARIABLES))
        found = self._environ_proxies.get(key)
        if found is None:
            found = get_environ_proxies(url, no_proxy=no_proxy)
            if len(self._environ_proxies) >= _REMEMBERED:
                self._environ_proxies.clear()
            self._environ_proxies[key] = found
        return found
