"""Keeping the secret key and the request signature out of exceptions.

``requests`` and ``urllib3`` put the request URL (query string included) into their messages
and attributes, and a proxy's error page may echo it; :func:`scrub` rewrites a whole exception
chain in place so none of ``hidden`` survives in ``str``, ``repr``, ``args`` or the usual
attributes (``url``, ``body``, ``value``, ``errortext``, ``request.url``, ``request.body``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

__all__ = ["redact", "scrub"]

_MARK = "[redacted]"


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
