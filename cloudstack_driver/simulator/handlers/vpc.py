"""VPCs (``vpc``), routers, network ACL lists (``networkacllist``) and their items
(``networkacl``). The two default ACL lists belong to no VPC and can't be changed."""

from __future__ import annotations

import ipaddress
from typing import Any

from ..errors import invalid_value
from ..facts import MTU
from ..registry import Call, command
from ..state import Cloud, Record, now_stamp
from ._common import (
    create_job,
    delete_job,
    filtered,
    forget,
    lookup,
    narrow,
    owner_fields,
    snapshot,
)
from ._netutil import acquire_public_ip, drop_ip, refer
from .firewall import cidr_text, rule_ports
from .private_gateways import drop_private_gateways
from .routers import make_router, router_join
from .vpn import drop_vpn_of

__all__ = ["seed_acl_lists", "vpc_tier_fields"]

_DEFAULT_LISTS = {"default_allow": "Allow", "default_deny": "Deny"}


def seed_acl_lists(cloud: Cloud) -> None:
    """``default_allow`` and ``default_deny``, each with an ingress and an egress item."""
    for name, action in _DEFAULT_LISTS.items():
        acl = cloud.add("networkacllist", {"name": name, "description": f"{name.replace('_', ' ')}",
                                           "fordisplay": True, "_default": True})
        for number, traffic in ((1, "Ingress"), (2, "Egress")):
            cloud.add("networkacl", {
                "aclid": acl["id"], "aclname": name, "number": number, "protocol": "all",
                "cidrlist": "0.0.0.0/0", "action": action, "traffictype": traffic,
                "state": "Active", "fordisplay": True, "tags": [], "_projectid": None})


def _acl_list(cloud: Cloud, aclid: str, command_name: str, param: str = "aclid") -> Record:
    return cloud.get("networkacllist", aclid, command=command_name, param=param)


def vpc_tier_fields(call: Call, zone: Record, vpcid: str, cidr: str) -> Record:
    """Checks of ``createNetwork`` in a VPC; the VPC fields of the new tier."""
    cloud = call.cloud
    vpc = cloud.get("vpc", vpcid, command=call.command, param="vpcid")
    if vpc["zoneid"] != zone["id"]:
        raise invalid_value(f"Vpc {vpc['name']} is not in zone {zone['name']}")
    net = ipaddress.ip_network(cidr)
    if not net.subnet_of(ipaddress.ip_network(vpc["cidr"])):  # type: ignore[arg-type]
        raise invalid_value(f"Network cidr {cidr} is not within vpc {vpc['name']} cidr "
                            f"{vpc['cidr']}")
    for tier in cloud.where("network", vpcid=vpc["id"]):
        if net.overlaps(ipaddress.ip_network(tier["cidr"])):
            raise invalid_value(f"Network cidr {cidr} overlaps with the cidr {tier['cidr']} of "
                                f"network {tier['name']} in vpc {vpc['name']}")
    acl = _acl_list(cloud, call.str("aclid") or _default_deny(cloud)["id"], call.command)
    if acl.get("vpcid") not in (None, vpc["id"]):
        raise invalid_value(f"Network ACL {acl['name']} doesn't belong to vpc {vpc['name']}")
    return {"vpcid": vpc["id"], "vpcname": vpc["name"], "aclid": acl["id"],
            "aclname": acl["name"], "networkdomain": vpc.get("networkdomain", "cs.internal")}


def _default_deny(cloud: Cloud) -> Record:
    return next(a for a in cloud.where("networkacllist", name="default_deny") if a.get("_default"))


def _network_acl_id(call: Call) -> str | None:
    """The ACL list of the network that ``networkid`` names (431 when unknown)."""
    aclid: str | None = lookup(call, "network", "networkid").get("aclid")
    return aclid


# -- VPCs ---------------------------------------------------------------------------------


@command("listVPCs", list_key="vpc")
def list_vpcs(call: Call) -> list[Record]:
    cloud = call.cloud
    rows = filtered(call, cloud.all("vpc"), text=("id", "zoneid", "name", "vpcofferingid",
                                                  "state", "cidr", "displaytext"),
                    flags=("restartrequired", "fordisplay"))
    return [{**r, "network": cloud.where("network", vpcid=r["id"])} for r in rows]


