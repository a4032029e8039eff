"""Security groups (basic zones and security-group-enabled advanced zones).

libcloud's five ``ex_*`` methods with their argument names, plus the egress pair libcloud never
had. Results are :class:`~cloudstack_driver.cloudstack.sgmodels.CloudStackSecurityGroup`
objects: typed, and still the dicts libcloud returned (``sg["name"]``).

Rule arguments are checked before anything is sent; a bad one raises
:class:`~cloudstack_driver.cloudstack.sgmodels.SecurityGroupRuleError`, which is both a
``ValueError`` and libcloud's ``LibcloudError``, and names the argument.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from cloudstack_driver._convert import to_bool
from cloudstack_driver._validate import (
    check_id,
    check_instance,
    check_int,
    check_name,
    check_no_unknown,
)
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.sgmodels import (
    CloudStackSecurityGroup,
    CloudStackSecurityGroupRule,
    SecurityGroupRuleError,
)
from cloudstack_driver.errors import LibcloudError

__all__ = ["SecurityGroupsMixin"]

#: Filters ``ex_list_security_groups`` passes to ``listSecurityGroups`` (libcloud's list).
LIST_FILTERS = ("domainid", "account", "listall", "pagesize", "keyword", "tags", "id",
                "securitygroupname", "virtualmachineid", "projectid", "isrecursive", "page")
#: Owner parameters of ``createSecurityGroup`` / ``deleteSecurityGroup``.
OWNER_PARAMS = ("account", "domainid", "projectid")
#: Extra parameters of ``authorizeSecurityGroupIngress`` / ``...Egress``.
RULE_EXTRAS = ("account", "domainid", "projectid", "securitygroupid", "usersecuritygrouplist")

_PORT_PROTOCOLS = ("tcp", "udp")


def _tags_param(tags: Any) -> Any:
    """``{"env": "prod"}`` -> ``[{"key": "env", "value": "prod"}]``; lists pass unchanged."""
    if isinstance(tags, dict) and "key" not in tags:
        return [{"key": str(k), "value": v} for k, v in tags.items()]
    return tags


def _cidrs(method: str, cidrlist: object) -> list[str]:
    values = cidrlist.split(",") if isinstance(cidrlist, str) else cidrlist
    if not isinstance(values, (list, tuple)) or not values:
        raise SecurityGroupRuleError(
            f"{method}(): 'cidrlist' must be a CIDR string (\"0.0.0.0/0\", comma-separated for "
            f"several) or a list of them, got {cidrlist!r}")
    out: list[str] = []
    for value in values:
        text = value.strip() if isinstance(value, str) else None
        try:
            ipaddress.ip_network(text or "", strict=False)
        except ValueError:
            raise SecurityGroupRuleError(
                f"{method}(): 'cidrlist' holds {value!r}, which is not a CIDR "
                f"(\"10.0.0.0/8\", \"2001:db8::/32\")") from None
        out.append(str(text))
    return out


def _protocol(method: str, protocol: object) -> str:
    if isinstance(protocol, int) and not isinstance(protocol, bool):
        protocol = str(protocol)
    if not isinstance(protocol, str) or not protocol.strip():
        raise SecurityGroupRuleError(
            f"{method}(): 'protocol' must be tcp, udp, icmp, all or a protocol number, "
            f"got {protocol!r}")
    text = protocol.strip().lower()
    if text in (*_PORT_PROTOCOLS, "icmp", "all"):
        return text
    if text.isdigit() and 0 <= int(text) <= 255:
        return text
    raise SecurityGroupRuleError(
        f"{method}(): 'protocol' must be tcp, udp, icmp, all or a protocol number 0-255, "
        f"got {protocol!r}")


def _rule_int(method: str, arg: str, value: object, low: int, high: int) -> int:
    try:
        return check_int(method, arg, value, minimum=low, maximum=high)
    except (TypeError, ValueError) as exc:
        raise SecurityGroupRuleError(str(exc)) from None


def rule_params(method: str, protocol: object, cidrlist: object, startport: object,
                endport: object, icmptype: object, icmpcode: object) -> dict[str, Any]:
    """The checked parameters of one rule (shared by ingress and egress)."""
    proto = _protocol(method, protocol)
    params: dict[str, Any] = {"protocol": proto, "cidrlist": _cidrs(method, cidrlist)}
    if proto in _PORT_PROTOCOLS:
        for arg, value in (("icmptype", icmptype), ("icmpcode", icmpcode)):
            if value is not None:
                raise SecurityGroupRuleError(
                    f"{method}(): {arg!r} applies to ICMP rules only, not {proto}")
        if startport is None:
            raise SecurityGroupRuleError(f"{method}(): 'startport' is required for {proto} rules")
        start = _rule_int(method, "startport", startport, 0, 65535)
        end = start if endport is None else _rule_int(method, "endport", endport, 0, 65535)
        if end < start:
            raise SecurityGroupRuleError(
                f"{method}(): 'endport' ({end}) must not be below 'startport' ({start})")
        params.update(startport=start, endport=end)
    elif proto == "icmp":
        for arg, value in (("startport", startport), ("endport", endport)):
            if value is not None:
                raise SecurityGroupRuleError(
                    f"{method}(): {arg!r} applies to TCP and UDP rules only, not icmp")
        params["icmptype"] = -1 if icmptype is None else _rule_int(
            method, "icmptype", icmptype, -1, 255)
        params["icmpcode"] = -1 if icmpcode is None else _rule_int(
            method, "icmpcode", icmpcode, -1, 255)
    else:
        for arg, value in (("startport", startport), ("endport", endport),
                           ("icmptype", icmptype), ("icmpcode", icmpcode)):
            if value is not None:
                raise SecurityGroupRuleError(
                    f"{method}(): {arg!r} does not apply to protocol {proto!r}")
    return params


def _rule_id(method: str, rule_id: object) -> str:
    if isinstance(rule_id, CloudStackSecurityGroupRule):
        if not rule_id.id:
            raise ValueError(f"{method}(): 'rule_id' is a rule without an id")
        return rule_id.id
    return check_id(method, "rule_id", rule_id)


class SecurityGroupsMixin(DriverHost):
    """``ex_list_security_groups``, ``ex_create_security_group``, ``ex_delete_security_group``,
    ``ex_authorize_security_group_ingress`` / ``egress``, ``ex_revoke_security_group_ingress``
    / ``egress``."""

    def ex_list_security_groups(self, **kwargs: Any) -> list[CloudStackSecurityGroup]:
        """Security groups: ``listSecurityGroups`` with the given filters (``domainid``,
        ``account``, ``listall``, ``pagesize``, ``keyword``, ``tags`` (a ``{key: value}``
        dict), ``id``, ``securitygroupname``, ``virtualmachineid``, ``projectid``,
        ``isrecursive``, ``page``), all pages unless ``page`` is given. No job."""
        check_no_unknown("ex_list_security_groups", kwargs, LIST_FILTERS)
        if "tags" in kwargs:
            kwargs["tags"] = _tags_param(kwargs["tags"])
        records = self.connection.list("listSecurityGroups", **kwargs)
        return [CloudStackSecurityGroup(r, driver=self) for r in records]

    def _groups_named(self, name: str, owner: dict[str, Any]) -> list[CloudStackSecurityGroup]:
        return [g for g in self.ex_list_security_groups(securitygroupname=name, **owner)
                if g.name == name]

    def ex_create_security_group(self, name: str, **kwargs: Any) -> CloudStackSecurityGroup:
        """Create a group: ``listSecurityGroups(securitygroupname)`` to refuse a duplicate,
        then ``createSecurityGroup(name, description?, account?, domainid?, projectid?)``
        (synchronous).

        Names are compared exactly: ``web`` may be created while ``webserver`` exists. An
        existing group of the same name raises ``LibcloudError`` naming it.
        """
        m = "ex_create_security_group"
        check_name(m, "name", name)
        check_no_unknown(m, kwargs, (*OWNER_PARAMS, "description"))
        if kwargs.get("description") is not None:
            check_instance(m, "description", kwargs["description"], str)
        owner = {k: v for k, v in kwargs.items() if k in OWNER_PARAMS}
        if self._groups_named(name, owner):
            raise LibcloudError(f"{m}(): a security group named {name!r} already exists",
                                driver=self)
        result = self.connection.request("createSecurityGroup", name=name, **kwargs)
        return CloudStackSecurityGroup(result.get("securitygroup") or {"name": name},
                                       driver=self)

    def ex_delete_security_group(self, name: str | CloudStackSecurityGroup,
                                 **kwargs: Any) -> bool:
        """Delete a security group: ``deleteSecurityGroup(name)`` as libcloud sends it, or
        ``deleteSecurityGroup(id)`` for a listed :class:`CloudStackSecurityGroup`
        (synchronous). Nothing is listed first: the server says whether the group exists
        (``CloudStackError`` when it does not).

        ``kwargs``: ``account``, ``domainid``, ``projectid``. Returns a ``bool`` (libcloud
        returned the string ``"true"``, D36).
        """
        m = "ex_delete_security_group"
        check_no_unknown(m, kwargs, OWNER_PARAMS)
        if isinstance(name, CloudStackSecurityGroup):
            group_id = name.id
            if not group_id:
                raise ValueError(f"{m}(): 'name' security group has no id: {name!r}"[:200])
            result = self.connection.request("deleteSecurityGroup", id=group_id, **kwargs)
        else:
            result = self.connection.request("deleteSecurityGroup",
                                             name=check_name(m, "name", name), **kwargs)
        return to_bool(result.get("success")) is True

    def _authorize(self, command: str, method: str, securitygroupname: str | None,
                   protocol: Any, cidrlist: Any, startport: Any, endport: Any, icmptype: Any,
                   icmpcode: Any, kwargs: dict[str, Any]) -> CloudStackSecurityGroup:
        check_no_unknown(method, kwargs, RULE_EXTRAS)
        if securitygroupname is None and kwargs.get("securitygroupid") is None:
            raise ValueError(f"{method}(): 'securitygroupname' is required")
        if securitygroupname is not None:
            check_name(method, "securitygroupname", securitygroupname)
        params = rule_params(method, protocol, cidrlist, startport, endport, icmptype,
                             icmpcode)
        result = self.connection.request(command, securitygroupname=securitygroupname,
                                         **params, **kwargs)
        return CloudStackSecurityGroup(result.get("securitygroup") or {}, driver=self)

    def _revoke(self, command: str, method: str, rule_id: object) -> bool:
        result = self.connection.request(command, id=_rule_id(method, rule_id))
        return to_bool(result.get("success")) is not False

    def ex_authorize_security_group_ingress(
        self,
        securitygroupname: str,
        protocol: str,
        cidrlist: str | list[str],
        startport: int | str | None = None,
        endport: int | str | None = None,
        icmptype: int | str | None = None,
        icmpcode: int | str | None = None,
        **kwargs: Any,
    ) -> CloudStackSecurityGroup:
        """Allow traffic in: ``authorizeSecurityGroupIngress``; waits for the job.

        ``protocol``: tcp, udp, icmp, all or a number (any case). TCP/UDP need ``startport``
        (``endport`` defaults to it) and take no ICMP fields; ICMP takes ``icmptype`` /
        ``icmpcode`` (default -1, any) and no ports. ``cidrlist``: a CIDR, comma-separated
        CIDRs or a list. ``kwargs``: ``account``, ``domainid``, ``projectid``,
        ``securitygroupid``, ``usersecuritygrouplist``. Returns the group with the new
        rule(s) (the job's ``securitygroup``).
        """
        return self._authorize("authorizeSecurityGroupIngress",
                               "ex_authorize_security_group_ingress", securitygroupname,
                               protocol, cidrlist, startport, endport, icmptype, icmpcode,
                               kwargs)

    def ex_authorize_security_group_egress(
        self,
        securitygroupname: str,
        protocol: str,
        cidrlist: str | list[str],
        startport: int | str | None = None,
        endport: int | str | None = None,
        icmptype: int | str | None = None,
        icmpcode: int | str | None = None,
        **kwargs: Any,
    ) -> CloudStackSecurityGroup:
        """Allow traffic out: ``authorizeSecurityGroupEgress``; waits for the job. Arguments
        and checks as :meth:`ex_authorize_security_group_ingress` (``cidrlist`` is the
        destination)."""
        return self._authorize("authorizeSecurityGroupEgress",
                               "ex_authorize_security_group_egress", securitygroupname,
                               protocol, cidrlist, startport, endport, icmptype, icmpcode,
                               kwargs)

    def ex_revoke_security_group_ingress(self, rule_id: str | CloudStackSecurityGroupRule
                                         ) -> bool:
        """Remove an ingress rule: ``revokeSecurityGroupIngress(id)``; waits for the job.
        ``rule_id`` is the rule's ``ruleid`` (or the rule object). True on success."""
        return self._revoke("revokeSecurityGroupIngress", "ex_revoke_security_group_ingress",
                            rule_id)

    def ex_revoke_security_group_egress(self, rule_id: str | CloudStackSecurityGroupRule
                                        ) -> bool:
        """Remove an egress rule: ``revokeSecurityGroupEgress(id)``; waits for the job.
        True on success."""
        return self._revoke("revokeSecurityGroupEgress", "ex_revoke_security_group_egress",
                            rule_id)
