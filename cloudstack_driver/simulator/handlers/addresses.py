"""Public IP addresses (table ``publicipaddress``) and static NAT.

Public addresses exist only in Advanced zones without security groups; each Isolated network
and each VPC holds a source NAT address from the moment it exists.
"""

from __future__ import annotations

from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Record
from ._common import create_job, filtered, lookup, owner_fields
from ._netutil import acquire_public_ip, clear_static_nat, drop_ip, nic_on, refer, vm_fields

__all__ = ["public_ip"]


def public_ip(call: Call, param: str = "ipaddressid") -> Record:
    """The public address that parameter ``param`` names (431 when unknown)."""
    return lookup(call, "publicipaddress", param)


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
    owner = owner_fields(call)
    network = vpc = None
    if call.has("networkid"):
        network = lookup(call, "network", "networkid")
    if call.has("vpcid"):
        vpc = lookup(call, "vpc", "vpcid")
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
    return create_job(call, "publicipaddress", ip, result_key="ipaddress", state="Allocated")


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
    vm = lookup(call, "virtualmachine", "virtualmachineid")
    if ip.get("issourcenat"):
        raise invalid_value(f"Can't enable static nat, ip address {ip['ipaddress']} is a "
                            "sourceNat ip address")
    if ip.get("isstaticnat") and ip.get("virtualmachineid") != vm["id"]:
        raise invalid_value(f"Failed to enable static nat for the ip address id={ip['id']} as "
                            "it's already assigned to another vm")
    if cloud.where("portforwardingrule", ipaddressid=ip["id"]):
        raise ApiError(537, f"Failed to enable static nat for the ip address id={ip['id']} as "
                       "it already has PortForwarding rules assigned", CS.NETWORK_RULE_CONFLICT)
    if cloud.where("loadbalancerrule", publicipid=ip["id"]):
        raise ApiError(537, f"Failed to enable static nat for the ip address id={ip['id']} as "
                       "it already has LoadBalancing rules assigned", CS.NETWORK_RULE_CONFLICT)
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
    ip.update({"isstaticnat": True, **vm_fields(vm),
               "vmipaddress": call.str("vmguestip", nic.get("ipaddress"))})
    refer(ip, "associatednetwork", network)
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
        clear_static_nat(cloud, ip)
        return {"success": True}

    return call.job(work, instance_type="publicipaddress", instance_id=ip["id"])
