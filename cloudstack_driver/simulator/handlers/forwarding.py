"""Port forwarding (``portforwardingrule``) and static NAT rules (``ipforwardingrule``)."""

from __future__ import annotations

from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Cloud, Record
from ._common import create_job, delete_job, filtered, lookup
from ._netutil import lb_rule_on_ports, nic_on, refer, vm_fields
from .addresses import public_ip
from .firewall import add_firewall_rule, cidr_text


def _range(call: Call, start: str, end: str) -> tuple[int, int]:
    first = call.int(start)
    assert first is not None  # required parameter, checked by the app
    last = call.int(end, first)
    assert last is not None
    if not (1 <= first <= 65535 and 1 <= last <= 65535) or first > last:
        raise invalid_value(f"Invalid port range {first}-{last}")
    return first, last


def _conflict(text: str) -> ApiError:
    return ApiError(537, text, CS.NETWORK_RULE_CONFLICT)


def _check_overlap(cloud: Cloud, table: str, ip: Record, protocol: str, first: int,
                   last: int) -> None:
    """537 when a rule of ``table`` on ``ip`` for ``protocol`` overlaps ports first-last."""
    for other in cloud.where(table, ipaddressid=ip["id"], protocol=protocol):
        lo, hi = int(other["publicport"]), int(other["publicendport"])
        if lo <= last and first <= hi:
            raise _conflict(f"The range specified, {first}-{last}, conflicts with rule "
                            f"{other['id']} which has {lo}-{hi}")


def _drop_related(cloud: Cloud, rule: Record) -> None:
    """Remove the firewall rules opened for ``rule``."""
    cloud.remove_all("firewallrule", cloud.where("firewallrule", _related=rule["id"]))


def _run(call: Call, table: str, rule: Record) -> Any:
    cloud = call.cloud

    def undo(_err: ApiError) -> None:
        cloud.remove(table, rule["id"])
        _drop_related(cloud, rule)

    return create_job(call, table, rule, state="Active", on_fail=undo)


def _delete(call: Call, table: str) -> Any:
    return delete_job(call, table, before=lambda rule: _drop_related(call.cloud, rule))


@command("createPortForwardingRule")
def create_port_forwarding_rule(call: Call) -> Any:
    cloud = call.cloud
    ip = public_ip(call)
    vm = lookup(call, "virtualmachine", "virtualmachineid")
    protocol = call.require("protocol").lower()
    if protocol not in ("tcp", "udp"):
        raise invalid_value(f"Invalid protocol {protocol}: port forwarding supports tcp and udp")
    public = _range(call, "publicport", "publicendport")
    private = _range(call, "privateport", "privateendport")
    if public[1] - public[0] != private[1] - private[0]:
        raise invalid_value("Private port range and public port range must be of the same size")
    if ip.get("isstaticnat"):
        raise _conflict(f"There is 1 to 1 Nat rule specified for the ip address id={ip['id']}")
    networkid = call.str("networkid") or ip.get("associatednetworkid")
    if networkid is None:
        raise invalid_value(f"Ip address {ip['ipaddress']} is not associated with a network; "
                            "specify networkid")
    if ip.get("associatednetworkid") not in (None, networkid):
        raise invalid_value(f"Ip address {ip['ipaddress']} is associated with another network")
    nic = nic_on(vm, networkid)
    if nic is None:
        raise invalid_value(f"Unable to create port forwarding rule: VM {vm.get('name')} has no "
                            f"nic in network {networkid}")
    _check_overlap(cloud, "portforwardingrule", ip, protocol, *public)
    balancer = lb_rule_on_ports(cloud, ip, *public)
    if balancer is not None:
        port = balancer["publicport"]
        raise _conflict(f"The range specified, {public[0]}-{public[1]}, conflicts with rule "
                        f"{balancer['id']} which has {port}-{port}")
    network = cloud.get("network", networkid, command=call.command, param="networkid")
    refer(ip, "associatednetwork", network)
    cidrs = cidr_text(call)
    rule = cloud.add("portforwardingrule", {
        "ipaddressid": ip["id"], "ipaddress": ip["ipaddress"], "protocol": protocol,
        "publicport": str(public[0]), "publicendport": str(public[1]),
        "privateport": str(private[0]), "privateendport": str(private[1]),
        "vmguestip": call.str("vmguestip", nic.get("ipaddress")), "networkid": network["id"],
        "state": "Add", "cidrlist": cidrs if call.has("cidrlist") else "", "fordisplay": True,
        "tags": [], "_projectid": ip.get("projectid"), **vm_fields(vm),
    })
    if call.bool("openfirewall", True) and not ip.get("vpcid"):
        add_firewall_rule(cloud, ip, protocol, {"startport": public[0], "endport": public[1]},
                          cidrs, related=rule["id"])
    return _run(call, "portforwardingrule", rule)


@command("listPortForwardingRules", list_key="portforwardingrule")
def list_port_forwarding_rules(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("portforwardingrule"), key="_projectid",
                    text=("id", "ipaddressid", "networkid"), flags=("fordisplay",))


@command("deletePortForwardingRule")
def delete_port_forwarding_rule(call: Call) -> Any:
    return _delete(call, "portforwardingrule")


@command("createIpForwardingRule")
def create_ip_forwarding_rule(call: Call) -> Any:
    cloud = call.cloud
    ip = public_ip(call)
    protocol = call.require("protocol").lower()
    if protocol not in ("tcp", "udp", "icmp", "all"):
        raise invalid_value(f"Invalid protocol {protocol}")
    first, last = _range(call, "startport", "endport")
    if not ip.get("isstaticnat") or not ip.get("virtualmachineid"):
        raise _conflict(f"Can't do static nat on ip address: {ip['ipaddress']}")
    _check_overlap(cloud, "ipforwardingrule", ip, protocol, first, last)
    vm = cloud.find_record("virtualmachine", ip["virtualmachineid"]) or {"id": ip[
        "virtualmachineid"], "name": ip.get("virtualmachinename")}
    cidrs = cidr_text(call)
    rule = cloud.add("ipforwardingrule", {
        "ipaddressid": ip["id"], "ipaddress": ip["ipaddress"], "protocol": protocol,
        "publicport": str(first), "publicendport": str(last), "privateport": str(first),
        "privateendport": str(last), "vmguestip": ip.get("vmipaddress"),
        "networkid": ip.get("associatednetworkid"), "state": "Add", "cidrlist": "",
        "fordisplay": True, "tags": [], "_projectid": ip.get("projectid"), **vm_fields(vm),
    })
    if call.bool("openfirewall", True) and protocol in ("tcp", "udp"):
        add_firewall_rule(cloud, ip, protocol, {"startport": first, "endport": last}, cidrs,
                          related=rule["id"])
    return _run(call, "ipforwardingrule", rule)


@command("listIpForwardingRules", list_key="ipforwardingrule")
def list_ip_forwarding_rules(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("ipforwardingrule"), key="_projectid",
                    text=("id", "ipaddressid", "virtualmachineid"))


@command("deleteIpForwardingRule")
def delete_ip_forwarding_rule(call: Call) -> Any:
    return _delete(call, "ipforwardingrule")
