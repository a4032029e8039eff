"""``deployVirtualMachine``: checks, the VM record, its NICs, ROOT and data volumes."""

from __future__ import annotations

import secrets

from ..errors import ApiError, invalid_value
from ..facts import zone_infra
from ..registry import Call, command
from ..state import JobTicket, Record, now_stamp
from ..vmfields import new_vm, on_storage, owned_like, set_state
from ._common import check_uuid_list, lookup, owner_fields
from ._netutil import allocate_nic
from ._vmutil import (
    GONE,
    KIND,
    affinity_summary,
    check_hostname,
    check_userdata,
    find_template,
    join_group,
    make_root_volume,
    pick_network,
    resolve_security_groups,
    sg_summary,
    vm_job,
    vm_view,
)


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
    zone = lookup(call, "zone", "zoneid")
    offering = lookup(call, "serviceoffering", "serviceofferingid")
    template = find_template(call, call.require("templateid"), zone["id"])
    disk_offering = None
    if call.has("diskofferingid"):
        disk_offering = lookup(call, "diskoffering", "diskofferingid")
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
    number = cloud.number(KIND)
    vm = new_vm(vid=vid, name=name, displayname=call.str("displayname", name) or name,
                number=number, owner=owner, account=cloud.account, zone=zone,
                template=template, offering=offering,
                state="Starting" if start else "Stopped", created=now_stamp())
    vm.update({
        "keypairs": ",".join(keypairs) or None,
        "securitygroup": [sg_summary(g) for g in groups],
        "affinitygroup": [affinity_summary(g) for g in affinity],
        "isdynamicallyscalable": bool(call.bool("dynamicscalingenabled", False)),
        "displayvm": call.bool("displayvm", True),
        "_userdata": userdata, "_password": None})
    join_group(cloud, vm, call.str("group"))
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
        set_state(vm, "Running" if start else "Stopped")
        view = vm_view(vm)
        if vm["_password"]:
            view["password"] = vm["_password"]
        return view

    # A deployment that fails leaves the VM in Error (the server's OperationFailedToError).
    return vm_job(call, vm, work, failed_state="Error")


def _attach_networks(call: Call, vm: Record, networks: list[Record], zone: Record) -> None:
    ssh = call.cloud.ssh_address
    for index, network in enumerate(networks):
        address = call.str("ipaddress") if index == 0 else None
        if index == 0 and address is None and ssh is not None and zone["networktype"] == "Basic":
            nic = _ssh_nic(call, network, vm, ssh)
        else:
            nic = allocate_nic(call.cloud, call, network, vm, ipaddress=address,
                               default=index == 0)
        vm["nic"].append(nic)


def _ssh_nic(call: Call, network: Record, vm: Record, address: str) -> Record:
    """A NIC whose address is the simulator's ``ssh_address`` (shared by every such VM)."""
    try:
        return allocate_nic(call.cloud, call, network, vm, ipaddress=address, default=True,
                            allow_duplicate=True)
    except ApiError:  # the address lies outside the network's range: take one, then override
        nic = allocate_nic(call.cloud, call, network, vm, default=True)
        nic["ipaddress"] = address
        return nic


def _data_disk(call: Call, vm: Record, offering: Record) -> None:
    size = offering.get("disksize") or call.int("size") or 0
    zone = call.cloud.get("zone", vm["zoneid"], command=call.command, param="zoneid")
    call.cloud.add("volume", {
        "name": f"DATA-{vm['_number']}", "type": "DATADISK",
        "deviceid": 1, "virtualmachineid": vm["id"], "zoneid": vm["zoneid"],
        "zonename": vm["zonename"], "state": "Ready", "size": int(size) * 1024 ** 3,
        "diskofferingid": offering["id"], "diskofferingname": offering["name"],
        "diskofferingdisplaytext": offering.get("displaytext"), "storagetype": "shared",
        **owned_like(vm), "created": vm["created"], "attached": vm["created"], "tags": [],
        "hypervisor": "Simulator", "provisioningtype": "thin", "destroyed": False,
        "isextractable": True, "displayvolume": True, "hasannotations": False,
        "quiescevm": False, "supportsstoragesnapshot": False, **on_storage(zone_infra(zone))})
