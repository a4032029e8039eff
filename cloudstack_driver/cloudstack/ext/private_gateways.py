"""VPC private gateways: a VPC's leg into a private network (a VLAN or an Isolated network)."""

from __future__ import annotations

from cloudstack_driver._validate import check_name, check_optional_instance
from cloudstack_driver.cloudstack.accessmodels import CloudStackPrivateGateway
from cloudstack_driver.cloudstack.ext._args import id_of, optional_id, optional_id_of, optional_text
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackNetwork,
    CloudStackNetworkACLList,
    CloudStackNetworkOffering,
    CloudStackVPC,
)

__all__ = ["PrivateGatewaysMixin"]


class PrivateGatewaysMixin(DriverHost):
    """``ex_create_private_gateway``, ``ex_list_private_gateways``,
    ``ex_delete_private_gateway``."""

    def ex_create_private_gateway(
        self, vpc: CloudStackVPC | str | int, gateway: str, ip_address: str, netmask: str,
        vlan: str | int | None = None, *,
        acl_id: CloudStackNetworkACLList | str | int | None = None,
        associated_network_id: CloudStackNetwork | str | int | None = None,
        source_nat_supported: bool | None = None,
        physical_network_id: str | int | None = None,
        network_offering_id: CloudStackNetworkOffering | str | int | None = None,
        bypass_vlan_overlap_check: bool | None = None,
    ) -> CloudStackPrivateGateway:
        """Give ``vpc`` the address ``ip_address`` on the private network ``gateway``/
        ``netmask``: ``createPrivateGateway(vpcid, gateway, ipaddress, netmask, vlan?, aclid?,
        associatednetworkid?, sourcenatsupported?, physicalnetworkid?, networkofferingid?,
        bypassvlanoverlapcheck?)``; waits for the job.

        The server needs ``vlan`` (an id or ``vlan://id``) or ``associated_network_id``; the
        ACL defaults to ``default_deny``. Root admins only on most clouds."""
        m = "ex_create_private_gateway"
        if isinstance(vlan, bool) or not isinstance(vlan, (str, int, type(None))):
            raise TypeError(f"{m}(): 'vlan' must be a VLAN id (str or int), got "
                            f"{type(vlan).__name__} {vlan!r}"[:200])
        result = self.connection.request(
            "createPrivateGateway",
            vpcid=id_of(m, "vpc", vpc, CloudStackVPC),
            gateway=check_name(m, "gateway", gateway),
            ipaddress=check_name(m, "ip_address", ip_address),
            netmask=check_name(m, "netmask", netmask),
            vlan=optional_text(m, "vlan", str(vlan)) if vlan is not None else None,
            aclid=optional_id_of(m, "acl_id", acl_id, CloudStackNetworkACLList),
            associatednetworkid=optional_id_of(m, "associated_network_id",
                                               associated_network_id, CloudStackNetwork),
            sourcenatsupported=check_optional_instance(m, "source_nat_supported",
                                                       source_nat_supported, bool),
            physicalnetworkid=optional_id(m, "physical_network_id", physical_network_id),
            networkofferingid=optional_id_of(m, "network_offering_id", network_offering_id,
                                             CloudStackNetworkOffering),
            bypassvlanoverlapcheck=check_optional_instance(
                m, "bypass_vlan_overlap_check", bypass_vlan_overlap_check, bool),
        )
        return CloudStackPrivateGateway.from_record(self, entity(result, "privategateway"))

    def ex_list_private_gateways(
        self, *, vpc_id: CloudStackVPC | str | int | None = None,
        ip_address: str | None = None, state: str | None = None,
        vlan: str | int | None = None,
        project_id: CloudStackProject | str | int | None = None,
        list_all: bool | None = None,
    ) -> list[CloudStackPrivateGateway]:
        """Private gateways: ``listPrivateGateways(vpcid?, ipaddress?, state?, vlan?,
        projectid?, listall?)``, all pages. No job."""
        m = "ex_list_private_gateways"
        if isinstance(vlan, bool) or not isinstance(vlan, (str, int, type(None))):
            raise TypeError(f"{m}(): 'vlan' must be a VLAN id (str or int), got "
                            f"{type(vlan).__name__} {vlan!r}"[:200])
        return self.connection.list_mapped(
            "listPrivateGateways", lambda r: CloudStackPrivateGateway.from_record(self, r),
            vpcid=optional_id_of(m, "vpc_id", vpc_id, CloudStackVPC),
            ipaddress=optional_text(m, "ip_address", ip_address),
            state=optional_text(m, "state", state),
            vlan=optional_text(m, "vlan", str(vlan)) if vlan is not None else None,
            projectid=optional_id_of(m, "project_id", project_id, CloudStackProject),
            listall=check_optional_instance(m, "list_all", list_all, bool),
        )

    def ex_delete_private_gateway(self, gateway: CloudStackPrivateGateway | str | int) -> bool:
        """Delete a private gateway: ``deletePrivateGateway(id)``; waits for the job. True."""
        ident = id_of("ex_delete_private_gateway", "gateway", gateway, CloudStackPrivateGateway)
        self.connection.request("deletePrivateGateway", id=ident)
        return True
