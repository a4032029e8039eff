"""Helpers shared by handlers: ownership fields, project scoping and the usual list filters."""

from __future__ import annotations

from typing import Any

from ..errors import invalid_value
from ..registry import Call
from ..state import Record, now_stamp

__all__ = ["Record", "filter_common", "now_stamp", "owner_fields", "project_of", "visible"]


def project_of(call: Call) -> Record | None:
    """The project named by ``projectid`` (431 when unknown); None without one (or ``-1``)."""
    pid = call.str("projectid")
    if pid is None or pid == "-1":
        return None
    return call.cloud.get("project", pid, command=call.command, param="projectid")


def owner_fields(call: Call) -> dict[str, Any]:
    """Who owns a new resource: the caller's account, or the project given by ``projectid``."""
    account = call.cloud.account
    project = project_of(call)
    fields: dict[str, Any] = {"domainid": account.get("domainid"), "domain": account.get("domain")}
    if project is not None:
        fields.update(projectid=project["id"], project=project["name"])
    else:
        fields["account"] = account.get("name")
    return fields


def visible(call: Call, records: list[Record]) -> list[Record]:
    """Project scoping: without ``projectid`` only non-project resources; ``-1`` every
    project's resources; a project id that project's resources."""
    pid = call.str("projectid")
    if pid is None:
        return [r for r in records if not r.get("projectid")]
    if pid == "-1":
        return [r for r in records if r.get("projectid")]
    project_of(call)
    return [r for r in records if r.get("projectid") == pid]


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


def check_uuid_list(call: Call, name: str, kind: str) -> list[Record]:
    """Resolve a comma-separated id list parameter (431 for an unknown id)."""
    out = []
    for rid in call.list(name):
        record = call.cloud.find_record(kind, rid)
        if record is None:
            raise invalid_value(f"Unable to execute API command {call.command.lower()} due to "
                                f"invalid value. Invalid parameter {name} value={rid} due to "
                                "incorrect long value format, or entity does not exist or due "
                                "to incorrect parameter annotation for the field in api cmd "
                                "class.")
        out.append(record)
    return out
