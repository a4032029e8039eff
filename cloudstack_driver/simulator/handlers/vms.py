"""Virtual machines: deploy, lifecycle, listing, user data, scaling, restore."""

from __future__ import annotations

import secrets
from typing import Any

from .. import render
from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import JobTicket, Record, now_stamp
from ._common import check_uuid_list, filter_common, owner_fields
from ._vmutil import (
    GONE,
    check_hostname,
    check_userdata,
    find_template,
    make_root_volume,
    pick_network,
    resolve_security_groups,
    sg_summary,
    vm_get,
)

__all__ = ["vm_view"]

KIND = "virtualmachine"


def vm_view(vm: Record) -> Record:
    """A snapshot of the VM as the server renders it."""
    return dict(render.clean(vm))


def _job(call: Call, vm: Record, work: Any, key: str | None = "virtualmachine",
         on_fail: Any = None) -> JobTicket:
    return call.job(work, instance_type=KIND, instance_id=vm["id"], result_key=key,
                    on_fail=on_fail)


def _keypairs(call: Call) -> list[str]:
    single = call.str("keypair")
    names = call.list("keypairs") or ([single] if single is not None else [])
    project = call.str("projectid")
    for name in names:
        found = [k for k in call.cloud.all("sshkeypair") if k["name"] == name
                 and k.get("projectid") == project]
        if not found:
            raise invalid_value(f"A key pair with name '{name}' was not found.")
    return names


def _affinity(call: Call) -> list[Record]:
    groups = check_uuid_list(call, "affinitygroupids", "affinitygroup")
    for name in call.list("affinitygroupnames"):
        found = [g for g in call.cloud.all("affinitygroup") if g["name"] == name]
        if not found:
            raise invalid_value(f"Unable to find affinity group by name {name}")
        groups.append(found[0])
    return groups


def _check_unique_name(call: Call, name: str, zone_id: str) -> None:
    for other in call.cloud.all(KIND):
        if other["name"] == name and other["zoneid"] == zone_id and other["state"] not in GONE:
            raise invalid_value(f"The vm with hostName {name} already exists in the network "
                                "domain: cs.simulator; network=default")


@command("deployVirtualMachine")
def deploy_virtual_machine(call: Call) -> JobTicket:
    cloud = call.cloud
    zone = cloud.get("zone", call.require("zoneid"), command=call.command, param="zoneid")
    offering = cloud.get("serviceoffering", call.require("serviceofferingid"),
                         command=call.command, param="serviceofferingid")
    template = find_template(call, call.require("templateid"), zone["id"])
    disk_offering = None
    if call.has("diskofferingid"):
        disk_offering = cloud.get("diskoffering", call.str("diskofferingid"),
                                  command=call.command, param="diskofferingid")
    owner = owner_fields(call)
    userdata = check_userdata(call.str("userdata"))
    keypairs = _keypairs(call)
    groups = resolve_security_groups(call, zone)
    networks = pick_network(call, zone)
    affinity = _affinity(call)
    start = call.bool("startvm", True)
    vid = cloud.new_id()
    name = call.str("name")
    if name is not None:
        check_hostname(name)
        _check_unique_name(call, name, zone["id"])
    else:
        name = f"VM-{vid}"
    number = len(cloud.table(KIND)) + 10
    vm: Record = {
        "id": vid, "name": name, "displayname": call.str("displayname", name),
        "instancename": f"i-2-{number}-VM", **owner, "created": now_stamp(),
        "state": "Starting" if start else "Stopped", "haenable": False,
        "zoneid": zone["id"], "zonename": zone["name"], "templateid": template["id"],
        "templatename": template["name"], "templatedisplaytext": template["displaytext"],
        "passwordenabled": template["passwordenabled"], "serviceofferingid": offering["id"],
        "serviceofferingname": offering["name"], "cpunumber": offering["cpunumber"],
        "cpuspeed": offering["cpuspeed"], "memory": offering["memory"],
        "guestosid": template["ostypeid"], "ostypeid": template["ostypeid"],
        "osdisplayname": template["ostypename"], "rootdeviceid": 0, "rootdevicetype": "ROOT",
        "hypervisor": "Simulator", "group": call.str("group"),
        "keypairs": ",".join(keypairs) or None,
        "securitygroup": [sg_summary(g) for g in groups], "nic": [], "tags": [],
        "affinitygroup": [{"id": g["id"], "name": g["name"], "type": g.get("type")}
                          for g in affinity],
        "isdynamicallyscalable": bool(call.bool("dynamicscalingenabled", False)),
        "displayvm": call.bool("displayvm", True), "details": {},
        "_userdata": userdata, "_password": None}
    cloud.add(KIND, vm)
    try:
        _attach_networks(call, vm, networks, zone)
    except ApiError:
        cloud.remove(KIND, vid)
        raise
    make_root_volume(call, vm, template, (call.int("rootdisksize") or 0) * 1024 ** 3 or None)
    if disk_offering is not None:
        _data_disk(call, vm, disk_offering)
    for group in affinity:
        group.setdefault("virtualmachineIds", []).append(vid)
    if template["passwordenabled"]:
        vm["_password"] = secrets.token_urlsafe(9)

    def work() -> Record:
        vm["state"] = "Running" if start else "Stopped"
        view = vm_view(vm)
        if vm["_password"]:
            view["password"] = vm["_password"]
        return view

    return _job(call, vm, work)


