"""The declared-model layer: one declaration gives the constructor (libcloud's positional
order), ``from_record``, ``__slots__`` and ``repr``; the id rule lives there once."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from cloudstack_driver import KeyPair, Node, NodeImage, NodeLocation, NodeSize, StorageVolume
from cloudstack_driver._schema import RAW, Extra, Schema, field, ident, idents, new_dict
from cloudstack_driver.cloudstack import netmodels, vpnmodels
from cloudstack_driver.cloudstack.models import CloudStackNode, CloudStackProject

#: libcloud's constructor parameters (PARITY 5.1), in order; ours may add keyword-only ones.
LIBCLOUD_ORDER: dict[type, tuple[str, ...]] = {
    Node: ("id", "name", "state", "public_ips", "private_ips", "driver", "size", "image",
           "extra", "created_at"),
    NodeSize: ("id", "name", "ram", "disk", "bandwidth", "price", "driver", "extra"),
    NodeImage: ("id", "name", "driver", "extra"),
    NodeLocation: ("id", "name", "country", "driver", "extra"),
    StorageVolume: ("id", "name", "size", "driver", "state", "extra"),
    KeyPair: ("name", "public_key", "fingerprint", "driver", "private_key", "extra"),
    netmodels.CloudStackAddress: ("id", "address", "driver", "associated_network_id",
                                  "vpc_id", "virtualmachine_id"),
    netmodels.CloudStackFirewallRule: ("id", "address", "cidr_list", "protocol", "icmp_code",
                                       "icmp_type", "start_port", "end_port"),
    netmodels.CloudStackEgressFirewallRule: ("id", "network_id", "cidr_list", "protocol",
                                             "icmp_code", "icmp_type", "start_port",
                                             "end_port"),
    netmodels.CloudStackIPForwardingRule: ("node", "id", "address", "protocol", "start_port",
                                           "end_port"),
    netmodels.CloudStackPortForwardingRule: ("node", "rule_id", "address", "protocol",
                                             "public_port", "private_port", "public_end_port",
                                             "private_end_port", "network_id"),
    netmodels.CloudStackNetwork: ("displaytext", "name", "networkofferingid", "id", "zoneid",
                                  "driver"),
    netmodels.CloudStackNetworkOffering: ("name", "display_text", "guest_ip_type", "id",
                                          "service_offering_id", "for_vpc", "driver"),
    netmodels.CloudStackNic: ("id", "network_id", "net_mask", "gateway", "ip_address",
                              "is_default", "mac_address", "driver"),
    netmodels.CloudStackVPC: ("name", "vpc_offering_id", "id", "cidr", "driver", "zone_id",
                              "display_text"),
    netmodels.CloudStackVPCOffering: ("name", "display_text", "id", "driver"),
    netmodels.CloudStackRouter: ("id", "name", "state", "public_ip", "vpc_id", "driver"),
    netmodels.CloudStackNetworkACLList: ("acl_id", "name", "vpc_id", "driver", "description"),
    netmodels.CloudStackNetworkACL: ("id", "protocol", "acl_id", "action", "cidr_list",
                                     "start_port", "end_port", "traffic_type"),
    vpnmodels.CloudStackAffinityGroupType: ("type_name",),
    vpnmodels.CloudStackAffinityGroup: ("id", "account", "description", "domain", "domainid",
                                        "name", "group_type", "virtualmachine_ids"),
    vpnmodels.CloudStackVpnGateway: ("id", "account", "domain", "domain_id", "public_ip",
                                     "vpc_id", "driver"),
    vpnmodels.CloudStackVpnCustomerGateway: ("id", "cidr_list", "esp_policy", "gateway",
                                             "ike_policy", "ipsec_psk", "driver"),
    vpnmodels.CloudStackVpnConnection: ("id", "passive", "vpn_customer_gateway_id",
                                        "vpn_gateway_id", "state", "driver"),
}


@pytest.mark.parametrize("cls", list(LIBCLOUD_ORDER), ids=lambda c: c.__name__)
def test_constructor_keeps_libcloud_positional_order(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    expected = LIBCLOUD_ORDER[cls]
    assert positional[:len(expected)] == list(expected)


@pytest.mark.parametrize("cls", [*LIBCLOUD_ORDER, CloudStackNode, CloudStackProject],
                         ids=lambda c: c.__name__)
def test_every_model_has_slots_and_no_instance_dict(cls: Any) -> None:
    instance = cls.from_record(None, {"id": 1, "name": "x"})
    assert not hasattr(instance, "__dict__")
    with pytest.raises(AttributeError):
        instance.not_a_field = 1


def test_from_record_reads_each_declared_key() -> None:
    rule = netmodels.CloudStackPortForwardingRule.from_record(
        "drv", {"id": 9, "protocol": "tcp", "publicport": "80", "privateport": "8080",
                "virtualmachineid": 12, "ipaddressid": 3},
        node=None, address="addr", upper=True)
    assert (rule.id, rule.protocol, rule.public_port, rule.private_port) == (
        "9", "TCP", "80", "8080")
    assert (rule.virtualmachine_id, rule.address, rule.driver) == ("12", "addr", "drv")
    assert rule.extra["ipaddress_id"] == "3" and rule.extra["tags"] == {}


def test_repr_from_the_declaration_hides_secrets() -> None:
    gateway = vpnmodels.CloudStackVpnCustomerGateway(5, "10.0.0.0/8", "e", "g", "i",
                                                     "s3cret", None)
    assert repr(gateway) == ("<CloudStackVpnCustomerGateway: id=5, cidr_list=10.0.0.0/8, "
                             "esp_policy=e, gateway=g, ike_policy=i, ipsec_psk=***>")
    assert "s3cret" not in repr(gateway)


class _Thing(Schema):
    id: str | None = field("id")
    device_id: Any = field("deviceid", RAW, default=None)
    zoneid: str | None = field("zoneid", ident, default=None)
    valid: Any = field("valid", default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (Extra("zone_id", "zoneid"), Extra("number"), Extra("owner_ids", "ids", idents))
    REPR = ("id", "zoneid")


def test_the_id_rule() -> None:
    thing = _Thing.from_record(None, {"id": 7, "deviceid": 2, "zoneid": 1, "valid": 3,
                                      "number": 4, "ids": [1, "2", None]})
    assert (thing.id, thing.device_id, thing.zoneid, thing.valid) == ("7", 2, "1", 3)
    assert thing.extra == {"zone_id": "1", "number": 4, "owner_ids": ["1", "2"]}
    assert _Thing(8).id == "8" and _Thing("").id is None and _Thing(1, 2, 3).zoneid == "3"
    assert repr(thing) == "<_Thing: id=7, zoneid=1>"
    assert (ident(0), ident(None), ident("x")) == ("0", None, "x")


def test_given_values_replace_the_answers() -> None:
    rule = netmodels.CloudStackEgressFirewallRule.from_record(None, {"id": 1,
                                                                     "startport": "22"})
    assert rule._given(start_port=22, network_id=5, end_port=None) is rule
    assert (rule.start_port, rule.network_id, rule.end_port) == (22, "5", None)


def test_extra_record_reader_needs_a_function() -> None:
    with pytest.raises(ValueError, match=r"Extra\('x', record=True\) needs a read function"):
        Extra("x", record=True)
