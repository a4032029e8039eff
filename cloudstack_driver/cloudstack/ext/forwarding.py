"""Port forwarding and IP forwarding (static NAT) rules, and the networking details of nodes.

Rules are one object per CloudStack rule, their address matched by ``ipaddressid`` (D9). A rule
whose VM or IP was not loaded keeps the raw ids (``virtualmachine_id``, an address built from
the rule's ``ipaddressid``/``ipaddress``) instead of failing the list (D10). Forwarding-rule
protocols are upper-cased (``"TCP"``), as libcloud shows them on nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._validate import check_choice, check_instance, check_int, check_name
from cloudstack_driver.cloudstack import mappers, netmappers
from cloudstack_driver.cloudstack.ext._args import id_of, node_id, optional_id_of, optional_port
from cloudstack_driver.cloudstack.ext.addresses import add_public_ip
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.models import CloudStackNode
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackIPForwardingRule,
    CloudStackNetwork,
    CloudStackPortForwardingRule,
)
from cloudstack_driver.errors import UnsupportedCommandError
from cloudstack_driver.models import Node

__all__ = ["ForwardingMixin"]

#: snake_case filter argument -> CloudStack parameter (PARITY 4.8).
FILTER_NAMES: dict[str, str] = {
    "account": "account", "domain_id": "domainid", "id": "id", "ipaddress_id": "ipaddressid",
    "is_recursive": "isrecursive", "keyword": "keyword", "list_all": "listall",
    "network_id": "networkid", "page": "page", "page_size": "pagesize",
    "project_id": "projectid", "virtualmachine_id": "virtualmachineid",
}

PROTOCOLS = ("tcp", "udp")

Records = list[dict[str, Any]]


_BOOL_FILTERS = ("is_recursive", "list_all")
_INT_FILTERS = ("page", "page_size")


def _filters(method: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The given list filters under their CloudStack names, each checked first: flags are
    bools, ``page``/``page_size`` positive ints, the rest non-empty strings."""
    out: dict[str, Any] = {}
    for arg, value in values.items():
        if value is None:
            continue
        if arg in _BOOL_FILTERS:
            check_instance(method, arg, value, bool)
        elif arg in _INT_FILTERS:
            value = check_int(method, arg, value, minimum=1)
        else:
            check_name(method, arg, value)
        out[FILTER_NAMES[arg]] = value
    return out


def _by_vm(records: Records) -> dict[Any, Records]:
    grouped: dict[Any, Records] = {}
    for record in records:
        grouped.setdefault(record.get("virtualmachineid"), []).append(record)
    return grouped


def _still_used(node: Any, ip: str) -> bool:
    """Whether ``ip`` is still one of ``node``'s addresses after a rule went away."""
    extra = getattr(node, "extra", {}) or {}
    for key in ("port_forwarding_rules", "ip_forwarding_rules"):
        for rule in extra.get(key) or []:
            if getattr(getattr(rule, "address", None), "address", None) == ip:
                return True
    if any(getattr(a, "address", None) == ip for a in extra.get("ip_addresses") or []):
        return True
    nics = extra.get("nics") or []
    return any(isinstance(n, Mapping) and ip in (n.get("ipaddress"), n.get("ip6address"))
               for n in nics) or extra.get("public_ip") == ip


def _forget_rule(node: Any, key: str, rule: Any) -> None:
    """After a rule was deleted: drop it from ``node.extra[key]`` and its IP from
    ``node.public_ips`` unless something else on the node still uses it (D27)."""
    if node is None:
        return
    extra = getattr(node, "extra", None)
    cached = extra.get(key) if isinstance(extra, dict) else None
    if isinstance(cached, list):
        cached[:] = [r for r in cached if getattr(r, "id", None) != getattr(rule, "id", rule)]
    ip = getattr(getattr(rule, "address", None), "address", None)
    ips = getattr(node, "public_ips", None)
    if isinstance(ip, str) and isinstance(ips, list) and ip in ips and not _still_used(node, ip):
        ips.remove(ip)


def _remember_rule(node: Any, key: str, rule: Any) -> None:
    extra = getattr(node, "extra", None)
    if isinstance(extra, dict):
        cached = extra.setdefault(key, [])
        if isinstance(cached, list) and rule not in cached:
            cached.append(rule)
    add_public_ip(node, rule.address)


