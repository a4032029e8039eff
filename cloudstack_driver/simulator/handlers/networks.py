"""Guest networks (table ``network``): the defaults a fresh cloud has, and their commands.

The shared building blocks (public addresses, routers, guest addresses and NICs) live in
``_netutil``; ``allocate_nic`` and ``release_nics`` are re-exported here.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..facts import MTU, zone_infra
from ..registry import Call, command
from ..state import Cloud, Record, now_stamp
from ._common import delete_job, filtered, lookup, owner_fields, owner_of, visible
from ._netutil import (
    acquire_public_ip,
    allocate_nic,
    drop_ip,
    drop_rules,
    public_cidr,
    release_nics,
)
from .offerings import has_service, offering_named, seed_offerings
from .routers import drop_routers_of, make_router, router_join
from .security_groups import default_group
from .vpc import seed_acl_lists, vpc_tier_fields

__all__ = ["allocate_nic", "new_network", "release_nics", "seed_networking"]


def new_network(cloud: Cloud, zone: Record, offering: Record, owner: Record, *, name: str,
                displaytext: str, cidr: str, gateway: str | None = None,
                **extra: Any) -> Record:
    """A guest network record (not yet in the table)."""
    net = ipaddress.ip_network(cidr, strict=False)
    gateway = gateway or str(next(net.hosts()))
    shared = offering["guestiptype"] == "Shared"
    record: Record = {
        "name": name, "displaytext": displaytext, "zoneid": zone["id"],
        "zonename": zone.get("name"), "networkofferingid": offering["id"],
        "networkofferingname": offering["name"],
        "networkofferingdisplaytext": offering["displaytext"],
        "networkofferingavailability": offering["availability"],
        "networkofferingconservemode": True, "cidr": str(net), "gateway": gateway,
        "netmask": str(net.netmask), "type": offering["guestiptype"], "traffictype": "Guest",
        "state": "Setup" if shared else "Implemented", "canusefordeploy": True,
        "isdefault": shared, "issystem": False, "acltype": "Domain" if shared else "Account",
        "broadcastdomaintype": "Vlan", "dns1": "8.8.8.8", "dns2": "8.8.4.4",
        "networkdomain": "cs.internal", "specifyipranges": shared, "restartrequired": False,
        "ispersistent": False, "displaynetwork": True, "redundantrouter": False,
        "egressdefaultpolicy": False, "internetprotocol": "IPv4", "created": now_stamp(),
        "service": offering["service"], "tags": [], "_ips": {},
        "broadcasturi": "vlan://untagged" if shared else f"vlan://{random.randrange(100, 4000)}",
        "hasannotations": False, "physicalnetworkid": zone_infra(zone)["physicalnetworkid"],
        "publicmtu": MTU, "privatemtu": MTU, "receivedbytes": 0, "sentbytes": 0,
        "strechedl2subnet": False, "supportsvmautoscaling": has_service(offering, "Lb"),
        "details": {}, **owner,
    }
    record.update(extra)
    record["vlan"] = record["broadcasturi"].removeprefix("vlan://")
    record["related"] = record.setdefault("id", cloud.new_id())  # a network is its own
    return record


def seed_networking(cloud: Cloud) -> None:
    """Offerings, the Basic zone's shared network, one isolated network per Advanced zone,
    the caller's ``default`` security group and the default network ACL lists."""
    seed_offerings(cloud)
    owner = owner_of(cloud, None)
    for zone in cloud.where("zone", networktype="Basic"):
        shared = offering_named(cloud, "DefaultSharedNetworkOfferingWithSGService")
        record = new_network(cloud, zone, shared, {k: v for k, v in owner.items()
                                                   if k in ("domainid", "domain")},
                             name="defaultGuestNetwork", displaytext="defaultGuestNetwork",
                             cidr="185.19.28.0/22", _default=True)
        cloud.add("network", record)
    for zone in cloud.where("zone", networktype="Advanced"):
        public_cidr(cloud, zone)
        if zone.get("securitygroupsenabled"):
            continue
        isolated = offering_named(cloud, "DefaultIsolatedNetworkOfferingWithSourceNatService")
        record = cloud.add("network", new_network(
            cloud, zone, isolated, owner, name="defaultGuestNetwork",
            displaytext="defaultGuestNetwork", cidr="10.1.1.0/24"))
        ip = acquire_public_ip(cloud, zone, owner, network=record, sourcenat=True)
        make_router(cloud, zone, owner, publicip=ip, network=record)
    default_group(cloud, None)
    seed_acl_lists(cloud)


# -- networks -------------------------------------------------------------------------------


