"""Advanced-zone models: public IPs, forwarding and firewall rules, networks, NICs, VPCs, ACLs.

Constructors keep libcloud's positional order and attribute names (PARITY 5.1); ``extra`` and
``driver`` keywords are additions. Every class compares equal by class and ``id`` and hashes by
``id``. Helpers (``release()``, ``delete()``) call the driver with keyword arguments.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver.cloudstack._modelbase import Model, deleter, describe

__all__ = [
    "CloudStackAddress",
    "CloudStackEgressFirewallRule",
    "CloudStackFirewallRule",
    "CloudStackIPForwardingRule",
    "CloudStackNetwork",
    "CloudStackNetworkACL",
    "CloudStackNetworkACLList",
    "CloudStackNetworkOffering",
    "CloudStackNic",
    "CloudStackPortForwardingRule",
    "CloudStackRouter",
    "CloudStackVPC",
    "CloudStackVPCOffering",
]


class CloudStackAddress(Model):
    """A public IP address. ``str(address)`` is the IP itself."""

    def __init__(self, id: Any, address: str | None, driver: Any,
                 associated_network_id: str | None = None, vpc_id: str | None = None,
                 virtualmachine_id: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.address = address
        self.associated_network_id = associated_network_id
        self.vpc_id = vpc_id
        self.virtualmachine_id = virtualmachine_id
        self._bind(driver, extra)

    def release(self) -> bool:
        """``driver.ex_release_public_ip(address=self)``."""
        return bool(self.driver.ex_release_public_ip(address=self))

    def __str__(self) -> str:
        return str(self.address)

    def __repr__(self) -> str:
        return describe("CloudStackAddress", self, "id", "address", "driver")


class _FirewallMatch(Model):
    """What an ingress or egress firewall rule matches: CIDRs, protocol, ICMP type/code, ports."""

    def _set_match(self, cidr_list: str | None, protocol: str | None, icmp_code: int | None,
                   icmp_type: int | None, start_port: int | None, end_port: int | None) -> None:
        self.cidr_list = cidr_list
        self.protocol = protocol
        self.icmp_code = icmp_code
        self.icmp_type = icmp_type
        self.start_port = start_port
        self.end_port = end_port


class CloudStackFirewallRule(_FirewallMatch):
    """An ingress firewall rule on a public IP (``address`` is a ``CloudStackAddress``)."""

    def __init__(self, id: Any, address: CloudStackAddress | None, cidr_list: str | None,
                 protocol: str | None, icmp_code: int | None = None,
                 icmp_type: int | None = None, start_port: int | None = None,
                 end_port: int | None = None, *, driver: Any = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.address = address
        self._set_match(cidr_list, protocol, icmp_code, icmp_type, start_port, end_port)
        self._bind(driver if driver is not None else getattr(address, "driver", None), extra)

    delete = deleter("ex_delete_firewall_rule", "firewall_rule")

    def __repr__(self) -> str:
        return describe("CloudStackFirewallRule", self,
                        "id", "address", "protocol", "cidr_list", "start_port", "end_port")


class CloudStackEgressFirewallRule(_FirewallMatch):
    """An egress firewall rule of a guest network."""

    def __init__(self, id: Any, network_id: str | None, cidr_list: str | None,
                 protocol: str | None, icmp_code: int | None = None,
                 icmp_type: int | None = None, start_port: int | None = None,
                 end_port: int | None = None, *, driver: Any = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.network_id = network_id
        self._set_match(cidr_list, protocol, icmp_code, icmp_type, start_port, end_port)
        self._bind(driver, extra)

    delete = deleter("ex_delete_egress_firewall_rule", "firewall_rule")

    def __repr__(self) -> str:
        return describe("CloudStackEgressFirewallRule", self,
                        "id", "network_id", "protocol", "cidr_list", "start_port", "end_port")


class _NodeRule(Model):
    """A forwarding rule to a VM: ``node`` when the VM was loaded, else None with the VM id
    in ``virtualmachine_id``; the driver defaults to the node's."""

    node: Any
    virtualmachine_id: str | None

    def _bind_node(self, node: Any, driver: Any, virtualmachine_id: str | None,
                   extra: dict[str, Any] | None) -> None:
        self.virtualmachine_id = (virtualmachine_id if virtualmachine_id is not None
                                  else getattr(node, "id", None))
        self._bind(driver if driver is not None else getattr(node, "driver", None), extra)

    def _delete_rule(self, method: str) -> bool:
        """``node.<method>(rule=self)``, or ``driver.<method>(node=None, rule=self)`` when the
        node is not loaded."""
        if self.node is not None:
            return bool(getattr(self.node, method)(rule=self))
        return bool(getattr(self.driver, method)(node=None, rule=self))


