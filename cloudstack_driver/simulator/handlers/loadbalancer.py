"""Load-balancer rules (``loadbalancerrule``) and their health-check and stickiness policies
(``lbhealthcheckpolicy``, ``lbstickinesspolicy``).

A rule balances one public port of a public address over the VMs assigned to it, on one guest
network: an Isolated network or a VPC tier whose offering has the ``Lb`` service. As on the
server:

* the address must be allocated and not static NAT, and belong to the rule's network (a VPC
  address is given the tier named by ``networkid``); the public port may not overlap a
  port-forwarding rule or another load-balancer rule on that address, whatever the protocols
  (537);
* ``createLoadBalancerRule`` and the two policy creates check their input before the job starts
  (an immediate error, as the server's create step); ``assignToLoadBalancerRule``,
  ``removeFromLoadBalancerRule``, ``updateLoadBalancerRule`` and the deletes check it in the job
  (a failed job);
* an assigned VM must have a NIC on the rule's network; a ``vmidipmap`` entry names one of that
  NIC's addresses (primary or secondary);
* a rule has at most one health-check and one stickiness policy; the stickiness methods and
  their parameters are the virtual router's (HAProxy's ``LbCookie``, ``AppCookie``,
  ``SourceBased``).

A rule keeps its VMs in the private ``_vms`` (``[{"vmid", "ip"}]``); a policy names its rule in
``_lbruleid``. Policies list and answer inside their rule's container
(``{"lbruleid", ..., "healthcheckpolicy": [...]}``), under ``healthcheckpolicies`` or
``stickinesspolicies``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Cloud, JobTicket, Record
from ._common import create_job, filtered, forget, lookup, snapshot
from ._netutil import drop_lb_rule, lb_rule_on_ports, nic_on, refer
from .addresses import public_ip
from .firewall import add_firewall_rule, cidr_text
from .offerings import has_service

__all__ = ["ALGORITHMS", "LB_PROTOCOLS", "STICKINESS_METHODS"]

ALGORITHMS = ("roundrobin", "leastconn", "source")
LB_PROTOCOLS = ("tcp", "udp", "tcp-proxy")
#: lower-case method name -> (the method's name, the parameters it takes)
STICKINESS_METHODS: dict[str, tuple[str, tuple[str, ...]]] = {
    "lbcookie": ("LbCookie", ("cookie-name", "mode", "nocache", "indirect", "postonly",
                              "domain")),
    "appcookie": ("AppCookie", ("cookie-name", "length", "holdtime", "request-learn", "prefix",
                                "mode")),
    "sourcebased": ("SourceBased", ("tablesize", "expire")),
}
_GONE = ("Destroyed", "Expunging", "Error")
_OWNER = ("account", "domain", "domainid", "project", "projectid")
_HEALTH_FIELDS = ("id", "pingpath", "description", "responsetime", "healthcheckinterval",
                  "healthcheckthresshold", "unhealthcheckthresshold", "state", "fordisplay")
_STICKY_FIELDS = ("id", "name", "methodname", "description", "params", "state", "fordisplay")
_RULE = "loadbalancerrule"
_HEALTH = "lbhealthcheckpolicy"
_STICKY = "lbstickinesspolicy"


def _conflict(text: str) -> ApiError:
    return ApiError(537, text, CS.NETWORK_RULE_CONFLICT)


def _port(call: Call, name: str) -> int:
    value = call.int(name)
    assert value is not None  # a required parameter, checked by the app
    if not 1 <= value <= 65535:
        raise invalid_value(f"{name} is an invalid value: {value}")
    return value


def _choice(call: Call, name: str, options: tuple[str, ...]) -> str | None:
    """The parameter's value (case kept), when it is one of ``options`` in any case."""
    value = call.str(name)
    if value is not None and value.lower() not in options:
        raise invalid_value(f"Invalid {name} {value}; supported: {', '.join(options)}")
    return value


# -- rules -----------------------------------------------------------------------------------


