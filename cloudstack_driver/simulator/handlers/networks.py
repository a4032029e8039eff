"""Guest networks, network offerings, NICs, and the networking helpers the other areas share.

Tables: ``networkoffering``, ``network``, ``router``, ``publicipaddress`` (the pool helpers live
here so that networks, addresses and VPCs can all take addresses). A network's private ``_ips``
maps each reserved guest address to who holds it.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable, Iterable
from typing import Any

from .. import render
from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Cloud, now_stamp

__all__ = [
    "acquire_public_ip",
    "allocate_nic",
    "drop_ip",
    "filtered",
    "forget",
    "make_router",
    "owner_fields",
    "release_nic",
    "release_nics",
    "seed_networking",
    "snapshot",
    "visible",
]

Record = dict[str, Any]

# -- shared helpers -----------------------------------------------------------------------


def owner_fields(cloud: Cloud, call: Call | None = None, projectid: str | None = None) -> Record:
    """``account``/``domain``/``project`` fields of a new resource of the caller."""
    account = cloud.account
    out: Record = {"domainid": account.get("domainid"), "domain": account.get("domain")}
    pid = projectid if projectid is not None else (call.str("projectid") if call else None)
    if pid is not None and pid != "-1":
        project = cloud.get("project", pid, command=call.command if call else "", param="projectid")
        out["projectid"] = pid
        out["project"] = project.get("name")
    else:
        out["account"] = account.get("name")
    return out


def visible(call: Call, records: Iterable[Record], key: str = "projectid") -> list[Record]:
    """Project scoping of a list: none given -> no project's; ``-1`` -> every project's."""
    pid = call.str("projectid")
    if pid is None:
        return [r for r in records if not r.get(key)]
    if pid == "-1":
        return [r for r in records if r.get(key)]
    return [r for r in records if r.get(key) == pid]


def filtered(call: Call, records: Iterable[Record], *, text: Iterable[str] = (),
             flags: Iterable[str] = (), key: str | None = "projectid",
             renames: dict[str, str] | None = None) -> list[Record]:
    """Records visible to the call, narrowed by the equal-value filters it gives.

    ``text`` names string filters (parameter = field unless ``renames`` maps it), ``flags``
    boolean ones; ``keyword`` matches the name. ``key`` None: no project scoping.
    """
    out = visible(call, records, key) if key is not None else list(records)
    names = renames or {}
    for param in text:
        value = call.str(param)
        if value is not None:
            field = names.get(param, param)
            out = [r for r in out if str(r.get(field)) == value]
    for param in flags:
        if call.has(param):
            flag = call.bool(param)
            out = [r for r in out if bool(r.get(names.get(param, param))) is flag]
    keyword = call.str("keyword")
    if keyword is not None:
        out = [r for r in out if keyword.lower() in str(r.get("name", "")).lower()]
    return out


def snapshot(record: Record) -> Record:
    """A job result: the record as rendered now (later changes don't show in the job)."""
    out: Record = render.clean(record)
    return out


def forget(cloud: Cloud, table: str, rid: str) -> Callable[[ApiError], None]:
    """An ``on_fail`` for create jobs: the record goes away when its job fails."""

    def undo(_err: ApiError) -> None:
        cloud.remove(table, rid)

    return undo


def _zone(cloud: Cloud, call: Call, param: str = "zoneid") -> Record:
    return cloud.get("zone", call.require(param), command=call.command, param=param)


def _random_mac() -> str:
    tail = ":".join(f"{random.randrange(256):02x}" for _ in range(4))
    return f"02:00:{tail}"


# -- public addresses and routers -------------------------------------------------------

_PUBLIC_RANGES = ("203.0.113.0/24", "198.51.100.0/24")


def _public_cidr(cloud: Cloud, zone: Record) -> str:
    if "_publiccidr" not in zone:
        taken = {z.get("_publiccidr") for z in cloud.all("zone")}
        free = [c for c in _PUBLIC_RANGES if c not in taken]
        zone["_publiccidr"] = free[0] if free else f"100.64.{len(taken)}.0/24"
        zone["_publicnetworkid"] = cloud.new_id()
    return str(zone["_publiccidr"])


def acquire_public_ip(cloud: Cloud, zone: Record, owner: Record, *, network: Record | None = None,
                      vpc: Record | None = None, sourcenat: bool = False,
                      wanted: str | None = None, state: str = "Allocated") -> Record:
    """Take a free address of the zone's public range and record it (``publicipaddress``)."""
    cidr = ipaddress.ip_network(_public_cidr(cloud, zone))
    used = {r["ipaddress"] for r in cloud.where("publicipaddress", zoneid=zone["id"])}
    if wanted is not None:
        if ipaddress.ip_address(wanted) not in cidr or wanted in used:
            raise invalid_value(f"Unable to allocate ip address {wanted}: it is not free in "
                                f"zone {zone['name']}")
        address = wanted
    else:
        free = (str(h) for h in list(cidr.hosts())[9:] if str(h) not in used)
        found = next(free, None)
        if found is None:
            raise ApiError(533, "Insufficient address capacity", CS.INSUFFICIENT_CAPACITY)
        address = found
    record: Record = {
        "ipaddress": address, "allocated": now_stamp(), "zoneid": zone["id"],
        "zonename": zone.get("name"), "issourcenat": sourcenat, "isstaticnat": False,
        "issystem": False, "isportable": False, "forvirtualnetwork": True, "fordisplay": True,
        "networkid": zone["_publicnetworkid"], "state": state, "tags": [],
        "vlanid": zone["_publicnetworkid"], "vlanname": "vlan://untagged",
        **owner,
    }
    if network is not None:
        record["associatednetworkid"] = network["id"]
        record["associatednetworkname"] = network["name"]
    if vpc is not None:
        record["vpcid"] = vpc["id"]
        record["vpcname"] = vpc["name"]
    return cloud.add("publicipaddress", record)


_RULE_TABLES = ("portforwardingrule", "ipforwardingrule", "firewallrule")


def drop_ip(cloud: Cloud, ip: Record) -> None:
    """Release a public address with every rule on it (and its static NAT)."""
    for table in _RULE_TABLES:
        cloud.remove_all(table, cloud.where(table, ipaddressid=ip["id"]))
    vmid = ip.get("virtualmachineid")
    if vmid:
        vm = cloud.find_record("virtualmachine", vmid)
        if vm is not None and vm.get("publicipid") == ip["id"]:
            vm.pop("publicip", None)
            vm.pop("publicipid", None)
    cloud.remove("publicipaddress", ip["id"])


def make_router(cloud: Cloud, zone: Record, owner: Record, *, publicip: Record | None,
                vpc: Record | None = None, network: Record | None = None) -> Record:
    """The virtual router of a VPC or of an isolated network."""
    count = len(cloud.table("router")) + 1
    record: Record = {
        "name": f"r-{count}-VM", "state": "Running", "role": "VIRTUAL_ROUTER",
        "zoneid": zone["id"], "zonename": zone.get("name"), "created": now_stamp(),
        "hypervisor": "KVM", "version": "4.18.0", "requiresupgrade": False,
        "isredundantrouter": False, "redundantstate": "UNKNOWN", "healthchecksfailed": False,
        "linklocalip": f"169.254.{random.randrange(1, 255)}.{random.randrange(1, 255)}",
        **owner,
    }
    if publicip is not None:
        record["publicip"] = publicip["ipaddress"]
        record["publicnetworkid"] = publicip["networkid"]
    if vpc is not None:
        record["vpcid"] = vpc["id"]
        record["vpcname"] = vpc["name"]
    if network is not None:
        record["guestnetworkid"] = network["id"]
        record["guestnetworkname"] = network["name"]
        record["guestipaddress"] = network.get("gateway")
        record["guestnetmask"] = network.get("netmask")
    return cloud.add("router", record)


# -- guest addresses and NICs -------------------------------------------------------------


def _reserve(network: Record, holder: str, wanted: str | None, allow_duplicate: bool) -> str:
    used: dict[str, str] = network.setdefault("_ips", {})
    cidr = ipaddress.ip_network(network["cidr"])
    if wanted is not None:
        try:
            inside = ipaddress.ip_address(wanted) in cidr
        except ValueError:
            inside = False
        if not inside or wanted == network.get("gateway"):
            raise invalid_value(f"Invalid ip address {wanted} for network {network['name']}: "
                                f"not a free address of {network['cidr']}")
        if wanted in used and not allow_duplicate:
            raise invalid_value(f"The IP address {wanted} is already in use in network "
                                f"{network['name']}")
        used.setdefault(wanted, holder)
        return wanted
    for host in cidr.hosts():
        address = str(host)
        if address != network.get("gateway") and address not in used:
            used[address] = holder
            return address
    raise ApiError(533, f"Insufficient address capacity in network {network['name']}",
                   CS.INSUFFICIENT_CAPACITY)


def allocate_nic(cloud: Cloud, call: Call, network: Record, vm: Record,
                 ipaddress: str | None = None, default: bool = False,
                 allow_duplicate: bool = False) -> Record:
    """A new NIC record for ``vm`` on ``network`` (not appended to ``vm["nic"]``).

    The address is reserved in the network; a requested one must be free and in range (431).
    """
    nic_id = cloud.new_id()
    address = _reserve(network, nic_id, ipaddress, allow_duplicate)
    nic: Record = {
        "id": nic_id, "networkid": network["id"], "networkname": network["name"],
        "netmask": network["netmask"], "gateway": network["gateway"], "ipaddress": address,
        "isdefault": default, "macaddress": _random_mac(), "traffictype": "Guest",
        "type": network["type"], "virtualmachineid": vm["id"],
        "deviceid": str(len(vm.get("nic") or [])),
        "broadcasturi": network.get("broadcasturi", "vlan://untagged"),
        "isolationuri": network.get("broadcasturi", "vlan://untagged"),
        "secondaryip": [], "extradhcpoption": [],
    }
    if network.get("vpcid"):
        nic["vpcid"] = network["vpcid"]
        nic["vpcname"] = network.get("vpcname")
    return nic


def release_nic(cloud: Cloud, nic: Record) -> None:
    network = cloud.find_record("network", nic.get("networkid", ""))
    if network is not None:
        used: dict[str, str] = network.setdefault("_ips", {})
        if used.get(nic.get("ipaddress", "")) == nic["id"]:
            del used[nic["ipaddress"]]


def release_nics(cloud: Cloud, vm: Record) -> None:
    """Free the addresses of every NIC of ``vm`` and drop the NAT/forwarding rules aiming at it."""
    for nic in vm.get("nic") or []:
        release_nic(cloud, nic)
    for table in ("portforwardingrule", "ipforwardingrule"):
        cloud.remove_all(table, cloud.where(table, virtualmachineid=vm["id"]))
    for ip in cloud.where("publicipaddress", virtualmachineid=vm["id"]):
        _clear_static_nat(ip)
    vm.pop("publicip", None)
    vm.pop("publicipid", None)


def _clear_static_nat(ip: Record) -> None:
    ip["isstaticnat"] = False
    for key in ("virtualmachineid", "virtualmachinename", "virtualmachinedisplayname",
                "vmipaddress"):
        ip.pop(key, None)


# -- network offerings and seed -------------------------------------------------------------


def _services(provider: str, names: Iterable[str]) -> list[Record]:
    out: list[Record] = []
    for name in names:
        prov = "SecurityGroupProvider" if name == "SecurityGroup" else provider
        service: Record = {"name": name, "provider": [{"name": prov}]}
        if name == "SourceNat":
            service["capability"] = [{"name": "SupportedSourceNatTypes", "value": "peraccount",
                                      "canchooseservicecapability": False}]
        out.append(service)
    return out


_OFFERINGS: tuple[tuple[str, str, str, bool, tuple[str, ...]], ...] = (
    ("DefaultSharedNetworkOfferingWithSGService",
     "Offering for Shared Security group enabled networks", "Shared", False,
     ("Dhcp", "Dns", "UserData", "SecurityGroup")),
    ("DefaultIsolatedNetworkOfferingWithSourceNatService",
     "Offering for Isolated networks with Source Nat service enabled", "Isolated", False,
     ("Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Firewall", "Lb",
      "Vpn", "Gateway")),
    ("DefaultIsolatedNetworkOfferingForVpcNetworks",
     "Offering for Isolated VPC networks with Source Nat service enabled", "Isolated", True,
     ("Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "NetworkACL", "Lb",
      "Vpn", "Gateway")),
)


def _seed_offerings(cloud: Cloud) -> None:
    for name, text, guest, forvpc, services in _OFFERINGS:
        cloud.add("networkoffering", {
            "name": name, "displaytext": text, "guestiptype": guest, "traffictype": "Guest",
            "availability": "Optional", "isdefault": True, "specifyvlan": False,
            "specifyipranges": guest == "Shared", "conservemode": True, "forvpc": forvpc,
            "state": "Enabled", "egressdefaultpolicy": False, "ispersistent": False,
            "networkrate": 200, "supportspublicaccess": False, "supportsstrechedl2subnet": False,
            "fortungsten": False, "internetprotocol": "IPv4", "created": now_stamp(),
            "service": _services("VpcVirtualRouter" if forvpc else "VirtualRouter", services),
        })
    cloud.add("vpcoffering", {
        "name": "Default VPC offering", "displaytext": "Default VPC offering",
        "isdefault": True, "state": "Enabled", "distributedvpcrouter": False,
        "supportsregionLevelvpc": False, "internetprotocol": "IPv4", "created": now_stamp(),
        "service": _services("VpcVirtualRouter", ("Dhcp", "Dns", "UserData", "SourceNat",
                                                  "StaticNat", "PortForwarding", "NetworkACL",
                                                  "Lb", "Vpn", "Gateway")),
    })


def offering_named(cloud: Cloud, name: str) -> Record:
    return cloud.where("networkoffering", name=name)[0]


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
        **owner,
    }
    record.update(extra)
    return record


