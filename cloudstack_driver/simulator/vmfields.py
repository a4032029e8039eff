"""The fields of a VM record and of its ROOT volume, shared by ``deployVirtualMachine`` and the
fast ``populate_vms``: both make the same item a real 4.18 server lists for a root admin.

A VM on a host (``Starting``, ``Running``, ``Stopping``) shows the host's ``hostid``,
``hostname`` and ``hostcontrolstate``; any other state shows none (:func:`set_state` keeps
them right, with ``lastupdated``). The usage figures are fixed per VM (see ``facts.usage``).
"""

from __future__ import annotations

import uuid
from typing import Any

from .facts import HOST_FIELDS, usage, zone_infra
from .state import Record, now_stamp

__all__ = ["ON_HOST", "new_vm", "on_storage", "owned_like", "root_volume", "set_state"]

#: the states in which a VM has a host
ON_HOST = frozenset({"Starting", "Running", "Stopping", "Migrating"})


def set_state(vm: Record, state: str) -> None:
    """Move ``vm`` to ``state``: the host fields follow, ``lastupdated`` is now."""
    vm["state"] = state
    vm["lastupdated"] = now_stamp()
    host: Record | None = vm.get("_host")
    if state in ON_HOST and host is not None:
        vm.update(host)
    else:
        for key in HOST_FIELDS:
            vm.pop(key, None)


def new_vm(*, vid: str, name: str, displayname: str, number: int, owner: Record,
           account: Record, zone: Record, template: Record, offering: Record, state: str,
           created: str) -> Record:
    """A VM record without NICs, groups or details the deploy gives (empty lists)."""
    vm: Record = {
        "id": vid, "name": name, "displayname": displayname,
        "instancename": f"i-2-{number}-VM", **owner,
        "userid": account.get("_userid"), "username": account.get("_username"),
        "created": created, "lastupdated": created, "state": state, "haenable": False,
        "zoneid": zone["id"], "zonename": zone["name"], "templateid": template["id"],
        "templatename": template["name"], "templatedisplaytext": template["displaytext"],
        "passwordenabled": template["passwordenabled"], "serviceofferingid": offering["id"],
        "serviceofferingname": offering["name"], "cpunumber": offering["cpunumber"],
        "cpuspeed": offering["cpuspeed"], "memory": offering["memory"],
        "diskofferingid": offering.get("diskofferingid"),
        "diskofferingname": offering.get("diskofferingname"),
        "guestosid": template["ostypeid"], "ostypeid": template["ostypeid"],
        "osdisplayname": template["ostypename"], "rootdeviceid": 0, "rootdevicetype": "ROOT",
        "hypervisor": "Simulator", "pooltype": "NetworkFilesystem", "bootmode": "legacy",
        "boottype": "Bios", "hasannotations": False, "displayvm": True,
        "isdynamicallyscalable": False, "securitygroup": [], "nic": [], "tags": [],
        "affinitygroup": [], "details": {}, **usage(number, offering["memory"]),
        "_number": number, "_host": dict(zone_infra(zone)["host"]),
    }
    if state in ON_HOST:
        vm.update(vm["_host"])
    return vm


def root_volume(vm: Record, template: Record, size: int | None, zone: Record,
                offering: Record | None = None) -> Record:
    """The ROOT volume of ``vm`` (not in a table yet), on the zone's primary storage."""
    infra = zone_infra(zone)
    volume: Record = {
        "name": f"ROOT-{vm['_number']}", "type": "ROOT", "deviceid": 0,
        "virtualmachineid": vm["id"], "zoneid": vm["zoneid"], "zonename": vm["zonename"],
        "state": "Ready", "size": size or template["size"], "storagetype": "shared",
        "created": vm["created"], "attached": vm["created"], "tags": [],
        "templateid": template["id"], "templatename": template["name"],
        "templatedisplaytext": template["displaytext"],
        "serviceofferingid": vm.get("serviceofferingid"),
        "serviceofferingname": vm.get("serviceofferingname"), "hypervisor": "Simulator",
        "provisioningtype": "thin", "destroyed": False, "isextractable": False,
        "hasannotations": False, "quiescevm": False, "supportsstoragesnapshot": False,
        "displayvolume": True, **on_storage(infra),
    }
    volume.update(owned_like(vm))
    if offering is not None:
        volume.update(serviceofferingdisplaytext=offering.get("displaytext"),
                      diskofferingid=offering.get("diskofferingid"),
                      diskofferingname=offering.get("diskofferingname"),
                      diskofferingdisplaytext=offering.get("diskofferingdisplaytext"))
    return volume


def on_storage(infra: Record) -> Record:
    """The fields of a volume made on the zone's primary storage (root admin's view): the pool,
    its pod and cluster, and the volume's new ``path`` on it."""
    fields = {key: infra[key] for key in ("storageid", "storage", "podid", "podname",
                                          "clusterid", "clustername")}
    fields["path"] = str(uuid.uuid4())
    return fields


def owned_like(record: Record) -> dict[str, Any]:
    """The owner fields of ``record`` (account or project, and domain)."""
    return {key: record.get(key) for key in ("account", "projectid", "project", "domainid",
                                             "domain")}