def _rule_network(call: Call, ip: Record) -> Record:
    """The guest network of a new rule on ``ip``: ``networkid``, else the address's own."""
    networkid = call.str("networkid") or ip.get("associatednetworkid")
    if networkid is None:
        raise invalid_value(f"Ip address {ip['ipaddress']} is not associated with any network; "
                            "specify networkid")
    network = call.cloud.get("network", networkid, command=call.command, param="networkid")
    if ip.get("associatednetworkid") not in (None, network["id"]):
        raise invalid_value(f"Ip address {ip['ipaddress']} is associated with network "
                            f"{ip.get('associatednetworkname')}, not with {network['name']}")
    if network.get("vpcid") != ip.get("vpcid"):
        raise invalid_value(f"Ip address {ip['ipaddress']} and network {network['name']} do not "
                            "belong to the same VPC")
    if not has_service(network, "Lb"):
        raise invalid_value(f"LB service is not supported in specified network id "
                            f"{network['id']}")
    return network


def _check_ports(cloud: Cloud, ip: Record, port: int) -> None:
    """537 when ``port`` of ``ip`` is taken by a port-forwarding or load-balancer rule."""
    for rule in cloud.where("portforwardingrule", ipaddressid=ip["id"]):
        low, high = int(rule["publicport"]), int(rule["publicendport"])
        if low <= port <= high:
            raise _conflict(f"The range specified, {port}-{port}, conflicts with rule "
                            f"{rule['id']} which has {low}-{high}")
    other = lb_rule_on_ports(cloud, ip, port, port)
    if other is not None:
        taken = other["publicport"]
        raise _conflict(f"The range specified, {port}-{port}, conflicts with rule {other['id']} "
                        f"which has {taken}-{taken}")


@command("createLoadBalancerRule")
def create_load_balancer_rule(call: Call) -> JobTicket:
    cloud = call.cloud
    if not call.has("publicipid"):
        raise invalid_value("Unable to create load balancer rule: specify publicipid (elastic "
                            "load balancing is not enabled in this cloud)")
    ip = public_ip(call, "publicipid")
    if ip.get("state") != "Allocated":
        raise invalid_value(f"Unable to create load balancer rule, invalid IP address id "
                            f"{ip['id']}")
    if ip.get("isstaticnat"):
        raise _conflict(f"Can't do load balancing on ip address {ip['ipaddress']}: it is "
                        "enabled for static nat")
    network = _rule_network(call, ip)
    algorithm = _choice(call, "algorithm", ALGORITHMS)
    protocol = (_choice(call, "protocol", LB_PROTOCOLS) or "tcp").lower()
    public, private = _port(call, "publicport"), _port(call, "privateport")
    _check_ports(cloud, ip, public)
    cidrs = cidr_text(call)
    refer(ip, "associatednetwork", network)
    rule = cloud.add(_RULE, {
        "name": call.require("name"), "description": call.str("description"),
        "algorithm": algorithm, "protocol": protocol, "publicip": ip["ipaddress"],
        "publicipid": ip["id"], "publicport": str(public), "privateport": str(private),
        "networkid": network["id"], "cidrlist": cidrs if call.has("cidrlist") else "",
        "zoneid": ip.get("zoneid"), "zonename": ip.get("zonename"), "state": "Add",
        "fordisplay": call.bool("fordisplay", True), "tags": [], "_vms": [],
        **{key: ip[key] for key in _OWNER if ip.get(key) is not None},
    })
    # the server's default: a firewall rule for the public port, except in a VPC (ACLs there)
    if call.bool("openfirewall", not network.get("vpcid")) and not ip.get("vpcid"):
        add_firewall_rule(cloud, ip, "udp" if protocol == "udp" else "tcp",
                          {"startport": public, "endport": public}, cidrs, related=rule["id"])
    return create_job(call, _RULE, rule, result_key="loadbalancer", state="Active",
                      on_fail=lambda _err: drop_lb_rule(cloud, rule))


def _tagged(record: Record, wanted: list[dict[str, str]]) -> bool:
    tags = {(t.get("key"), t.get("value")) for t in record.get("tags") or []}
    return all((w.get("key"), w.get("value")) in tags for w in wanted)


@command("listLoadBalancerRules", list_key=_RULE)
def list_load_balancer_rules(call: Call) -> list[Record]:
    rows = filtered(call, call.cloud.all(_RULE),
                    text=("id", "name", "publicipid", "networkid", "zoneid"),
                    flags=("fordisplay",))
    vmid = call.str("virtualmachineid")
    if vmid is not None:
        rows = [r for r in rows if any(m["vmid"] == vmid for m in r["_vms"])]
    wanted = call.map("tags")
    if wanted:
        rows = [r for r in rows if _tagged(r, wanted)]
    return rows