@command("listNetworks", list_key="network")
def list_networks(call: Call) -> list[Record]:
    cloud = call.cloud
    everyone = [r for r in cloud.all("network") if r.get("acltype") == "Domain"]
    own = [r for r in cloud.all("network") if r.get("acltype") != "Domain"]
    rows = visible(call, own) + everyone
    rows = filtered(call, rows, key=None,
                    text=("id", "zoneid", "vpcid", "type", "traffictype", "networkofferingid",
                          "acltype", "associatednetworkid"),
                    flags=("canusefordeploy", "issystem", "restartrequired", "displaynetwork"))
    if call.has("forvpc"):
        forvpc = call.bool("forvpc")
        rows = [r for r in rows if bool(r.get("vpcid")) is forvpc]
    for service in call.list("supportedservices"):
        rows = [r for r in rows if has_service(r, service)]
    return rows


def _network_cidr(call: Call, required: bool) -> tuple[str | None, str | None]:
    gateway, netmask = call.str("gateway"), call.str("netmask")
    if (gateway is None) != (netmask is None):
        raise invalid_value("gateway and netmask must be specified together")
    if gateway is None or netmask is None:
        if required:
            raise invalid_value("Gateway/netmask are required when creating a network for VPC")
        return None, None
    try:
        net = ipaddress.ip_network(f"{gateway}/{netmask}", strict=False)
    except ValueError:
        raise invalid_value(f"Invalid gateway {gateway} or netmask {netmask}") from None
    return str(net), gateway


@command("createNetwork")
def create_network(call: Call) -> Record:
    cloud = call.cloud
    zone = lookup(call, "zone", "zoneid")
    offering = lookup(call, "networkoffering", "networkofferingid")
    owner = owner_fields(call)
    if offering["guestiptype"] == "Shared":
        raise ApiError(531, "Only ROOT admin is allowed to create Shared networks",
                       CS.PERMISSION_DENIED)
    if zone.get("networktype") == "Basic" or zone.get("securitygroupsenabled"):
        raise invalid_value(f"Can't create an Isolated network in zone {zone['name']}: the zone "
                            "is security group enabled")
    vpcid = call.str("vpcid")
    if offering.get("forvpc") and vpcid is None:
        raise invalid_value(f"Network offering {offering['name']} can be used for VPC networks "
                            "only")
    if vpcid is not None and not offering.get("forvpc"):
        raise invalid_value(f"Network offering {offering['name']} can't be used for VPC networks")
    cidr, gateway = _network_cidr(call, required=vpcid is not None)
    name = call.require("name")
    text = call.str("displaytext", name) or name
    common: Record = {"networkdomain": call.str("networkdomain")} if call.has(
        "networkdomain") else {}
    if vpcid is None:
        record = new_network(cloud, zone, offering, owner, name=name, displaytext=text,
                             cidr=cidr or "10.1.1.0/24", gateway=gateway, **common)
        cloud.add("network", record)
        ip = acquire_public_ip(cloud, zone, owner, network=record, sourcenat=True)
        make_router(cloud, zone, owner, publicip=ip, network=record)
        return {"network": record}
    assert cidr is not None
    extra = vpc_tier_fields(call, zone, vpcid, cidr)
    record = cloud.add("network", new_network(cloud, zone, offering, owner, name=name,
                                              displaytext=text, cidr=cidr, gateway=gateway,
                                              **{**extra, **common}))
    for router in cloud.where("router", vpcid=record["vpcid"]):
        router_join(cloud, router, record)
    return {"network": record}


def _vms_on(cloud: Cloud, network: Record) -> list[Record]:
    return [vm for vm in cloud.all("virtualmachine")
            if any(n.get("networkid") == network["id"] for n in vm.get("nic") or [])]


@command("deleteNetwork")
def delete_network(call: Call) -> Any:
    cloud = call.cloud

    def before(network: Record) -> None:
        users = _vms_on(cloud, network)
        if users:
            raise ApiError(536, "Can't delete the network, not all user vms are expunged. Vm "
                           f"{users[0].get('name')} is in {users[0].get('state')} state",
                           CS.RESOURCE_IN_USE)
        for ip in cloud.where("publicipaddress", associatednetworkid=network["id"]):
            if ip.get("vpcid"):
                drop_rules(cloud, ip)
                ip.pop("associatednetworkid", None)
                ip.pop("associatednetworkname", None)
            else:
                drop_ip(cloud, ip)
        cloud.remove_all("egressfirewallrule",
                         cloud.where("egressfirewallrule", networkid=network["id"]))
        drop_routers_of(cloud, network)

    return delete_job(call, "network", before=before)


@command("restartNetwork")
def restart_network(call: Call) -> Any:
    network = lookup(call, "network")
    return call.job(lambda: {"success": True}, instance_type="network",
                    instance_id=network["id"])