def seed_networking(cloud: Cloud) -> None:
    """Offerings, the Basic zone's shared network, one isolated network per Advanced zone,
    the caller's ``default`` security group and the default network ACL lists."""
    from .security_groups import default_group
    from .vpc import seed_acl_lists

    _seed_offerings(cloud)
    owner = owner_fields(cloud)
    for zone in cloud.where("zone", networktype="Basic"):
        shared = offering_named(cloud, "DefaultSharedNetworkOfferingWithSGService")
        record = new_network(cloud, zone, shared, {k: v for k, v in owner.items()
                                                   if k in ("domainid", "domain")},
                             name="defaultGuestNetwork", displaytext="defaultGuestNetwork",
                             cidr="185.19.28.0/22", _default=True)
        cloud.add("network", record)
    for zone in cloud.where("zone", networktype="Advanced"):
        _public_cidr(cloud, zone)
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


@command("listNetworkOfferings", list_key="networkoffering")
def list_network_offerings(call: Call) -> list[Record]:
    rows = filtered(call, call.cloud.all("networkoffering"),
                    text=("id", "name", "guestiptype", "traffictype", "state", "displaytext",
                          "availability"),
                    flags=("forvpc", "isdefault", "specifyvlan", "specifyipranges"))
    if call.has("sourcenatsupported"):
        want = call.bool("sourcenatsupported")
        rows = [r for r in rows if _has_service(r, "SourceNat") is want]
    for service in call.list("supportedservices"):
        rows = [r for r in rows if _has_service(r, service)]
    if call.has("zoneid"):
        zone = _zone(call.cloud, call)
        guest = "Shared" if zone.get("securitygroupsenabled") else None
        rows = [r for r in rows if guest is None or r["guestiptype"] == guest]
    return rows