def _attach_networks(call: Call, vm: Record, networks: list[Record], zone: Record) -> None:
    from .networks import allocate_nic
    ssh = call.cloud.ssh_endpoint
    for index, network in enumerate(networks):
        address = call.str("ipaddress") if index == 0 else None
        if index == 0 and address is None and ssh is not None and zone["networktype"] == "Basic":
            nic = _ssh_nic(call, network, vm, ssh[0])
        else:
            nic = allocate_nic(call.cloud, call, network, vm, ipaddress=address,
                               default=index == 0)
        vm["nic"].append(nic)


def _ssh_nic(call: Call, network: Record, vm: Record, address: str) -> Record:
    """A NIC whose address is the simulator's ``ssh_address`` (shared by every such VM)."""
    from .networks import allocate_nic
    try:
        return allocate_nic(call.cloud, call, network, vm, ipaddress=address, default=True,
                            allow_duplicate=True)
    except ApiError:  # the address lies outside the network's range: take one, then override
        nic = allocate_nic(call.cloud, call, network, vm, default=True)
        nic["ipaddress"] = address
        return nic


def _data_disk(call: Call, vm: Record, offering: Record) -> None:
    size = offering.get("disksize") or call.int("size") or 0
    call.cloud.add("volume", {
        "name": f"DATA-{len(call.cloud.table('volume')) + 10}", "type": "DATADISK",
        "deviceid": 1, "virtualmachineid": vm["id"], "zoneid": vm["zoneid"],
        "zonename": vm["zonename"], "state": "Ready", "size": int(size) * 1024 ** 3,
        "diskofferingid": offering["id"], "diskofferingname": offering["name"],
        "diskofferingdisplaytext": offering.get("displaytext"), "storagetype": "shared",
        "account": vm.get("account"), "projectid": vm.get("projectid"),
        "project": vm.get("project"), "domainid": vm.get("domainid"),
        "domain": vm.get("domain"), "created": now_stamp(), "tags": [],
        "hypervisor": "Simulator", "provisioningtype": "thin", "destroyed": False})


def _state_error(vm: Record, action: str) -> ApiError:
    return ApiError(431, f"Unable to {action} VM {vm['id']} ({vm['displayname']}): the VM is "
                    f"in state {vm['state']}", CS.INVALID_PARAMETER)


def _transition(call: Call, allowed: tuple[str, ...], action: str, during: str | None,
                final: str) -> JobTicket:
    vm = vm_get(call)
    before = vm["state"]
    if before in allowed and during is not None:
        vm["state"] = during

    def work() -> Record:
        if before not in allowed:
            raise _state_error(vm, action)
        vm["state"] = final
        return vm_view(vm)

    return _job(call, vm, work)


@command("startVirtualMachine")
def start_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    if vm["state"] == "Running":
        raise ApiError(431, f"The virtual machine {vm['id']} ({vm['displayname']}) is already "
                       "Running", CS.INVALID_PARAMETER)
    return _transition(call, ("Stopped",), "start", "Starting", "Running")


@command("stopVirtualMachine")
def stop_virtual_machine(call: Call) -> JobTicket:
    return _transition(call, ("Running", "Stopped"), "stop", "Stopping", "Stopped")


@command("rebootVirtualMachine")
def reboot_virtual_machine(call: Call) -> JobTicket:
    return _transition(call, ("Running",), "reboot", None, "Running")


def _expunge(call: Call, vm: Record) -> None:
    cloud = call.cloud
    for volume in cloud.where("volume", virtualmachineid=vm["id"]):
        if volume["type"] == "ROOT":
            cloud.remove("volume", volume["id"])
        else:
            volume.update(virtualmachineid=None, deviceid=None, state="Ready")
    from .networks import release_nics
    release_nics(cloud, vm)
    for group in cloud.all("affinitygroup"):
        ids = group.get("virtualmachineIds") or []
        if vm["id"] in ids:
            ids.remove(vm["id"])
    cloud.remove(KIND, vm["id"])


@command("destroyVirtualMachine")
def destroy_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    if vm["state"] in GONE:
        raise invalid_value(f"Unable to find vm or vm is removed: {vm['id']}")
    expunge = call.bool("expunge", False)
    volumes = check_uuid_list(call, "volumeids", "volume")
    for volume in volumes:
        if volume.get("virtualmachineid") != vm["id"] or volume["type"] != "DATADISK":
            raise invalid_value(f"Please specify volumes that belong to the VM {vm['id']}")
    vm["state"] = "Stopping" if vm["state"] == "Running" else vm["state"]

    def work() -> Record:
        for volume in volumes:
            call.cloud.remove("volume", volume["id"])
        vm["state"] = "Expunging" if expunge else "Destroyed"
        view = vm_view(vm)
        if expunge:
            _expunge(call, vm)
        return view

    return _job(call, vm, work)


