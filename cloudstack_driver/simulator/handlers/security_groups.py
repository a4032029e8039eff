"""Security groups (table ``securitygroup``): isolation in security-group-enabled zones.

A group's ``ingressrule``/``egressrule`` lists hold its rules; a VM names its groups in its
``securitygroup`` list (entries with at least ``id``).
"""

from __future__ import annotations

from typing import Any

from ..errors import CS, ApiError, invalid_value, not_found
from ..registry import Call, command
from ..state import Cloud, Record
from ._common import filtered, lookup, owner_fields, owner_of
from ._netutil import check_cidrs

__all__ = ["check_security_groups", "default_group"]
_DIRECTIONS = {"ingress": "ingressrule", "egress": "egressrule"}


def default_group(cloud: Cloud, projectid: str | None) -> Record:
    """The ``default`` group of the caller (or of a project), made on first use."""
    for group in cloud.where("securitygroup", name="default"):
        if group.get("projectid") == projectid:
            return group
    return cloud.add("securitygroup", {
        "name": "default", "description": "Default Security Group", "ingressrule": [],
        "egressrule": [], "tags": [], **owner_of(cloud, projectid),
    })


def _in_scope(group: Record, projectid: str | None) -> bool:
    return group.get("projectid") == projectid


def check_security_groups(cloud: Cloud, call: Call, zone: Record, names: list[str],
                          ids: list[str]) -> list[Record]:
    """The groups a deploy names (by ``names`` or ``ids``), for ``zone``.

    Without any, a security-group-enabled zone gives the ``default`` group and another zone
    none. Naming groups in a zone without security groups, an unknown name or id: 431.
    """
    if names and ids:
        raise invalid_value("securitygroupids parameter is mutually exclusive with "
                            "securitygroupnames parameter")
    enabled = bool(zone.get("securitygroupsenabled"))
    if (names or ids) and not enabled:
        raise ApiError(431, "Can't create vm with security groups; security group feature is "
                       "not enabled for this zone", CS.INVALID_PARAMETER)
    projectid = call.str("projectid")
    if not names and not ids:
        return [default_group(cloud, projectid)] if enabled else []
    out: list[Record] = []
    for name in names:
        found = [g for g in cloud.where("securitygroup", name=name) if _in_scope(g, projectid)]
        if not found and name == "default":
            found = [default_group(cloud, projectid)]
        if not found:
            raise invalid_value(f"Unable to find group by name {name}")
        out.append(found[0])
    for gid in ids:
        group = cloud.find_record("securitygroup", gid)
        if group is None:
            raise invalid_value(f"Unable to find security group by id {gid}")
        out.append(group)
    return out


def _members(cloud: Cloud, group: Record) -> list[str]:
    return [vm["id"] for vm in cloud.all("virtualmachine")
            if any(sg.get("id") == group["id"] for sg in vm.get("securitygroup") or [])]


@command("listSecurityGroups", list_key="securitygroup")
def list_security_groups(call: Call) -> list[Record]:
    cloud = call.cloud
    rows = filtered(call, cloud.all("securitygroup"), text=("id", "securitygroupname"),
                    renames={"securitygroupname": "name"})
    if call.has("virtualmachineid"):
        vm = lookup(call, "virtualmachine", "virtualmachineid")
        wanted = {sg.get("id") for sg in vm.get("securitygroup") or []}
        rows = [r for r in rows if r["id"] in wanted]
    out = []
    for row in rows:
        members = _members(cloud, row)
        out.append({**row, "virtualmachinecount": len(members), "virtualmachineids": members})
    return out


@command("createSecurityGroup")
def create_security_group(call: Call) -> Record:
    cloud = call.cloud
    name = call.require("name")
    owner = owner_fields(call)
    if any(_in_scope(g, owner.get("projectid")) for g in cloud.where("securitygroup", name=name)):
        raise invalid_value(f"security group with name {name} already exists")
    group = cloud.add("securitygroup", {
        "name": name, "description": call.str("description", name), "ingressrule": [],
        "egressrule": [], "tags": [], **owner,
    })
    return {"securitygroup": group}