def _has_service(record: Record, name: str) -> bool:
    return any(s["name"].lower() == name.lower() for s in record.get("service", []))



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
        rows = [r for r in rows if _has_service(r, service)]
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
    zone = _zone(cloud, call)
    offering = cloud.get("networkoffering", call.require("networkofferingid"),
                         command=call.command, param="networkofferingid")
    owner = owner_fields(cloud, call)
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
    from .vpc import vpc_tier_fields

    assert cidr is not None
    extra = vpc_tier_fields(call, zone, vpcid, cidr)
    record = new_network(cloud, zone, offering, owner, name=name, displaytext=text, cidr=cidr,
                         gateway=gateway, **{**extra, **common})
    return {"network": cloud.add("network", record)}


def _vms_on(cloud: Cloud, network: Record) -> list[Record]:
    return [vm for vm in cloud.all("virtualmachine")
            if any(n.get("networkid") == network["id"] for n in vm.get("nic") or [])]


@command("deleteNetwork")
def delete_network(call: Call) -> Any:
    cloud = call.cloud
    network = cloud.get("network", call.require("id"), command=call.command)

    def work() -> Record:
        users = _vms_on(cloud, network)
        if users:
            raise ApiError(536, "Can't delete the network, not all user vms are expunged. Vm "
                           f"{users[0].get('name')} is in {users[0].get('state')} state",
                           CS.RESOURCE_IN_USE)
        for ip in cloud.where("publicipaddress", associatednetworkid=network["id"]):
            if ip.get("vpcid"):
                for table in _RULE_TABLES:
                    cloud.remove_all(table, cloud.where(table, ipaddressid=ip["id"]))
                ip.pop("associatednetworkid", None)
                ip.pop("associatednetworkname", None)
            else:
                drop_ip(cloud, ip)
        cloud.remove_all("egressfirewallrule",
                         cloud.where("egressfirewallrule", networkid=network["id"]))
        cloud.remove_all("router", cloud.where("router", guestnetworkid=network["id"]))
        cloud.remove("network", network["id"])
        return {"success": True}

    return call.job(work, instance_type="network", instance_id=network["id"])


@command("restartNetwork")
def restart_network(call: Call) -> Any:
    network = call.cloud.get("network", call.require("id"), command=call.command)
    return call.job(lambda: {"success": True}, instance_type="network",
                    instance_id=network["id"])
