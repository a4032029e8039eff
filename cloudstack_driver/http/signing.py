"""Request signing exactly as the CloudStack management server recomputes it (WIRE.md section 2).

Pure functions, no I/O:

* :func:`encode_value` encodes one value the way ``java.net.URLEncoder`` does with UTF-8, then
  turns ``+`` into ``%20``;
* :func:`string_to_sign` sorts the parameters by name, joins ``name=encoded(value)`` with ``&``
  and lower-cases the result;
* :func:`sign` is the base64 (standard alphabet, padded) HMAC-SHA1 of that string;
* :func:`expires_stamp` formats the ``expires`` of signature version 3.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

__all__ = ["encode_value", "expires_stamp", "sign", "string_to_sign"]

# The bytes java.net.URLEncoder leaves alone. Everything else (space included, which URLEncoder
# writes as "+" and the server then rewrites to "%20") becomes %XX of its UTF-8 bytes.
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-*_"
)
_ESCAPES = tuple(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in range(256))
_PLAIN = re.compile(r"[A-Za-z0-9.\-*_]*\Z").match


def encode_value(value: str) -> str:
    """Encode ``value`` as the server does before signing.

    ``A-Z a-z 0-9 . - * _`` stay as they are; every other byte of the UTF-8 form becomes
    ``%XX`` in upper-case hex (a space becomes ``%20``, ``~`` becomes ``%7E``, ``[`` ``%5B``).

    >>> encode_value("a b*c~[1]")
    'a%20b*c%7E%5B1%5D'
    """
    if _PLAIN(value):  # most values (ids, names, the API key) need no escape at all
        return value
    return "".join(_ESCAPES[b] for b in value.encode("utf-8"))


def string_to_sign(params: Mapping[str, str]) -> str:
    """The lower-cased string the server signs: ``name=encoded(value)`` sorted by name.

    Every parameter except ``signature`` takes part, ``apiKey`` and ``command`` included.
    Names are sorted as the server sorts them (by their raw text) and are not encoded.
    """
    parts = [
        f"{name}={encode_value(params[name])}"
        for name in sorted(params)
        if name.lower() != "signature"
    ]
    return "&".join(parts).lower()


def sign(params: Mapping[str, str], secret: str) -> str:
    """The ``signature`` parameter for ``params``: base64 of HMAC-SHA1(secret, string_to_sign)."""
    digest = hmac.new(
        secret.encode("utf-8"), string_to_sign(params).encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def expires_stamp(now: datetime, seconds: float) -> str:
    """The ``expires`` value of signature version 3: ``now + seconds`` in UTC, as
    ``YYYY-MM-DDTHH:MM:SS+0000`` (the only form older servers accept).

    A naive ``now`` is taken to be UTC.

    >>> expires_stamp(datetime(2025, 12, 31, 23, 50, tzinfo=timezone.utc), 600)
    '2026-01-01T00:00:00+0000'
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    when = (now + timedelta(seconds=seconds)).astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S+0000")
