"""Keeping the secret key and the request signature out of exceptions and log records.

``requests`` and ``urllib3`` put the request URL (query string included) into their messages
and attributes, and a proxy's error page may echo it; :func:`scrub` rewrites a whole exception
chain in place so none of ``hidden`` survives in ``str``, ``repr``, ``args`` or the usual
attributes (``url``, ``body``, ``value``, ``errortext``, ``request.url``, ``request.body``).
urllib3 logs each request line at DEBUG and httpx at INFO, query string included: :func:`install_log_filter`
puts a filter on its logger that blanks ``signature=...`` in those records. Secret fields of a
server's answer (a VM's password, a private key, a pre-shared key) are blanked by
:func:`redact_answer` wherever an answer's text is kept in an error.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["SignatureFilter", "install_log_filter", "redact", "redact_answer", "scrub"]

_MARK = "[redacted]"
_SIGNATURE = re.compile(r"(signature=)[^&\s\"']+", re.IGNORECASE)
_SECRET_FIELD = re.compile(
    r'("(?:password|privatekey|ipsecpsk|secretkey)"\s*:\s*")((?:[^"\\]|\\.)*)(")?',
    re.IGNORECASE)
#: The third-party loggers that write request URLs.
URL_LOGGERS = ("urllib3.connectionpool", "httpx")


def redact(text: str, hidden: Iterable[str]) -> str:
    """``text`` with every non-empty string of ``hidden`` replaced by ``[redacted]``."""
    for value in hidden:
        if value:
            text = text.replace(value, _MARK)
    return text


def _clean(value: Any, hidden: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, hidden)
    if isinstance(value, bytes):
        return redact(value.decode("latin-1"), hidden).encode("latin-1")
    return value


def scrub(exc: BaseException, hidden: tuple[str, ...], seen: set[int] | None = None) -> None:
    """Remove ``hidden`` strings from ``exc`` and every exception linked to it."""
    seen = set() if seen is None else seen
    if id(exc) in seen or len(seen) > 20:
        return
    seen.add(id(exc))
    args = []
    for arg in exc.args:
        if isinstance(arg, BaseException):
            scrub(arg, hidden, seen)
        args.append(_clean(arg, hidden))
    exc.args = tuple(args)
    for holder in (exc, getattr(exc, "request", None)):
        if holder is None:
            continue
        for attr in ("url", "body", "value", "errortext"):
            value = getattr(holder, attr, None)
            new = _clean(value, hidden)
            if new is not value:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(holder, attr, new)
    for linked in (getattr(exc, "reason", None), exc.__cause__, exc.__context__):
        if isinstance(linked, BaseException):
            scrub(linked, hidden, seen)


def redact_answer(text: str) -> str:
    """``text`` (an answer's body) with the values of its secret fields (``password``,
    ``privatekey``, ``ipsecpsk``, ``secretkey``) blanked, even in a cut-off body."""
    return _SECRET_FIELD.sub(lambda m: m.group(1) + _MARK + (m.group(3) or ""), text)


class SignatureFilter(logging.Filter):
    """Rewrites a record whose message carries ``signature=...`` so it no longer does."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        if "signature=" in message.lower():
            record.msg = _SIGNATURE.sub(r"\1" + _MARK, message)
            record.args = None
        return True


_FILTER = SignatureFilter()


def install_log_filter() -> None:
    """Put :class:`SignatureFilter` on the loggers in :data:`URL_LOGGERS` (once)."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
