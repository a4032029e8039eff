"""Guest networks, network offerings and the NICs of a VM (advanced zones)."""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import check_instance, check_name, check_optional_instance
from cloudstack_driver.cloudstack.ext._args import (
    id_of,
    node_id,
    optional_id,
    optional_id_of,
    optional_text,
    project_id_of,
)
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackNetwork,
    CloudStackNetworkACLList,
    CloudStackNetworkOffering,
    CloudStackNic,
    CloudStackVPC,
)
from cloudstack_driver.models import Node, NodeLocation

__all__ = ["NetworksMixin"]


class NetworksMixin(DriverHost):
    """``ex_list_networks``, ``ex_create_network``, ``ex_delete_network``,
    ``ex_list_network_offerings``, ``ex_list_nics``, attach/detach NICs."""

    def ex_list_networks(self, project: CloudStackProject | None = None, *,
                         list_all: bool | None = None) -> list[CloudStackNetwork]:
        """Guest networks: ``listNetworks(projectid?, listall?)``, all pages. No job."""
        m = "ex_list_networks"
        records = self.connection.list("listNetworks", projectid=project_id_of(m, project),
                                       listall=check_optional_instance(m, "list_all", list_all,
                                                                       bool))
        return [CloudStackNetwork.from_record(self, r) for r in records]

    def ex_create_network(
        self,
        display_text: str,
        name: str,
        network_offering: CloudStackNetworkOffering | str | int,
        location: NodeLocation,
        gateway: str | None = None,
        netmask: str | None = None,
        network_domain: str | None = None,
        vpc_id: CloudStackVPC | str | int | None = None,
        project_id: str | int | None = None,
        *,
        ex_acl_id: CloudStackNetworkACLList | str | int | None = None,
    ) -> CloudStackNetwork:
        """Create a guest network: ``createNetwork(displaytext, name, networkofferingid,
        zoneid, gateway?, netmask?, networkdomain?, vpcid?, projectid?, aclid?)``. Synchronous
        (no job). A VPC tier needs ``vpc_id``, ``gateway``, ``netmask`` and a VPC network
        offering; ``ex_acl_id`` picks its network ACL list."""
        m = "ex_create_network"
        params: dict[str, Any] = {
            "displaytext": check_name(m, "display_text", display_text),
            "name": check_name(m, "name", name),
            "networkofferingid": id_of(m, "network_offering", network_offering,
                                       CloudStackNetworkOffering),
            "zoneid": id_of(m, "location", location, NodeLocation),
            "gateway": optional_text(m, "gateway", gateway),
            "netmask": optional_text(m, "netmask", netmask),
            "networkdomain": optional_text(m, "network_domain", network_domain),
            "vpcid": optional_id_of(m, "vpc_id", vpc_id, CloudStackVPC),
            "projectid": optional_id(m, "project_id", project_id),
            "aclid": optional_id_of(m, "ex_acl_id", ex_acl_id, CloudStackNetworkACLList),
        }
        result = self.connection.request("createNetwork", **params)
        return CloudStackNetwork.from_record(self, entity(result, "network"))

    def ex_delete_network(self, network: CloudStackNetwork | str | int,
                          force: bool | None = None) -> bool:
        """Delete a guest network: ``deleteNetwork(id, forced?)``; waits for the job. True.
        ``forced`` is sent only when ``force`` is given (D25)."""
        m = "ex_delete_network"
        ident = id_of(m, "network", network, CloudStackNetwork)
        check_optional_instance(m, "force", force, bool)
        self.connection.request("deleteNetwork", id=ident, forced=force)
        return True

    def ex_list_network_offerings(self) -> list[CloudStackNetworkOffering]:
        """Network offerings: ``listNetworkOfferings``, all pages. No job."""
        return [CloudStackNetworkOffering.from_record(self, r)
                for r in self.connection.list("listNetworkOfferings")]

    def ex_list_nics(self, node: Node) -> list[CloudStackNic]:
        """The NICs of ``node``: ``listNics(virtualmachineid)``, all pages. No job."""
        records = self.connection.list("listNics",
                                       virtualmachineid=node_id("ex_list_nics", node))
        return [CloudStackNic.from_record(self, r) for r in records]

    def ex_attach_nic_to_node(self, node: Node, network: CloudStackNetwork | str | int,
                              ip_address: str | None = None) -> bool:
        """Plug ``node`` into ``network``: ``addNicToVirtualMachine(virtualmachineid,
        networkid, ipaddress?)``; waits for the job. True."""
        m = "ex_attach_nic_to_node"
        vm = node_id(m, node)
        net = id_of(m, "network", network, CloudStackNetwork)
        address = optional_text(m, "ip_address", ip_address)
        self.connection.request("addNicToVirtualMachine", virtualmachineid=vm, networkid=net,
                                ipaddress=address)
        return True

    def ex_add_nic_to_node(self, node: Node, network: CloudStackNetwork | str | int,
                           ip_address: str | None = None) -> bool:
        """Same as :meth:`ex_attach_nic_to_node`: ``addNicToVirtualMachine(virtualmachineid,
        networkid, ipaddress?)``; waits for the job. True."""
        return self.ex_attach_nic_to_node(node=node, network=network, ip_address=ip_address)

    def ex_detach_nic_from_node(self, nic: CloudStackNic, node: Node) -> bool:
        """Unplug ``nic`` from ``node`` (libcloud's order: NIC first):
        ``removeNicFromVirtualMachine(nicid, virtualmachineid)``; waits for the job. True."""
        m = "ex_detach_nic_from_node"
        found = check_instance(m, "nic", nic, CloudStackNic)
        vm = node_id(m, node)
        self.connection.request("removeNicFromVirtualMachine", nicid=found.id,
                                virtualmachineid=vm)
        return True

    def ex_remove_nic_from_node(self, node: Node, nic: CloudStackNic) -> bool:
        """Unplug ``nic`` from ``node`` (node first, like :meth:`ex_add_nic_to_node`):
        ``removeNicFromVirtualMachine``; waits for the job. True."""
        return self.ex_detach_nic_from_node(nic=nic, node=node)
