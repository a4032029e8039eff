"""What port forwarding and IP forwarding share: a table of what differs between the two
rule kinds, and the upkeep of a node's cached rules and public IPs (D27)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cloudstack_driver._schema import ident
from cloudstack_driver.cloudstack.ext.addresses import add_public_ip
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackIPForwardingRule,
    CloudStackPortForwardingRule,
)

__all__ = ["IP", "PORT", "Kind", "Records", "RuleT", "by_vm", "forget_rule", "remember_rule"]

Records = list[dict[str, Any]]
RuleT = TypeVar("RuleT", CloudStackPortForwardingRule, CloudStackIPForwardingRule)


@dataclass(frozen=True)
class Kind(Generic[RuleT]):
    """What differs between port forwarding and IP forwarding: the commands, the key of the
    created rule in the job result, the ``node.extra`` key of a node's rules, the model."""

    lister: str
    creator: str
    deleter: str
    entity: str
    cache: str
    cls: type[RuleT]


PORT = Kind("listPortForwardingRules", "createPortForwardingRule", "deletePortForwardingRule",
            "portforwardingrule", "port_forwarding_rules", CloudStackPortForwardingRule)
IP = Kind("listIpForwardingRules", "createIpForwardingRule", "deleteIpForwardingRule",
          "ipforwardingrule", "ip_forwarding_rules", CloudStackIPForwardingRule)


def by_vm(records: Records) -> dict[str | None, Records]:
    """Rule records grouped by their ``virtualmachineid`` (as ``str``)."""
    grouped: dict[str | None, Records] = {}
    for record in records:
        grouped.setdefault(ident(record.get("virtualmachineid")), []).append(record)
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


def forget_rule(node: Any, key: str, rule: Any) -> None:
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


def remember_rule(node: Any, key: str, rule: Any) -> None:
    """After a rule was created: add it to ``node.extra[key]`` and its IP to
    ``node.public_ips``."""
    extra = getattr(node, "extra", None)
    if isinstance(extra, dict):
        cached = extra.setdefault(key, [])
        if isinstance(cached, list) and rule not in cached:
            cached.append(rule)
    add_public_ip(node, rule.address)
