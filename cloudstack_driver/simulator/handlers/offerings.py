"""Network offerings (``networkoffering``) and VPC offerings (``vpcoffering``): the defaults a
fresh cloud has, and their lists."""

from __future__ import annotations

from collections.abc import Iterable

from ..registry import Call, command
from ..state import Cloud, Record, now_stamp
from ._common import filtered, lookup

__all__ = ["has_service", "offering_named", "seed_offerings"]


def _services(provider: str, names: Iterable[str]) -> list[Record]:
    out: list[Record] = []
    for name in names:
        prov = "SecurityGroupProvider" if name == "SecurityGroup" else provider
        service: Record = {"name": name, "provider": [{"name": prov}]}
        if name == "SourceNat":
            service["capability"] = [{"name": "SupportedSourceNatTypes", "value": "peraccount",
                                      "canchooseservicecapability": False}]
        out.append(service)
    return out


_OFFERINGS: tuple[tuple[str, str, str, bool, tuple[str, ...]], ...] = (
    ("DefaultSharedNetworkOfferingWithSGService",
     "Offering for Shared Security group enabled networks", "Shared", False,
     ("Dhcp", "Dns", "UserData", "SecurityGroup")),
    ("DefaultIsolatedNetworkOfferingWithSourceNatService",
     "Offering for Isolated networks with Source Nat service enabled", "Isolated", False,
     ("Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Firewall", "Lb",
      "Vpn", "Gateway")),
    ("DefaultIsolatedNetworkOfferingForVpcNetworks",
     "Offering for Isolated VPC networks with Source Nat service enabled", "Isolated", True,
     ("Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "NetworkACL", "Lb",
      "Vpn", "Gateway")),
)


def seed_offerings(cloud: Cloud) -> None:
    """The default network offerings and the default VPC offering."""
    for name, text, guest, forvpc, services in _OFFERINGS:
        cloud.add("networkoffering", {
            "name": name, "displaytext": text, "guestiptype": guest, "traffictype": "Guest",
            "availability": "Optional", "isdefault": True, "specifyvlan": False,
            "specifyipranges": guest == "Shared", "conservemode": True, "forvpc": forvpc,
            "state": "Enabled", "egressdefaultpolicy": False, "ispersistent": False,
            "networkrate": 200, "supportspublicaccess": False, "supportsstrechedl2subnet": False,
            "fortungsten": False, "internetprotocol": "IPv4", "created": now_stamp(),
            "hasannotations": False,
            "service": _services("VpcVirtualRouter" if forvpc else "VirtualRouter", services),
        })
    cloud.add("vpcoffering", {
        "name": "Default VPC offering", "displaytext": "Default VPC offering",
        "isdefault": True, "state": "Enabled", "distributedvpcrouter": False,
        "supportsregionLevelvpc": False, "internetprotocol": "IPv4", "created": now_stamp(),
        "service": _services("VpcVirtualRouter", ("Dhcp", "Dns", "UserData", "SourceNat",
                                                  "StaticNat", "PortForwarding", "NetworkACL",
                                                  "Lb", "Vpn", "Gateway")),
    })


def offering_named(cloud: Cloud, name: str) -> Record:
    return cloud.where("networkoffering", name=name)[0]


def has_service(record: Record, name: str) -> bool:
    """Whether an offering or network provides service ``name`` (any case)."""
    return any(s["name"].lower() == name.lower() for s in record.get("service", []))


@command("listNetworkOfferings", list_key="networkoffering")
def list_network_offerings(call: Call) -> list[Record]:
    rows = filtered(call, call.cloud.all("networkoffering"),
                    text=("id", "name", "guestiptype", "traffictype", "state", "displaytext",
                          "availability"),
                    flags=("forvpc", "isdefault", "specifyvlan", "specifyipranges"))
    if call.has("sourcenatsupported"):
        want = call.bool("sourcenatsupported")
        rows = [r for r in rows if has_service(r, "SourceNat") is want]
    for service in call.list("supportedservices"):
        rows = [r for r in rows if has_service(r, service)]
    if call.has("zoneid"):
        zone = lookup(call, "zone", "zoneid")
        guest = "Shared" if zone.get("securitygroupsenabled") else None
        rows = [r for r in rows if guest is None or r["guestiptype"] == guest]
    return rows


@command("listVPCOfferings", list_key="vpcoffering")
def list_vpc_offerings(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("vpcoffering"), key=None,
                    text=("id", "name", "state", "displaytext"), flags=("isdefault",))
