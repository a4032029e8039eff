"""Projects and resource limits, with the limits and usage a project reports.

A project's item shows, for each resource type, its limit, what the project uses and what is
left (``vmlimit``, ``vmtotal``, ``vmavailable``, ...), as the server does from the project's
own account: limits and what is left are text (``"Unlimited"`` for no limit), totals numbers;
storage in GiB (secondary storage as a float). Totals are counted from the project's records
each time it is listed. A new project has the server's ``max.project.*`` defaults.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import invalid_value
from ..registry import Call, command
from ..state import Cloud, JobTicket, Record, now_stamp
from ._common import create_job, delete_job, filter_common, narrow, project_of

__all__ = ["LIMIT_NAMES", "PROJECT_LIMITS", "project_view"]

GIB = 1024 ** 3
#: resource types by number (``resourcetype`` of listResourceLimits)
LIMIT_NAMES = ("user_vm", "public_ip", "volume", "snapshot", "template", "project", "network",
               "vpc", "cpu", "memory", "primary_storage", "secondary_storage")
#: the ``max.project.*`` defaults (storage in GiB, memory in MiB); -1 would be no limit
PROJECT_LIMITS = {"user_vm": 20, "public_ip": 20, "volume": 20, "snapshot": 20, "template": 20,
                  "network": 20, "vpc": 20, "cpu": 40, "memory": 40960,
                  "primary_storage": 200, "secondary_storage": 400}
# item field prefix -> resource type
_PREFIXES = {"vm": "user_vm", "ip": "public_ip", "volume": "volume", "snapshot": "snapshot",
             "template": "template", "network": "network", "vpc": "vpc", "cpu": "cpu",
             "memory": "memory", "primarystorage": "primary_storage",
             "secondarystorage": "secondary_storage"}
_NOT_COUNTED = ("Destroyed", "Expunging", "Error")


def _mine(cloud: Cloud, kind: str, pid: str) -> list[Record]:
    return [r for r in cloud.table(kind).values() if r.get("projectid") == pid]


def _usage(cloud: Cloud, pid: str) -> dict[str, float]:
    vms = [v for v in _mine(cloud, "virtualmachine", pid) if v.get("state") not in _NOT_COUNTED]
    snapshots = _mine(cloud, "snapshot", pid)
    templates = _mine(cloud, "template", pid)
    return {
        "user_vm": len(vms), "public_ip": len(_mine(cloud, "publicipaddress", pid)),
        "volume": len(_mine(cloud, "volume", pid)), "snapshot": len(snapshots),
        "template": len(templates), "network": len(_mine(cloud, "network", pid)),
        "vpc": len(_mine(cloud, "vpc", pid)),
        "cpu": sum(int(v.get("cpunumber") or 0) for v in vms),
        "memory": sum(int(v.get("memory") or 0) for v in vms),
        "primary_storage": sum(int(v.get("size") or 0) for v in _mine(cloud, "volume", pid))
        // GIB,
        "secondary_storage": sum(int(r.get("physicalsize") or 0)
                                 for r in _chain(snapshots, templates)) / GIB,
    }


def _chain(*groups: Iterable[Record]) -> Iterable[Record]:
    for group in groups:
        yield from group


def _text(limit: float) -> str:
    return "Unlimited" if limit == -1 else str(limit)


def project_view(cloud: Cloud, project: Record) -> Record:
    """The project as listProjects shows it: its record with limits, totals and what is left."""
    view = dict(project)
    used = _usage(cloud, project["id"])
    limits: dict[str, int] = project["_limits"]
    for prefix, kind in _PREFIXES.items():
        limit, total = limits[kind], used[kind]
        view[f"{prefix}limit"] = _text(limit)
        view[f"{prefix}total"] = total
        view[f"{prefix}available"] = _text(limit if limit == -1 else limit - total)
    states = [v.get("state") for v in _mine(cloud, "virtualmachine", project["id"])]
    view["vmrunning"] = states.count("Running")
    view["vmstopped"] = states.count("Stopped")
    return view


@command("listProjects", list_key="project")
def list_projects(call: Call) -> list[Record]:
    rows = narrow(call, filter_common(call, call.cloud.all("project"), scoped=False), "state",
                  nocase=True)
    return [project_view(call.cloud, p) for p in rows]


@command("createProject")
def create_project(call: Call) -> JobTicket:
    cloud = call.cloud
    name = call.require("name")
    if any(p["name"] == name for p in cloud.all("project")):
        raise invalid_value(f"Project with name {name} already exists in domain "
                            f"{cloud.account.get('domainid')}")
    account = cloud.account
    project = cloud.add("project", {
        "name": name, "displaytext": call.require("displaytext"), "state": "Active",
        "domainid": account.get("domainid"), "domain": account.get("domain"),
        "owner": [{"account": account.get("name"), "accountid": account.get("id")}],
        "projectaccountname": f"PrjAcct-{name}-{cloud.number('account')}",
        "created": now_stamp(), "tags": [], "_limits": dict(PROJECT_LIMITS)})
    return create_job(call, "project", project)


@command("deleteProject")
def delete_project(call: Call) -> JobTicket:
    cloud = call.cloud
    project = cloud.get("project", call.str("id"), command=call.command)
    cleanup = call.bool("cleanup", False)
    owned = [(kind, r) for kind, table in cloud.tables.items() if kind != "project"
             for r in table.values() if r.get("projectid") == project["id"]]
    if owned and not cleanup:
        raise invalid_value(f"Project {project['name']} still has resources; delete them or "
                            "pass cleanup=true")

    def before(_project: Record) -> None:
        for kind, record in owned:
            cloud.remove(kind, record["id"])

    return delete_job(call, "project", project, before=before)


@command("listResourceLimits", list_key="resourcelimit")
def list_resource_limits(call: Call) -> list[Record]:
    """The caller's limits (a root admin's: none, ``max`` -1), or with ``projectid`` the
    project's (every type but ``project``)."""
    project = project_of(call)
    if project is None:
        account = call.cloud.account
        owner: Record = {"account": account.get("name"), "domainid": account.get("domainid"),
                         "domain": account.get("domain")}
        limits = dict.fromkeys(LIMIT_NAMES, -1)
    else:
        owner = {"projectid": project["id"], "project": project["name"],
                 "domainid": project.get("domainid"), "domain": project.get("domain")}
        limits = project["_limits"]
    rows = [{"resourcetype": str(i), "resourcetypename": name, "max": limits[name], **owner}
            for i, name in enumerate(LIMIT_NAMES) if name in limits]
    kind = call.str("resourcetype")
    if kind is not None:
        rows = [r for r in rows if kind in (r["resourcetype"], r["resourcetypename"])]
    return rows
