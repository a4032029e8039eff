"""VPC private gateways (``privategateway``): a VPC's leg into a private network, by VLAN or
through an associated Isolated network.

As on the server: ``gateway``, ``ipaddress`` and ``netmask`` must form one IPv4 subnet holding
both addresses, outside the VPC's CIDR; a VLAN (or ``associatednetworkid``) is needed, and a VLAN
carries one gateway per VPC; the network ACL (default ``default_deny``) is the VPC's or a
default one; the gateway is ``Ready`` once its job ends. A VPC's gateways go with it.
"""

from __future__ import annotations

import ipaddress

from ..errors import invalid_value
from ..facts import zone_infra
from ..registry import Call, command
from ..state import Cloud, JobTicket, Record
from ._common import create_job, delete_job, filtered, lookup

__all__ = ["drop_private_gateways"]

_GATEWAY = "privategateway"


def drop_private_gateways(cloud: Cloud, vpc: Record) -> None:
    """Remove every private gateway of ``vpc``."""
    cloud.remove_all(_GATEWAY, cloud.where(_GATEWAY, vpcid=vpc["id"]))


def _subnet(call: Call, vpc: Record) -> ipaddress.IPv4Network:
    texts = {name: call.require(name) for name in ("gateway", "ipaddress", "netmask")}
    try:
        gateway = ipaddress.IPv4Address(texts["gateway"])
        address = ipaddress.IPv4Address(texts["ipaddress"])
        subnet = ipaddress.IPv4Network(f"{texts['gateway']}/{texts['netmask']}", strict=False)
    except ValueError as exc:
        raise invalid_value(f"Invalid private gateway address, gateway or netmask: {exc}") \
            from None
    if address not in subnet or address == gateway:
        raise invalid_value(f"The ip address {address} is not a free address of the subnet "
                            f"{subnet} of gateway {gateway}")
    if subnet.overlaps(ipaddress.ip_network(vpc["cidr"])):
        raise invalid_value(f"The private gateway subnet {subnet} overlaps with the cidr "
                            f"{vpc['cidr']} of vpc {vpc['name']}")
    return subnet


def _physical_network(cloud: Cloud, vpc: Record) -> str | None:
    """The physical network of the VPC's zone (a gateway made without one is on it)."""
    zone = cloud.find_record("zone", vpc.get("zoneid") or "")
    return zone_infra(zone)["physicalnetworkid"] if zone is not None else None


def _vlan(call: Call) -> str | None:
    vlan = call.str("vlan")
    if vlan is None:
        return None
    tag = vlan.removeprefix("vlan://")
    if not tag.isdigit() or not 1 <= int(tag) <= 4094:
        raise invalid_value(f"Invalid vlan {vlan}: a VLAN id from 1 to 4094 (or vlan://id)")
    return f"vlan://{int(tag)}"


@command("createPrivateGateway")
def create_private_gateway(call: Call) -> JobTicket:
    cloud = call.cloud
    vpc = lookup(call, "vpc", "vpcid")
    _subnet(call, vpc)
    vlan = _vlan(call)
    network = lookup(call, "network", "associatednetworkid") if call.has(
        "associatednetworkid") else None
    if vlan is None and network is None:
        raise invalid_value("Either vlan or associatednetworkid must be given for a private "
                            "gateway")
    if network is not None and (network.get("type") != "Isolated" or network.get("vpcid")):
        raise invalid_value(f"Network {network['name']} is not an Isolated network outside "
                            "VPCs; it can't be associated with a private gateway")
    if vlan is not None and cloud.where(_GATEWAY, vpcid=vpc["id"], vlan=vlan):
        raise invalid_value(f"A private gateway on {vlan} already exists for vpc {vpc['name']}")
    if call.has("aclid"):
        acl = lookup(call, "networkacllist", "aclid")
    else:
        acl = next(a for a in cloud.where("networkacllist", name="default_deny")
                   if a.get("_default"))
    if acl.get("vpcid") not in (None, vpc["id"]):
        raise invalid_value(f"Network ACL {acl['name']} doesn't belong to vpc {vpc['name']}")
    record: Record = {
        "gateway": call.str("gateway"), "ipaddress": call.str("ipaddress"),
        "netmask": call.str("netmask"), "vlan": vlan, "vpcid": vpc["id"],
        "vpcname": vpc["name"], "zoneid": vpc.get("zoneid"), "zonename": vpc.get("zonename"),
        "physicalnetworkid": call.str("physicalnetworkid") or _physical_network(cloud, vpc),
        "sourcenatsupported": call.bool("sourcenatsupported"), "aclid": acl["id"],
        "aclname": acl["name"], "state": "Allocated", "hasannotations": False,
        **{key: vpc[key] for key in ("account", "domain", "domainid", "project", "projectid")
           if vpc.get(key) is not None},
    }
    if network is not None:
        record.update(associatednetworkid=network["id"], associatednetwork=network["name"])
    return create_job(call, _GATEWAY, cloud.add(_GATEWAY, record), state="Ready")


@command("listPrivateGateways", list_key=_GATEWAY)
def list_private_gateways(call: Call) -> list[Record]:
    rows = filtered(call, call.cloud.all(_GATEWAY), text=("id", "vpcid", "ipaddress", "state"))
    vlan = call.str("vlan")
    if vlan is not None:
        wanted = vlan if vlan.startswith("vlan://") else f"vlan://{vlan}"
        rows = [r for r in rows if r.get("vlan") == wanted]
    return rows


@command("deletePrivateGateway")
def delete_private_gateway(call: Call) -> JobTicket:
    return delete_job(call, _GATEWAY)
