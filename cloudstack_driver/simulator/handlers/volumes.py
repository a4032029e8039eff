"""Volumes and volume snapshots."""

from __future__ import annotations

from .. import render
from ..errors import invalid_value
from ..facts import zone_infra
from ..registry import Call, command
from ..state import JobTicket, Record, now_stamp
from ..vmfields import on_storage
from ._common import create_job, delete_job, filter_common, narrow, owner_fields

GIB = 1024 ** 3


def _view(call: Call, volume: Record) -> Record:
    view: Record = dict(render.clean(volume))
    vmid = volume.get("virtualmachineid")
    vm = call.cloud.find_record("virtualmachine", vmid) if vmid else None
    if vm is not None:
        view.update(vmname=vm["name"], vmdisplayname=vm.get("displayname"), vmstate=vm["state"],
                    vmtype="User")
    return view


def _get(call: Call, param: str = "id") -> Record:
    return call.cloud.get("volume", call.str(param), command=call.command, param=param)


@command("listVolumes", list_key="volume")
def list_volumes(call: Call) -> list[Record]:
    records = narrow(call, filter_common(call, call.cloud.all("volume")), "virtualmachineid",
                     "type", "diskofferingid", nocase=True)
    return [_view(call, r) for r in records]


@command("createVolume")
def create_volume(call: Call) -> JobTicket:
    cloud = call.cloud
    snapshot = None
    if call.has("snapshotid"):
        snapshot = cloud.get("snapshot", call.str("snapshotid"), command=call.command,
                             param="snapshotid")
    offering = None
    if call.has("diskofferingid"):
        offering = cloud.get("diskoffering", call.str("diskofferingid"), command=call.command,
                             param="diskofferingid")
    if offering is None and snapshot is None:
        raise invalid_value("Either disk Offering Id or snapshot Id must be passed whilst "
                            "creating volume")
    if snapshot is not None:
        zone_id = snapshot["zoneid"]
        size = int(snapshot["virtualsize"])
    else:
        assert offering is not None
        zone_id = call.require("zoneid")
        if offering["iscustomized"]:
            gib = call.int("size")
            if gib is None or gib <= 0:
                raise invalid_value("This disk offering requires a custom size specified")
            size = gib * GIB
        else:
            if call.has("size"):
                raise invalid_value("This disk offering does not allow custom size")
            size = int(offering["disksize"]) * GIB
    zone = cloud.get("zone", zone_id, command=call.command, param="zoneid")
    vm = None
    if call.has("virtualmachineid"):
        vm = cloud.get("virtualmachine", call.str("virtualmachineid"), command=call.command,
                       param="virtualmachineid")
    volume = cloud.add("volume", {
        "name": call.str("name") or f"DATA-{cloud.number('volume')}",
        "type": "DATADISK", "zoneid": zone["id"], "zonename": zone["name"],
        "state": "Allocated", "size": size, "storagetype": "shared",
        **owner_fields(call), "created": now_stamp(), "tags": [], "hypervisor": "None",
        "provisioningtype": "thin", "destroyed": False, "isextractable": True,
        "diskofferingid": offering["id"] if offering else None,
        "diskofferingname": offering["name"] if offering else None,
        "diskofferingdisplaytext": offering["displaytext"] if offering else None,
        "snapshotid": snapshot["id"] if snapshot else None, "displayvolume": True,
        "hasannotations": False, "quiescevm": False, "supportsstoragesnapshot": False})

    def work() -> Record:
        if vm is not None:
            _check_attach(call, volume, vm)
            _attach(call, volume, vm, None)
        return _view(call, volume)

    return call.job(work, instance_type="volume", instance_id=volume["id"], result_key="volume")


def _check_attach(call: Call, volume: Record, vm: Record) -> None:
    if volume["type"] != "DATADISK":
        raise invalid_value("Please specify a volume with the valid type: DATADISK")
    if volume.get("virtualmachineid"):
        raise invalid_value("Please specify a volume that is not attached to any VM.")
    if vm["state"] not in ("Running", "Stopped"):
        raise invalid_value("Please specify a VM that is either running or stopped.")
    if vm["zoneid"] != volume["zoneid"]:
        raise invalid_value("Please specify a VM that is in the same zone as the volume.")
    if volume["state"] not in ("Allocated", "Ready"):
        raise invalid_value(f"Volume {volume['id']} state is not Allocated or Ready")


def _attach(call: Call, volume: Record, vm: Record, deviceid: int | None) -> None:
    used = {v.get("deviceid") for v in call.cloud.where("volume", virtualmachineid=vm["id"])}
    if deviceid is None:
        deviceid = next(i for i in range(1, 64) if i not in used and i != 3)
    elif deviceid in used:
        raise invalid_value(f"Device id {deviceid} is used by another volume of the VM")
    if "storageid" not in volume:  # an Allocated volume is made on storage when first attached
        zone = call.cloud.get("zone", volume["zoneid"], command=call.command, param="zoneid")
        volume.update(on_storage(zone_infra(zone)))
    volume.update(virtualmachineid=vm["id"], deviceid=deviceid, state="Ready",
                  hypervisor=vm.get("hypervisor"), attached=now_stamp())


