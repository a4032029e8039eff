"""What the server's ParamProcessWorker does to a command's parameters before the command runs.

For each known, non-empty parameter, by its type in the 4.18 spec:

* ``string``: longer than the spec's ``length`` -> 431;
* ``short``/``integer``/``long``: a value Java cannot parse -> 431;
* ``date``: parsed as ``yyyy-MM-dd`` (trailing text ignored, no lenient dates); the events and
  alerts commands and ``listUsageRecords`` also take ``yyyy-MM-dd HH:mm:ss``. Anything else ->
  431 "Unable to parse date ...". The value handlers see is the parsed date, rewritten as
  ``yyyy-MM-dd`` (or ``yyyy-MM-dd HH:mm:ss``);
* ``uuid`` (and lists of uuids): ``-1`` passes; a value that is not a lower-case uuid is dropped
  for a parameter added since 3.x; for an older one a number passes (an internal id) while
  anything else is looked up. A uuid is looked up among the entities the parameter names (see
  :data:`PARAM_TABLES` and :func:`id_tables`), including removed ones the server keeps rows
  for; not found -> 431 "Invalid parameter ... entity does not exist ...". Kinds of entity the
  simulator does not model (hosts, pods, clusters, users, ...) and NICs (kept inside VM records,
  without their removed ones) are not looked up.

These errors are ``ServerApiException``s raised without a cause: ``cserrorcode`` 9999.
"""

from __future__ import annotations

import re

from . import spec
from .errors import not_found, param_error
from .state import Cloud

__all__ = ["PARAM_TABLES", "SOFT_DELETED", "id_tables", "process"]

_JAVA_INT = re.compile(r"[+-]?[0-9]+")
_INT_RANGES = {"short": 2 ** 15, "integer": 2 ** 31, "long": 2 ** 63}
# Java's check in translateUuidToInternalId: lower-case hex only.
_JAVA_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ANY_UUID = re.compile(_JAVA_UUID.pattern, re.IGNORECASE)
# SimpleDateFormat("yyyy-MM-dd").parse: spaces/tabs may precede each number, the rest is ignored.
_DATE = re.compile(r"[ \t]*([0-9]+)-[ \t]*([0-9]+)-[ \t]*([0-9]+)", re.ASCII)
# BaseCmd.newInputDateFormat, matched in full.
_DATE_TIME = re.compile(r"([0-9]+)-([0-9]+)-([0-9]+) ([0-9]+):([0-9]+):([0-9]+)", re.ASCII)
_DATE_TIME_COMMANDS = frozenset({"listEvents", "deleteEvents", "archiveEvents", "archiveAlerts",
                                 "deleteAlerts", "listUsageRecords"})
_MAX_YEAR = 292278994  # GregorianCalendar's
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_VM = ("virtualmachine", "router")  # the server keeps routers with VMs (VirtualMachine)
_RULES = ("firewallrule", "egressfirewallrule", "portforwardingrule", "ipforwardingrule")
_LB = ("loadbalancerrule",)

#: Simulator tables holding the entity a uuid parameter names, by parameter name (``id`` and
#: ``ids`` depend on the command: :func:`id_tables`).
PARAM_TABLES: dict[str, tuple[str, ...]] = {
    "accountid": ("account",), "aclid": ("networkacllist",),
    "affinitygroupid": ("affinitygroup",), "affinitygroupids": ("affinitygroup",),
    "associatednetworkid": ("network",), "diskofferingid": ("diskoffering",),
    "domainid": ("domain",), "ipaddressid": ("publicipaddress",), "isoid": ("template",),
    "lbruleid": ("loadbalancerrule",),
    "networkid": ("network",), "networkids": ("network",),
    "networkofferingid": ("networkoffering",), "ostypeid": ("ostype",),
    "overridediskofferingid": ("diskoffering",), "parenttemplateid": ("template",),
    "projectid": ("project",), "publicipid": ("publicipaddress",),
    "s2scustomergatewayid": ("vpncustomergateway",), "s2svpngatewayid": ("vpngateway",),
    "securitygroupid": ("securitygroup",), "securitygroupids": ("securitygroup",),
    "serviceofferingid": ("serviceoffering",), "snapshotid": ("snapshot",),
    "templateid": ("template",), "virtualmachineid": _VM, "virtualmachineids": _VM,
    "volumeid": ("volume",),
    "volumeids": ("volume",), "vpcid": ("vpc",), "vpcofferingid": ("vpcoffering",),
    "zoneid": ("zone",),
}

