"""Reading every row of a CloudStack list command (WIRE.md sections 4 and 7).

:func:`list_all` pages through ``send(command, params) -> inner dict`` (the connection's
single-request function). It never loops forever: it stops when ``count`` rows have been seen,
on a short page when the server sends no ``count``, and on any page that brings no row not seen
before (``{}``, ``{"count": N}`` alone, a server that ignores ``page`` and repeats itself).
A row pushed onto the next page by rows created meanwhile is returned once; rows that differ in
any field (listTemplates' one row per template *and zone*) are all kept.

Pages are read in order. With a ``convert`` function (``list_nodes`` turning rows into nodes),
the next page is fetched on a worker thread while the rows of the page before are converted:
the same requests, in the same order, as reading one page after the other. With
``concurrency`` N > 1, once a page's ``count`` says how many pages remain, up to N of them are
in flight at once (a server that repeats or drops pages may then be sent up to N - 1 requests
the listing does not use).
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from cloudstack_driver.http.envelope import list_items

__all__ = ["UNLIMITED", "UNPAGED_LIST_COMMANDS", "list_all"]

Send = Callable[[str, dict[str, Any]], dict[str, Any]]
Rows = list[dict[str, Any]]
T = TypeVar("T")
Page = tuple[int | None, Rows]

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


def _fresh(items: Rows, known: dict[Any, Rows]) -> Rows:
    """The rows of ``items`` not seen before (``known``: id -> the distinct rows with that id),
    recorded in ``known``."""
    fresh = []
    for item in items:
        key = _key(item)
        twins = known.get(key)
        if twins is None:
            known[key] = [item]
            fresh.append(item)
        elif item not in twins:  # compared whole only when the key repeats
            twins.append(item)
            fresh.append(item)
    return fresh


def list_all(send: Send, command: str, params: Mapping[str, Any], page_size: int, *,
             convert: Callable[[dict[str, Any]], T] | None = None,
             concurrency: int = 1, pause_gc: bool = True, prefetch: bool = True) -> list[Any]:
    """Every item of ``command`` (see the module docstring), each passed through ``convert``
    when given.

    ``prefetch=False`` keeps every request on the calling thread (one page after the other,
    ``concurrency`` ignored): the asyncio connection's transport can only be used there.

    ``page_size`` is used unless ``params`` hold ``pagesize``. A ``page`` in ``params`` fetches
    that page only; ``pagesize=-1`` fetches every row in one request. ``concurrency`` bounds
    the pages in flight at once.

    While rows are converted (``convert`` given, ``pause_gc`` true) the cyclic garbage
    collector is paused, from the first request until the last row is converted, and switched
    back on after (unless it was already off: a caller who turned it off keeps it off). A
    listing makes hundreds of thousands of objects that all live on (each node's ``extra``
    and lists, the decoded pages); a collection in the middle finds nothing to free but walks
    all of them, and the full collections a growing heap sets off walk everything the
    process holds, again and again (on a 50,000-VM listing, about a fifth of its time).
    Paused, the new objects are examined once, by the first collection after the listing.
    Reference counting frees everything else as usual meanwhile; only garbage in reference
    cycles, made by any thread during the listing, waits for that collection.
    """
    paused = convert is not None and pause_gc and gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _list_all(send, command, params, page_size, convert, concurrency, prefetch)
    finally:
        if paused:
            gc.enable()


def _list_all(send: Send, command: str, params: Mapping[str, Any], page_size: int,
              convert: Callable[[dict[str, Any]], T] | None, concurrency: int,
              prefetch: bool) -> list[Any]:
    params = dict(params)
    if command in UNPAGED_LIST_COMMANDS:
        return _converted(list_items(send(command, params))[1], convert)
    size = params.pop("pagesize", None)
    pagesize = page_size if size is None else _pagesize(size)
    if pagesize == UNLIMITED:
        if params.get("page") is not None:
            raise ValueError("'page' cannot be combined with pagesize=-1 (every row)")
        return _converted(list_items(send(command, {**params, "pagesize": UNLIMITED}))[1],
                          convert)
    if params.get("page") is not None:
        return _converted(list_items(send(command, {**params, "pagesize": pagesize}))[1],
                          convert)

    def fetch(number: int) -> Page:
        return list_items(send(command, {**params, "page": number, "pagesize": pagesize}))

    out: list[Any] = []
    known: dict[Any, Rows] = {}
    seen = 0
    number = 1
    # later pages fetched on worker threads
    ahead = prefetch and (concurrency > 1 or convert is not None)
    pool: ThreadPoolExecutor | None = None
    pending: dict[int, Future[Page]] = {}
    try:
        count, items = fetch(1)
        while True:
            seen += len(items)
            fresh = _fresh(items, known)
            more = not (not fresh or (count is not None and seen >= count)
                        or (count is None and len(items) < pagesize))
            if more and ahead:
                if pool is None:
                    pool = ThreadPoolExecutor(max_workers=concurrency,
                                              thread_name_prefix="cloudstack-page")
                last = number + 1
                if count is not None and concurrency > 1:
                    remaining = -(-(count - seen) // pagesize)  # pages the count still promises
                    last = number + min(concurrency, max(remaining, 1))
                for later in range(number + 1, last + 1):
                    if later not in pending:
                        pending[later] = _start(pool, fetch, later)
            if convert is None:
                out.extend(fresh)
            else:
                out.extend(_converted(fresh, convert))
            if not more:
                return out
            number += 1
            count, items = pending.pop(number).result() if ahead else fetch(number)
    finally:
        if pool is not None:  # no request outlives the call: wait for those in flight
            pool.shutdown(wait=True, cancel_futures=True)


def _start(pool: ThreadPoolExecutor, fetch: Callable[[int], Page], number: int
           ) -> Future[Page]:
    """``fetch(number)`` on a worker, returning once the worker runs: a thread waiting for the
    interpreter lock would otherwise wait out the switch interval (5 ms) while this one
    converts rows, and the request would leave that much later."""
    running = threading.Event()

    def job() -> Page:
        running.set()
        return fetch(number)

    future = pool.submit(job)
    running.wait()
    return future


def _converted(items: Rows, convert: Callable[[dict[str, Any]], T] | None) -> list[Any]:
    return items if convert is None else [convert(item) for item in items]
