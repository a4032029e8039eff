"""Reading every row of a CloudStack list command (WIRE.md sections 4 and 7).

:func:`list_all` pages through ``send(command, params) -> inner dict`` (the connection's
single-request function). It never loops forever: it stops when ``count`` rows have been seen,
on a short page when the server sends no ``count``, and on any page that brings no row not seen
before (``{}``, ``{"count": N}`` alone, a server that ignores ``page`` and repeats itself).
A row pushed onto the next page by rows created meanwhile is returned once; rows that differ in
any field (listTemplates' one row per template *and zone*) are all kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from cloudstack_driver.http.envelope import list_items

__all__ = ["UNLIMITED", "UNPAGED_LIST_COMMANDS", "list_all"]

Send = Callable[[str, dict[str, Any]], dict[str, Any]]
Rows = list[dict[str, Any]]

#: CloudStack's ``pagesize`` for "every row" (sent without ``page``, which it refuses then).
UNLIMITED = -1

#: ``list*`` commands of CloudStack 4.18 that take no ``page``/``pagesize``.
UNPAGED_LIST_COMMANDS = frozenset(
    {"listApis", "listCAProviders", "listCaCertificate", "listCapabilities", "listDbMetrics",
     "listDetailOptions", "listElastistorInterface", "listElastistorPool",
     "listElastistorVolume", "listEventTypes", "listHostHAProviders", "listHostHAResources",
     "listHypervisors", "listInfrastructure", "listIsoPermissions", "listNetworkPermissions",
     "listOpenDaylightControllers", "listProjectRolePermissions", "listResourceIcon",
     "listRolePermissions", "listSslCerts", "listTemplatePermissions", "listUsageServerMetrics",
     "listUsageTypes", "listUserTwoFactorAuthenticatorProviders", "listVsphereStoragePolicies"}
)


def _pagesize(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"'pagesize' must be an int, got {type(value).__name__}")
    if value < 1 and value != UNLIMITED:
        raise ValueError(f"'pagesize' must be >= 1, or -1 for every row, got {value!r}")
    return value


def _key(item: dict[str, Any]) -> Any:
    """The row's ``id``; a row without one is keyed by its whole content."""
    ident = item.get("id")
    if isinstance(ident, (str, int)):
        return ident
    return json.dumps(item, sort_keys=True, default=str)


def list_all(send: Send, command: str, params: Mapping[str, Any], page_size: int) -> Rows:
    """Every item of ``command`` (see the module docstring).

    ``page_size`` is used unless ``params`` hold ``pagesize``. A ``page`` in ``params`` fetches
    that page only; ``pagesize=-1`` fetches every row in one request.
    """
    params = dict(params)
    if command in UNPAGED_LIST_COMMANDS:
        return list_items(send(command, params))[1]
    size = params.pop("pagesize", None)
    pagesize = page_size if size is None else _pagesize(size)
    if pagesize == UNLIMITED:
        if params.get("page") is not None:
            raise ValueError("'page' cannot be combined with pagesize=-1 (every row)")
        return list_items(send(command, {**params, "pagesize": UNLIMITED}))[1]
    if params.get("page") is not None:
        return list_items(send(command, {**params, "pagesize": pagesize}))[1]
    rows: Rows = []
    known: dict[Any, Rows] = {}  # id -> the distinct rows with that id (None: rows without)
    seen = 0
    page = 1
    while True:
        count, items = list_items(send(command, {**params, "page": page, "pagesize": pagesize}))
        seen += len(items)
        fresh = []
        for item in items:
            twins = known.setdefault(_key(item), [])
            if item not in twins:  # compared whole only when the key repeats
                twins.append(item)
                fresh.append(item)
        rows.extend(fresh)
        if (not fresh or (count is not None and seen >= count)
                or (count is None and len(items) < pagesize)):
            return rows
        page += 1
