"""Building blocks the networking areas share: the zones' public address pools, and guest
addresses with the NICs that hold them (virtual routers are in ``routers``).

Table ``publicipaddress``. A network's private ``_ips`` maps each reserved guest address to
who holds it; a zone's ``_publiccidr`` is its public range. Load-balancer rules
(``loadbalancerrule``, with their ``lbhealthcheckpolicy``/``lbstickinesspolicy`` rows) go with
the public address they are on; a VM leaving keeps no load-balancer assignment.
"""

from __future__ import annotations

import ipaddress
import random

from ..errors import CS, ApiError, invalid_value
from ..facts import zone_infra
from ..registry import Call
from ..state import Cloud, Record, now_stamp

__all__ = [
    "acquire_public_ip",
    "allocate_nic",
    "check_cidrs",
    "clear_static_nat",
    "drop_ip",
    "drop_lb_rule",
    "drop_rules",
    "lb_rule_on_ports",
    "nic_on",
    "public_cidr",
    "refer",
    "release_nic",
    "release_nics",
    "vm_fields",
]

# the tables of rules on a public address
_RULE_TABLES = ("portforwardingrule", "ipforwardingrule", "firewallrule")
# the policies of a load-balancer rule (``_lbruleid`` names the rule)
_LB_POLICY_TABLES = ("lbhealthcheckpolicy", "lbstickinesspolicy")


def refer(record: Record, prefix: str, target: Record | None) -> None:
    """Point ``record`` at ``target``: ``<prefix>id`` and ``<prefix>name`` (nothing for None)."""
    if target is not None:
        record[f"{prefix}id"] = target["id"]
        record[f"{prefix}name"] = target["name"]


def check_cidrs(cidrs: list[str]) -> list[str]:
    """``cidrs``, when each is a CIDR (431 naming the first that isn't)."""
    for cidr in cidrs:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise invalid_value(f"Invalid cidr {cidr}") from None
    return cidrs


def _random_mac() -> str:
    tail = ":".join(f"{random.randrange(256):02x}" for _ in range(4))
    return f"02:00:{tail}"


# -- public addresses and routers -------------------------------------------------------

_PUBLIC_RANGES = ("203.0.113.0/24", "198.51.100.0/24")


def public_cidr(cloud: Cloud, zone: Record) -> str:
    """The zone's public range, chosen on first use."""
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
    cidr = ipaddress.ip_network(public_cidr(cloud, zone))
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
        "physicalnetworkid": zone_infra(zone)["physicalnetworkid"], "hasannotations": False,
        **owner,
    }
    refer(record, "associatednetwork", network)
    refer(record, "vpc", vpc)
    return cloud.add("publicipaddress", record)


def vm_fields(vm: Record) -> Record:
    """The fields naming the VM a NAT or forwarding rule aims at."""
    return {"virtualmachineid": vm["id"], "virtualmachinename": vm.get("name"),
            "virtualmachinedisplayname": vm.get("displayname", vm.get("name"))}


def clear_static_nat(cloud: Cloud, ip: Record) -> None:
    """Undo the static NAT of ``ip`` on the address and on the VM that had it."""
    vm = cloud.find_record("virtualmachine", ip.get("virtualmachineid") or "")
    if vm is not None and vm.get("publicipid") == ip["id"]:
        vm.pop("publicip", None)
        vm.pop("publicipid", None)
    _unlink_vm(ip)


def _unlink_vm(ip: Record) -> None:
    ip["isstaticnat"] = False
    for key in ("virtualmachineid", "virtualmachinename", "virtualmachinedisplayname",
                "vmipaddress"):
        ip.pop(key, None)


def drop_lb_rule(cloud: Cloud, rule: Record) -> None:
    """Remove a load-balancer rule with its policies and the firewall rules opened for it."""
    for table in _LB_POLICY_TABLES:
        cloud.remove_all(table, cloud.where(table, _lbruleid=rule["id"]))
    cloud.remove_all("firewallrule", cloud.where("firewallrule", _related=rule["id"]))
    cloud.remove("loadbalancerrule", rule["id"])


def lb_rule_on_ports(cloud: Cloud, ip: Record, first: int, last: int) -> Record | None:
    """A load-balancer rule on ``ip`` whose public port is within ``first``..``last``: the
    server refuses any other rule on those ports of that address, whatever its protocol."""
    for rule in cloud.where("loadbalancerrule", publicipid=ip["id"]):
        if first <= int(rule["publicport"]) <= last:
            return rule
    return None


def drop_rules(cloud: Cloud, ip: Record) -> None:
    """Remove every port forwarding, static NAT, load-balancer and firewall rule, and the
    remote-access VPN, on a public address."""
    for rule in cloud.where("loadbalancerrule", publicipid=ip["id"]):
        drop_lb_rule(cloud, rule)
    cloud.remove_all("remoteaccessvpn", cloud.where("remoteaccessvpn", publicipid=ip["id"]))
    for table in _RULE_TABLES:
        cloud.remove_all(table, cloud.where(table, ipaddressid=ip["id"]))


def drop_ip(cloud: Cloud, ip: Record) -> None:
    """Release a public address with every rule on it (and its static NAT)."""
    drop_rules(cloud, ip)
    clear_static_nat(cloud, ip)
    cloud.remove("publicipaddress", ip["id"])


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


def nic_on(vm: Record, networkid: str | None) -> Record | None:
    """A copy of the VM's NIC on a network (its default NIC when ``networkid`` is None)."""
    for nic in vm.get("nic") or []:
        if (nic.get("networkid") == networkid) if networkid else nic.get("isdefault"):
            return dict(nic)
    return None


def release_nic(cloud: Cloud, nic: Record) -> None:
    """Free the guest address ``nic`` holds in its network."""
    network = cloud.find_record("network", nic.get("networkid", ""))
    if network is not None:
        used: dict[str, str] = network.setdefault("_ips", {})
        if used.get(nic.get("ipaddress", "")) == nic["id"]:
            del used[nic["ipaddress"]]


def release_nics(cloud: Cloud, vm: Record) -> None:
    """Free the addresses of every NIC of ``vm``, drop the NAT/forwarding rules aiming at it and
    take it out of every load-balancer rule."""
    for nic in vm.get("nic") or []:
        release_nic(cloud, nic)
    for table in ("portforwardingrule", "ipforwardingrule"):
        cloud.remove_all(table, cloud.where(table, virtualmachineid=vm["id"]))
    for rule in cloud.all("loadbalancerrule"):
        rule["_vms"] = [m for m in rule.get("_vms") or [] if m["vmid"] != vm["id"]]
    for ip in cloud.where("publicipaddress", virtualmachineid=vm["id"]):
        _unlink_vm(ip)
    vm.pop("publicip", None)
    vm.pop("publicipid", None)