class ForwardingMixin(DriverHost):
    """Port-forwarding and IP-forwarding rules; fills nodes' public IPs and rules."""

    # -- lookups shared by the lists and by list_nodes ---------------------------------------
    def _lookup(self, command: str, **params: Any) -> Records:
        """A list command whose absence (432 on clouds that disable it) reads as empty."""
        try:
            return self.connection.list(command, **params)
        except UnsupportedCommandError:
            return []

    def _attach_network_details(self, nodes: list[CloudStackNode], *,
                                projectid: str | None = None,
                                zoneid: str | None = None) -> None:
        """One ``listPublicIpAddresses(projectid?, zoneid?)``, one
        ``listPortForwardingRules(projectid?)`` and one ``listIpForwardingRules(projectid?)``
        for all ``nodes``; each node gets only its own static-NAT addresses and rules (D8, D9,
        D10). A command the cloud does not offer (432) counts as an empty list."""
        if not nodes:
            return
        records = self._lookup("listPublicIpAddresses", projectid=projectid, zoneid=zoneid)
        addresses = [netmappers.to_address(self, r) for r in records]
        known = {a.id: a for a in addresses}
        pf_rules = _by_vm(self._lookup("listPortForwardingRules", projectid=projectid))
        ipf_rules = _by_vm(self._lookup("listIpForwardingRules", projectid=projectid))
        for node in nodes:
            own = [a for a in addresses if a.virtualmachine_id and a.virtualmachine_id == node.id]
            node.extra["ip_addresses"] = own
            node.extra["port_forwarding_rules"] = [
                netmappers.to_port_forwarding_rule(
                    self, r, node, netmappers.address_of_rule(self, r, known), upper=True)
                for r in pf_rules.get(node.id, [])]
            node.extra["ip_forwarding_rules"] = [
                netmappers.to_ip_forwarding_rule(
                    self, r, node, netmappers.address_of_rule(self, r, known), upper=True)
                for r in ipf_rules.get(node.id, [])]
            for address in own:
                add_public_ip(node, address)
            for rule in node.extra["port_forwarding_rules"] + node.extra["ip_forwarding_rules"]:
                add_public_ip(node, rule.address)

    def _rule_context(self, rules: Records, projectid: Any, listall: Any
                      ) -> tuple[dict[Any, CloudStackAddress], dict[Any, CloudStackNode]]:
        """The addresses and VMs the rules point to (one list call each; none for no rule)."""
        if not rules:
            return {}, {}
        ips = self._lookup("listPublicIpAddresses", projectid=projectid, listall=listall)
        vms = self.connection.list("listVirtualMachines", projectid=projectid, listall=listall)
        known = {r.get("id"): netmappers.to_address(self, r) for r in ips}
        nodes = {vm.get("id"): mappers.to_node(self, vm) for vm in vms}
        return known, nodes

    # -- port forwarding ---------------------------------------------------------------------
    def ex_list_port_forwarding_rules(
        self, account: str | None = None, domain_id: str | None = None, id: str | None = None,
        ipaddress_id: str | None = None, is_recursive: bool | None = None,
        keyword: str | None = None, list_all: bool | None = None,
        network_id: str | None = None, page: int | None = None,
        page_size: int | None = None, project_id: str | None = None,
    ) -> list[CloudStackPortForwardingRule]:
        """Port-forwarding rules: ``listPortForwardingRules`` with the given filters (CloudStack
        names, PARITY 4.8), then, when there are rules, one ``listPublicIpAddresses`` and one
        ``listVirtualMachines`` (same ``projectid``/``listall``) to attach their address and
        node. No job. The nodes carry no rule lists of their own."""
        params = _filters("ex_list_port_forwarding_rules", {
            "account": account, "domain_id": domain_id, "id": id, "ipaddress_id": ipaddress_id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "network_id": network_id, "page": page, "page_size": page_size,
            "project_id": project_id})
        rules = self.connection.list("listPortForwardingRules", **params)
        known, nodes = self._rule_context(rules, project_id, list_all)
        return [netmappers.to_port_forwarding_rule(
                    self, r, nodes.get(r.get("virtualmachineid")),
                    netmappers.address_of_rule(self, r, known), upper=True)
                for r in rules]

    def ex_create_port_forwarding_rule(
        self,
        node: Node,
        address: CloudStackAddress,
        private_port: int,
        public_port: int,
        protocol: str,
        public_end_port: int | None = None,
        private_end_port: int | None = None,
        openfirewall: bool = True,
        network_id: CloudStackNetwork | str | None = None,
    ) -> CloudStackPortForwardingRule:
        """Forward ``address``:``public_port`` to ``node``:``private_port``:
        ``createPortForwardingRule(ipaddressid, protocol, privateport, publicport,
        virtualmachineid, openfirewall, publicendport?, privateendport?, networkid?)``; waits
        for the job. The rule is added to ``node.extra["port_forwarding_rules"]`` and the IP to
        ``node.public_ips``. In a VPC pass ``openfirewall=False`` (VPCs use ACLs)."""
        m = "ex_create_port_forwarding_rule"
        vm = node_id(m, node)
        found = check_instance(m, "address", address, CloudStackAddress)
        params: dict[str, Any] = {
            "ipaddressid": id_of(m, "address", found, CloudStackAddress),
            "protocol": check_choice(m, "protocol", protocol, PROTOCOLS),
            "privateport": check_int(m, "private_port", private_port, minimum=1, maximum=65535),
            "publicport": check_int(m, "public_port", public_port, minimum=1, maximum=65535),
            "virtualmachineid": vm,
            "openfirewall": check_instance(m, "openfirewall", openfirewall, bool),
            "publicendport": optional_port(m, "public_end_port", public_end_port),
            "privateendport": optional_port(m, "private_end_port", private_end_port),
            "networkid": optional_id_of(m, "network_id", network_id, CloudStackNetwork),
        }
        result = self.connection.request("createPortForwardingRule", **params)
        record = netmappers.entity(result, "portforwardingrule")
        rule = netmappers.to_port_forwarding_rule(self, record, node, found, upper=True)
        _remember_rule(node, "port_forwarding_rules", rule)
        return rule

    def ex_delete_port_forwarding_rule(self, node: Node | None,
                                       rule: CloudStackPortForwardingRule | str) -> bool:
        """Delete a port-forwarding rule: ``deletePortForwardingRule(id)``; waits for the job.
        Then (D27) drops it from ``node``'s cached rules and its IP from ``node.public_ips``
        when nothing else there uses it; a rule ``node`` never cached is fine. True."""
        m = "ex_delete_port_forwarding_rule"
        if node is not None:
            check_instance(m, "node", node, Node)
        ident = id_of(m, "rule", rule, CloudStackPortForwardingRule)
        self.connection.request("deletePortForwardingRule", id=ident)
        _forget_rule(node, "port_forwarding_rules", rule)
        return True

    # -- IP forwarding (static NAT) ----------------------------------------------------------
    def ex_list_ip_forwarding_rules(
        self, account: str | None = None, domain_id: str | None = None, id: str | None = None,
        ipaddress_id: str | None = None, is_recursive: bool | None = None,
        keyword: str | None = None, list_all: bool | None = None, page: int | None = None,
        page_size: int | None = None, project_id: str | None = None,
        virtualmachine_id: str | None = None,
    ) -> list[CloudStackIPForwardingRule]:
        """IP-forwarding rules: ``listIpForwardingRules`` with the given filters, then, when
        there are rules, one ``listPublicIpAddresses`` and one ``listVirtualMachines``. No
        job."""
        params = _filters("ex_list_ip_forwarding_rules", {
            "account": account, "domain_id": domain_id, "id": id, "ipaddress_id": ipaddress_id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "page": page, "page_size": page_size, "project_id": project_id,
            "virtualmachine_id": virtualmachine_id})
        rules = self.connection.list("listIpForwardingRules", **params)
        known, nodes = self._rule_context(rules, project_id, list_all)
        return [netmappers.to_ip_forwarding_rule(
                    self, r, nodes.get(r.get("virtualmachineid")),
                    netmappers.address_of_rule(self, r, known), upper=True)
                for r in rules]

    def ex_create_ip_forwarding_rule(self, node: Node, address: CloudStackAddress,
                                     protocol: str, start_port: int,
                                     end_port: int | None = None) -> CloudStackIPForwardingRule:
        """Open ports of a static-NAT address: ``createIpForwardingRule(ipaddressid, protocol,
        startport, endport?)``; waits for the job. The address must be NATed to ``node`` first
        (:meth:`ex_enable_static_nat`). ``protocol`` is TCP or UDP (else ``ValueError``, D26).
        The rule is added to ``node.extra["ip_forwarding_rules"]``."""
        m = "ex_create_ip_forwarding_rule"
        node_id(m, node)
        found = check_instance(m, "address", address, CloudStackAddress)
        params: dict[str, Any] = {
            "ipaddressid": id_of(m, "address", found, CloudStackAddress),
            "protocol": check_choice(m, "protocol", protocol, PROTOCOLS),
            "startport": check_int(m, "start_port", start_port, minimum=1, maximum=65535),
            "endport": optional_port(m, "end_port", end_port),
        }
        result = self.connection.request("createIpForwardingRule", **params)
        record = netmappers.entity(result, "ipforwardingrule")
        rule = netmappers.to_ip_forwarding_rule(self, record, node, found, upper=True)
        _remember_rule(node, "ip_forwarding_rules", rule)
        return rule

    def ex_delete_ip_forwarding_rule(self, node: Node | None,
                                     rule: CloudStackIPForwardingRule | str) -> bool:
        """Delete an IP-forwarding rule: ``deleteIpForwardingRule(id)``; waits for the job.
        Then updates ``node``'s caches as :meth:`ex_delete_port_forwarding_rule`. True."""
        m = "ex_delete_ip_forwarding_rule"
        if node is not None:
            check_instance(m, "node", node, Node)
        ident = id_of(m, "rule", rule, CloudStackIPForwardingRule)
        self.connection.request("deleteIpForwardingRule", id=ident)
        _forget_rule(node, "ip_forwarding_rules", rule)
        return True