@command("createVPC")
def create_vpc(call: Call) -> Any:
    cloud = call.cloud
    zone = lookup(call, "zone", "zoneid")
    offering = lookup(call, "vpcoffering", "vpcofferingid")
    if zone.get("networktype") != "Advanced" or zone.get("securitygroupsenabled"):
        raise invalid_value(f"Can't create vpc in zone {zone['name']}: zone is security group "
                            "enabled" if zone.get("securitygroupsenabled") else
                            f"Can't create vpc in zone {zone['name']} of network type "
                            f"{zone.get('networktype')}")
    cidr = call.require("cidr")
    try:
        net = ipaddress.ip_network(cidr)
    except ValueError:
        raise invalid_value(f"Invalid CIDR specified {cidr}") from None
    if not net.is_private:
        raise invalid_value(f"Vpc cidr {cidr} is not RFC 1918 compliant")
    owner = owner_fields(call)
    vpc = cloud.add("vpc", {
        "name": call.require("name"), "displaytext": call.require("displaytext"),
        "cidr": str(net), "zoneid": zone["id"], "zonename": zone.get("name"),
        "vpcofferingid": offering["id"], "vpcofferingname": offering["name"],
        "state": "Enabled", "networkdomain": call.str("networkdomain", "cs.internal"),
        "restartrequired": False, "redundantvpcrouter": False, "regionlevelvpc": False,
        "distributedvpcrouter": False, "fordisplay": True, "created": now_stamp(),
        "service": offering["service"], "tags": [], "hasannotations": False,
        "publicmtu": MTU, **owner,
    })

    def work() -> Record:
        ip = acquire_public_ip(cloud, zone, owner, vpc=vpc, sourcenat=True)
        router = make_router(cloud, zone, owner, publicip=ip, vpc=vpc)
        for tier in cloud.where("network", vpcid=vpc["id"]):  # tiers made while the job ran
            router_join(cloud, router, tier)
        return snapshot(vpc)

    return call.job(work, instance_type="vpc", instance_id=vpc["id"], result_key="vpc",
                    on_fail=forget(cloud, "vpc", vpc["id"]))


@command("deleteVPC")
def delete_vpc(call: Call) -> Any:
    cloud = call.cloud

    def before(vpc: Record) -> None:
        tiers = cloud.where("network", vpcid=vpc["id"])
        if tiers:
            raise invalid_value(f"Can't delete VPC {vpc['name']} as its used by {len(tiers)} "
                                "networks")
        for ip in cloud.where("publicipaddress", vpcid=vpc["id"]):
            drop_ip(cloud, ip)
        drop_vpn_of(cloud, vpc)
        drop_private_gateways(cloud, vpc)
        for acl in cloud.where("networkacllist", vpcid=vpc["id"]):
            cloud.remove_all("networkacl", cloud.where("networkacl", aclid=acl["id"]))
            cloud.remove("networkacllist", acl["id"])
        cloud.remove_all("router", cloud.where("router", vpcid=vpc["id"]))

    return delete_job(call, "vpc", before=before)


# -- network ACL lists and items --------------------------------------------------------


@command("listNetworkACLLists", list_key="networkacllist")
def list_acl_lists(call: Call) -> list[Record]:
    cloud = call.cloud
    rows = [a for a in filtered(call, cloud.all("networkacllist"), key=None,
                                text=("id", "vpcid", "name"), flags=("fordisplay",))
            if a.get("_default") or a.get("vpcid")]
    if call.has("networkid"):
        aclid = _network_acl_id(call)
        rows = [a for a in rows if a["id"] == aclid]
    return rows


@command("createNetworkACLList")
def create_acl_list(call: Call) -> Any:
    cloud = call.cloud
    vpc = lookup(call, "vpc", "vpcid")
    acl = cloud.add("networkacllist", {
        "name": call.require("name"), "description": call.str("description", call.str("name")),
        "vpcid": vpc["id"], "vpcname": vpc["name"], "fordisplay": call.bool("fordisplay", True),
    })
    return create_job(call, "networkacllist", acl)