@command("deleteLoadBalancerRule")
def delete_load_balancer_rule(call: Call) -> JobTicket:
    cloud = call.cloud
    rule = lookup(call, _RULE)

    def work() -> Record:
        drop_lb_rule(cloud, rule)
        return {"success": True}

    return call.job(work, instance_type=_RULE, instance_id=rule["id"])


def _rekey(cloud: Cloud, rule: Record, new_id: str) -> None:
    """``customid``: the rule (and what points to it) takes the id ``new_id``."""
    if cloud.find_record(_RULE, new_id) is not None:
        raise invalid_value(f"Unable to set custom id {new_id}: it is already in use")
    old = rule["id"]
    table = cloud.table(_RULE)
    del table[old]
    rule["id"] = new_id
    table[new_id] = rule
    for kind in (_HEALTH, _STICKY):
        for policy in cloud.where(kind, _lbruleid=old):
            policy["_lbruleid"] = new_id
    for wall in cloud.where("firewallrule", _related=old):
        wall["_related"] = new_id


@command("updateLoadBalancerRule")
def update_load_balancer_rule(call: Call) -> JobTicket:
    cloud = call.cloud
    rule = lookup(call, _RULE)

    def work() -> Record:
        algorithm = _choice(call, "algorithm", ALGORITHMS)
        protocol = _choice(call, "protocol", LB_PROTOCOLS)
        changes = {"name": call.str("name"), "description": call.str("description"),
                   "algorithm": algorithm, "protocol": protocol and protocol.lower()}
        custom = call.str("customid")
        if custom is not None and custom != rule["id"]:
            _rekey(cloud, rule, custom)
        rule.update({key: value for key, value in changes.items() if value is not None})
        if call.has("fordisplay"):
            rule["fordisplay"] = call.bool("fordisplay")
        return snapshot(rule)

    return call.job(work, instance_type=_RULE, instance_id=rule["id"],
                    result_key="loadbalancer")


# -- the VMs of a rule -----------------------------------------------------------------------


def _wanted(call: Call) -> list[tuple[str, str | None]]:
    """(VM id, address or None) pairs of ``virtualmachineids`` and ``vmidipmap``."""
    pairs: list[tuple[str, str | None]] = [(vmid, None) for vmid in call.list("virtualmachineids")]
    for row in call.map("vmidipmap"):
        vmid, address = row.get("vmid"), row.get("vmip", row.get("ip"))
        if not vmid or not address:
            raise invalid_value("Each vmidipmap entry needs vmid and vmip")
        pairs.append((vmid, address))
    if not pairs:
        raise invalid_value("Both virtualmachineids and vmidipmap can't be null")
    return pairs


def _address(cloud: Cloud, call: Call, rule: Record, vmid: str, wanted: str | None) -> str:
    """The address of VM ``vmid`` on the rule's network (``wanted``, when it is one of the
    NIC's)."""
    vm = cloud.get("virtualmachine", vmid, command=call.command, param="virtualmachineids")
    if vm.get("state") in _GONE:
        raise invalid_value(f"Invalid instance id {vmid}: the VM is {vm['state']}")
    nic = nic_on(vm, rule["networkid"])
    if nic is None:
        raise invalid_value(f"VM {vm.get('name')} is not in the network {rule['networkid']} of "
                            f"load balancer rule {rule['id']}")
    addresses = [nic.get("ipaddress")] + [s.get("ipaddress") for s in nic.get("secondaryip") or []]
    if wanted is not None and wanted not in addresses:
        raise invalid_value(f"VM ip {wanted} is not an address of VM {vm.get('name')} in the "
                            f"network of load balancer rule {rule['id']}")
    return str(wanted if wanted is not None else nic.get("ipaddress"))


@command("assignToLoadBalancerRule")
def assign_to_load_balancer_rule(call: Call) -> JobTicket:
    cloud = call.cloud
    rule = lookup(call, _RULE)

    def work() -> Record:
        added: list[dict[str, str]] = []
        for vmid, wanted in _wanted(call):
            entry = {"vmid": vmid, "ip": _address(cloud, call, rule, vmid, wanted)}
            if entry in rule["_vms"] or entry in added:
                raise invalid_value(f"VM {vmid} is already mapped to load balancer rule "
                                    f"{rule['id']}")
            added.append(entry)
        rule["_vms"].extend(added)
        return {"success": True}

    return call.job(work, instance_type=_RULE, instance_id=rule["id"])


