"""Advanced-zone models: public IPs, forwarding and firewall rules, networks, NICs, VPCs, ACLs.

Constructors keep libcloud's positional order and attribute names (PARITY 5.1); ``extra`` and
``driver`` keywords are additions. Every class compares equal by class and ``id`` and hashes by
``id``. Helpers (``release()``, ``delete()``) call the driver with keyword arguments.
"""

from __future__ import annotations

from typing import Any

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


def _driver_name(driver: Any) -> Any:
    return getattr(driver, "name", None)


class _EqById:
    """``==`` by class and ``id``; hashable by ``id``."""

    id: Any

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self.id == other.id)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))


class CloudStackAddress(_EqById):
    """A public IP address. ``str(address)`` is the IP itself."""

    def __init__(self, id: Any, address: str | None, driver: Any,
                 associated_network_id: str | None = None, vpc_id: str | None = None,
                 virtualmachine_id: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.address = address
        self.driver = driver
        self.associated_network_id = associated_network_id
        self.vpc_id = vpc_id
        self.virtualmachine_id = virtualmachine_id
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def release(self) -> bool:
        """``driver.ex_release_public_ip(address=self)``."""
        return bool(self.driver.ex_release_public_ip(address=self))

    def __str__(self) -> str:
        return str(self.address)

    def __repr__(self) -> str:
        return (f"<CloudStackAddress: id={self.id}, address={self.address}, "
                f"driver={_driver_name(self.driver)}>")


class _FirewallMatch(_EqById):
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
        self.driver: Any = driver if driver is not None else getattr(address, "driver", None)
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_firewall_rule(firewall_rule=self)``."""
        return bool(self.driver.ex_delete_firewall_rule(firewall_rule=self))

    def __repr__(self) -> str:
        return (f"<CloudStackFirewallRule: id={self.id}, address={self.address}, "
                f"protocol={self.protocol}, cidr_list={self.cidr_list}, "
                f"start_port={self.start_port}, end_port={self.end_port}>")


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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_egress_firewall_rule(firewall_rule=self)``."""
        return bool(self.driver.ex_delete_egress_firewall_rule(firewall_rule=self))

    def __repr__(self) -> str:
        return (f"<CloudStackEgressFirewallRule: id={self.id}, network_id={self.network_id}, "
                f"protocol={self.protocol}, cidr_list={self.cidr_list}, "
                f"start_port={self.start_port}, end_port={self.end_port}>")


class CloudStackIPForwardingRule(_EqById):
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
        self.driver: Any = driver if driver is not None else getattr(node, "driver", None)
        self.virtualmachine_id = (virtualmachine_id if virtualmachine_id is not None
                                  else getattr(node, "id", None))
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``node.ex_delete_ip_forwarding_rule(rule=self)`` (through the driver when the node
        is not loaded)."""
        if self.node is not None:
            return bool(self.node.ex_delete_ip_forwarding_rule(rule=self))
        return bool(self.driver.ex_delete_ip_forwarding_rule(node=None, rule=self))

    def __repr__(self) -> str:
        return (f"<CloudStackIPForwardingRule: id={self.id}, address={self.address}, "
                f"protocol={self.protocol}, start_port={self.start_port}, "
                f"end_port={self.end_port}, virtualmachine_id={self.virtualmachine_id}>")


class CloudStackPortForwardingRule(_EqById):
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
        self.driver: Any = driver if driver is not None else getattr(node, "driver", None)
        self.virtualmachine_id = (virtualmachine_id if virtualmachine_id is not None
                                  else getattr(node, "id", None))
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``node.ex_delete_port_forwarding_rule(rule=self)`` (through the driver when the
        node is not loaded)."""
        if self.node is not None:
            return bool(self.node.ex_delete_port_forwarding_rule(rule=self))
        return bool(self.driver.ex_delete_port_forwarding_rule(node=None, rule=self))

    def __repr__(self) -> str:
        return (f"<CloudStackPortForwardingRule: id={self.id}, address={self.address}, "
                f"protocol={self.protocol}, public_port={self.public_port}, "
                f"private_port={self.private_port}, "
                f"virtualmachine_id={self.virtualmachine_id}>")


class CloudStackNetwork(_EqById):
    """A guest network. Constructor arguments keep libcloud's raw CloudStack spellings."""

    def __init__(self, displaytext: str | None, name: str | None,
                 networkofferingid: str | None, id: Any, zoneid: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.displaytext = displaytext
        self.name = name
        self.networkofferingid = networkofferingid
        self.id = id
        self.zoneid = zoneid
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self, force: bool | None = None) -> bool:
        """``driver.ex_delete_network(network=self, force=force)``."""
        return bool(self.driver.ex_delete_network(network=self, force=force))

    def __repr__(self) -> str:
        return (f"<CloudStackNetwork: displaytext={self.displaytext}, name={self.name}, "
                f"networkofferingid={self.networkofferingid}, id={self.id}, "
                f"zoneid={self.zoneid}, driver={_driver_name(self.driver)}>")


class CloudStackNetworkOffering(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (f"<CloudStackNetworkOffering: id={self.id}, name={self.name}, "
                f"display_text={self.display_text}, guest_ip_type={self.guest_ip_type}, "
                f"service_offering_id={self.service_offering_id}, for_vpc={self.for_vpc}, "
                f"driver={_driver_name(self.driver)}>")


class CloudStackNic(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (f"<CloudStackNic: id={self.id}, network_id={self.network_id}, "
                f"net_mask={self.net_mask}, gateway={self.gateway}, "
                f"ip_address={self.ip_address}, is_default={self.is_default}, "
                f"mac_address={self.mac_address}, driver={_driver_name(self.driver)}>")


class CloudStackVPC(_EqById):
    """A virtual private cloud."""

    def __init__(self, name: str | None, vpc_offering_id: str | None, id: Any,
                 cidr: str | None, driver: Any, zone_id: str | None = None,
                 display_text: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.vpc_offering_id = vpc_offering_id
        self.id = id
        self.cidr = cidr
        self.driver = driver
        self.zone_id = zone_id
        self.display_text = display_text
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_vpc(vpc=self)``."""
        return bool(self.driver.ex_delete_vpc(vpc=self))

    def __repr__(self) -> str:
        return (f"<CloudStackVPC: name={self.name}, vpc_offering_id={self.vpc_offering_id}, "
                f"id={self.id}, cidr={self.cidr}, driver={_driver_name(self.driver)}>")


class CloudStackVPCOffering(_EqById):
    """A VPC offering (what ``ex_create_vpc`` builds a VPC from)."""

    def __init__(self, name: str | None, display_text: str | None, id: Any, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.display_text = display_text
        self.id = id
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (f"<CloudStackVPCOffering: name={self.name}, display_text={self.display_text}, "
                f"id={self.id}, driver={_driver_name(self.driver)}>")


class CloudStackRouter(_EqById):
    """A virtual router (``state`` is CloudStack's raw string)."""

    def __init__(self, id: Any, name: str | None, state: str | None, public_ip: str | None,
                 vpc_id: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.name = name
        self.state = state
        self.public_ip = public_ip
        self.vpc_id = vpc_id
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (f"<CloudStackRouter: id={self.id}, name={self.name}, state={self.state}, "
                f"public_ip={self.public_ip}, vpc_id={self.vpc_id}, "
                f"driver={_driver_name(self.driver)}>")


class CloudStackNetworkACLList(_EqById):
    """A network ACL list of a VPC (``acl_id`` is stored as ``id``)."""

    def __init__(self, acl_id: Any, name: str | None, vpc_id: str | None, driver: Any,
                 description: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = acl_id
        self.name = name
        self.vpc_id = vpc_id
        self.driver = driver
        self.description = description
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_network_acllist(acl_list=self)``."""
        return bool(self.driver.ex_delete_network_acllist(acl_list=self))

    def __repr__(self) -> str:
        return (f"<CloudStackNetworkACLList: id={self.id}, name={self.name}, "
                f"vpc_id={self.vpc_id}, driver={_driver_name(self.driver)}, "
                f"description={self.description}>")


class CloudStackNetworkACL(_EqById):
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
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def delete(self) -> bool:
        """``driver.ex_delete_network_acl(acl=self)``."""
        return bool(self.driver.ex_delete_network_acl(acl=self))

    def __repr__(self) -> str:
        return (f"<CloudStackNetworkACL: id={self.id}, protocol={self.protocol}, "
                f"acl_id={self.acl_id}, action={self.action}, cidr_list={self.cidr_list}, "
                f"start_port={self.start_port}, end_port={self.end_port}, "
                f"traffic_type={self.traffic_type}>")
