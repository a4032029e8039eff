"""Security groups and their rules: typed models that are also the dicts libcloud returned.

libcloud handed scripts the raw CloudStack dicts (``sg["name"]``, ``sg["ingressrule"]``), so
these models subclass ``dict`` and keep every raw field under its CloudStack name (D37). The
attributes (``sg.name``, ``sg.ingress_rules``, ``rule.start_port`` ...) read the same dict, so
the two views never disagree. ``repr`` is the dict's, so ``pprint(sg)`` prints what it printed
with libcloud.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._awaitable import then
from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.http.envelope import as_int

__all__ = ["CloudStackSecurityGroup", "CloudStackSecurityGroupRule", "SecurityGroupRuleError"]


class SecurityGroupRuleError(LibcloudError, ValueError):
    """A security-group rule argument is wrong (raised before any request).

    Both a ``ValueError`` and libcloud's ``LibcloudError`` (what libcloud raised for these
    mistakes), so either ``except`` clause catches it. The message names the argument.
    """


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


class CloudStackSecurityGroupRule(dict[str, Any]):
    """One ingress or egress rule of a security group.

    The dict holds CloudStack's fields (``ruleid``, ``protocol``, ``cidr``, ``startport``,
    ``endport``, ``icmptype``, ``icmpcode``, ``securitygroupname``, ``account``, ``tags``).

    :ivar direction: ``"ingress"`` or ``"egress"`` (not a CloudStack field, not in the dict)
    """

    def __init__(self, record: Mapping[str, Any], direction: str = "ingress") -> None:
        super().__init__(record)
        self.direction = direction

    @property
    def id(self) -> str | None:
        """The rule id (``ruleid``): pass it to ``ex_revoke_security_group_ingress``."""
        return _text_or_none(self.get("ruleid", self.get("id")))

    @property
    def protocol(self) -> str | None:
        """``tcp``, ``udp``, ``icmp``, ``all`` or a protocol number, as the server sent it."""
        return _text_or_none(self.get("protocol"))

    @property
    def cidr(self) -> str | None:
        """The CIDR the rule admits (absent for rules naming other security groups)."""
        return _text_or_none(self.get("cidr"))

    @property
    def start_port(self) -> int | None:
        """First port (TCP/UDP rules)."""
        return as_int(self.get("startport"))

    @property
    def end_port(self) -> int | None:
        """Last port (TCP/UDP rules)."""
        return as_int(self.get("endport"))

    @property
    def icmp_type(self) -> int | None:
        """ICMP type (ICMP rules; -1 = any)."""
        return as_int(self.get("icmptype"))

    @property
    def icmp_code(self) -> int | None:
        """ICMP code (ICMP rules; -1 = any)."""
        return as_int(self.get("icmpcode"))

    @property
    def security_group_name(self) -> str | None:
        """The group the rule admits traffic from, for group-to-group rules."""
        return _text_or_none(self.get("securitygroupname"))


def _rules(values: Any, direction: str) -> list[CloudStackSecurityGroupRule]:
    if not isinstance(values, list):
        return []
    return [CloudStackSecurityGroupRule(v, direction) for v in values if isinstance(v, Mapping)]


class CloudStackSecurityGroup(dict[str, Any]):
    """A security group: CloudStack's record as a dict, plus typed attributes.

    ``sg["name"]``, ``sg["ingressrule"]`` and the other raw keys work as with libcloud; the
    rule lists hold :class:`CloudStackSecurityGroupRule` objects (also dicts).

    :ivar driver: the driver that listed the group (not in the dict)
    """

    def __init__(self, record: Mapping[str, Any], driver: Any = None) -> None:
        super().__init__(record)
        self["ingressrule"] = _rules(record.get("ingressrule"), "ingress")
        self["egressrule"] = _rules(record.get("egressrule"), "egress")
        self.driver = driver

    @property
    def id(self) -> str | None:
        """The group's id."""
        return _text_or_none(self.get("id"))

    @property
    def name(self) -> str | None:
        """The group's name (unique per account)."""
        return _text_or_none(self.get("name"))

    @property
    def description(self) -> str | None:
        """The description given at creation."""
        return _text_or_none(self.get("description"))

    @property
    def account(self) -> str | None:
        """The owning account."""
        return _text_or_none(self.get("account"))

    @property
    def domain_id(self) -> str | None:
        """The owning domain's id."""
        return _text_or_none(self.get("domainid"))

    @property
    def project_id(self) -> str | None:
        """The owning project's id, for project groups."""
        return _text_or_none(self.get("projectid"))

    @property
    def ingress_rules(self) -> list[CloudStackSecurityGroupRule]:
        """Rules for traffic into the group's VMs."""
        rules = self.get("ingressrule")
        return rules if isinstance(rules, list) else []

    @property
    def egress_rules(self) -> list[CloudStackSecurityGroupRule]:
        """Rules for traffic out of the group's VMs."""
        rules = self.get("egressrule")
        return rules if isinstance(rules, list) else []

    @property
    def tags(self) -> dict[str, Any]:
        """Tags as ``{key: value}``."""
        return {str(t.get("key")): t.get("value") for t in (self.get("tags") or [])
                if isinstance(t, Mapping) and t.get("key") is not None}

    @property
    def virtual_machine_ids(self) -> list[str]:
        """Ids of the VMs in the group (servers from 4.15 report them)."""
        ids = self.get("virtualmachineids") or []
        return [str(i) for i in ids] if isinstance(ids, list) else []

    def delete(self) -> bool:
        """``driver.ex_delete_security_group(name=self)``: ``deleteSecurityGroup(id)``."""
        if self.driver is None:
            raise ValueError("this security group has no driver to delete it with")
        return then(self.driver.ex_delete_security_group(name=self), bool)
