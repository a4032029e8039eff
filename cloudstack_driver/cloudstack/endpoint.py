"""Where the driver sends its requests: the constructor's ``url`` / ``host`` / ``path`` /
``port`` / ``secure`` rules, as one pure function.

Rules (libcloud's, with defect D16 fixed):

* ``url`` given: scheme, host, port and path all come from it; ``http`` means plain HTTP (port
  80 by default), ``https`` TLS (443). ``host``, ``path``, ``port`` and ``secure`` are ignored,
  as in libcloud.
* Otherwise ``host`` (or the class's ``host``) names the server, ``secure`` picks TLS (default
  True) and ``port`` defaults to 443 / 80. ``port`` may be a string (``'443'``).
* ``host`` may itself be written as a URL (``'http://api.exoscale.ch'``, as in the interactive
  tutorial). Its host name is used; its port and path are used when ``port`` / ``path`` are not
  given. Its scheme must agree with ``secure``, except that port 443 with ``secure=True`` means
  TLS and port 80 with ``secure=False`` means plain HTTP: so the tutorial's
  ``host='http://api.exoscale.ch', port='443', secure=True`` reaches
  ``https://api.exoscale.ch/compute`` (port 443). Any other disagreement raises ``ValueError`` rather
  than guessing.
* A plain ``host`` may carry a port (``'cloud.example.com:8080'``, ``'[::1]:8080'``); IPv6
  addresses may be bracketed or not. A port written in ``host`` and a different ``port=`` raise
  ``ValueError``.
* ``path`` defaults to the class's ``path``, else ``/client/api`` (CloudStack's standard
  endpoint; libcloud refused to guess).
* Parts the endpoint would silently drop are refused with ``ValueError`` naming the argument: a
  query string, fragment or user info in ``url`` or ``host``, a ``?``/``#`` in ``path``, a
  ``host`` holding a path (``'api.exoscale.ch/compute'``: use ``path=``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["DEFAULT_PATH", "Endpoint", "resolve_endpoint"]

DEFAULT_PATH = "/client/api"
_NOT_IN_HOSTS = frozenset("/?#@[]\\")


@dataclass(frozen=True)
class Endpoint:
    """The resolved endpoint; ``url`` is what the connection is given."""

    secure: bool
    host: str
    port: int
    path: str

    @property
    def url(self) -> str:
        """``scheme://host[:port]/path``; the port is left out when it is the scheme's
        default."""
        scheme = "https" if self.secure else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.secure else 80
        port = "" if self.port == default else f":{self.port}"
        return f"{scheme}://{host}{port}{self.path}"


def _port(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'port' must be an int from 1 to 65535, got {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError(f"'port' must be an int from 1 to 65535, got {value!r}")
    return value


def _path(value: str) -> str:
    if not value:
        return DEFAULT_PATH
    if "?" in value or "#" in value:
        raise ValueError(f"'path' must be a plain path such as /client/api, got {value!r}")
    return value if value.startswith("/") else "/" + value


def _split(arg: str, text: str) -> tuple[str, str, int | None, str]:
    """scheme, host, port, path of a URL; ValueError naming ``arg`` when it is not one, or
    when it carries a part the endpoint would silently drop (query, fragment, user info)."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{arg!r} must be an http:// or https:// URL with a host, got {text!r}")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"{arg!r} must not carry a query string, fragment or user info: "
                         f"{text!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{arg!r} has an invalid port: {text!r}") from None
    return parts.scheme, parts.hostname, port, parts.path


def _bare_host(text: str) -> tuple[str, int | None]:
    """Host name and optional port of a ``host`` written without a scheme: ``name``,
    ``name:port``, ``::1``, ``[::1]`` or ``[::1]:port``."""
    name, port_text = text, None
    if text.startswith("["):
        inside, close, rest = text[1:].partition("]")
        if close and (not rest or rest.startswith(":")):
            name, port_text = inside, (rest[1:] if rest else None)
    elif text.count(":") == 1:
        name, _, port_text = text.partition(":")
    valid_name = (_is_ipv6(name) if ":" in name or text.startswith("[")
                  else bool(name) and not any(ch in _NOT_IN_HOSTS or ch.isspace() for ch in name))
    valid_port = port_text is None or (port_text.isdigit() and 1 <= int(port_text) <= 65535)
    if not (valid_name and valid_port):
        raise ValueError(f"'host' must be a host name, an IP address or an http(s):// URL, "
                         f"got {text!r}")
    return name, int(port_text) if port_text else None


def _is_ipv6(name: str) -> bool:
    try:
        ipaddress.IPv6Address(name)
    except ValueError:
        return False
    return True


def _agree(explicit: int | None, written: int | None) -> int | None:
    """The port: ``port=`` and the one written in ``host`` must not disagree."""
    if explicit is not None and written is not None and explicit != written:
        raise ValueError(f"'port' {explicit} disagrees with the port {written} written in 'host'")
    return explicit if explicit is not None else written


def resolve_endpoint(
    *,
    secure: bool,
    host: str | None,
    path: str | None,
    port: int | str | None,
    url: str | None,
    default_host: str | None = None,
    default_path: str | None = None,
) -> Endpoint:
    """Apply the rules of this module; ``ValueError`` naming the argument on bad input."""
    if url is not None:
        if not isinstance(url, str):
            raise TypeError(f"'url' must be a str, got {type(url).__name__}")
        scheme, url_host, url_port, url_path = _split("url", url)
        tls = scheme == "https"
        return Endpoint(tls, url_host, url_port or (443 if tls else 80),
                        _path(url_path or default_path or DEFAULT_PATH))

    if not isinstance(secure, bool):
        raise TypeError(f"'secure' must be a bool, got {type(secure).__name__}")
    host = host or default_host
    if isinstance(host, str):
        host = host.strip()
    if not host:
        raise ValueError(
            "no endpoint: when instantiating CloudStack driver directly you also need to "
            "provide url or host and path argument (url='https://HOST/client/api', or host= "
            "and path= when it is not /client/api)"
        )
    if not isinstance(host, str):
        raise TypeError(f"'host' must be a str, got {type(host).__name__}")
    explicit_port = _port(port) if port is not None else None

    if "://" in host:
        scheme, name, host_port, host_path = _split("host", host)
        chosen_port = _agree(explicit_port, host_port)
        tls = secure
        if (scheme == "https") != secure:
            if secure and chosen_port == 443:
                tls = True
            elif not secure and chosen_port == 80:
                tls = False
            else:
                raise ValueError(
                    f"'host' {host!r} says {scheme}:// but secure={secure}: pass "
                    f"url={host!r} (the scheme decides), or make 'secure' agree"
                )
        return Endpoint(tls, name, chosen_port or (443 if tls else 80),
                        _path(path or host_path or default_path or DEFAULT_PATH))

    name, written_port = _bare_host(host)
    chosen = _agree(explicit_port, written_port)
    return Endpoint(secure, name, chosen or (443 if secure else 80),
                    _path(path or default_path or DEFAULT_PATH))
