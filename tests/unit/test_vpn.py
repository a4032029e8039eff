"""Site-to-site VPN: exact parameters, models and their extra maps, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import LibcloudError
from cloudstack_driver.cloudstack.netmodels import CloudStackVPC
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackVpnConnection,
    CloudStackVpnCustomerGateway,
    CloudStackVpnGateway,
)
from cloudstack_driver.errors import NotFoundError

GATEWAY = {"id": "gw-1", "account": "admin", "domain": "ROOT", "domainid": "d-1",
           "publicip": "203.0.113.5", "vpcid": "vpc-1", "vpcname": "v", "fordisplay": True,
           "projectid": "p-1", "project": "proj"}
CUSTOMER = {"id": "cgw-1", "name": "office", "gateway": "198.51.100.1",
            "cidrlist": "192.168.10.0/24", "ipsecpsk": "s3cret-psk", "ikepolicy": "aes128-sha1",
            "esppolicy": "aes128-sha1", "ikelifetime": 86400, "esplifetime": "3600",
            "dpd": "false", "account": "admin", "domain": "ROOT", "domainid": "d-1"}
CONNECTION = {"id": "conn-1", "s2scustomergatewayid": "cgw-1", "s2svpngatewayid": "gw-1",
              "state": "Connected", "passive": False, "fordisplay": True, "account": "admin",
              "domain": "ROOT", "domainid": "d-1", "ipsecpsk": "s3cret-psk",
              "publicip": "203.0.113.5", "created": "2026-07-29T11:18:10+0000"}


def test_list_vpn_gateways_renames_filters(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVpnGateways", {"count": 1, "vpngateway": [GATEWAY]})
    vpc = CloudStackVPC("v", "vo-1", "vpc-1", "10.0.0.0/16", driver)
    [gateway] = driver.ex_list_vpn_gateways(
        account="admin", domain_id="d-1", for_display=True, id="gw-1", is_recursive=False,
        keyword="k", list_all=True, project_id="p-1", vpc_id=vpc)
    assert wire(cs_sent("listVpnGateways")[0]) == {
        "account": "admin", "domainid": "d-1", "fordisplay": "true", "id": "gw-1",
        "isrecursive": "false", "keyword": "k", "listall": "true", "projectid": "p-1",
        "vpcid": "vpc-1"}
    assert (gateway.id, gateway.account, gateway.domain, gateway.domain_id, gateway.public_ip,
            gateway.vpc_id) == ("gw-1", "admin", "ROOT", "d-1", "203.0.113.5", "vpc-1")
    assert gateway.extra == {"for_display": True, "project": "proj", "project_id": "p-1",
                             "removed": None, "vpc_name": "v"}


def test_list_one_page(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listVpnConnections", {"count": 40, "vpnconnection": [CONNECTION]})
    assert len(driver.ex_list_vpn_connections(page=2, page_size=1)) == 1
    [sent] = cs_sent("listVpnConnections")
    assert (sent["page"], sent["pagesize"]) == ("2", "1")


@pytest.mark.parametrize("answer", [{}, {"count": 0}])
def test_empty_lists(driver: Any, cs_answer: Any, answer: Any) -> None:
    for command in ("listVpnGateways", "listVpnCustomerGateways", "listVpnConnections"):
        cs_answer(command, answer)
    assert driver.ex_list_vpn_gateways() == []
    assert driver.ex_list_vpn_customer_gateways() == []
    assert driver.ex_list_vpn_connections() == []


def test_create_and_delete_gateway(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("createVpnGateway", {"vpngateway": GATEWAY})
    cs_answer_async("deleteVpnGateway", {"success": True})
    gateway = driver.ex_create_vpn_gateway("vpc-1", for_display=False)
    assert wire(cs_sent("createVpnGateway")[0]) == {"vpcid": "vpc-1", "fordisplay": "false"}
    assert gateway.id == "gw-1"
    assert gateway.delete() is True
    assert wire(cs_sent("deleteVpnGateway")[0]) == {"id": "gw-1"}
    assert len(cs_sent("queryAsyncJobResult")) == 2


def test_create_customer_gateway_all_arguments(driver: Any, cs_answer_async: Any,
                                               cs_sent: Any) -> None:
    cs_answer_async("createVpnCustomerGateway", {"vpncustomergateway": CUSTOMER})
    gateway = driver.ex_create_vpn_customer_gateway(
        ["192.168.10.0/24", "192.168.20.0/24"], "aes128-sha1", "198.51.100.1", "aes128-sha1",
        "s3cret-psk", account="admin", domain_id="d-1", dpd=False, esp_lifetime=3600,
        ike_lifetime=86400, name="office")
    assert wire(cs_sent("createVpnCustomerGateway")[0]) == {
        "cidrlist": "192.168.10.0/24,192.168.20.0/24", "esppolicy": "aes128-sha1",
        "gateway": "198.51.100.1", "ikepolicy": "aes128-sha1", "ipsecpsk": "s3cret-psk",
        "account": "admin", "domainid": "d-1", "dpd": "false", "esplifetime": "3600",
        "ikelifetime": "86400", "name": "office"}
    assert (gateway.cidr_list, gateway.gateway, gateway.ipsec_psk) == (
        "192.168.10.0/24", "198.51.100.1", "s3cret-psk")
    assert {k: gateway.extra[k] for k in ("account", "domain", "domain_id", "dpd",
                                          "esp_lifetime", "ike_lifetime", "name")} == {
        "account": "admin", "domain": "ROOT", "domain_id": "d-1", "dpd": False,
        "esp_lifetime": "3600", "ike_lifetime": 86400, "name": "office"}  # as the server sent


def test_customer_gateway_minimal_arguments(driver: Any, cs_answer_async: Any,
                                            cs_sent: Any) -> None:
    cs_answer_async("createVpnCustomerGateway", {"vpncustomergateway": {"id": "cgw-2"}})
    driver.ex_create_vpn_customer_gateway("10.1.0.0/16", "esp", "198.51.100.2", "ike", "psk")
    assert set(wire(cs_sent("createVpnCustomerGateway")[0])) == {
        "cidrlist", "esppolicy", "gateway", "ikepolicy", "ipsecpsk"}  # no "None" (D25)


def test_customer_gateway_repr_hides_psk(driver: Any) -> None:
    gateway = CloudStackVpnCustomerGateway("cgw-1", "10.0.0.0/8", "esp", "198.51.100.1",
                                           "ike", "s3cret-psk", driver)
    text = repr(gateway)
    assert "s3cret-psk" not in text and "cgw-1" in text and "198.51.100.1" in text


def test_connection_create_list_delete(driver: Any, cs_answer: Any, cs_answer_async: Any,
                                       cs_sent: Any) -> None:
    cs_answer_async("createVpnConnection", {"vpnconnection": CONNECTION})
    cs_answer_async("deleteVpnConnection", {"success": True})
    customer = CloudStackVpnCustomerGateway("cgw-1", None, None, None, None, None, driver)
    gateway = CloudStackVpnGateway("gw-1", None, None, None, None, "vpc-1", driver)
    conn = driver.ex_create_vpn_connection(customer, gateway, for_display=True, passive=True)
    assert wire(cs_sent("createVpnConnection")[0]) == {
        "s2scustomergatewayid": "cgw-1", "s2svpngatewayid": "gw-1", "fordisplay": "true",
        "passive": "true"}
    assert (conn.id, conn.passive, conn.vpn_customer_gateway_id, conn.vpn_gateway_id,
            conn.state) == ("conn-1", False, "cgw-1", "gw-1", "Connected")
    assert {k: conn.extra[k] for k in ("account", "domain", "domain_id", "for_display",
                                       "project", "project_id")} == {
        "account": "admin", "domain": "ROOT", "domain_id": "d-1", "for_display": True,
        "project": None, "project_id": None}
    assert "s3cret-psk" not in repr(conn) and "s3cret-psk" not in repr(conn.extra)
    cs_answer("listVpnGateways", {"count": 1, "vpngateway": [GATEWAY]})
    cs_answer("listVpnCustomerGateways", {"count": 1, "vpncustomergateway": [CUSTOMER]})
    assert conn.vpn_gateway.id == "gw-1"
    assert conn.vpn_customer_gateway.id == "cgw-1"
    assert wire(cs_sent("listVpnGateways")[0]) == {"id": "gw-1"}
    assert wire(cs_sent("listVpnCustomerGateways")[0]) == {"id": "cgw-1"}
    assert conn.delete() is True
    assert wire(cs_sent("deleteVpnConnection")[0]) == {"id": "conn-1"}


def test_missing_related_objects_raise(driver: Any, cs_answer: Any) -> None:
    cs_answer("listVpnGateways", {})
    cs_answer("listVPCs", {})
    conn = CloudStackVpnConnection("c", None, "cgw-x", "gw-x", None, driver)
    with pytest.raises(NotFoundError, match="gw-x") as caught:
        _ = conn.vpn_gateway
    assert isinstance(caught.value, LibcloudError)
    gateway = CloudStackVpnGateway("gw-1", None, None, None, None, "vpc-9", driver)
    with pytest.raises(NotFoundError, match="vpc-9"):
        _ = gateway.vpc


def test_gateway_vpc_property(driver: Any, cs_answer: Any) -> None:
    cs_answer("listVPCs", {"count": 2, "vpc": [{"id": "vpc-0", "name": "a"},
                                               {"id": "vpc-1", "name": "b"}]})
    gateway = CloudStackVpnGateway("gw-1", None, None, None, None, "vpc-1", driver)
    assert gateway.vpc.name == "b"


@pytest.mark.parametrize(("call", "error", "arg"), [
    (lambda d: d.ex_list_vpn_gateways(for_display="yes"), TypeError, "'for_display'"),
    (lambda d: d.ex_list_vpn_gateways(page=0), ValueError, "'page'"),
    (lambda d: d.ex_list_vpn_connections(vpc_id=5.0), TypeError, "'vpc_id'"),
    (lambda d: d.ex_list_vpn_customer_gateways(keyword=""), ValueError, "'keyword'"),
    (lambda d: d.ex_create_vpn_gateway(None), TypeError, "'vpc'"),
    (lambda d: d.ex_create_vpn_gateway("vpc-1", for_display="true"), TypeError,
     "'for_display'"),
    (lambda d: d.ex_delete_vpn_gateway(""), ValueError, "'vpn_gateway'"),
    (lambda d: d.ex_create_vpn_customer_gateway("10.0.0.0", "e", "1.2.3.4", "i", "p"),
     ValueError, "'cidr_list'"),
    (lambda d: d.ex_create_vpn_customer_gateway("10.0.0.0/8", None, "1.2.3.4", "i", "p"),
     TypeError, "'esp_policy'"),
    (lambda d: d.ex_create_vpn_customer_gateway("10.0.0.0/8", "e", "1.2.3.4", "i", ""),
     ValueError, "'ipsec_psk'"),
    (lambda d: d.ex_create_vpn_customer_gateway("10.0.0.0/8", "e", "1.2.3.4", "i", "p",
                                                esp_lifetime=0), ValueError, "'esp_lifetime'"),
    (lambda d: d.ex_create_vpn_customer_gateway("10.0.0.0/8", "e", "1.2.3.4", "i", "p",
                                                dpd="no"), TypeError, "'dpd'"),
    (lambda d: d.ex_delete_vpn_customer_gateway(3.0), TypeError, "'vpn_customer_gateway'"),
    (lambda d: d.ex_create_vpn_connection("cgw", None), TypeError, "'vpn_gateway'"),
    (lambda d: d.ex_create_vpn_connection("cgw", "gw", passive=1), TypeError, "'passive'"),
    (lambda d: d.ex_delete_vpn_connection(None), TypeError, "'vpn_connection'"),
])
def test_bad_input_before_any_request(driver: Any, refused: Any, call: Any, error: type,
                                      arg: str) -> None:
    with refused(error, match=arg):
        call(driver)