def _group(call: Call, id_param: str, name_param: str) -> Record:
    cloud = call.cloud
    gid, name = call.str(id_param), call.str(name_param)
    if gid is not None:
        return cloud.get("securitygroup", gid, command=call.command, param=id_param)
    if name is None:
        raise invalid_value(f"Either {id_param} or {name_param} is required by "
                            f"{call.command} command")
    projectid = call.str("projectid")
    for group in cloud.where("securitygroup", name=name):
        if _in_scope(group, projectid):
            return group
    if name == "default":
        return default_group(cloud, projectid)
    raise invalid_value(f"Unable to find security group {name}")


@command("deleteSecurityGroup")
def delete_security_group(call: Call) -> Record:
    cloud = call.cloud
    group = _group(call, "id", "name")
    if group["name"] == "default":
        raise invalid_value("The network group default is reserved")
    if _members(cloud, group):
        raise ApiError(536, "Cannot delete group when it's in use by virtual machines",
                       CS.RESOURCE_IN_USE)
    cloud.remove("securitygroup", group["id"])
    return {"success": True}


def _ports(call: Call, protocol: str) -> Record:
    if protocol in ("tcp", "udp"):
        start, end = call.int("startport"), call.int("endport")
        if start is None:
            raise invalid_value(f"Invalid port range {start}-{end}")
        end = start if end is None else end
        if not (0 <= start <= 65535 and 0 <= end <= 65535) or start > end:
            raise invalid_value(f"Invalid port range {start}-{end}")
        return {"startport": start, "endport": end}
    if protocol == "icmp":
        icmptype, icmpcode = call.int("icmptype", -1), call.int("icmpcode", -1)
        return {"icmptype": icmptype, "icmpcode": icmpcode}
    if protocol == "all" or protocol.isdigit():
        return {}
    raise invalid_value(f"Invalid protocol {protocol}")


def _authorize(call: Call, direction: str) -> Any:
    cloud = call.cloud
    group = _group(call, "securitygroupid", "securitygroupname")
    protocol = call.require("protocol").lower()
    ports = _ports(call, protocol)
    cidrs = check_cidrs(call.list("cidrlist"))
    others = call.map("usersecuritygrouplist")
    if not cidrs and not others:
        raise invalid_value("At least one cidr or at least one security group needs to be "
                            "specified")
    targets: list[Record] = [{"cidr": c} for c in cidrs]
    targets += [{"securitygroupname": o.get("group"), "account": o.get("account")}
                for o in others]

    def work() -> Record:
        rules: list[Record] = group[_DIRECTIONS[direction]]
        added = []
        for target in targets:
            rule = {"protocol": protocol, **ports, **target}
            if any({k: v for k, v in r.items() if k not in ("ruleid", "tags")} == rule
                   for r in rules):
                continue
            rule = {"ruleid": cloud.new_id(), **rule, "tags": []}
            rules.append(rule)
            added.append(rule)
        if not added:
            raise ApiError(530, f"Failed to authorize security group {direction} rule(s)",
                           CS.SERVER_API)
        return {**{k: v for k, v in group.items() if k not in _DIRECTIONS.values()},
                _DIRECTIONS[direction]: added}

    return call.job(work, instance_type="securitygroup", instance_id=group["id"],
                    result_key="securitygroup")


@command("authorizeSecurityGroupIngress")
def authorize_ingress(call: Call) -> Any:
    return _authorize(call, "ingress")


@command("authorizeSecurityGroupEgress")
def authorize_egress(call: Call) -> Any:
    return _authorize(call, "egress")


def _revoke(call: Call, direction: str) -> Any:
    cloud = call.cloud
    ruleid = call.require("id")
    key = _DIRECTIONS[direction]
    for group in cloud.all("securitygroup"):
        if any(r["ruleid"] == ruleid for r in group[key]):
            break
    else:
        raise not_found(call.command, "id", ruleid)

    def work() -> Record:
        group[key] = [r for r in group[key] if r["ruleid"] != ruleid]
        return {"success": True}

    return call.job(work, instance_type="securitygroup", instance_id=group["id"])


@command("revokeSecurityGroupIngress")
def revoke_ingress(call: Call) -> Any:
    return _revoke(call, "ingress")


@command("revokeSecurityGroupEgress")
def revoke_egress(call: Call) -> Any:
    return _revoke(call, "egress")
