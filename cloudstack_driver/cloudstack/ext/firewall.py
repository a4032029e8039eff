"""Ingress firewall rules (on public IPs) and egress firewall rules (on guest networks)."""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import check_choice, check_instance, check_optional_instance
from cloudstack_driver.cloudstack.ext._args import cidr_text, id_of, optional_int, optional_port
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import address_of_rule, addresses_by_id, entity
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackEgressFirewallRule,
    CloudStackFirewallRule,
    CloudStackNetwork,
)

__all__ = ["FirewallMixin"]

PROTOCOLS = ("tcp", "udp", "icmp", "all")


def _rule_params(method: str, cidr_list: Any, protocol: Any, icmp_code: Any, icmp_type: Any,
                 start_port: Any, end_port: Any) -> dict[str, Any]:
    """Checked ``cidrlist``, ``protocol``, ICMP and port parameters of a firewall rule."""
    proto = check_choice(method, "protocol", protocol, PROTOCOLS)
    params: dict[str, Any] = {
        "cidrlist": cidr_text(method, "cidr_list", cidr_list),
        "protocol": proto,
        "icmpcode": optional_int(method, "icmp_code", icmp_code, minimum=-1, maximum=255),
        "icmptype": optional_int(method, "icmp_type", icmp_type, minimum=-1, maximum=255),
        "startport": optional_port(method, "start_port", start_port),
        "endport": optional_port(method, "end_port", end_port),
    }
    if proto != "icmp" and (params["icmpcode"] is not None or params["icmptype"] is not None):
        raise ValueError(f"{method}(): 'icmp_code'/'icmp_type' apply to protocol 'icmp' only, "
                         f"not {protocol!r}")
    if proto not in ("tcp", "udp") and (params["startport"] or params["endport"]):
        raise ValueError(f"{method}(): 'start_port'/'end_port' apply to tcp and udp only, "
                         f"not {protocol!r}")
    if params["endport"] is not None and params["startport"] is None:
        raise ValueError(f"{method}(): 'end_port' needs 'start_port'")
    if params["endport"] is not None and params["endport"] < params["startport"]:
        raise ValueError(f"{method}(): 'end_port' ({params['endport']}) is below "
                         f"'start_port' ({params['startport']})")
    return params


class FirewallMixin(DriverHost):
    """``ex_list_firewall_rules``, ``ex_create_firewall_rule``, ``ex_delete_firewall_rule``
    and their egress twins."""

    def ex_list_firewall_rules(self, *, list_all: bool | None = None
                               ) -> list[CloudStackFirewallRule]:
        """Ingress firewall rules: ``listFirewallRules(listall?)``, all pages, then (when
        there are rules) one ``listPublicIpAddresses(listall?)`` for their addresses. No job.
        ``[]`` when empty."""
        listall = check_optional_instance("ex_list_firewall_rules", "list_all", list_all, bool)
        rules = self.connection.list("listFirewallRules", listall=listall)
        known: dict[str, CloudStackAddress] = {}
        if rules:
            known = addresses_by_id(
                self, self.connection.list("listPublicIpAddresses", listall=listall))
        return [CloudStackFirewallRule.from_record(self, r,
                                                   address=address_of_rule(self, r, known))
                for r in rules]

    def ex_create_firewall_rule(
        self,
        address: CloudStackAddress,
        cidr_list: str | list[str],
        protocol: str,
        icmp_code: int | None = None,
        icmp_type: int | None = None,
        start_port: int | None = None,
        end_port: int | None = None,
    ) -> CloudStackFirewallRule:
        """Allow traffic to a public IP: ``createFirewallRule(ipaddressid, cidrlist, protocol,
        icmpcode?, icmptype?, startport?, endport?)``; waits for the job. ``cidr_list`` is
        ``"0.0.0.0/0"``-style text (comma-separated) or a list; ``protocol`` tcp, udp, icmp or
        all. Returns the rule as the server reports it, with the values given here (as libcloud
        builds it: ``start_port`` is the int passed)."""
        m = "ex_create_firewall_rule"
        found = check_instance(m, "address", address, CloudStackAddress)
        params = _rule_params(m, cidr_list, protocol, icmp_code, icmp_type, start_port,
                              end_port)
        result = self.connection.request(
            "createFirewallRule", ipaddressid=id_of(m, "address", found, CloudStackAddress),
            **params)
        rule = CloudStackFirewallRule.from_record(self, entity(result, "firewallrule"),
                                                  address=found)
        return rule._given(cidr_list=params["cidrlist"], protocol=protocol, icmp_code=icmp_code,
                          icmp_type=icmp_type, start_port=start_port, end_port=end_port)

    def ex_delete_firewall_rule(self, firewall_rule: CloudStackFirewallRule | str | int) -> bool:
        """Delete an ingress rule: ``deleteFirewallRule(id)``; waits for the job. True."""
        ident = id_of("ex_delete_firewall_rule", "firewall_rule", firewall_rule,
                      CloudStackFirewallRule)
        self.connection.request("deleteFirewallRule", id=ident)
        return True

    def ex_list_egress_firewall_rules(self, *, list_all: bool | None = None
                                      ) -> list[CloudStackEgressFirewallRule]:
        """Egress firewall rules: ``listEgressFirewallRules(listall?)``, all pages. No job.
        ``[]`` when the cloud answers ``{}`` (D5)."""
        listall = check_optional_instance("ex_list_egress_firewall_rules", "list_all",
                                          list_all, bool)
        return [CloudStackEgressFirewallRule.from_record(self, r)
                for r in self.connection.list("listEgressFirewallRules", listall=listall)]

    def ex_create_egress_firewall_rule(
        self,
        network_id: CloudStackNetwork | str | int,
        cidr_list: str | list[str],
        protocol: str,
        icmp_code: int | None = None,
        icmp_type: int | None = None,
        start_port: int | None = None,
        end_port: int | None = None,
    ) -> CloudStackEgressFirewallRule:
        """Allow traffic out of a guest network: ``createEgressFirewallRule(networkid, cidrlist,
        protocol, icmpcode?, icmptype?, startport?, endport?)``; waits for the job. Returns
        the rule as the server reports it, with the values given here (``network_id`` too,
        as libcloud builds it)."""
        m = "ex_create_egress_firewall_rule"
        network = id_of(m, "network_id", network_id, CloudStackNetwork)
        params = _rule_params(m, cidr_list, protocol, icmp_code, icmp_type, start_port,
                              end_port)
        result = self.connection.request("createEgressFirewallRule", networkid=network,
                                          **params)
        rule = CloudStackEgressFirewallRule.from_record(self, entity(result, "firewallrule"),
                                                        network_id=network)
        return rule._given(network_id=network, cidr_list=params["cidrlist"], protocol=protocol,
                          icmp_code=icmp_code, icmp_type=icmp_type, start_port=start_port,
                          end_port=end_port)

    def ex_delete_egress_firewall_rule(self,
                                       firewall_rule: CloudStackEgressFirewallRule | str | int) -> bool:
        """Delete an egress rule: ``deleteEgressFirewallRule(id)``; waits for the job. True."""
        ident = id_of("ex_delete_egress_firewall_rule", "firewall_rule", firewall_rule,
                      CloudStackEgressFirewallRule)
        self.connection.request("deleteEgressFirewallRule", id=ident)
        return True