@command("removeFromLoadBalancerRule")
def remove_from_load_balancer_rule(call: Call) -> JobTicket:
    rule = lookup(call, _RULE)

    def work() -> Record:
        leaving: list[dict[str, str]] = []
        for vmid, wanted in _wanted(call):
            mine = [m for m in rule["_vms"] if m["vmid"] == vmid and wanted in (None, m["ip"])]
            if not mine:
                raise invalid_value(f"VM {vmid} is not assigned to load balancer rule "
                                    f"{rule['id']}")
            leaving.extend(mine)
        rule["_vms"] = [m for m in rule["_vms"] if m not in leaving]
        return {"success": True}

    return call.job(work, instance_type=_RULE, instance_id=rule["id"])


@command("listLoadBalancerRuleInstances", list_key="loadbalancerruleinstance",
         list_key_when=("lbvmips", "lbrulevmidip"))
def list_load_balancer_rule_instances(call: Call) -> list[Record]:
    """``applied`` (default true): the rule's VMs; false: the VMs of its network that could
    join. ``lbvmips``: each VM with the addresses it is balanced on."""
    cloud = call.cloud
    rule = lookup(call, _RULE)
    addresses: dict[str, list[str]] = {}
    for member in rule["_vms"]:
        addresses.setdefault(member["vmid"], []).append(member["ip"])
    if call.bool("applied", True):
        vms = [vm for vmid in addresses if (vm := cloud.find_record("virtualmachine", vmid))]
    else:
        vms = [vm for vm in cloud.all("virtualmachine")
               if vm["id"] not in addresses and vm.get("state") not in _GONE
               and nic_on(vm, rule["networkid"]) is not None]
    keyword = call.str("keyword")
    if keyword is not None:
        vms = [vm for vm in vms if keyword.lower() in str(vm.get("name", "")).lower()]
    if call.bool("lbvmips"):
        return [{"loadbalancerruleinstance": vm, "lbvmipaddresses": addresses.get(vm["id"], [])}
                for vm in vms]
    return vms


# -- policies --------------------------------------------------------------------------------


def _container(rule: Record, policies: Iterable[Record], item_key: str,
               fields: tuple[str, ...]) -> Record:
    """The answer object of a rule's policies: owner, ``lbruleid``, ``zoneid`` and the
    policies under ``item_key`` (spec fields only)."""
    out: Record = {key: rule[key] for key in ("account", "domain", "domainid") if key in rule}
    out.update(lbruleid=rule["id"], zoneid=rule.get("zoneid"))
    out[item_key] = [{name: policy.get(name) for name in fields} for policy in policies]
    return out


def _policy_job(call: Call, table: str, policy: Record, rule: Record, result_key: str,
                item_key: str, fields: tuple[str, ...]) -> JobTicket:
    cloud = call.cloud

    def work() -> Record:
        policy["state"] = "Active"
        return snapshot(_container(rule, [policy], item_key, fields))

    # the job names no instance: the policies' list items carry no jobid
    ticket = call.job(work, result_key=result_key, on_fail=forget(cloud, table, policy["id"]))
    return JobTicket(ticket.jobid, policy["id"])


def _bounded(call: Call, name: str, low: int, high: int, default: int) -> int:
    """An optional whole number in ``low``..``high``; 0 or none: ``default``."""
    value = call.int(name)
    if not value:
        return default
    if not low <= value <= high:
        raise invalid_value(f"Invalid {name} {value}: it must be between {low} and {high}")
    return value


@command("createLBHealthCheckPolicy")
def create_health_check_policy(call: Call) -> JobTicket:
    cloud = call.cloud
    rule = lookup(call, _RULE, "lbruleid")
    if cloud.where(_HEALTH, _lbruleid=rule["id"]):
        raise invalid_value("Failed to create HealthCheck policy: Already policy attached for "
                            f"the LB Rule id :{rule['id']}")
    policy = cloud.add(_HEALTH, {
        "pingpath": call.str("pingpath", "/"), "description": call.str("description"),
        "responsetime": _bounded(call, "responsetimeout", 2, 60, 2),
        "healthcheckinterval": _bounded(call, "intervaltime", 1, 20940, 5),
        "healthcheckthresshold": _bounded(call, "healthythreshold", 1, 2 ** 31 - 1, 2),
        "unhealthcheckthresshold": _bounded(call, "unhealthythreshold", 1, 2 ** 31 - 1, 10),
        "state": "Add", "fordisplay": call.bool("fordisplay", True), "_lbruleid": rule["id"],
    })
    return _policy_job(call, _HEALTH, policy, rule, "healthcheckpolicies", "healthcheckpolicy",
                       _HEALTH_FIELDS)


