"""Turning records into CloudStack answers: JSON (and a minimal XML) envelopes.

Rendering drops ``None`` values and private ``_keys`` at every depth. ``HOOKS`` lets tests see
every successful answer: each hook gets ``(command, inner)`` where ``inner`` is what went inside
``<command>response`` (for a finished job: the job's ``jobresult`` under its own command).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["HOOKS", "clean", "emit", "error_inner", "to_json", "to_xml"]

HOOKS: list[Callable[[str, dict[str, Any]], None]] = []


_CONTAINERS = (dict, list, tuple)


def clean(value: Any) -> Any:
    """A copy of ``value`` without ``None`` values and ``_private`` keys (recursively).

    Scalars are kept as they are without a call: a VM item has dozens of them, and a page
    of 500 VMs is cleaned on every list call."""
    if isinstance(value, dict):
        return {k: clean(v) if isinstance(v, _CONTAINERS) else v for k, v in value.items()
                if v is not None and not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(value, (list, tuple)):
        return [clean(v) if isinstance(v, _CONTAINERS) else v for v in value if v is not None]
    return value


def emit(command: str, inner: dict[str, Any]) -> None:
    for hook in list(HOOKS):
        hook(command, inner)


def error_inner(errorcode: int, errortext: str, cserrorcode: int | None) -> dict[str, Any]:
    """An error body; ``cserrorcode`` None is left out (the server's errors made from a code
    alone, such as 401, have none)."""
    inner: dict[str, Any] = {"uuidList": [], "errorcode": errorcode}
    if cserrorcode is not None:
        inner["cserrorcode"] = cserrorcode
    inner["errortext"] = errortext
    return inner


def to_json(envelope: str, inner: dict[str, Any]) -> bytes:
    return json.dumps({envelope: inner}, ensure_ascii=False).encode("utf-8")


def _xml(name: str, value: Any) -> str:
    if isinstance(value, dict):
        body = "".join(_xml(k, v) for k, v in value.items())
        return f"<{name}>{body}</{name}>"
    if isinstance(value, list):
        return "".join(_xml(name, v) for v in value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{escape(str(value))}</{name}>"


def to_xml(envelope: str, inner: dict[str, Any]) -> bytes:
    """The server's default format, for clients that do not ask for JSON."""
    body = "".join(_xml(k, v) for k, v in inner.items())
    text = (f'<?xml version="1.0" encoding="UTF-8"?><{envelope} cloud-stack-version="4.18.0.0">'
            f"{body}</{envelope}>")
    return text.encode("utf-8")
