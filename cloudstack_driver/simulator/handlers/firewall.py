"""Firewall rules on public addresses (``firewallrule``) and egress rules on networks
(``egressfirewallrule``); both list as ``firewallrule``."""

from __future__ import annotations

from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Cloud, Record
from ._common import create_job, delete_job, filtered, lookup
from ._netutil import check_cidrs
from .addresses import public_ip

__all__ = ["add_firewall_rule", "cidr_text", "rule_ports"]

_PROTOCOLS = ("tcp", "udp", "icmp", "all")


def rule_ports(call: Call, protocol: str, start: str = "startport",
               end: str = "endport") -> Record:
    """Port or ICMP fields of a rule: ports only for tcp/udp, type/code only for icmp."""
    first, last = call.int(start), call.int(end)
    if protocol in ("tcp", "udp"):
        if first is None and last is not None:
            raise invalid_value(f"Invalid port range {first}-{last}")
        if first is None:
            return {}
        last = first if last is None else last
        if not (1 <= first <= 65535 and 1 <= last <= 65535) or first > last:
            raise invalid_value(f"Invalid port range {first}-{last}")
        return {"startport": first, "endport": last}
    if first is not None or last is not None:
        raise invalid_value(f"Can specify start/end port only when protocol is TCP/UDP; "
                            f"protocol is {protocol}")
    if protocol == "icmp":
        return {"icmptype": call.int("icmptype", -1), "icmpcode": call.int("icmpcode", -1)}
    if call.has("icmptype") or call.has("icmpcode"):
        raise invalid_value("Can specify icmpCode and icmpType for ICMP protocol only")
    return {}


def cidr_text(call: Call, param: str = "cidrlist", default: str = "0.0.0.0/0") -> str:
    """The CIDR list parameter ``param`` (``default`` without it) as the rules hold it."""
    return ",".join(check_cidrs(call.list(param) or [default]))


def _protocol(call: Call) -> str:
    protocol = call.require("protocol").lower()
    if protocol not in _PROTOCOLS:
        raise invalid_value(f"Invalid protocol {protocol}; supported: tcp, udp, icmp, all")
    return protocol


def _same(a: Record, b: Record) -> bool:
    keys = ("protocol", "startport", "endport", "icmptype", "icmpcode", "cidrlist")
    return all(a.get(k) == b.get(k) for k in keys)


def add_firewall_rule(cloud: Cloud, ip: Record, protocol: str, ports: Record, cidrlist: str,
                      related: str | None = None) -> Record:
    """A firewall rule on ``ip``; an identical one already there: 537."""
    rule: Record = {"protocol": protocol, "cidrlist": cidrlist, **ports}
    for other in cloud.where("firewallrule", ipaddressid=ip["id"]):
        if _same(other, rule):
            if related is not None:
                return other
            raise ApiError(537, "There is already a firewall rule specified for the ip address "
                           f"id={ip['id']} with the same protocol, ports and cidrs",
                           CS.NETWORK_RULE_CONFLICT)
    rule.update({"ipaddressid": ip["id"], "ipaddress": ip["ipaddress"],
                 "networkid": ip.get("associatednetworkid"), "state": "Active",
                 "traffictype": "Ingress", "fordisplay": True, "tags": [],
                 "_projectid": ip.get("projectid"), "_related": related})
    return cloud.add("firewallrule", rule)


@command("createFirewallRule")
def create_firewall_rule(call: Call) -> Any:
    cloud = call.cloud
    ip = public_ip(call)
    if ip.get("vpcid"):
        raise invalid_value(f"Firewall rules can't be created on ip address {ip['ipaddress']} "
                            "of a VPC; use network ACLs")
    protocol = _protocol(call)
    rule = add_firewall_rule(cloud, ip, protocol, rule_ports(call, protocol), cidr_text(call))
    rule["state"] = "Add"
    return create_job(call, "firewallrule", rule, state="Active")


@command("listFirewallRules", list_key="firewallrule")
def list_firewall_rules(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("firewallrule"), key="_projectid",
                    text=("id", "ipaddressid", "networkid"), flags=("fordisplay",))


@command("deleteFirewallRule")
def delete_firewall_rule(call: Call) -> Any:
    return delete_job(call, "firewallrule")


@command("createEgressFirewallRule")
def create_egress_rule(call: Call) -> Any:
    cloud = call.cloud
    network = lookup(call, "network", "networkid")
    if network.get("type") != "Isolated" or network.get("vpcid"):
        raise invalid_value(f"Egress firewall rules are supported only on Isolated networks "
                            f"outside VPCs; network {network['name']} is not one")
    protocol = _protocol(call)
    rule: Record = {"protocol": protocol, "cidrlist": cidr_text(call, default=network["cidr"]),
                    **rule_ports(call, protocol)}
    # the server answers an egress rule's destination list joined, empty when none was given
    rule["destcidrlist"] = cidr_text(call, "destcidrlist") if call.has("destcidrlist") else ""
    for other in cloud.where("egressfirewallrule", networkid=network["id"]):
        if _same(other, rule) and other.get("destcidrlist") == rule.get("destcidrlist"):
            raise ApiError(537, "There is already a firewall rule specified for the network "
                           f"id={network['id']} with the same protocol, ports and cidrs",
                           CS.NETWORK_RULE_CONFLICT)
    rule.update({"networkid": network["id"], "state": "Add", "traffictype": "Egress",
                 "fordisplay": True, "tags": [], "_projectid": network.get("projectid")})
    return create_job(call, "egressfirewallrule", cloud.add("egressfirewallrule", rule),
                      result_key="firewallrule", state="Active")


@command("listEgressFirewallRules", list_key="firewallrule")
def list_egress_rules(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("egressfirewallrule"), key="_projectid",
                    text=("id", "networkid"), flags=("fordisplay",))


@command("deleteEgressFirewallRule")
def delete_egress_rule(call: Call) -> Any:
    return delete_job(call, "egressfirewallrule")
