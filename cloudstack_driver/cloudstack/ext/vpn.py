"""Site-to-site VPN: VPN gateways on VPCs, customer gateways, and the connections between them."""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import check_name, check_optional_instance
from cloudstack_driver.cloudstack.ext._args import (
    cidr_text,
    id_of,
    list_filters,
    optional_id,
    optional_int,
    optional_text,
)
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import CloudStackVPC
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackVpnConnection,
    CloudStackVpnCustomerGateway,
    CloudStackVpnGateway,
)

__all__ = ["VpnMixin"]

#: List filters that take an id string or the model.
_ID_FILTERS: dict[str, type] = {"project_id": CloudStackProject, "vpc_id": CloudStackVPC}


class VpnMixin(DriverHost):
    """The nine site-to-site VPN methods of libcloud (``ex_*vpn*``)."""

    # -- VPN gateways ------------------------------------------------------------------------
    def ex_list_vpn_gateways(
        self, account: str | None = None, domain_id: str | int | None = None,
        for_display: bool | None = None, id: str | int | None = None,
        is_recursive: bool | None = None, keyword: str | None = None,
        list_all: bool | None = None, page: int | None = None, page_size: int | None = None,
        project_id: str | int | None = None, vpc_id: CloudStackVPC | str | int | None = None,
    ) -> list[CloudStackVpnGateway]:
        """VPN gateways: ``listVpnGateways`` with the given filters (``domainid``,
        ``fordisplay``, ``isrecursive``, ``listall``, ``pagesize``, ``projectid``, ``vpcid``
        ...), all pages unless ``page`` is given. No job."""
        params = list_filters("ex_list_vpn_gateways", {
            "account": account, "domain_id": domain_id, "for_display": for_display, "id": id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "page": page, "page_size": page_size, "project_id": project_id, "vpc_id": vpc_id},
            _ID_FILTERS)
        return [CloudStackVpnGateway.from_record(self, r) for r in self.connection.list("listVpnGateways",
                                                                      **params)]

    def ex_create_vpn_gateway(self, vpc: CloudStackVPC | str | int,
                              for_display: bool | None = None) -> CloudStackVpnGateway:
        """Create the VPN gateway of a VPC: ``createVpnGateway(vpcid, fordisplay?)``; waits
        for the job. Returns the gateway as the server reports it."""
        m = "ex_create_vpn_gateway"
        params: dict[str, Any] = {
            "vpcid": id_of(m, "vpc", vpc, CloudStackVPC),
            "fordisplay": check_optional_instance(m, "for_display", for_display, bool),
        }
        result = self.connection.request("createVpnGateway", **params)
        return CloudStackVpnGateway.from_record(self, entity(result, "vpngateway"))

    def ex_delete_vpn_gateway(self, vpn_gateway: CloudStackVpnGateway | str | int) -> bool:
        """Delete a VPN gateway (and, on the server, its connections):
        ``deleteVpnGateway(id)``; waits for the job. True."""
        ident = id_of("ex_delete_vpn_gateway", "vpn_gateway", vpn_gateway,
                      CloudStackVpnGateway)
        self.connection.request("deleteVpnGateway", id=ident)
        return True

    # -- customer gateways -------------------------------------------------------------------
    def ex_list_vpn_customer_gateways(
        self, account: str | None = None, domain_id: str | int | None = None, id: str | int | None = None,
        is_recursive: bool | None = None, keyword: str | None = None,
        list_all: bool | None = None, page: int | None = None, page_size: int | None = None,
        project_id: str | int | None = None,
    ) -> list[CloudStackVpnCustomerGateway]:
        """VPN customer gateways: ``listVpnCustomerGateways`` with the given filters, all
        pages unless ``page`` is given. No job."""
        params = list_filters("ex_list_vpn_customer_gateways", {
            "account": account, "domain_id": domain_id, "id": id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "page": page, "page_size": page_size, "project_id": project_id},
            _ID_FILTERS)
        return [CloudStackVpnCustomerGateway.from_record(self, r)
                for r in self.connection.list("listVpnCustomerGateways", **params)]

    def ex_create_vpn_customer_gateway(
        self, cidr_list: str | list[str], esp_policy: str, gateway: str, ike_policy: str,
        ipsec_psk: str, account: str | None = None, domain_id: str | int | None = None,
        dpd: bool | None = None, esp_lifetime: int | None = None,
        ike_lifetime: int | None = None, name: str | None = None,
    ) -> CloudStackVpnCustomerGateway:
        """Create a customer gateway: ``createVpnCustomerGateway(cidrlist, esppolicy, gateway,
        ikepolicy, ipsecpsk, account?, domainid?, dpd?, esplifetime?, ikelifetime?, name?)``;
        waits for the job. ``cidr_list`` is the remote guest CIDRs (text or a list);
        lifetimes are seconds. Returns the gateway as the server reports it."""
        m = "ex_create_vpn_customer_gateway"
        params: dict[str, Any] = {
            "cidrlist": cidr_text(m, "cidr_list", cidr_list),
            "esppolicy": check_name(m, "esp_policy", esp_policy),
            "gateway": check_name(m, "gateway", gateway),
            "ikepolicy": check_name(m, "ike_policy", ike_policy),
            "ipsecpsk": check_name(m, "ipsec_psk", ipsec_psk),
            "account": optional_text(m, "account", account),
            "domainid": optional_id(m, "domain_id", domain_id),
            "dpd": check_optional_instance(m, "dpd", dpd, bool),
            "esplifetime": optional_int(m, "esp_lifetime", esp_lifetime, minimum=1),
            "ikelifetime": optional_int(m, "ike_lifetime", ike_lifetime, minimum=1),
            "name": optional_text(m, "name", name),
        }
        result = self.connection.request("createVpnCustomerGateway", **params)
        return CloudStackVpnCustomerGateway.from_record(self, entity(result, "vpncustomergateway"))

    def ex_delete_vpn_customer_gateway(
        self, vpn_customer_gateway: CloudStackVpnCustomerGateway | str | int) -> bool:
        """Delete a customer gateway: ``deleteVpnCustomerGateway(id)``; waits for the job.
        True. The server refuses (``ResourceInUseError``) while connections use it."""
        ident = id_of("ex_delete_vpn_customer_gateway", "vpn_customer_gateway",
                      vpn_customer_gateway, CloudStackVpnCustomerGateway)
        self.connection.request("deleteVpnCustomerGateway", id=ident)
        return True

    # -- connections -------------------------------------------------------------------------
    def ex_list_vpn_connections(
        self, account: str | None = None, domain_id: str | int | None = None,
        for_display: bool | None = None, id: str | int | None = None,
        is_recursive: bool | None = None, keyword: str | None = None,
        list_all: bool | None = None, page: int | None = None, page_size: int | None = None,
        project_id: str | int | None = None, vpc_id: CloudStackVPC | str | int | None = None,
    ) -> list[CloudStackVpnConnection]:
        """VPN connections: ``listVpnConnections`` with the given filters, all pages unless
        ``page`` is given. No job."""
        params = list_filters("ex_list_vpn_connections", {
            "account": account, "domain_id": domain_id, "for_display": for_display, "id": id,
            "is_recursive": is_recursive, "keyword": keyword, "list_all": list_all,
            "page": page, "page_size": page_size, "project_id": project_id, "vpc_id": vpc_id},
            _ID_FILTERS)
        return [CloudStackVpnConnection.from_record(self, r)
                for r in self.connection.list("listVpnConnections", **params)]

    def ex_create_vpn_connection(
        self, vpn_customer_gateway: CloudStackVpnCustomerGateway | str | int,
        vpn_gateway: CloudStackVpnGateway | str | int, for_display: bool | None = None,
        passive: bool | None = None,
    ) -> CloudStackVpnConnection:
        """Connect a VPN gateway to a customer gateway: ``createVpnConnection(
        s2scustomergatewayid, s2svpngatewayid, fordisplay?, passive?)``; waits for the job.
        Returns the connection as the server reports it."""
        m = "ex_create_vpn_connection"
        params: dict[str, Any] = {
            "s2scustomergatewayid": id_of(m, "vpn_customer_gateway", vpn_customer_gateway,
                                          CloudStackVpnCustomerGateway),
            "s2svpngatewayid": id_of(m, "vpn_gateway", vpn_gateway, CloudStackVpnGateway),
            "fordisplay": check_optional_instance(m, "for_display", for_display, bool),
            "passive": check_optional_instance(m, "passive", passive, bool),
        }
        result = self.connection.request("createVpnConnection", **params)
        return CloudStackVpnConnection.from_record(self, entity(result, "vpnconnection"))

    def ex_delete_vpn_connection(self, vpn_connection: CloudStackVpnConnection | str | int) -> bool:
        """Delete a VPN connection: ``deleteVpnConnection(id)``; waits for the job. True."""
        ident = id_of("ex_delete_vpn_connection", "vpn_connection", vpn_connection,
                      CloudStackVpnConnection)
        self.connection.request("deleteVpnConnection", id=ident)
        return True
