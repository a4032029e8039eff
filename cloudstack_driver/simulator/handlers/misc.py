"""Tags and affinity groups."""

from __future__ import annotations

from ..errors import CS, ApiError, invalid_value, param_error
from ..registry import Call, command
from ..state import JobTicket, Record
from ._common import create_job, delete_job, filter_common, narrow, owner_fields

__all__ = ["RESOURCE_TYPES"]

# createTags resourcetype -> table kind
RESOURCE_TYPES = {
    "uservm": "virtualmachine", "volume": "volume", "snapshot": "snapshot",
    "template": "template", "iso": "template", "securitygroup": "securitygroup",
    "network": "network", "publicipaddress": "publicipaddress",
    "portforwardingrule": "portforwardingrule", "firewallrule": "firewallrule",
    "vpc": "vpc", "project": "project", "networkacl": "networkacl",
    "networkacllist": "networkacllist", "staticnatrule": "ipforwardingrule",
    "vpngateway": "vpngateway", "vpncustomergateway": "vpncustomergateway",
    "vpnconnection": "vpnconnection", "affinitygroup": "affinitygroup",
    "loadbalancer": "loadbalancerrule",
}
_TYPE_NAMES = {"uservm": "UserVm", "publicipaddress": "PublicIpAddress",
               "portforwardingrule": "PortForwardingRule", "firewallrule": "FirewallRule",
               "securitygroup": "SecurityGroup", "networkacl": "NetworkACL",
               "networkacllist": "NetworkACLList", "staticnatrule": "StaticNatRule",
               "vpngateway": "VpnGateway", "vpncustomergateway": "VpnCustomerGateway",
               "vpnconnection": "VpnConnection", "affinitygroup": "AffinityGroup",
               "loadbalancer": "LoadBalancer"}


def _targets(call: Call) -> tuple[str, list[Record]]:
    kind_name = call.require("resourcetype")
    kind = RESOURCE_TYPES.get(kind_name.lower())
    if kind is None:
        raise invalid_value(f"Invalid resource type {kind_name}")
    type_name = _TYPE_NAMES.get(kind_name.lower(), kind_name[:1].upper() + kind_name[1:])
    out = []
    for rid in call.list("resourceids"):
        matches = [r for r in call.cloud.all(kind) if r.get("id") == rid]
        if not matches:
            raise invalid_value(f"Unable to find resource by id {rid} and type {type_name}")
        out.extend(matches)
    return type_name, out


@command("createTags")
def create_tags(call: Call) -> JobTicket:
    type_name, targets = _targets(call)
    pairs = call.map("tags")
    if not pairs:
        raise param_error("Unable to execute API command createtags due to missing parameter tags")
    for row in pairs:
        if not row.get("key"):
            raise invalid_value("Tag key can't be empty")
        for target in targets:
            if any(t["key"] == row["key"] for t in target.get("tags") or []):
                raise invalid_value(f"tag {row['key']} already on {type_name} {target['id']}")

    def work() -> Record:
        for target in targets:
            tags = target.setdefault("tags", [])
            for row in pairs:
                tag = {"key": row["key"], "value": row.get("value", ""),
                       "resourcetype": type_name, "resourceid": target["id"],
                       "account": target.get("account"), "domainid": target.get("domainid"),
                       "domain": target.get("domain"), "projectid": target.get("projectid"),
                       "project": target.get("project"), "customer": row.get("customer")}
                tags.append(tag)
        return {"success": True}

    return call.job(work)


@command("deleteTags")
def delete_tags(call: Call) -> JobTicket:
    _, targets = _targets(call)
    pairs = call.map("tags")

    def drop(tag: Record) -> bool:
        if not pairs:
            return True
        return any(tag["key"] == p.get("key") and (not p.get("value")
                                                   or tag["value"] == p["value"]) for p in pairs)

    def work() -> Record:
        for target in targets:
            target["tags"] = [t for t in target.get("tags") or [] if not drop(t)]
        return {"success": True}

    return call.job(work)


@command("listTags", list_key="tag")
def list_tags(call: Call) -> list[Record]:
    tags: list[Record] = []
    seen: set[int] = set()
    for table in call.cloud.tables.values():
        for record in table.values():
            for tag in record.get("tags") or []:
                if id(tag) not in seen:
                    seen.add(id(tag))
                    tags.append(tag)
    tags = narrow(call, filter_common(call, tags), "key", "value", "resourceid")
    return narrow(call, tags, "resourcetype", nocase=True)


_AFFINITY_TYPES = ("host anti-affinity", "host affinity")


@command("listAffinityGroupTypes", list_key="affinityGroupType")
def list_affinity_group_types(call: Call) -> list[Record]:
    return [{"type": t} for t in _AFFINITY_TYPES]


@command("listAffinityGroups", list_key="affinitygroup")
def list_affinity_groups(call: Call) -> list[Record]:
    records = narrow(call, filter_common(call, call.cloud.all("affinitygroup")), "type")
    vmid = call.str("virtualmachineid")
    if vmid is not None:
        records = [r for r in records if vmid in (r.get("virtualmachineIds") or [])]
    return records


@command("createAffinityGroup")
def create_affinity_group(call: Call) -> JobTicket:
    name = call.require("name")
    kind = call.require("type")
    if kind not in _AFFINITY_TYPES:
        raise invalid_value(f"Unable to create affinity group, invalid affinity group type: "
                            f"{kind}")
    if any(g["name"] == name for g in call.cloud.all("affinitygroup")):
        raise invalid_value(f"Unable to create affinity group, a group with name {name} "
                            "already exists.")
    group = call.cloud.add("affinitygroup", {
        "name": name, "type": kind, "description": call.str("description"),
        **owner_fields(call), "virtualmachineIds": []})
    return create_job(call, "affinitygroup", group)


@command("deleteAffinityGroup")
def delete_affinity_group(call: Call) -> JobTicket:
    if call.has("id"):
        group = call.cloud.get("affinitygroup", call.str("id"), command=call.command)
    else:
        name = call.str("name")
        if name is None:
            raise invalid_value("Either the affinity group id or name must be specified")
        found = [g for g in call.cloud.all("affinitygroup") if g["name"] == name]
        if not found:
            raise invalid_value(f"Unable to find affinity group by name {name}")
        group = found[0]
    if group.get("virtualmachineIds"):
        raise ApiError(536, "Cannot delete affinity group, since it is in use by virtual "
                       "machines", CS.RESOURCE_IN_USE)
    return delete_job(call, "affinitygroup", group)