# The entity a command's own ``id``/``ids`` names, by the noun of the command's name.
_NOUN_TABLES: dict[str, tuple[str, ...]] = {
    "VirtualMachine": _VM, "Router": _VM, "Volume": ("volume",), "Snapshot": ("snapshot",),
    "Template": ("template",), "Iso": ("template",), "Network": ("network",),
    "VPC": ("vpc",), "Project": ("project",), "Zone": ("zone",), "Domain": ("domain",),
    "Account": ("account",), "OsType": ("ostype",), "ServiceOffering": ("serviceoffering",),
    "DiskOffering": ("diskoffering",), "NetworkOffering": ("networkoffering",),
    "VPCOffering": ("vpcoffering",), "SSHKeyPair": ("sshkeypair",),
    "AffinityGroup": ("affinitygroup",), "SecurityGroup": ("securitygroup",),
    "IpAddress": ("publicipaddress",), "PublicIpAddress": ("publicipaddress",),
    "FirewallRule": _RULES, "EgressFirewallRule": _RULES, "PortForwardingRule": _RULES,
    "IpForwardingRule": _RULES, "NetworkACLList": ("networkacllist",),
    "NetworkACL": ("networkacl",), "NetworkACLItem": ("networkacl",),
    "VpnGateway": ("vpngateway",), "VpnCustomerGateway": ("vpncustomergateway",),
    "VpnConnection": ("vpnconnection",),
    "LoadBalancerRule": _LB, "ToLoadBalancerRule": _LB, "FromLoadBalancerRule": _LB,
    "LoadBalancerRuleInstance": _LB,
    "LBHealthCheckPolicy": ("lbhealthcheckpolicy",),
    "LBHealthCheckPolicies": ("lbhealthcheckpolicy",),
    "LBStickinessPolicy": ("lbstickinesspolicy",),
    "LBStickinessPolicies": ("lbstickinesspolicy",),
    "RemoteAccessVpn": ("remoteaccessvpn",), "VpnUser": ("vpnuser",),
    "PrivateGateway": ("privategateway",),
}
_VERB = re.compile(r"[a-z]+")
_FOR = re.compile(r"For(?=[A-Z])")  # resetPasswordForVirtualMachine, not PortForwardingRule

#: Tables whose rows the server keeps after deletion (a ``removed`` date, or a released public
#: IP): their uuids still resolve, and the command itself answers for them.
SOFT_DELETED = frozenset({"virtualmachine", "router", "volume", "snapshot", "template",
                          "network", "vpc", "project", "publicipaddress", "zone",
                          "domain", "account", "serviceoffering", "diskoffering",
                          "networkoffering", "vpcoffering"})


def id_tables(command: str) -> tuple[str, ...]:
    """Tables of the entity ``command``'s ``id`` names (``()`` when not modelled).

    ``startVirtualMachine`` -> VMs, ``listPublicIpAddresses`` -> public IPs,
    ``resetPasswordForVirtualMachine`` -> VMs; ``revokeSecurityGroupIngress`` (a rule id) -> ().
    """
    verb = _VERB.match(command)
    noun = command[verb.end():] if verb else command
    noun = _FOR.split(noun)[-1]
    for candidate in (noun, noun[:-1], noun[:-2]):
        if candidate in _NOUN_TABLES:
            return _NOUN_TABLES[candidate]
    return ()


def _tables(command: str, name: str) -> tuple[str, ...]:
    return id_tables(command) if name in ("id", "ids") else PARAM_TABLES.get(name, ())


def _exists(cloud: Cloud, tables: tuple[str, ...], rid: str) -> bool:
    return any((kind in SOFT_DELETED and rid in cloud.removed.get(kind, ()))
               or cloud.has_id(kind, rid) for kind in tables)


def _date(command: str, value: str) -> str | None:
    """The value as the server parses it, or None when it cannot."""
    if command in _DATE_TIME_COMMANDS:
        full = _DATE_TIME.fullmatch(value)
        if full:
            year, month, day, hour, minute, second = (int(g) for g in full.groups())
            return f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
    head = _DATE.match(value)
    if head is None:
        return None
    year, month, day = (int(g) for g in head.groups())
    if not (1 <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = _MONTH_DAYS[month - 1] + (1 if month == 2 and leap else 0)
    if not 1 <= day <= days:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _resolve(cloud: Cloud, command: str, low: str, name: str, value: str,
             since: str) -> str | None:
    """The value the command gets: None when the server drops it, the entity's own (lower-case)
    uuid when found; raises 431 for an entity the server cannot find."""
    if value == "-1":
        return value
    if not _JAVA_UUID.fullmatch(value):
        if since:  # a parameter added since 3.x takes uuids only: anything else is dropped
            return None
        if _JAVA_INT.fullmatch(value):  # an internal id: not modelled, passed on
            return value
    tables = _tables(command, name)
    if not tables and _ANY_UUID.fullmatch(value):  # a kind the simulator does not model
        return value
    if tables and _exists(cloud, tables, value.lower()):  # MySQL compares without case
        return value.lower()
    raise not_found(low, name, value)


def process(cloud: Cloud, command: str, low: str, params: dict[str, str]) -> None:
    """Check ``params`` of ``command`` in place (``low``: the name errors use); see module doc."""
    for name, param in spec.param_specs(command).items():
        value = params.get(name)
        if not value:
            continue
        if param.type == "string" and len(value.encode("utf-16-le")) // 2 > param.length:
            raise param_error(f"Unable to execute API command {low} due to invalid value. "
                              f"Value greater than max allowed length {param.length} for "
                              f"param: {name}")
        bound = _INT_RANGES.get(param.type)
        if bound is not None and not (_JAVA_INT.fullmatch(value)
                                      and -bound <= int(value) < bound):
            raise param_error(f"Unable to execute API command {low} due to invalid value "
                              f"{value} for parameter {name}")
        if param.type == "date":
            parsed = _date(command, value)
            if parsed is None:
                raise param_error(f"Unable to parse date {value} for command {low}, please pass "
                                  "dates in the format mentioned in the api documentation")
            params[name] = parsed
        elif param.type == "uuid":
            resolved = _resolve(cloud, command, low, name, value, param.since)
            if resolved is None:
                del params[name]
            else:
                params[name] = resolved
        elif param.type == "list" and _tables(command, name):
            found = (_resolve(cloud, command, low, name, t, param.since)
                     for t in value.split(",") if t)
            params[name] = ",".join(v for v in found if v is not None)
