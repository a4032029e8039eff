"""Remote-access VPN (``remoteaccessvpn``, L2TP/IPsec on the virtual router) and its users
(``vpnuser``).

As on the server:

* a remote-access VPN runs on the source NAT address of an Isolated network (with the ``Vpn``
  service) or of a VPC, one per address;
* ``iprange`` (default ``10.1.2.1-10.1.2.8``, the server's ``remote.access.vpn.client.iprange``)
  is two IPv4 addresses outside the guest network; the first is the server's own, the answer
  shows the rest; the pre-shared key is generated;
* ``openfirewall`` (default true, never in a VPC) opens UDP 500, 1701 and 4500 on the address;
* ``deleteRemoteAccessVpn`` of an address without VPN succeeds (the server only logs it);
* VPN users belong to the account (or project): names of 3-64 characters and passwords of 3-32
  from the server's sets, one name once; removing an unknown user fails in the job.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import string

from ..errors import invalid_value
from ..registry import Call, command
from ..state import Cloud, JobTicket, Record
from ._common import create_job, filtered, lookup, owner_fields, snapshot
from .addresses import public_ip
from .firewall import add_firewall_rule
from .offerings import has_service

__all__ = ["DEFAULT_IP_RANGE", "drop_remote_vpn"]

DEFAULT_IP_RANGE = "10.1.2.1-10.1.2.8"
_VPN_PORTS = (500, 1701, 4500)
_USERNAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9@._-]{2,63}")
_PASSWORD = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9@+=._-]{2,31}")
_PSK_ALPHABET = string.ascii_letters + string.digits
_VPN = "remoteaccessvpn"
_USER = "vpnuser"


def drop_remote_vpn(cloud: Cloud, vpn: Record) -> None:
    """Remove a remote-access VPN and the firewall rules opened for it."""
    cloud.remove_all("firewallrule", cloud.where("firewallrule", _related=vpn["id"]))
    cloud.remove(_VPN, vpn["id"])


def _range(call: Call, guest_cidr: str | None) -> tuple[str, str]:
    """(the server's address, the clients' range) of ``iprange``."""
    text = call.str("iprange", DEFAULT_IP_RANGE)
    assert text is not None
    first_text, dash, last_text = text.partition("-")
    try:
        first = ipaddress.IPv4Address(first_text.strip())
        last = ipaddress.IPv4Address(last_text.strip())
    except ValueError:
        raise invalid_value(f"Invalid ip range {text}") from None
    if not dash or first >= last:
        raise invalid_value(f"Invalid ip range {text}: give start-end, start below end")
    if guest_cidr is not None:
        guest = ipaddress.IPv4Network(guest_cidr)
        if first <= guest.broadcast_address and guest.network_address <= last:
            raise invalid_value(f"Invalid ip range: {text} overlaps with guest ip range "
                                f"{guest_cidr}")
    return str(first), f"{first + 1}-{last}"


@command("createRemoteAccessVpn")
def create_remote_access_vpn(call: Call) -> JobTicket:
    cloud = call.cloud
    ip = public_ip(call, "publicipid")
    if not ip.get("issourcenat"):
        raise invalid_value(f"Vpn service can only be created on the source NAT ip address; "
                            f"{ip['ipaddress']} is not one")
    if cloud.where(_VPN, publicipid=ip["id"]):
        raise invalid_value("A Remote Access VPN already exists for this public Ip address")
    network = cloud.find_record("network", ip.get("associatednetworkid") or "")
    vpc = cloud.find_record("vpc", ip.get("vpcid") or "")
    if vpc is None and (network is None or not has_service(network, "Vpn")):
        raise invalid_value(f"Vpn service is not supported in the network of ip address "
                            f"{ip['ipaddress']}")
    local, clients = _range(call, (vpc or network or {}).get("cidr"))
    psk = "".join(secrets.choice(_PSK_ALPHABET) for _ in range(24))
    vpn = cloud.add(_VPN, {
        "publicip": ip["ipaddress"], "publicipid": ip["id"], "iprange": clients,
        "presharedkey": psk, "state": "Added", "fordisplay": call.bool("fordisplay", True),
        "_localip": local, "_networkid": network["id"] if network else None,
        **{key: ip[key] for key in ("account", "domain", "domainid", "project", "projectid")
           if ip.get(key) is not None},
    })
    if call.bool("openfirewall", True) and vpc is None:
        for port in _VPN_PORTS:
            add_firewall_rule(cloud, ip, "udp", {"startport": port, "endport": port},
                              "0.0.0.0/0", related=vpn["id"])
    return create_job(call, _VPN, vpn, state="Running",
                      on_fail=lambda _err: drop_remote_vpn(cloud, vpn))


@command("listRemoteAccessVpns", list_key=_VPN)
def list_remote_access_vpns(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all(_VPN), text=("id", "publicipid", "networkid"),
                    flags=("fordisplay",), renames={"networkid": "_networkid"})


@command("updateRemoteAccessVpn")
def update_remote_access_vpn(call: Call) -> JobTicket:
    cloud = call.cloud
    vpn = lookup(call, _VPN)

    def work() -> Record:
        custom = call.str("customid")
        if custom is not None and custom != vpn["id"]:
            if cloud.find_record(_VPN, custom) is not None:
                raise invalid_value(f"Unable to set custom id {custom}: it is already in use")
            old = vpn["id"]
            table = cloud.table(_VPN)
            del table[old]
            vpn["id"] = custom
            table[custom] = vpn
            for wall in cloud.where("firewallrule", _related=old):
                wall["_related"] = custom
        if call.has("fordisplay"):
            vpn["fordisplay"] = call.bool("fordisplay")
        return snapshot(vpn)

    return call.job(work, instance_type=_VPN, instance_id=vpn["id"], result_key=_VPN)


@command("deleteRemoteAccessVpn")
def delete_remote_access_vpn(call: Call) -> JobTicket:
    cloud = call.cloud
    ip = public_ip(call, "publicipid")

    def work() -> Record:
        for vpn in cloud.where(_VPN, publicipid=ip["id"]):
            drop_remote_vpn(cloud, vpn)
        return {"success": True}

    return call.job(work, instance_type="publicipaddress", instance_id=ip["id"])


# -- users -----------------------------------------------------------------------------------


def _owner_key(record: Record) -> tuple[object, object]:
    return record.get("projectid"), record.get("account")


@command("addVpnUser")
def add_vpn_user(call: Call) -> JobTicket:
    cloud = call.cloud
    username, password = call.require("username"), call.require("password")
    if not _USERNAME.fullmatch(username):
        raise invalid_value("Username has to be begin with an alphabet have 3-64 characters "
                            "including alphabets, numbers and the set '@.-_'")
    if not _PASSWORD.fullmatch(password):
        raise invalid_value("Password has to be 3-32 characters including alphabets, numbers "
                            "and the set '@+=-_'")
    owner = owner_fields(call)
    if any(_owner_key(u) == _owner_key(owner) for u in cloud.where(_USER, username=username)):
        who = owner.get("project") or owner.get("account")
        raise invalid_value(f"VPN User with name {username} is already added for account {who}")
    user = cloud.add(_USER, {"username": username, "state": "Add", "_password": password,
                             **owner})
    return create_job(call, _USER, user, state="Active")


@command("listVpnUsers", list_key=_USER)
def list_vpn_users(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all(_USER), text=("id", "username"))


@command("removeVpnUser")
def remove_vpn_user(call: Call) -> JobTicket:
    cloud = call.cloud
    username = call.require("username")
    owner = owner_fields(call)

    def work() -> Record:
        mine = [u for u in cloud.where(_USER, username=username)
                if _owner_key(u) == _owner_key(owner)]
        if not mine:
            raise invalid_value(f"Could not find vpn user {username}")
        cloud.remove_all(_USER, mine)
        return {"success": True}

    return call.job(work)
