"""VPCs, VPC offerings, virtual routers, network ACL lists and their rules."""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import check_choice, check_name, check_optional_instance
from cloudstack_driver.cloudstack.ext._args import (
    cidr_text,
    id_of,
    optional_id_of,
    optional_port,
    optional_text,
    project_id_of,
)
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackNetwork,
    CloudStackNetworkACL,
    CloudStackNetworkACLList,
    CloudStackRouter,
    CloudStackVPC,
    CloudStackVPCOffering,
)
from cloudstack_driver.models import NodeLocation

__all__ = ["VpcMixin"]

ACL_PROTOCOLS = ("tcp", "udp", "icmp", "all")
ACL_ACTIONS = ("Allow", "Deny")
TRAFFIC_TYPES = ("Ingress", "Egress")


def _flag(method: str, list_all: object) -> bool | None:
    """``list_all`` checked: a bool or None."""
    return check_optional_instance(method, "list_all", list_all, bool)


class VpcMixin(DriverHost):
    """``ex_list_vpcs``, ``ex_create_vpc``, ``ex_delete_vpc``, ``ex_list_vpc_offerings``,
    ``ex_list_routers`` and the network ACL methods."""

    def ex_list_vpcs(self, project: CloudStackProject | None = None, *,
                     list_all: bool | None = None) -> list[CloudStackVPC]:
        """VPCs: ``listVPCs(projectid?, listall?)``, all pages. No job."""
        records = self.connection.list("listVPCs",
                                       projectid=project_id_of("ex_list_vpcs", project),
                                       listall=_flag("ex_list_vpcs", list_all))
        return [CloudStackVPC.from_record(self, r) for r in records]

    def ex_create_vpc(self, cidr: str, display_text: str, name: str,
                      vpc_offering: CloudStackVPCOffering | str | int,
                      zone_id: NodeLocation | str | int,
                      network_domain: str | None = None) -> CloudStackVPC:
        """Create a VPC: ``createVPC(cidr, displaytext, name, vpcofferingid, zoneid,
        networkdomain?)``; waits for the job (D11) and returns the VPC as the server reports
        it. ``zone_id`` may be a ``NodeLocation``."""
        m = "ex_create_vpc"
        params: dict[str, Any] = {
            "cidr": cidr_text(m, "cidr", cidr),
            "displaytext": check_name(m, "display_text", display_text),
            "name": check_name(m, "name", name),
            "vpcofferingid": id_of(m, "vpc_offering", vpc_offering, CloudStackVPCOffering),
            "zoneid": id_of(m, "zone_id", zone_id, NodeLocation),
            "networkdomain": optional_text(m, "network_domain", network_domain),
        }
        if "," in params["cidr"]:
            raise ValueError(f"{m}(): 'cidr' must be one CIDR, got {cidr!r}")
        result = self.connection.request("createVPC", **params)
        return CloudStackVPC.from_record(self, entity(result, "vpc"))

    def ex_delete_vpc(self, vpc: CloudStackVPC | str | int) -> bool:
        """Delete a VPC: ``deleteVPC(id)``; waits for the job. True. Its tiers must be deleted
        first (the server refuses otherwise)."""
        self.connection.request("deleteVPC", id=id_of("ex_delete_vpc", "vpc", vpc,
                                                       CloudStackVPC))
        return True

    def ex_list_vpc_offerings(self) -> list[CloudStackVPCOffering]:
        """VPC offerings: ``listVPCOfferings``, all pages. No job."""
        return [CloudStackVPCOffering.from_record(self, r)
                for r in self.connection.list("listVPCOfferings")]

    def ex_list_routers(self, vpc_id: CloudStackVPC | str | int | None = None, *,
                        list_all: bool | None = None) -> list[CloudStackRouter]:
        """Virtual routers: ``listRouters(vpcid?, listall?)``, all pages (an admin command on
        most clouds). No job. Routers without ``vpcid``/``publicip`` are fine (D6)."""
        vpc = optional_id_of("ex_list_routers", "vpc_id", vpc_id, CloudStackVPC)
        listall = _flag("ex_list_routers", list_all)
        return [CloudStackRouter.from_record(self, r)
                for r in self.connection.list("listRouters", vpcid=vpc, listall=listall)]

    # -- network ACL lists ------------------------------------------------------------------
    def ex_create_network_acllist(self, name: str, vpc_id: CloudStackVPC | str | int,
                                  description: str | None = None) -> CloudStackNetworkACLList:
        """Create an ACL list in a VPC: ``createNetworkACLList(name, vpcid, description?)``;
        waits for the job (D11). Returns the list as the server reports it."""
        m = "ex_create_network_acllist"
        params: dict[str, Any] = {
            "name": check_name(m, "name", name),
            "vpcid": id_of(m, "vpc_id", vpc_id, CloudStackVPC),
            "description": optional_text(m, "description", description),
        }
        result = self.connection.request("createNetworkACLList", **params)
        return CloudStackNetworkACLList.from_record(self, entity(result, "networkacllist"))

    def ex_list_network_acllists(self, *, list_all: bool | None = None
                                 ) -> list[CloudStackNetworkACLList]:
        """ACL lists (the built-in ``default_allow``/``default_deny`` have no ``vpc_id``):
        ``listNetworkACLLists(listall?)``, all pages. No job."""
        listall = _flag("ex_list_network_acllists", list_all)
        return [CloudStackNetworkACLList.from_record(self, r)
                for r in self.connection.list("listNetworkACLLists", listall=listall)]

    def ex_delete_network_acllist(self, acl_list: CloudStackNetworkACLList | str | int) -> bool:
        """Delete an ACL list: ``deleteNetworkACLList(id)``; waits for the job. True."""
        ident = id_of("ex_delete_network_acllist", "acl_list", acl_list,
                      CloudStackNetworkACLList)
        self.connection.request("deleteNetworkACLList", id=ident)
        return True

    def ex_replace_network_acllist(self, acl_id: CloudStackNetworkACLList | str | int,
                                   network_id: CloudStackNetwork | str | int) -> bool:
        """Put a VPC tier under another ACL list: ``replaceNetworkACLList(aclid, networkid)``;
        waits for the job. True."""
        m = "ex_replace_network_acllist"
        self.connection.request(
            "replaceNetworkACLList",
            aclid=id_of(m, "acl_id", acl_id, CloudStackNetworkACLList),
            networkid=id_of(m, "network_id", network_id, CloudStackNetwork))
        return True

    # -- network ACL rules ------------------------------------------------------------------
    def ex_create_network_acl(self, protocol: str, acl_id: CloudStackNetworkACLList | str | int,
                              cidr_list: str | list[str], start_port: int | None,
                              end_port: int | None, action: str | None = None,
                              traffic_type: str | None = None) -> CloudStackNetworkACL:
        """Add a rule to an ACL list: ``createNetworkACL(protocol, aclid, cidrlist, startport,
        endport, action?, traffictype?)``; waits for the job. ``action`` Allow or Deny (the
        server's default: Allow), ``traffic_type`` Ingress or Egress (default Ingress).
        Returns the rule as the server reports it, with the values given here (as libcloud
        builds it)."""
        m = "ex_create_network_acl"
        params: dict[str, Any] = {
            "protocol": check_choice(m, "protocol", protocol, ACL_PROTOCOLS),
            "aclid": id_of(m, "acl_id", acl_id, CloudStackNetworkACLList),
            "cidrlist": cidr_text(m, "cidr_list", cidr_list),
            "startport": optional_port(m, "start_port", start_port),
            "endport": optional_port(m, "end_port", end_port),
            "action": None if action is None else check_choice(m, "action", action,
                                                               ACL_ACTIONS),
            "traffictype": (None if traffic_type is None
                            else check_choice(m, "traffic_type", traffic_type, TRAFFIC_TYPES)),
        }
        if params["protocol"] in ("tcp", "udp") and params["startport"] is None:
            raise ValueError(f"{m}(): 'start_port' is required for protocol {protocol!r}")
        result = self.connection.request("createNetworkACL", **params)
        rule = CloudStackNetworkACL.from_record(self, entity(result, "networkacl"))
        return rule._given(protocol=params["protocol"], acl_id=params["aclid"],
                           cidr_list=params["cidrlist"], start_port=start_port,
                           end_port=end_port, action=params["action"],
                           traffic_type=params["traffictype"])

    def ex_list_network_acl(self, *, list_all: bool | None = None
                            ) -> list[CloudStackNetworkACL]:
        """ACL rules: ``listNetworkACLs(listall?)``, all pages. No job."""
        listall = _flag("ex_list_network_acl", list_all)
        return [CloudStackNetworkACL.from_record(self, r)
                for r in self.connection.list("listNetworkACLs", listall=listall)]

    def ex_delete_network_acl(self, acl: CloudStackNetworkACL | str | int) -> bool:
        """Delete an ACL rule: ``deleteNetworkACL(id)``; waits for the job. True."""
        ident = id_of("ex_delete_network_acl", "acl", acl, CloudStackNetworkACL)
        self.connection.request("deleteNetworkACL", id=ident)
        return True
