"""Public IP addresses (table ``publicipaddress``), static NAT, and VM NICs.

Public addresses exist only in Advanced zones without security groups; each Isolated network
and each VPC holds a source NAT address from the moment it exists.
"""

from __future__ import annotations

from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from .networks import (
    acquire_public_ip,
    allocate_nic,
    drop_ip,
    filtered,
    forget,
    owner_fields,
    release_nic,
    snapshot,
)

__all__ = ["nic_on", "public_ip"]

Record = dict[str, Any]


def public_ip(call: Call, param: str = "ipaddressid") -> Record:
    return call.cloud.get("publicipaddress", call.require(param), command=call.command,
                          param=param)


def nic_on(vm: Record, networkid: str | None) -> Record | None:
    """The VM's NIC on a network (its default NIC when ``networkid`` is None)."""
    for nic in vm.get("nic") or []:
        if (nic.get("networkid") == networkid) if networkid else nic.get("isdefault"):
            return dict(nic)
    return None


@command("listPublicIpAddresses", list_key="publicipaddress")
def list_public_ips(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("publicipaddress"),
                    text=("id", "zoneid", "vpcid", "associatednetworkid", "ipaddress", "state",
                          "networkid", "vlanid", "physicalnetworkid"),
                    flags=("issourcenat", "isstaticnat", "forvirtualnetwork", "fordisplay"),
                    renames={"networkid": "associatednetworkid"})


def _require_advanced(zone: Record) -> None:
    if zone.get("networktype") != "Advanced" or zone.get("securitygroupsenabled"):
        raise invalid_value(f"Can't associate an ip address in zone {zone.get('name')}: public "
                            "IP addresses are only available in Advanced zones without security "
                            "groups")


def _default_network(call: Call, zone: Record, owner: Record) -> Record:
    mine = [n for n in call.cloud.where("network", zoneid=zone["id"], type="Isolated")
            if not n.get("vpcid") and n.get("projectid") == owner.get("projectid")]
    if not mine:
        raise invalid_value(f"Unable to find a default Isolated network in zone {zone['name']} "
                            "to associate the ip address with; specify networkid")
    if len(mine) > 1:
        raise invalid_value(f"More than 1 default Isolated networks are found in zone "
                            f"{zone['name']}; please specify networkid")
    return mine[0]


@command("associateIpAddress")
def associate_ip(call: Call) -> Any:
    cloud = call.cloud
    owner = owner_fields(cloud, call)
    network = vpc = None
    if call.has("networkid"):
        network = cloud.get("network", call.str("networkid"), command=call.command,
                            param="networkid")
    if call.has("vpcid"):
        vpc = cloud.get("vpc", call.str("vpcid"), command=call.command, param="vpcid")
    zone_id = (network or vpc or {}).get("zoneid") or call.str("zoneid")
    if zone_id is None:
        raise invalid_value("One of the parameters zoneid, networkid or vpcid is required")
    zone = cloud.get("zone", zone_id, command=call.command, param="zoneid")
    _require_advanced(zone)
    if network is not None and network.get("type") != "Isolated":
        raise invalid_value(f"Network {network['name']} is not an Isolated guest network; can't "
                            "associate an ip address with it")
    if network is None and vpc is None:
        network = _default_network(call, zone, owner)
    if network is not None and network.get("vpcid") and vpc is None:
        vpc = cloud.find_record("vpc", network["vpcid"])
    if vpc is not None and network is not None and network.get("vpcid") != vpc["id"]:
        raise invalid_value(f"Network {network['name']} does not belong to vpc {vpc['name']}")
    ip = acquire_public_ip(cloud, zone, owner, network=network, vpc=vpc,
                           wanted=call.str("ipaddress"), state="Allocating")
    if call.has("fordisplay"):
        ip["fordisplay"] = call.bool("fordisplay")

    def work() -> Record:
        ip["state"] = "Allocated"
        return snapshot(ip)

    return call.job(work, instance_type="publicipaddress", instance_id=ip["id"],
                    result_key="ipaddress",
                    on_fail=forget(cloud, "publicipaddress", ip["id"]))


@command("disassociateIpAddress")
def disassociate_ip(call: Call) -> Any:
    cloud = call.cloud
    ip = public_ip(call, "id")

    def work() -> Record:
        if ip.get("issourcenat"):
            raise invalid_value("ip address is used for source nat purposes and can not be "
                                "disassociated.")
        drop_ip(cloud, ip)
        return {"success": True}

    return call.job(work, instance_type="publicipaddress", instance_id=ip["id"])


