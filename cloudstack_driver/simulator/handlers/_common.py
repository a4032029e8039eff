"""Helpers shared by handlers: ownership fields, project scoping, the usual list filters, record
lookups and the jobs of create and delete commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import render
from ..errors import ApiError, not_found
from ..registry import Call
from ..state import Cloud, JobTicket, Record, now_stamp

__all__ = [
    "Record",
    "check_uuid_list",
    "create_job",
    "delete_job",
    "filter_common",
    "filtered",
    "forget",
    "lookup",
    "narrow",
    "now_stamp",
    "owner_fields",
    "owner_of",
    "project_of",
    "snapshot",
    "visible",
]


# -- ownership and project scoping ------------------------------------------------------------


def project_of(call: Call) -> Record | None:
    """The project named by ``projectid`` (431 when unknown); None without one (or ``-1``)."""
    pid = call.str("projectid")
    if pid is None or pid == "-1":
        return None
    return call.cloud.get("project", pid, command=call.command, param="projectid")


def owner_of(cloud: Cloud, projectid: str | None, command: str = "") -> dict[str, Any]:
    """Who owns a new resource: the caller's account, or project ``projectid`` (431 naming
    ``command`` when unknown; ``-1`` counts as none)."""
    account = cloud.account
    fields: dict[str, Any] = {"domainid": account.get("domainid"), "domain": account.get("domain")}
    if projectid is not None and projectid != "-1":
        project = cloud.get("project", projectid, command=command, param="projectid")
        fields.update(projectid=project["id"], project=project["name"])
    else:
        fields["account"] = account.get("name")
    return fields


def owner_fields(call: Call) -> dict[str, Any]:
    """Who owns a new resource: the caller's account, or the project given by ``projectid``."""
    return owner_of(call.cloud, call.str("projectid"), call.command)


def visible(call: Call, records: Iterable[Record], key: str = "projectid") -> list[Record]:
    """Project scoping: without ``projectid`` only non-project resources; ``-1`` every
    project's resources; a project id that project's resources (431 when it names no
    project). ``key`` is the record field holding the project id."""
    pid = call.str("projectid")
    if pid is None:
        return [r for r in records if not r.get(key)]
    if pid == "-1":
        return [r for r in records if r.get(key)]
    project_of(call)
    return [r for r in records if r.get(key) == pid]


# -- list filters ----------------------------------------------------------------------------


def _tag_match(record: Record, wanted: list[dict[str, str]]) -> bool:
    tags = {(t.get("key"), t.get("value")) for t in record.get("tags") or []}
    return all((w.get("key"), w.get("value")) in tags for w in wanted)


def filter_common(call: Call, records: list[Record], *, scoped: bool = True) -> list[Record]:
    """Apply ``id``, ``ids``, ``name``, ``keyword``, ``zoneid``, ``tags`` and project scoping."""
    out = visible(call, records) if scoped else list(records)
    rid = call.str("id")
    if rid is not None:
        out = [r for r in out if r.get("id") == rid]
    ids = call.list("ids")
    if ids:
        wanted = set(ids)
        out = [r for r in out if r.get("id") in wanted]
    name = call.str("name")
    if name is not None:
        out = [r for r in out if r.get("name") == name]
    keyword = call.str("keyword")
    if keyword is not None:
        low = keyword.lower()
        out = [r for r in out if low in str(r.get("name", "")).lower()
               or low in str(r.get("displaytext", r.get("displayname", ""))).lower()]
    zoneid = call.str("zoneid")
    if zoneid is not None and "zoneid" in call.params:
        out = [r for r in out if r.get("zoneid") in (zoneid, None)]
    tags = call.map("tags")
    if tags:
        out = [r for r in out if _tag_match(r, tags)]
    return out


def narrow(call: Call, records: Iterable[Record], *params: str,
           nocase: bool = False) -> list[Record]:
    """Keep the records whose field equals each parameter given (of the same name);
    ``nocase``: compared as text, ignoring case."""
    out = list(records)
    for param in params:
        value = call.str(param)
        if value is None:
            continue
        if nocase:
            low = value.lower()
            out = [r for r in out if str(r.get(param, "")).lower() == low]
        else:
            out = [r for r in out if r.get(param) == value]
    return out


def filtered(call: Call, records: Iterable[Record], *, text: Iterable[str] = (),
             flags: Iterable[str] = (), key: str | None = "projectid",
             renames: dict[str, str] | None = None) -> list[Record]:
    """The networking lists' filter: records visible to the call (``key`` None: no project
    scoping; an unknown project id gives none), narrowed by the equal-value filters it gives.

    ``text`` names string filters (parameter = field unless ``renames`` maps it), ``flags``
    boolean ones; ``keyword`` matches the name.
    """
    out = visible(call, records, key) if key is not None else list(records)
    names = renames or {}
    for param in text:
        value = call.str(param)
        if value is not None:
            field = names.get(param, param)
            out = [r for r in out if str(r.get(field)) == value]
    for param in flags:
        if call.has(param):
            flag = call.bool(param)
            out = [r for r in out if bool(r.get(names.get(param, param))) is flag]
    keyword = call.str("keyword")
    if keyword is not None:
        out = [r for r in out if keyword.lower() in str(r.get("name", "")).lower()]
    return out


def check_uuid_list(call: Call, name: str, kind: str) -> list[Record]:
    """Resolve a comma-separated id list parameter (431 for an unknown id)."""
    out = []
    for rid in call.list(name):
        record = call.cloud.find_record(kind, rid)
        if record is None:
            raise not_found(call.command, name, rid)
        out.append(record)
    return out


# -- lookups and jobs ------------------------------------------------------------------------


def lookup(call: Call, kind: str, param: str = "id") -> Record:
    """The ``kind`` record that parameter ``param`` names (missing or unknown: 431)."""
    return call.cloud.get(kind, call.require(param), command=call.command, param=param)


def snapshot(record: Record) -> Record:
    """A job result: the record as rendered now (later changes don't show in the job)."""
    out: Record = render.clean(record)
    return out


def forget(cloud: Cloud, table: str, rid: str) -> Callable[[ApiError], None]:
    """An ``on_fail`` for create jobs: the record goes away when its job fails."""

    def undo(_err: ApiError) -> None:
        cloud.remove(table, rid)

    return undo


def create_job(call: Call, table: str, record: Record, *, result_key: str | None = None,
               state: str | None = None,
               on_fail: Callable[[ApiError], None] | None = None) -> JobTicket:
    """The job of a create command whose ``record`` is already in ``table``: when it ends the
    record takes ``state`` (if given) and is the result, under ``result_key`` (default: the
    table's name). ``on_fail`` defaults to removing the record."""

    def work() -> Record:
        if state is not None:
            record["state"] = state
        return snapshot(record)

    return call.job(work, instance_type=table, instance_id=record["id"],
                    result_key=result_key or table,
                    on_fail=on_fail or forget(call.cloud, table, record["id"]))


def delete_job(call: Call, table: str, record: Record | None = None, *,
               before: Callable[[Record], None] | None = None) -> JobTicket:
    """The job of a delete command: ``record`` (default: the one ``id`` names) leaves ``table``
    when the job ends, after ``before`` (which may refuse with an ApiError, failing the job)."""
    cloud = call.cloud
    target = record if record is not None else lookup(call, table)

    def work() -> Record:
        if before is not None:
            before(target)
        cloud.remove(table, target["id"])
        return {"success": True}

    return call.job(work, instance_type=table, instance_id=target["id"])