@command("attachVolume")
def attach_volume(call: Call) -> JobTicket:
    volume = _get(call)
    vm = call.cloud.get("virtualmachine", call.require("virtualmachineid"),
                        command=call.command, param="virtualmachineid")
    deviceid = call.int("deviceid")

    def work() -> Record:  # the checks of an async command run in its job
        _check_attach(call, volume, vm)
        _attach(call, volume, vm, deviceid)
        return _view(call, volume)

    return call.job(work, instance_type="volume", instance_id=volume["id"], result_key="volume")


@command("detachVolume")
def detach_volume(call: Call) -> JobTicket:
    if call.has("id"):
        volume = _get(call)
    else:
        vmid = call.str("virtualmachineid")
        deviceid = call.int("deviceid")
        if vmid is None or deviceid is None:
            raise invalid_value("Please provide either a volume id, or a tuple(device id, "
                                "instance id)")
        found = call.cloud.where("volume", virtualmachineid=vmid, deviceid=deviceid)
        if not found:
            raise invalid_value(f"Unable to find volume with ID: {deviceid}")
        volume = found[0]

    def work() -> Record:  # the checks of an async command run in its job
        if volume["type"] == "ROOT":
            raise invalid_value("Please specify a data volume.")
        if not volume.get("virtualmachineid"):
            raise invalid_value("Please specify a volume that is attached to a VM.")
        volume.update(virtualmachineid=None, deviceid=None, attached=None)
        return _view(call, volume)

    return call.job(work, instance_type="volume", instance_id=volume["id"], result_key="volume")


@command("deleteVolume")
def delete_volume(call: Call) -> Record:
    volume = _get(call)
    if volume.get("virtualmachineid"):
        raise invalid_value("Please specify a volume that is not attached to any VM.")
    if volume["type"] == "ROOT":
        raise invalid_value("Please specify a volume with the valid type: DATADISK")
    call.cloud.remove("volume", volume["id"])
    return {"success": True}


@command("resizeVolume")
def resize_volume(call: Call) -> JobTicket:
    volume = _get(call)
    offering = None
    if call.has("diskofferingid"):
        offering = call.cloud.get("diskoffering", call.str("diskofferingid"),
                                  command=call.command, param="diskofferingid")
    gib = call.int("size")
    if offering is not None and not offering["iscustomized"]:
        new_size = int(offering["disksize"]) * GIB
    elif gib is not None:
        new_size = gib * GIB
    else:
        raise invalid_value("Please specify a new size (size) or a new disk offering")
    if new_size < volume["size"] and not call.bool("shrinkok", False):
        raise invalid_value("Going from existing size of " + str(volume["size"]) + " to size of "
                            + str(new_size) + " would shrink the volume. Need to sign off by "
                            "supplying the shrinkok parameter with value of true.")

    def work() -> Record:
        volume["size"] = new_size
        if offering is not None:
            volume.update(diskofferingid=offering["id"], diskofferingname=offering["name"])
        return _view(call, volume)

    return call.job(work, instance_type="volume", instance_id=volume["id"], result_key="volume")


@command("listSnapshots", list_key="snapshot")
def list_snapshots(call: Call) -> list[Record]:
    return narrow(call, filter_common(call, call.cloud.all("snapshot")), "volumeid")


def _os_of(call: Call, volume: Record) -> Record:
    """``ostypeid`` and ``osdisplayname`` of a snapshot: the guest OS of the volume's VM (none
    for a volume attached to no VM)."""
    vm = call.cloud.find_record("virtualmachine", volume.get("virtualmachineid") or "")
    if vm is None:
        return {}
    return {"ostypeid": vm.get("ostypeid"), "osdisplayname": vm.get("osdisplayname")}


@command("createSnapshot")
def create_snapshot(call: Call) -> JobTicket:
    volume = _get(call, "volumeid")
    if volume["state"] != "Ready":
        raise invalid_value(f"VolumeId: {volume['id']} is not in Ready state but "
                            f"{volume['state']}. Cannot take snapshot.")
    stamp = now_stamp()
    vm = volume.get("virtualmachineid") or "detached"
    snapshot = call.cloud.add("snapshot", {
        "name": call.str("name") or f"{vm}_{volume['name']}_{stamp.replace(':', '')}",
        "volumeid": volume["id"], "volumename": volume["name"], "volumetype": volume["type"],
        "zoneid": volume["zoneid"], "virtualsize": volume["size"],
        "physicalsize": volume["size"], "state": "Creating", "created": stamp,
        "snapshottype": "MANUAL", "intervaltype": "MANUAL", "revertable": False,
        "account": volume.get("account"), "projectid": volume.get("projectid"),
        "project": volume.get("project"), "domainid": volume.get("domainid"),
        "domain": volume.get("domain"), "tags": [], "locationtype": "PRIMARY",
        "hasannotations": False, **_os_of(call, volume)})
    return create_job(call, "snapshot", snapshot, state="BackedUp")


@command("deleteSnapshot")
def delete_snapshot(call: Call) -> JobTicket:
    snapshot = call.cloud.get("snapshot", call.str("id"), command=call.command)
    snapshot["state"] = "Destroying"
    return delete_job(call, "snapshot", snapshot)