@command("expungeVirtualMachine")
def expunge_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    if vm["state"] != "Destroyed":
        raise invalid_value(f"Please specify a VM in Destroyed state: VM {vm['id']} is "
                            f"{vm['state']}")
    vm["state"] = "Expunging"

    def work() -> Record:
        _expunge(call, vm)
        return {"success": True}

    return _job(call, vm, work, key=None)


@command("recoverVirtualMachine")
def recover_virtual_machine(call: Call) -> Record:
    vm = vm_get(call)
    if vm["state"] != "Destroyed":
        raise invalid_value(f"Unable to recover VM {vm['id']}: it is not in Destroyed state")
    vm["state"] = "Stopped"
    return {"virtualmachine": vm_view(vm)}


@command("listVirtualMachines", list_key="virtualmachine")
def list_virtual_machines(call: Call) -> list[Record]:
    records = filter_common(call, call.cloud.all(KIND))
    for field in ("state", "templateid", "serviceofferingid", "keypair", "groupid",
                  "affinitygroupid", "networkid", "securitygroupid"):
        value = call.str(field)
        if value is None:
            continue
        if field == "state":
            records = [r for r in records if r["state"].lower() == value.lower()]
        elif field == "keypair":
            records = [r for r in records if value in (r.get("keypairs") or "").split(",")]
        elif field == "networkid":
            records = [r for r in records if any(n.get("networkid") == value for n in r["nic"])]
        elif field == "securitygroupid":
            records = [r for r in records
                       if any(g["id"] == value for g in r.get("securitygroup", []))]
        elif field == "affinitygroupid":
            records = [r for r in records
                       if any(g["id"] == value for g in r.get("affinitygroup", []))]
        else:
            records = [r for r in records if r.get(field) == value]
    return records


@command("updateVirtualMachine")
def update_virtual_machine(call: Call) -> Record:
    vm = vm_get(call)
    if call.has("name"):
        name = call.require("name")
        check_hostname(name)
        if vm["state"] != "Stopped":
            raise invalid_value("The VM must be stopped to change its name")
        vm["name"] = name
    if call.has("displayname"):
        vm["displayname"] = call.str("displayname")
    if call.has("group"):
        vm["group"] = call.str("group")
    if call.has("haenable"):
        vm["haenable"] = call.bool("haenable")
    if call.has("isdynamicallyscalable"):
        vm["isdynamicallyscalable"] = call.bool("isdynamicallyscalable")
    if call.has("ostypeid"):
        ostype = call.cloud.get("ostype", call.str("ostypeid"), command=call.command,
                                param="ostypeid")
        vm.update(ostypeid=ostype["id"], guestosid=ostype["id"],
                  osdisplayname=ostype["description"])
    if "userdata" in call.params:
        vm["_userdata"] = check_userdata(call.str("userdata"))
    details = call.map("details")
    if details:
        vm["details"] = {k: v for row in details for k, v in row.items()}
    return {"virtualmachine": vm_view(vm)}


@command("getVirtualMachineUserData")
def get_virtual_machine_user_data(call: Call) -> Record:
    vm = vm_get(call, "virtualmachineid")
    return {"virtualmachineuserdata": {"virtualmachineid": vm["id"],
                                       "userdata": vm.get("_userdata")}}


@command("scaleVirtualMachine")
def scale_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    offering = call.cloud.get("serviceoffering", call.require("serviceofferingid"),
                              command=call.command, param="serviceofferingid")
    if offering["id"] == vm["serviceofferingid"]:
        raise invalid_value("Not upgrading vm " + vm["id"] + " since it already has the "
                            "requested service offering (" + offering["name"] + ")")

    def work() -> Record:
        if vm["state"] == "Running" and not vm.get("isdynamicallyscalable"):
            raise invalid_value(f"Unable to scale VM {vm['id']}: it is running and not "
                                "dynamically scalable; stop it first")
        if vm["state"] not in ("Running", "Stopped"):
            raise _state_error(vm, "scale")
        vm.update(serviceofferingid=offering["id"], serviceofferingname=offering["name"],
                  cpunumber=offering["cpunumber"], cpuspeed=offering["cpuspeed"],
                  memory=offering["memory"])
        return {"success": True}

    return _job(call, vm, work, key=None)


@command("restoreVirtualMachine", response_name="restorevmresponse")
def restore_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call, "virtualmachineid")
    if vm["state"] in GONE:
        raise _state_error(vm, "restore")
    template = find_template(call, call.str("templateid", vm["templateid"]), vm["zoneid"])

    def work() -> Record:
        for volume in call.cloud.where("volume", virtualmachineid=vm["id"], type="ROOT"):
            call.cloud.remove("volume", volume["id"])
        make_root_volume(call, vm, template, None)
        vm.update(templateid=template["id"], templatename=template["name"],
                  templatedisplaytext=template["displaytext"],
                  passwordenabled=template["passwordenabled"])
        return vm_view(vm)

    return _job(call, vm, work)

