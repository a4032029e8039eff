"""Virtual machines: lifecycle, listing, updates, user data, scaling, restore (deploy is in
``deploy``)."""

from __future__ import annotations

from ..errors import CS, ApiError, invalid_value
from ..facts import usage
from ..registry import Call, command
from ..state import JobTicket, Record
from ..vmfields import set_state
from ._common import check_uuid_list, filter_common
from ._netutil import release_nics
from ._vmutil import (
    GONE,
    KIND,
    check_hostname,
    check_userdata,
    find_template,
    join_group,
    make_root_volume,
    vm_get,
    vm_job,
    vm_view,
)


def _state_error(vm: Record, action: str) -> ApiError:
    return ApiError(431, f"Unable to {action} VM {vm['id']} ({vm['displayname']}): the VM is "
                    f"in state {vm['state']}", CS.INVALID_PARAMETER)


def _transition(call: Call, allowed: tuple[str, ...], action: str, during: str | None,
                final: str) -> JobTicket:
    vm = vm_get(call)
    before = vm["state"]
    if before in allowed and during is not None:
        set_state(vm, during)

    def work() -> Record:
        if before not in allowed:
            raise _state_error(vm, action)
        set_state(vm, final)
        return vm_view(vm)

    return vm_job(call, vm, work, failed_state=before)  # a failed job leaves the VM as it was


@command("startVirtualMachine")
def start_virtual_machine(call: Call) -> JobTicket:
    """Like every check of a command that is async and not a create command, the state check
    runs in the job (the command's ``execute``): a running VM fails the job, not the call."""
    vm = vm_get(call)
    if vm["state"] != "Running":
        return _transition(call, ("Stopped",), "start", "Starting", "Running")

    def work() -> Record:
        raise ApiError(431, f"The virtual machine {vm['id']} ({vm['displayname']}) is already "
                       "Running", CS.INVALID_PARAMETER)

    return vm_job(call, vm, work)


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
            volume.update(virtualmachineid=None, deviceid=None, state="Ready", attached=None)
    release_nics(cloud, vm)
    for group in cloud.all("affinitygroup"):
        ids = group.get("virtualmachineIds") or []
        if vm["id"] in ids:
            ids.remove(vm["id"])
    cloud.remove(KIND, vm["id"])


@command("destroyVirtualMachine")
def destroy_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    expunge = call.bool("expunge", False)
    if (vm["state"] == "Destroyed" and not expunge) or vm["state"] == "Expunging":
        # destroyVm: "is already destroyed", the VM is the answer
        return vm_job(call, vm, lambda: vm_view(vm))
    volumes = check_uuid_list(call, "volumeids", "volume")
    for volume in volumes:
        if volume.get("virtualmachineid") != vm["id"] or volume["type"] != "DATADISK":
            raise invalid_value(f"Please specify volumes that belong to the VM {vm['id']}")
    before = vm["state"]
    set_state(vm, "Stopping" if before == "Running" else before)

    def work() -> Record:
        for volume in volumes:
            call.cloud.remove("volume", volume["id"])
        set_state(vm, "Expunging" if expunge else "Destroyed")
        view = vm_view(vm)
        if expunge:
            _expunge(call, vm)
        return view

    return vm_job(call, vm, work, failed_state=before)


@command("expungeVirtualMachine")
def expunge_virtual_machine(call: Call) -> JobTicket:
    vm = vm_get(call)
    if vm["state"] != "Destroyed":
        raise invalid_value(f"Please specify a VM in Destroyed state: VM {vm['id']} is "
                            f"{vm['state']}")
    set_state(vm, "Expunging")

    def work() -> Record:
        _expunge(call, vm)
        return {"success": True}

    return vm_job(call, vm, work, key=None, failed_state="Destroyed")


@command("recoverVirtualMachine")
def recover_virtual_machine(call: Call) -> Record:
    vm = vm_get(call)
    if vm["state"] != "Destroyed":
        raise invalid_value(f"Unable to recover VM {vm['id']}: it is not in Destroyed state")
    set_state(vm, "Stopped")
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
        join_group(call.cloud, vm, call.str("group"))
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
                  memory=offering["memory"], diskofferingid=offering.get("diskofferingid"),
                  diskofferingname=offering.get("diskofferingname"),
                  **usage(vm["_number"], offering["memory"]))
        return {"success": True}

    return vm_job(call, vm, work, key=None)


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

    return vm_job(call, vm, work)

