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
* ``path`` defaults to the class's ``path``, else ``/client/api`` (CloudStack's standard
  endpoint; libcloud refused to guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["DEFAULT_PATH", "Endpoint", "resolve_endpoint"]

DEFAULT_PATH = "/client/api"


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
    return value if value.startswith("/") else "/" + value


def _split(arg: str, text: str) -> tuple[str, str, int | None, str]:
    """scheme, host, port, path of a URL; ValueError naming ``arg`` when it is not one."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{arg!r} must be an http:// or https:// URL with a host, got {text!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{arg!r} has an invalid port: {text!r}") from None
    return parts.scheme, parts.hostname, port, parts.path


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
    if not host:
        raise ValueError(
            "no endpoint: pass url='https://HOST/client/api', or host= (and path= when it is "
            "not /client/api)"
        )
    if not isinstance(host, str):
        raise TypeError(f"'host' must be a str, got {type(host).__name__}")
    explicit_port = _port(port) if port is not None else None

    if "://" in host:
        scheme, name, host_port, host_path = _split("host", host)
        chosen_port = explicit_port or host_port
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

    return Endpoint(secure, host, explicit_port or (443 if secure else 80),
                    _path(path or default_path or DEFAULT_PATH))
