"""Virtual routers (table ``router``) of isolated networks and VPCs, and ``listRouters``.

A router has the NICs the server gives it, listed in its ``nic`` list: a control NIC on the
link-local network, a public NIC holding the source NAT address, and a guest NIC on each of its
networks (for a VPC, one per tier, at the tier's gateway address). The legacy ``public*``,
``linklocal*`` and ``guest*`` fields repeat the first two and the latest guest NIC, as the
server's router view does. As a root admin sees them, routers name their host and pod.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable

from ..facts import ROUTER_OFFERING, SYSTEM_TEMPLATE, derived_id, zone_infra
from ..registry import Call, command
from ..state import Cloud, Record, now_stamp
from ._common import filtered
from ._netutil import public_cidr, refer

__all__ = ["drop_routers_of", "make_router", "router_join"]

_SCRIPTS_VERSION = "a3c5e1f0b2d4c6e8f0a1b3c5d7e9f1a2"  # md5 of the router scripts it runs
_GUEST_FIELDS = ("guestipaddress", "guestmacaddress", "guestnetmask", "guestnetworkid",
                 "guestnetworkname", "networkdomain")


def _mac(first: int) -> str:
    tail = ":".join(f"{random.randrange(256):02x}" for _ in range(5))
    return f"{first:02x}:{tail}"


def _nic(cloud: Cloud, *, address: str, netmask: str, gateway: str | None, networkid: str,
         traffic: str, mac: str, default: bool = False, network: Record | None = None,
         uri: str | None = None) -> Record:
    return {"id": cloud.new_id(), "ipaddress": address, "netmask": netmask, "gateway": gateway,
            "networkid": networkid, "networkname": (network or {}).get("name"),
            "macaddress": mac, "traffictype": traffic, "isdefault": default,
            "type": (network or {}).get("type"), "broadcasturi": uri, "isolationuri": uri}


def make_router(cloud: Cloud, zone: Record, owner: Record, *, publicip: Record | None,
                vpc: Record | None = None, network: Record | None = None) -> Record:
    """The virtual router of a VPC or of an isolated network (running on the zone's host)."""
    count = cloud.number("router")
    infra = zone_infra(zone)
    link = ipaddress.IPv4Address(f"169.254.{random.randrange(1, 255)}.{random.randrange(1, 255)}")
    control = _nic(cloud, address=str(link), netmask="255.255.0.0", gateway=None,
                   networkid=derived_id(zone["id"], "control-network"), traffic="Control",
                   mac=_mac(0x0E))
    record: Record = {
        "name": f"r-{count}-VM", "state": "Running", "role": "VIRTUAL_ROUTER",
        "zoneid": zone["id"], "zonename": zone.get("name"), "created": now_stamp(),
        "hypervisor": "KVM", "version": "4.18.0", "requiresupgrade": False,
        "isredundantrouter": False, "redundantstate": "UNKNOWN", "healthchecksfailed": False,
        "dns1": zone.get("dns1"), "dns2": zone.get("dns2"), "hasannotations": False,
        "scriptsversion": _SCRIPTS_VERSION, "softwareversion": "4.18.0.0",
        **SYSTEM_TEMPLATE, **ROUTER_OFFERING, **infra["host"],
        "podid": infra["podid"], "podname": infra["podname"],
        "linklocalip": control["ipaddress"], "linklocalmacaddress": control["macaddress"],
        "linklocalnetmask": control["netmask"], "linklocalnetworkid": control["networkid"],
        "nic": [control], **owner,
    }
    if publicip is not None:
        cidr = ipaddress.IPv4Network(public_cidr(cloud, zone))
        public = _nic(cloud, address=publicip["ipaddress"], netmask=str(cidr.netmask),
                      gateway=str(cidr.network_address + 1), networkid=publicip["networkid"],
                      traffic="Public", mac=_mac(0x1E), default=True, uri="vlan://untagged")
        record["nic"].append(public)
        record.update(publicip=public["ipaddress"], publicmacaddress=public["macaddress"],
                      publicnetmask=public["netmask"], gateway=public["gateway"],
                      publicnetworkid=public["networkid"])
    refer(record, "vpc", vpc)
    router = cloud.add("router", record)
    if network is not None:
        router_join(cloud, router, network)
    return router


def router_join(cloud: Cloud, router: Record, network: Record) -> None:
    """Give ``router`` a guest NIC on ``network``, at the network's gateway address."""
    guest = _nic(cloud, address=network["gateway"], netmask=network["netmask"],
                 gateway=network["gateway"], networkid=network["id"], traffic="Guest",
                 mac=_mac(0x02), network=network,
                 uri=network.get("broadcasturi", "vlan://untagged"))
    router["nic"].append(guest)
    _show_guest(router, guest, network)


def _show_guest(router: Record, guest: Record, network: Record | None) -> None:
    """The legacy guest fields of ``router``, naming its guest NIC ``guest``."""
    router.update(guestipaddress=guest["ipaddress"], guestmacaddress=guest["macaddress"],
                  guestnetmask=guest["netmask"], guestnetworkid=guest["networkid"],
                  guestnetworkname=guest.get("networkname"),
                  networkdomain=(network or {}).get("networkdomain"))


def _guest_nics(router: Record) -> list[Record]:
    return [n for n in router.get("nic") or [] if n.get("traffictype") == "Guest"]


def drop_routers_of(cloud: Cloud, network: Record) -> None:
    """``network`` goes: its own routers go with it; a VPC's router loses the tier's NIC."""
    for router in list(cloud.all("router")):
        if not any(n["networkid"] == network["id"] for n in _guest_nics(router)):
            continue
        if not router.get("vpcid"):
            cloud.remove("router", router["id"])
            continue
        router["nic"] = [n for n in router["nic"] if n["networkid"] != network["id"]]
        for key in _GUEST_FIELDS:
            router.pop(key, None)
        rest = _guest_nics(router)
        if rest:
            _show_guest(router, rest[-1], cloud.find_record("network", rest[-1]["networkid"]))


def _on_network(routers: Iterable[Record], networkid: str) -> list[Record]:
    return [r for r in routers if any(n["networkid"] == networkid for n in _guest_nics(r))]


@command("listRouters", list_key="router")
def list_routers(call: Call) -> list[Record]:
    rows = filtered(call, call.cloud.all("router"), text=("id", "zoneid", "vpcid", "name",
                                                          "state"))
    networkid = call.str("networkid")
    return rows if networkid is None else _on_network(rows, networkid)