def _sticky_params(call: Call, rule: Record, method: str, allowed: tuple[str, ...]
                   ) -> dict[str, str]:
    params: dict[str, str] = {}
    for row in call.map("param"):
        name = (row.get("name") or "").strip()
        if name.lower() not in allowed:
            raise invalid_value(f"Failed LB in validation rule id: {rule['id']} Cause: param "
                                f"{name!r} is not supported by stickiness method {method} "
                                f"(supported: {', '.join(allowed)})")
        params[name] = row.get("value", "")
    return params


@command("createLBStickinessPolicy")
def create_stickiness_policy(call: Call) -> JobTicket:
    cloud = call.cloud
    rule = lookup(call, _RULE, "lbruleid")
    given = call.require("methodname")
    known = STICKINESS_METHODS.get(given.lower())
    if known is None:
        names = ", ".join(name for name, _ in STICKINESS_METHODS.values())
        raise invalid_value(f"Failed LB in validation rule id: {rule['id']} Cause: invalid "
                            f"stickiness method {given}; supported: {names}")
    method, allowed = known
    params = _sticky_params(call, rule, method, allowed)
    if cloud.where(_STICKY, _lbruleid=rule["id"]):
        raise invalid_value("Failed to create Stickiness policy: Already policy attached for "
                            f"the LB Rule id :{rule['id']}")
    policy = cloud.add(_STICKY, {
        "name": call.require("name"), "methodname": given, "description": call.str("description"),
        "params": params, "state": "Add", "fordisplay": call.bool("fordisplay", True),
        "_lbruleid": rule["id"],
    })
    return _policy_job(call, _STICKY, policy, rule, "stickinesspolicies", "stickinesspolicy",
                       _STICKY_FIELDS)


def _list_policies(call: Call, table: str, what: str, item_key: str,
                   fields: tuple[str, ...]) -> list[Record]:
    """One container (the rule's) holding its policies of ``table``; by ``lbruleid``, or by a
    policy ``id`` (its rule's container, with that policy only)."""
    cloud = call.cloud
    ruleid, wanted = call.str("lbruleid"), call.str("id")
    if ruleid is None:
        if wanted is None:
            raise invalid_value(f"Either LB Ruleid or {what} policy Id should be specified")
        ruleid = cloud.get(table, wanted, command=call.command)["_lbruleid"]
    rule = cloud.get(_RULE, ruleid, command=call.command, param="lbruleid")
    policies = [p for p in cloud.where(table, _lbruleid=rule["id"])
                if wanted in (None, p["id"])]
    if call.has("fordisplay"):
        policies = [p for p in policies if p.get("fordisplay") is call.bool("fordisplay")]
    return [_container(rule, policies, item_key, fields)]


@command("listLBHealthCheckPolicies", list_key="healthcheckpolicies")
def list_health_check_policies(call: Call) -> list[Record]:
    return _list_policies(call, _HEALTH, "HealthCheck", "healthcheckpolicy", _HEALTH_FIELDS)


@command("listLBStickinessPolicies", list_key="stickinesspolicies")
def list_stickiness_policies(call: Call) -> list[Record]:
    return _list_policies(call, _STICKY, "Stickiness", "stickinesspolicy", _STICKY_FIELDS)


def _delete_policy(call: Call, table: str) -> JobTicket:
    cloud = call.cloud
    policy = lookup(call, table)

    def work() -> Record:
        cloud.remove(table, policy["id"])
        return {"success": True}

    return call.job(work)


@command("deleteLBHealthCheckPolicy")
def delete_health_check_policy(call: Call) -> JobTicket:
    return _delete_policy(call, _HEALTH)


@command("deleteLBStickinessPolicy")
def delete_stickiness_policy(call: Call) -> JobTicket:
    return _delete_policy(call, _STICKY)