@command("deleteNetworkACLList")
def delete_acl_list(call: Call) -> Any:
    cloud = call.cloud

    def before(acl: Record) -> None:
        if acl.get("_default"):
            raise invalid_value("Default Network ACL cannot be removed")
        users = cloud.where("network", aclid=acl["id"])
        if users:
            raise invalid_value(f"ACL {acl['name']} is still associated with network "
                                f"{users[0]['name']}; can't delete it")
        gateways = cloud.where("privategateway", aclid=acl["id"])
        if gateways:
            raise invalid_value(f"ACL {acl['name']} is still associated with private gateway "
                                f"{gateways[0]['id']}; can't delete it")
        cloud.remove_all("networkacl", cloud.where("networkacl", aclid=acl["id"]))

    return delete_job(call, "networkacllist", before=before)


@command("replaceNetworkACLList")
def replace_acl_list(call: Call) -> Any:
    cloud = call.cloud
    acl = _acl_list(cloud, call.require("aclid"), call.command)
    if not call.has("networkid"):
        raise invalid_value("Network ID is required to replace the ACL list (private gateways "
                            "are not simulated)")
    network = lookup(call, "network", "networkid")
    if not network.get("vpcid"):
        raise invalid_value(f"Network {network['name']} is not part of a VPC")
    if acl.get("vpcid") not in (None, network["vpcid"]):
        raise invalid_value(f"Network ACL {acl['name']} and network {network['name']} belong to "
                            "different VPCs")

    def work() -> Record:
        refer(network, "acl", acl)
        return {"success": True}

    return call.job(work, instance_type="network", instance_id=network["id"])


@command("createNetworkACL")
def create_acl(call: Call) -> Any:
    cloud = call.cloud
    if call.has("aclid"):
        acl = _acl_list(cloud, call.require("aclid"), call.command)
    elif call.has("networkid"):
        acl = _acl_list(cloud, _network_acl_id(call) or "", call.command)
    else:
        raise invalid_value("Either aclid or networkid is required by createNetworkACL")
    if acl.get("_default"):
        raise invalid_value("Default ACL cannot be modified")
    protocol = call.require("protocol").lower()
    if protocol not in ("tcp", "udp", "icmp", "all") and not protocol.isdigit():
        raise invalid_value(f"Invalid protocol {protocol}")
    action = (call.str("action") or "allow").lower()
    traffic = (call.str("traffictype") or "ingress").lower()
    if action not in ("allow", "deny"):
        raise invalid_value(f"Invalid action {action}: allow or deny")
    if traffic not in ("ingress", "egress"):
        raise invalid_value(f"Invalid traffic type {traffic}: ingress or egress")
    items = cloud.where("networkacl", aclid=acl["id"])
    number = call.int("number")
    if number is None:
        number = max((int(i["number"]) for i in items), default=0) + 1
    elif any(int(i["number"]) == number for i in items):
        raise invalid_value(f"ACL item with number {number} already exists in ACL: {acl['id']}")
    item = cloud.add("networkacl", {
        "aclid": acl["id"], "aclname": acl["name"], "number": number, "protocol": protocol,
        "cidrlist": cidr_text(call), "action": action.capitalize(),
        "traffictype": traffic.capitalize(), "state": "Add", "reason": call.str("reason"),
        "fordisplay": call.bool("fordisplay", True), "tags": [],
        "_projectid": (cloud.find_record("vpc", acl.get("vpcid") or "") or {}).get("projectid"),
        **rule_ports(call, protocol if protocol in ("tcp", "udp", "icmp") else "all"),
    })
    if item["reason"] is None:
        del item["reason"]
    return create_job(call, "networkacl", item, state="Active")


@command("listNetworkACLs", list_key="networkacl")
def list_acls(call: Call) -> list[Record]:
    cloud = call.cloud
    rows = filtered(call, cloud.all("networkacl"), key=None,
                    text=("id", "aclid", "protocol"), flags=("fordisplay",))
    rows = narrow(call, rows, "action", "traffictype", nocase=True)
    if call.has("networkid"):
        aclid = _network_acl_id(call)
        rows = [r for r in rows if r["aclid"] == aclid]
    return rows


@command("deleteNetworkACL")
def delete_acl(call: Call) -> Any:
    item = lookup(call, "networkacl")
    acl = call.cloud.find_record("networkacllist", item["aclid"]) or {}

    def before(_item: Record) -> None:
        if acl.get("_default"):
            raise invalid_value("Default ACL cannot be modified")

    return delete_job(call, "networkacl", item, before=before)

