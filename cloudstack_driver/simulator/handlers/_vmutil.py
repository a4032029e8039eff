"""Building blocks of VM handlers: lookups, ROOT volumes, NICs, security groups."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any

from .. import render
from ..errors import ApiError, invalid_value, not_found
from ..registry import Call
from ..seed import template_key
from ..state import Cloud, JobTicket, Record
from ..vmfields import root_volume, set_state

__all__ = ["KIND", "affinity_summary", "check_userdata", "find_template", "join_group",
           "make_root_volume", "pick_network", "resolve_security_groups", "vm_get", "vm_job",
           "vm_view"]

KIND = "virtualmachine"
_HOSTNAME = re.compile(r"^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
GONE = ("Destroyed", "Expunging")


def vm_get(call: Call, param: str = "id") -> Record:
    return call.cloud.get("virtualmachine", call.str(param), command=call.command, param=param)


def vm_view(vm: Record) -> Record:
    """A snapshot of the VM as the server renders it."""
    return dict(render.clean(vm))


def vm_job(call: Call, vm: Record, work: Callable[[], Record],
           key: str | None = "virtualmachine", *, failed_state: str | None = None
           ) -> JobTicket:
    """A job on ``vm`` whose result (``work``'s) is rendered under ``key``; when the job fails
    or is cancelled, the VM takes ``failed_state`` (None: it stays as it is)."""

    def undo(_err: ApiError) -> None:
        if failed_state is not None:
            set_state(vm, failed_state)

    return call.job(work, instance_type=KIND, instance_id=vm["id"], result_key=key,
                    on_fail=undo)


def find_template(call: Call, template_id: str | None, zone_id: str,
                  param: str = "templateid") -> Record:
    table = call.cloud.table("template")
    record = table.get(template_key(str(template_id), zone_id))
    if record is None:
        if any(t["id"] == template_id for t in table.values()):
            raise invalid_value(f"Template {template_id} is not available in zone {zone_id}")
        raise not_found(call.command, param, str(template_id))
    return record


def check_hostname(name: str) -> None:
    if not _HOSTNAME.match(name):
        raise invalid_value("Invalid name. Vm name can contain ASCII letters 'a' through 'z', "
                            "the digits '0' through '9', and the hyphen ('-'), must be between 1 "
                            "and 63 characters long, and can't start or end with \"-\" and can't "
                            "start with digit")


def check_userdata(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise invalid_value("User data is not base64 encoded") from None
    return value


def make_root_volume(call: Call, vm: Record, template: Record, size: int | None) -> Record:
    cloud = call.cloud
    zone = cloud.get("zone", vm["zoneid"], command=call.command, param="zoneid")
    offering = cloud.find_record("serviceoffering", vm.get("serviceofferingid") or "")
    return cloud.add("volume", root_volume(vm, template, size, zone, offering))


def join_group(cloud: Cloud, vm: Record, name: str | None) -> None:
    """Put ``vm`` in the instance group ``name`` of its owner (made on first use; the
    server's ``instance_group``, which no simulated command lists); None: in none."""
    if name is None:
        vm.pop("group", None)
        vm.pop("groupid", None)
        return
    owner = (vm.get("projectid"), vm.get("account"))
    table = cloud.table("instancegroup")
    found = [g for g in table.values() if g["name"] == name and g["_owner"] == owner]
    group = found[0] if found else cloud.add("instancegroup", {"name": name, "_owner": owner})
    vm.update(group=name, groupid=group["id"])


def affinity_summary(group: Record) -> Record:
    """An affinity group as a VM's ``affinitygroup`` list shows it (the server's user VM view
    names the group, its type and description and the VM's account; nothing more)."""
    return {key: group.get(key) for key in ("id", "name", "type", "description", "account")}


def pick_network(call: Call, zone: Record) -> list[Record]:
    """The networks a new VM joins: ``networkids`` or the zone's default."""
    cloud = call.cloud
    ids = call.list("networkids")
    if ids:
        nets = []
        for nid in ids:
            net = cloud.find_record("network", nid)
            if net is None:
                raise not_found(call.command, "networkids", nid)
            if net.get("zoneid") != zone["id"]:
                raise invalid_value(f"Network {nid} doesn't belong to zone {zone['id']}")
            nets.append(net)
        return nets
    candidates = [n for n in cloud.all("network") if n.get("zoneid") == zone["id"]]
    if zone["networktype"] == "Basic":
        shared = [n for n in candidates if n.get("type") == "Shared"] or candidates
        if shared:
            return shared[:1]
        raise ApiError(530, f"Unable to find a guest network in zone {zone['id']}", 4250)
    project = call.str("projectid")
    mine = [n for n in candidates if n.get("type") == "Isolated"
            and n.get("projectid") == project and n.get("state") != "Destroy"]
    if mine:
        return mine[:1]
    raise invalid_value("Unable to find a network to deploy the VM in: specify networkids "
                        "(no isolated network of the account exists in this zone)")


def resolve_security_groups(call: Call, zone: Record) -> list[Record]:
    """The groups of a new VM: those named, or the ``default`` group in an SG zone."""
    from .security_groups import check_security_groups
    return list(check_security_groups(call.cloud, call, zone, call.list("securitygroupnames"),
                                      call.list("securitygroupids")))


def sg_summary(group: Record) -> dict[str, Any]:
    """A security group as a VM's ``securitygroup`` list shows it (the user VM view names the
    group and its owner only)."""
    return {k: group.get(k) for k in ("id", "name", "description", "account", "projectid",
                                      "project")}
