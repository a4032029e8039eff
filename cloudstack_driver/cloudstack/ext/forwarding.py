"""Port forwarding and IP forwarding (static NAT) rules, and the networking details of nodes.

Rules are one object per CloudStack rule, their address matched by ``ipaddressid`` (D9). A rule
whose VM or IP was not loaded keeps the raw ids (``virtualmachine_id``, an address built from
the rule's ``ipaddressid``/``ipaddress``) instead of failing the list (D10). As in libcloud,
the rules ``list_nodes`` puts on nodes carry the protocol upper-cased (``"TCP"``), listed rules
the server's, created rules the caller's (with the ports the caller passed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudstack_driver._schema import ident
from cloudstack_driver._validate import check_choice, check_instance, check_int
from cloudstack_driver.cloudstack.ext._args import (
    id_of,
    list_filters,
    node_id,
    optional_id_of,
    optional_port,
)
from cloudstack_driver.cloudstack.ext._rules import (
    IP,
    PORT,
    Kind,
    Records,
    RuleT,
    by_vm,
    forget_rule,
    remember_rule,
)
from cloudstack_driver.cloudstack.ext.addresses import add_public_ip
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import address_of_rule, addresses_by_id, entity
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

PROTOCOLS = ("tcp", "udp")

#: The ``extra`` keys ``_attach_network_details`` fills.
_NETWORK_KEYS = ("ip_addresses", PORT.cache, IP.cache)


def _refill(extra: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """``extra[key]`` becomes a new list of ``items``; the empty list ``from_record`` put
    there is filled rather than replaced (no list made only to be dropped)."""
    current = extra.get(key)
    if type(current) is list and not current:
        current.extend(items)
    else:
        extra[key] = list(items)


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
                                projectid: str | None = None, zoneid: str | None = None,
                                listall: bool | None = None) -> None:
        """One ``listPublicIpAddresses(projectid?, zoneid?, listall?)``, one
        ``listPortForwardingRules(projectid?, listall?)`` and one
        ``listIpForwardingRules(projectid?, listall?)`` for all ``nodes``; each node gets only
        its own static-NAT addresses and rules (D8, D9, D10). A command the cloud does not
        offer (432) counts as an empty list."""
        if not nodes:
            return
        records = self._lookup("listPublicIpAddresses", projectid=projectid, zoneid=zoneid,
                               listall=listall)
        known = addresses_by_id(self, records)
        by_node: dict[str, list[CloudStackAddress]] = {}
        for address in known.values():
            if address.virtualmachine_id:
                by_node.setdefault(address.virtualmachine_id, []).append(address)
        kinds: list[tuple[Kind[Any], dict[Any, Records]]] = [
            (kind, by_vm(self._lookup(kind.lister, projectid=projectid, listall=listall)))
            for kind in (PORT, IP)]
        # One pass over the nodes, each finding its own addresses and rules by id (dicts
        # built above), so the work is nodes + addresses + rules, never their product. Most
        # nodes have none: their empty lists (from from_record) are kept as they are.
        busy = set(by_node)
        for _, grouped in kinds:
            busy.update(grouped)
        for node in nodes:
            extra = node.extra
            if node.id not in busy:
                for key in _NETWORK_KEYS:
                    current = extra.get(key)
                    if type(current) is not list or current:
                        extra[key] = []
                continue
            own = by_node.get(node.id) if node.id else None
            _refill(extra, "ip_addresses", own or ())
            for kind, grouped in kinds:
                found = grouped.get(node.id)
                _refill(extra, kind.cache, [
                    kind.cls.from_record(self, r, node=node,
                                         address=address_of_rule(self, r, known), upper=True)
                    for r in found] if found else ())
            for address in own or ():
                add_public_ip(node, address)
            for kind, _ in kinds:
                for rule in extra[kind.cache]:
                    add_public_ip(node, rule.address)

    def _rule_context(self, rules: Records, projectid: Any, listall: Any
                      ) -> tuple[dict[str, CloudStackAddress], dict[str, CloudStackNode]]:
        """The addresses and VMs the rules point to (one list call each; none for no rule),
        keyed by ``str`` id whatever type the server gave."""
        if not rules:
            return {}, {}
        ips = self._lookup("listPublicIpAddresses", projectid=projectid, listall=listall)
        vms = self.connection.list("listVirtualMachines", projectid=projectid, listall=listall)
        found = (CloudStackNode.from_record(self, vm) for vm in vms)
        return addresses_by_id(self, ips), {n.id: n for n in found if n.id is not None}

    # -- the steps both rule kinds share -----------------------------------------------------
    def _list_rules(self, kind: Kind[RuleT], params: dict[str, Any]) -> list[RuleT]:
        """``kind``'s list command with the checked filters, each rule with its address and
        node (:meth:`_rule_context`, same ``projectid``/``listall``)."""
        rules = self.connection.list(kind.lister, **params)
        known, nodes = self._rule_context(rules, params.get("projectid"), params.get("listall"))
        return [kind.cls.from_record(self, r, node=nodes.get(ident(r.get("virtualmachineid")) or ""),
                                     address=address_of_rule(self, r, known))
                for r in rules]

    def _create_rule(self, kind: Kind[RuleT], node: Node, address: CloudStackAddress,
                     params: dict[str, Any], given: dict[str, Any]) -> RuleT:
        """``kind``'s create command (waits for the job); the rule keeps the ``given``
        arguments (as libcloud builds it from them) and is cached on ``node``."""
        result = self.connection.request(kind.creator, **params)
        rule = kind.cls.from_record(self, entity(result, kind.entity), node=node,
                                    address=address)
        rule._given(**given)
        remember_rule(node, kind.cache, rule)
        return rule

    def _delete_rule(self, kind: Kind[Any], method: str, node: Node | None,
                     rule: object) -> bool:
        """``kind``'s delete command (waits for the job), then ``node``'s caches (D27)."""
        if node is not None:
            check_instance(method, "node", node, Node)
        ident = id_of(method, "rule", rule, kind.cls)
        self.connection.request(kind.deleter, id=ident)
        forget_rule(node, kind.cache, rule)
        return True

    # -- port forwarding ---------------------------------------------------------------------
    def ex_list_port_forwarding_rules(
        self, account: str | None = None, domain_id: str | int | None = None, id: str | int | None = None,
        ipaddress_id: str | int | None = None, is_recursive: bool | None = None,
        keyword: str | None = None, list_all: bool | None = None,
        network_id: str | int | None = None, page: int | None = None,
        page_size: int | None = None, project_id: str | int | None = None,
    ) -> list[CloudStackPortForwardingRule]:
        """Port-forwarding rules: ``listPortForwardingRules`` with the given filters (CloudStack
        names, PARITY 4.8), then, when there are rules, one ``listPublicIpAddresses`` and one
        ``listVirtualMachines`` (same ``projectid``/``listall``) to attach their address and
        node. No job. The nodes carry no rule lists of their own."""
        return self._list_rules(PORT, list_filters("ex_list_port_forwarding_rules", {
            "account": account, "domain_id": domain_id, "id": id, "ipaddress_id": ipaddress_id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "network_id": network_id, "page": page, "page_size": page_size,
            "project_id": project_id}))

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
        network_id: CloudStackNetwork | str | int | None = None,
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
        return self._create_rule(PORT, node, found, params, {
            "protocol": protocol, "public_port": public_port,
            "private_port": private_port, "public_end_port": public_end_port,
            "private_end_port": private_end_port, "network_id": params["networkid"]})

    def ex_delete_port_forwarding_rule(self, node: Node | None,
                                       rule: CloudStackPortForwardingRule | str | int) -> bool:
        """Delete a port-forwarding rule: ``deletePortForwardingRule(id)``; waits for the job.
        Then (D27) drops it from ``node``'s cached rules and its IP from ``node.public_ips``
        when nothing else there uses it; a rule ``node`` never cached is fine. True."""
        return self._delete_rule(PORT, "ex_delete_port_forwarding_rule", node, rule)

    # -- IP forwarding (static NAT) ----------------------------------------------------------
    def ex_list_ip_forwarding_rules(
        self, account: str | None = None, domain_id: str | int | None = None, id: str | int | None = None,
        ipaddress_id: str | int | None = None, is_recursive: bool | None = None,
        keyword: str | None = None, list_all: bool | None = None, page: int | None = None,
        page_size: int | None = None, project_id: str | int | None = None,
        virtualmachine_id: str | int | None = None,
    ) -> list[CloudStackIPForwardingRule]:
        """IP-forwarding rules: ``listIpForwardingRules`` with the given filters, then, when
        there are rules, one ``listPublicIpAddresses`` and one ``listVirtualMachines``. No
        job."""
        return self._list_rules(IP, list_filters("ex_list_ip_forwarding_rules", {
            "account": account, "domain_id": domain_id, "id": id, "ipaddress_id": ipaddress_id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "page": page, "page_size": page_size, "project_id": project_id,
            "virtualmachine_id": virtualmachine_id}))

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
        return self._create_rule(IP, node, found, params, {
            "protocol": protocol, "start_port": start_port,
            "end_port": end_port})

    def ex_delete_ip_forwarding_rule(self, node: Node | None,
                                     rule: CloudStackIPForwardingRule | str | int) -> bool:
        """Delete an IP-forwarding rule: ``deleteIpForwardingRule(id)``; waits for the job.
        Then updates ``node``'s caches as :meth:`ex_delete_port_forwarding_rule`. True."""
        return self._delete_rule(IP, "ex_delete_ip_forwarding_rule", node, rule)