class CloudStackIPForwardingRule(_NodeRule):
    """An IP-forwarding (static NAT) rule. ``node`` is None when its VM was not loaded; the
    VM id is then in ``virtualmachine_id``."""

    def __init__(self, node: Any, id: Any, address: CloudStackAddress | None,
                 protocol: str | None, start_port: int | None, end_port: int | None = None,
                 *, driver: Any = None, virtualmachine_id: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.node = node
        self.id = id
        self.address = address
        self.protocol = protocol
        self.start_port = start_port
        self.end_port = end_port
        self._bind_node(node, driver, virtualmachine_id, extra)

    def delete(self) -> bool:
        """``node.ex_delete_ip_forwarding_rule(rule=self)`` (through the driver when the node
        is not loaded)."""
        return self._delete_rule("ex_delete_ip_forwarding_rule")

    def __repr__(self) -> str:
        return describe("CloudStackIPForwardingRule", self,
                        "id", "address", "protocol", "start_port", "end_port",
                        "virtualmachine_id")


class CloudStackPortForwardingRule(_NodeRule):
    """A port-forwarding rule (``rule_id`` is stored as ``id``; ``network_id`` is kept).
    ``node`` is None when its VM was not loaded; the VM id is then in ``virtualmachine_id``."""

    def __init__(self, node: Any, rule_id: Any, address: CloudStackAddress | None,
                 protocol: str | None, public_port: int | None, private_port: int | None,
                 public_end_port: int | None = None, private_end_port: int | None = None,
                 network_id: str | None = None, *, driver: Any = None,
                 virtualmachine_id: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.node = node
        self.id = rule_id
        self.address = address
        self.protocol = protocol
        self.public_port = public_port
        self.private_port = private_port
        self.public_end_port = public_end_port
        self.private_end_port = private_end_port
        self.network_id = network_id
        self._bind_node(node, driver, virtualmachine_id, extra)

    def delete(self) -> bool:
        """``node.ex_delete_port_forwarding_rule(rule=self)`` (through the driver when the
        node is not loaded)."""
        return self._delete_rule("ex_delete_port_forwarding_rule")

    def __repr__(self) -> str:
        return describe("CloudStackPortForwardingRule", self,
                        "id", "address", "protocol", "public_port", "private_port",
                        "virtualmachine_id")


class CloudStackNetwork(Model):
    """A guest network. Constructor arguments keep libcloud's raw CloudStack spellings."""

    def __init__(self, displaytext: str | None, name: str | None,
                 networkofferingid: str | None, id: Any, zoneid: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.displaytext = displaytext
        self.name = name
        self.networkofferingid = networkofferingid
        self.id = id
        self.zoneid = zoneid
        self._bind(driver, extra)

    def delete(self, force: bool | None = None) -> bool:
        """``driver.ex_delete_network(network=self, force=force)``."""
        return bool(self.driver.ex_delete_network(network=self, force=force))

    def __repr__(self) -> str:
        return describe("CloudStackNetwork", self,
                        "displaytext", "name", "networkofferingid", "id", "zoneid", "driver")


class CloudStackNetworkOffering(Model):
    """A network offering (what ``ex_create_network`` builds a network from)."""

    def __init__(self, name: str | None, display_text: str | None,
                 guest_ip_type: str | None, id: Any, service_offering_id: str | None,
                 for_vpc: bool | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.display_text = display_text
        self.guest_ip_type = guest_ip_type
        self.id = id
        self.service_offering_id = service_offering_id
        self.for_vpc = for_vpc
        self._bind(driver, extra)

    def __repr__(self) -> str:
        return describe("CloudStackNetworkOffering", self,
                        "id", "name", "display_text", "guest_ip_type", "service_offering_id",
                        "for_vpc", "driver")


class CloudStackNic(Model):
    """A network interface of a VM."""

    def __init__(self, id: Any, network_id: str | None, net_mask: str | None,
                 gateway: str | None, ip_address: str | None, is_default: bool | None,
                 mac_address: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.network_id = network_id
        self.net_mask = net_mask
        self.gateway = gateway
        self.ip_address = ip_address
        self.is_default = is_default
        self.mac_address = mac_address
        self._bind(driver, extra)

    def __repr__(self) -> str:
        return describe("CloudStackNic", self,
                        "id", "network_id", "net_mask", "gateway", "ip_address", "is_default",
                        "mac_address", "driver")


class CloudStackVPC(Model):
    """A virtual private cloud."""

    def __init__(self, name: str | None, vpc_offering_id: str | None, id: Any,
                 cidr: str | None, driver: Any, zone_id: str | None = None,
                 display_text: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.vpc_offering_id = vpc_offering_id
        self.id = id
        self.cidr = cidr
        self.zone_id = zone_id
        self.display_text = display_text
        self._bind(driver, extra)

    delete = deleter("ex_delete_vpc", "vpc")

    def __repr__(self) -> str:
        return describe("CloudStackVPC", self, "name", "vpc_offering_id", "id", "cidr", "driver")


class CloudStackVPCOffering(Model):
    """A VPC offering (what ``ex_create_vpc`` builds a VPC from)."""

    def __init__(self, name: str | None, display_text: str | None, id: Any, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.display_text = display_text
        self.id = id
        self._bind(driver, extra)

    def __repr__(self) -> str:
        return describe("CloudStackVPCOffering", self, "name", "display_text", "id", "driver")


class CloudStackRouter(Model):
    """A virtual router (``state`` is CloudStack's raw string)."""

    def __init__(self, id: Any, name: str | None, state: str | None, public_ip: str | None,
                 vpc_id: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.name = name
        self.state = state
        self.public_ip = public_ip
        self.vpc_id = vpc_id
        self._bind(driver, extra)

    def __repr__(self) -> str:
        return describe("CloudStackRouter", self,
                        "id", "name", "state", "public_ip", "vpc_id", "driver")


class CloudStackNetworkACLList(Model):
    """A network ACL list of a VPC (``acl_id`` is stored as ``id``)."""

    def __init__(self, acl_id: Any, name: str | None, vpc_id: str | None, driver: Any,
                 description: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = acl_id
        self.name = name
        self.vpc_id = vpc_id
        self.description = description
        self._bind(driver, extra)

    delete = deleter("ex_delete_network_acllist", "acl_list")

    def __repr__(self) -> str:
        return describe("CloudStackNetworkACLList", self,
                        "id", "name", "vpc_id", "driver", "description")


class CloudStackNetworkACL(Model):
    """One rule of a network ACL list."""

    def __init__(self, id: Any, protocol: str | None, acl_id: str | None, action: str | None,
                 cidr_list: str | None, start_port: int | None, end_port: int | None,
                 traffic_type: str | None = None, *, driver: Any = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.protocol = protocol
        self.acl_id = acl_id
        self.action = action
        self.cidr_list = cidr_list
        self.start_port = start_port
        self.end_port = end_port
        self.traffic_type = traffic_type
        self._bind(driver, extra)

    delete = deleter("ex_delete_network_acl", "acl")

    def __repr__(self) -> str:
        return describe("CloudStackNetworkACL", self,
                        "id", "protocol", "acl_id", "action", "cidr_list", "start_port",
                        "end_port", "traffic_type")
