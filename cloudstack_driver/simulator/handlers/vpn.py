"""Site-to-site VPN: gateways on VPCs (``vpngateway``), customer gateways
(``vpncustomergateway``) and the connections between them (``vpnconnection``)."""

from __future__ import annotations

import ipaddress
from typing import Any

from ..errors import CS, ApiError, invalid_value
from ..registry import Call, command
from ..state import Cloud, Record, now_stamp
from ._common import create_job, delete_job, filtered, lookup, owner_fields, owner_of

__all__ = ["drop_vpn_of"]


def _drop_connections(cloud: Cloud, gateway: Record) -> None:
    cloud.remove_all("vpnconnection", cloud.where("vpnconnection", s2svpngatewayid=gateway["id"]))


def drop_vpn_of(cloud: Cloud, vpc: Record) -> None:
    """Remove the VPN gateway of a VPC with its connections."""
    for gateway in cloud.where("vpngateway", vpcid=vpc["id"]):
        _drop_connections(cloud, gateway)
        cloud.remove("vpngateway", gateway["id"])


@command("createVpnGateway")
def create_vpn_gateway(call: Call) -> Any:
    cloud = call.cloud
    vpc = lookup(call, "vpc", "vpcid")
    if cloud.where("vpngateway", vpcid=vpc["id"]):
        raise invalid_value(f"The VPN gateway of VPC {vpc['name']} already exists")
    source = [ip for ip in cloud.where("publicipaddress", vpcid=vpc["id"]) if ip["issourcenat"]]
    if not source:
        raise ApiError(534, f"VPC {vpc['name']} has no source NAT address yet",
                       CS.RESOURCE_UNAVAILABLE)
    return create_job(call, "vpngateway", cloud.add("vpngateway", {
        "vpcid": vpc["id"], "vpcname": vpc["name"], "publicip": source[0]["ipaddress"],
        "fordisplay": call.bool("fordisplay", True),
        **owner_of(cloud, vpc.get("projectid")),
    }))


@command("listVpnGateways", list_key="vpngateway")
def list_vpn_gateways(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("vpngateway"), text=("id", "vpcid"),
                    flags=("fordisplay",))


@command("deleteVpnGateway")
def delete_vpn_gateway(call: Call) -> Any:
    return delete_job(call, "vpngateway", before=lambda g: _drop_connections(call.cloud, g))


_CUSTOMER_FIELDS = ("name", "gateway", "cidrlist", "ipsecpsk", "ikepolicy", "esppolicy",
                    "ikeversion")


@command("createVpnCustomerGateway")
def create_customer_gateway(call: Call) -> Any:
    cloud = call.cloud
    gateway = call.require("gateway")
    try:
        ipaddress.ip_address(gateway)
    except ValueError:
        raise invalid_value(f"The customer gateway ip {gateway} is invalid") from None
    for cidr in call.list("cidrlist"):
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise invalid_value(f"The customer gateway guest cidr list {cidr} is invalid") from None
    record: Record = {key: call.str(key) for key in _CUSTOMER_FIELDS if call.has(key)}
    record.setdefault("name", gateway)
    record.setdefault("ikeversion", "ike")
    record.update({
        "ipaddress": gateway, "ikelifetime": call.int("ikelifetime", 86400),
        "esplifetime": call.int("esplifetime", 3600), "dpd": call.bool("dpd"),
        "forceencap": call.bool("forceencap"), "splitconnections": call.bool("splitconnections"),
        "hasannotations": False, **owner_fields(call),
    })
    return create_job(call, "vpncustomergateway", cloud.add("vpncustomergateway", record))


@command("listVpnCustomerGateways", list_key="vpncustomergateway")
def list_customer_gateways(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("vpncustomergateway"), text=("id",))


@command("deleteVpnCustomerGateway")
def delete_customer_gateway(call: Call) -> Any:
    cloud = call.cloud

    def check(record: Record) -> None:
        if cloud.where("vpnconnection", s2scustomergatewayid=record["id"]):
            raise ApiError(536, f"Unable to delete VPN customer gateway {record['id']} because "
                           "there is still related VPN connections", CS.RESOURCE_IN_USE)

    return delete_job(call, "vpncustomergateway", before=check)


@command("createVpnConnection")
def create_vpn_connection(call: Call) -> Any:
    cloud = call.cloud
    customer = lookup(call, "vpncustomergateway", "s2scustomergatewayid")
    gateway = lookup(call, "vpngateway", "s2svpngatewayid")
    if cloud.where("vpnconnection", s2svpngatewayid=gateway["id"],
                   s2scustomergatewayid=customer["id"]):
        raise invalid_value(f"The vpn connection with customer gateway id {customer['id']} and "
                            f"vpn gateway id {gateway['id']} already exists")
    copied: Record = {k: customer[k] for k in ("gateway", "cidrlist", "ipsecpsk", "ikepolicy",
                                       "esppolicy", "ikelifetime", "esplifetime", "dpd",
                                       "forceencap", "ikeversion", "splitconnections")
              if k in customer}
    passive = call.bool("passive")
    record: Record = {
        "s2scustomergatewayid": customer["id"], "s2svpngatewayid": gateway["id"],
        "publicip": gateway["publicip"], "passive": passive, "created": now_stamp(),
        "state": "Pending", "fordisplay": call.bool("fordisplay", True), "_vpcid": gateway["vpcid"],
        **copied, **owner_of(cloud, gateway.get("projectid")),
    }
    cloud.add("vpnconnection", record)
    return create_job(call, "vpnconnection", record,
                      state="Connected" if not passive else "Pending")


@command("listVpnConnections", list_key="vpnconnection")
def list_vpn_connections(call: Call) -> list[Record]:
    return filtered(call, call.cloud.all("vpnconnection"), text=("id", "vpcid"),
                    flags=("fordisplay",), renames={"vpcid": "_vpcid"})


@command("deleteVpnConnection")
def delete_vpn_connection(call: Call) -> Any:
    return delete_job(call, "vpnconnection")
