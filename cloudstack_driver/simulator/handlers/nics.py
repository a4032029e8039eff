"""The NICs of a VM (its ``nic`` list): listing, adding, removing, choosing the default.

Each command but the list is a VM job whose result is the VM as it then is.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import JobTicket, Record
from ._common import lookup
from ._netutil import allocate_nic, release_nic
from ._vmutil import vm_job, vm_view


def _vm(call: Call) -> Record:
    return lookup(call, "virtualmachine", "virtualmachineid")


def _vm_job(call: Call, vm: Record, change: Callable[[], None]) -> JobTicket:
    """A job that applies ``change`` to ``vm`` and answers the VM."""

    def work() -> Record:
        change()
        return vm_view(vm)

    return vm_job(call, vm, work)


def _nic_of(call: Call, vm: Record) -> Record:
    nicid = call.require("nicid")
    for nic in vm.get("nic") or []:
        if nic["id"] == nicid:
            return dict(nic)
    raise invalid_value(f"Unable to find nic {nicid} of the virtual machine {vm['id']}")


@command("listNics", list_key="nic")
def list_nics(call: Call) -> list[Record]:
    vm = _vm(call)
    rows = [{**nic, "virtualmachineid": vm["id"]} for nic in vm.get("nic") or []]
    if call.has("nicid"):
        rows = [r for r in rows if r["id"] == call.str("nicid")]
    if call.has("networkid"):
        rows = [r for r in rows if r["networkid"] == call.str("networkid")]
    return rows


@command("addNicToVirtualMachine")
def add_nic(call: Call) -> JobTicket:
    cloud = call.cloud
    vm = _vm(call)
    network = lookup(call, "network", "networkid")
    wanted = call.str("ipaddress")

    def change() -> None:
        zone = cloud.find_record("zone", vm.get("zoneid", "")) or {}
        if zone.get("networktype") == "Basic":
            raise ApiError(530, f"Zone {zone.get('name')}, has a NetworkType of Basic. Can't add "
                           "a new NIC to a VM on a Basic Network", CS.CLOUD_RUNTIME)
        if network.get("zoneid") != vm.get("zoneid"):
            raise invalid_value(f"Network {network['name']} is not in the zone of the VM")
        if any(n.get("networkid") == network["id"] for n in vm.get("nic") or []):
            raise ApiError(530, f"VM {vm.get('name')} already has a nic in network "
                           f"{network['name']}", CS.CLOUD_RUNTIME)
        nic = allocate_nic(cloud, call, network, vm, ipaddress=wanted)
        if call.has("macaddress"):
            nic["macaddress"] = call.str("macaddress")
        vm.setdefault("nic", []).append(nic)

    return _vm_job(call, vm, change)


@command("removeNicFromVirtualMachine")
def remove_nic(call: Call) -> JobTicket:
    cloud = call.cloud
    vm = _vm(call)
    nic = _nic_of(call, vm)

    def change() -> None:
        if nic.get("isdefault"):
            raise invalid_value(f"Unable to remove nic {nic['id']} from VM {vm.get('name')}: it "
                                "is the default nic")
        vm["nic"] = [n for n in vm.get("nic") or [] if n["id"] != nic["id"]]
        release_nic(cloud, nic)
        cloud.remove_all("portforwardingrule", [
            r for r in cloud.where("portforwardingrule", virtualmachineid=vm["id"])
            if r.get("vmguestip") == nic.get("ipaddress")])

    return _vm_job(call, vm, change)


@command("updateDefaultNicForVirtualMachine")
def update_default_nic(call: Call) -> JobTicket:
    vm = _vm(call)
    nic = _nic_of(call, vm)

    def change() -> None:
        for each in vm.get("nic") or []:
            each["isdefault"] = each["id"] == nic["id"]

    return _vm_job(call, vm, change)
