"""CloudStack answers -> the dict the caller wants, or the right exception (WIRE.md 4 and 5).

:func:`unwrap` finds ``<command>response`` (or the one top-level ``...response`` key some
commands use, such as ``restorevmresponse`` and ``errorresponse``) and raises the class of
:func:`~cloudstack_driver.errors.error_class_for` when the answer is an error.
:func:`list_items` takes the item list out of a list answer.

The body is parsed as it arrived; the connection scrubs the request's signature and secret
from any exception raised here, because a proxy's error page may echo the request URL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cloudstack_driver import errors
from cloudstack_driver.http.redact import redact_answer

__all__ = ["as_int", "list_items", "unwrap"]

_EXCERPT = 200


def as_int(value: Any) -> int | None:
    """A whole number the server sent as a number or as text (``"431"``); None for anything
    else (a bool, a float, None, words)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 3] + "..."


def _parse(body: str | bytes | Mapping[str, Any] | None) -> tuple[Any, str]:
    """(parsed JSON or None, the body as text)."""
    if body is None:
        return None, ""
    if isinstance(body, Mapping):
        return body, ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return None, text
    try:
        return json.loads(text), text
    except ValueError:
        return None, text


def _find_envelope(command: str, data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    wanted = f"{command.lower()}response"
    inner = data.get(wanted)
    if inner is None:
        # restorevmresponse, errorresponse ... and, on old servers, a few commands whose key
        # lacks the suffix (revokeSecurityGroupIngress answered "revokesecuritygroupingress").
        keys = [key for key in data if isinstance(key, str)
                and (key.lower().endswith("response") or key.lower() == command.lower())]
        if len(data) == 1 and len(keys) == 1:
            inner = data[keys[0]]
    return inner if isinstance(inner, dict) else None


def _raise_error(command: str, inner: Mapping[str, Any], http_status: int) -> None:
    errorcode = as_int(inner.get("errorcode"))
    code_for_class = errorcode if errorcode is not None else http_status
    cls = errors.error_class_for(code_for_class)
    codes: dict[str, Any] = {"command": command, "http_status": http_status}
    if errorcode is not None:
        codes["errorcode"] = errorcode
    cserrorcode = as_int(inner.get("cserrorcode"))
    if cserrorcode is not None:
        codes["cserrorcode"] = cserrorcode
    text = inner.get("errortext")
    raise cls(str(text) if text else None, **codes)


def _raise_http_error(command: str, http_status: int, text: str) -> None:
    """An error status whose body is not a CloudStack envelope (a proxy page, an empty body)."""
    cls = errors.error_class_for(http_status)
    detail = f": {_excerpt(text)}" if text.strip() else " and an empty body"
    message = f"HTTP {http_status}{detail}"
    raise cls(message, command=command, http_status=http_status)


def unwrap(
    command: str, body: str | bytes | Mapping[str, Any] | None, http_status: int = 200
) -> dict[str, Any]:
    """The dict inside ``<command>response``; raises when the answer is an error.

    * an envelope holding ``errorcode``, or any envelope with ``http_status >= 400``: the class
      of ``error_class_for(errorcode)`` (of the HTTP status when there is no ``errorcode``),
      with ``command``, ``http_status``, ``errorcode``, ``cserrorcode`` and ``errortext``;
    * ``http_status >= 400`` without an envelope (HTML page, empty body): the class of the
      HTTP status (``CloudStackError`` when the status is not a CloudStack code);
    * a 2xx answer that is not JSON or has no envelope: ``MalformedResponseError``.
    """
    data, text = _parse(body)
    inner = _find_envelope(command, data)
    if inner is not None:
        if "errorcode" in inner or http_status >= 400:
            _raise_error(command, inner, http_status)
        return inner
    if http_status >= 400:
        _raise_http_error(command, http_status, text)
    what = "is not JSON" if data is None else f"has no {command.lower()}response key"
    raise errors.MalformedResponseError(
        f"{command}: the answer (HTTP {http_status}) {what}",
        body=redact_answer(text) if text else data,
    )


def list_items(inner: Mapping[str, Any]) -> tuple[int | None, list[dict[str, Any]]]:
    """``(count, items)`` of a list answer.

    The item key is the one key that is not ``count`` (``zone``, ``virtualmachine``,
    ``affinityGroupType`` ...). ``{}`` gives ``(None, [])``; ``{"count": 3}`` alone (a page past
    the end) gives ``(3, [])``. ``count`` is the total over all pages.
    """
    count = as_int(inner.get("count"))
    others = [key for key in inner if key != "count"]
    if not others:
        return count, []
    lists = [key for key in others if isinstance(inner[key], list)]
    if len(lists) != 1:
        raise errors.MalformedResponseError(
            f"a list answer should hold one item list besides 'count', got keys {sorted(others)}",
            body=dict(inner),
        )
    items = [item for item in inner[lists[0]] if isinstance(item, dict)]
    return count, items
