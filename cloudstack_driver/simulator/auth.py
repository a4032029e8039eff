"""Request verification as the CloudStack management server does it (WIRE.md section 2).

The server recomputes the signature from every parameter but ``signature``: names sorted,
values encoded like ``java.net.URLEncoder`` (UTF-8) with ``+`` turned into ``%20``, the whole
string lower-cased, HMAC-SHA1 with the account's secret key, base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from .errors import ApiError

__all__ = ["AUTH_FAILED", "failed", "java_urlencode", "signature_for", "string_to_sign", "verify"]

AUTH_FAILED = "unable to verify user credentials and/or request signature"
_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-*_")
_MAX_AHEAD = timedelta(minutes=15)


def java_urlencode(value: str) -> str:
    """``URLEncoder.encode(value, "UTF-8")``: unreserved bytes kept, space ``+``, rest ``%XX``."""
    out: list[str] = []
    for byte in value.encode("utf-8"):
        if byte in _SAFE:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def string_to_sign(params: Mapping[str, str]) -> str:
    """The lower-cased, sorted ``name=value&...`` string the server signs."""
    parts = [f"{name}={java_urlencode(params[name]).replace('+', '%20')}"
             for name in sorted(params) if name != "signature"]
    return "&".join(parts).lower()


def signature_for(params: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), string_to_sign(params).encode("utf-8"),
                      hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def failed() -> ApiError:
    """The server's 401: written from an error code alone, so without ``cserrorcode``."""
    return ApiError(401, AUTH_FAILED, None)


def _parse_expires(value: str) -> datetime | None:
    for fmt in ("%Y-%m-%dT%H:%M:%S%z",):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def verify(params: Mapping[str, str], *, api_key: str, secret_key: str,
           now: datetime | None = None) -> None:
    """Raise the server's 401 unless ``params`` carry our key and a valid signature."""
    refused = failed()
    if params.get("apiKey", params.get("apikey")) != api_key:
        raise refused
    given = params.get("signature")
    if not given:
        raise refused
    version = params.get("signatureVersion", params.get("signatureversion"))
    if version is not None:
        if version != "3":
            raise refused
        expires_text = params.get("expires")
        expires = _parse_expires(expires_text) if expires_text else None
        if expires is None:
            raise refused
        current = now or datetime.now(timezone.utc)
        if expires < current or expires - current > _MAX_AHEAD:
            raise refused
    expected = signature_for(params, secret_key)
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace")):
        raise refused