@command("enableStaticNat")
def enable_static_nat(call: Call) -> Record:
    cloud = call.cloud
    ip = public_ip(call)
    vm = cloud.get("virtualmachine", call.require("virtualmachineid"), command=call.command,
                   param="virtualmachineid")
    if ip.get("issourcenat"):
        raise invalid_value(f"Can't enable static nat, ip address {ip['ipaddress']} is a "
                            "sourceNat ip address")
    if ip.get("isstaticnat") and ip.get("virtualmachineid") != vm["id"]:
        raise invalid_value(f"Failed to enable static nat for the ip address id={ip['id']} as "
                            "it's already assigned to another vm")
    if cloud.where("portforwardingrule", ipaddressid=ip["id"]):
        raise ApiError(537, f"Failed to enable static nat for the ip address id={ip['id']} as "
                       "it already has PortForwarding rules assigned", CS.NETWORK_RULE_CONFLICT)
    networkid = call.str("networkid") or ip.get("associatednetworkid")
    if networkid is None:
        raise invalid_value(f"Ip address {ip['ipaddress']} is not associated with any network; "
                            "specify networkid")
    nic = nic_on(vm, networkid)
    if nic is None:
        raise invalid_value(f"VM {vm.get('name')} doesn't have a nic in network {networkid}")
    if ip.get("associatednetworkid") not in (None, networkid):
        raise invalid_value(f"Ip address {ip['ipaddress']} is associated with another network")
    for other in cloud.where("publicipaddress", virtualmachineid=vm["id"]):
        if other["id"] != ip["id"]:
            raise invalid_value(f"Failed to enable static nat for the ip address id={ip['id']} "
                                f"as vm id={vm['id']} is already associated with ip id="
                                f"{other['id']}")
    network = cloud.get("network", networkid, command=call.command, param="networkid")
    ip.update({"isstaticnat": True, "virtualmachineid": vm["id"],
               "virtualmachinename": vm.get("name"),
               "virtualmachinedisplayname": vm.get("displayname", vm.get("name")),
               "vmipaddress": call.str("vmguestip", nic.get("ipaddress")),
               "associatednetworkid": network["id"], "associatednetworkname": network["name"]})
    vm["publicip"] = ip["ipaddress"]
    vm["publicipid"] = ip["id"]
    return {"success": True}


@command("disableStaticNat")
def disable_static_nat(call: Call) -> Any:
    cloud = call.cloud
    ip = public_ip(call)

    def work() -> Record:
        if not ip.get("isstaticnat"):
            raise invalid_value(f"Specified IP address id={ip['id']} is not associated with any "
                                "vm Id")
        cloud.remove_all("ipforwardingrule", cloud.where("ipforwardingrule", ipaddressid=ip["id"]))
        vm = cloud.find_record("virtualmachine", ip.get("virtualmachineid") or "")
        if vm is not None and vm.get("publicipid") == ip["id"]:
            vm.pop("publicip", None)
            vm.pop("publicipid", None)
        ip["isstaticnat"] = False
        for key in ("virtualmachineid", "virtualmachinename", "virtualmachinedisplayname",
                    "vmipaddress"):
            ip.pop(key, None)
        return {"success": True}

    return call.job(work, instance_type="publicipaddress", instance_id=ip["id"])


# -- NICs ---------------------------------------------------------------------------------


def _vm(call: Call) -> Record:
    return call.cloud.get("virtualmachine", call.require("virtualmachineid"),
                          command=call.command, param="virtualmachineid")


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
def add_nic(call: Call) -> Any:
    cloud = call.cloud
    vm = _vm(call)
    network = cloud.get("network", call.require("networkid"), command=call.command,
                        param="networkid")
    wanted = call.str("ipaddress")

    def work() -> Record:
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
        return snapshot(vm)

    return call.job(work, instance_type="virtualmachine", instance_id=vm["id"],
                    result_key="virtualmachine")


def _nic_of(call: Call, vm: Record) -> Record:
    nicid = call.require("nicid")
    for nic in vm.get("nic") or []:
        if nic["id"] == nicid:
            return dict(nic)
    raise invalid_value(f"Unable to find nic {nicid} of the virtual machine {vm['id']}")


@command("removeNicFromVirtualMachine")
def remove_nic(call: Call) -> Any:
    cloud = call.cloud
    vm = _vm(call)
    nic = _nic_of(call, vm)

    def work() -> Record:
        if nic.get("isdefault"):
            raise invalid_value(f"Unable to remove nic {nic['id']} from VM {vm.get('name')}: it "
                                "is the default nic")
        vm["nic"] = [n for n in vm.get("nic") or [] if n["id"] != nic["id"]]
        release_nic(cloud, nic)
        cloud.remove_all("portforwardingrule", [
            r for r in cloud.where("portforwardingrule", virtualmachineid=vm["id"])
            if r.get("vmguestip") == nic.get("ipaddress")])
        return snapshot(vm)

    return call.job(work, instance_type="virtualmachine", instance_id=vm["id"],
                    result_key="virtualmachine")


@command("updateDefaultNicForVirtualMachine")
def update_default_nic(call: Call) -> Any:
    vm = _vm(call)
    nic = _nic_of(call, vm)

    def work() -> Record:
        for each in vm.get("nic") or []:
            each["isdefault"] = each["id"] == nic["id"]
        return snapshot(vm)

    return call.job(work, instance_type="virtualmachine", instance_id=vm["id"],
                    result_key="virtualmachine")
