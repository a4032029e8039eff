"""The load-balancer models and contract, as in libcloud's ``libcloud.loadbalancer.base``:
``Member``, ``LoadBalancer``, ``Algorithm``, ``DEFAULT_ALGORITHM`` and the ``Driver`` base.

The models are declared once (:mod:`cloudstack_driver._schema`): libcloud's constructors
(``LoadBalancer(id, name, state, ip, port, driver, extra=None)``, ``Member(id, ip, port,
balancer=None, extra=None)``), attributes and reprs, ids as ``str``. A ``LoadBalancer`` read from
a CloudStack load-balancer rule also has libcloud's ``ex_private_port`` and ``ex_public_ip_id``,
its ports as ``int`` (libcloud's documented type; its CloudStack driver gave the server's
strings), and ``extra`` with the rule's other fields. Equality is identity, as in libcloud.
Models delegate to their driver with libcloud's keyword names (``balancer.attach_member(m)``
calls ``driver.balancer_attach_member(balancer=balancer, member=m)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from cloudstack_driver._awaitable import then
from cloudstack_driver._convert import flag, tags_of, to_int
from cloudstack_driver._schema import Extra, Schema, field, new_dict
from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.loadbalancer.types import State, _Number

if TYPE_CHECKING:
    from cloudstack_driver.models import Node

__all__ = ["DEFAULT_ALGORITHM", "LB_STATE_MAP", "Algorithm", "Driver", "LoadBalancer", "Member"]


class Algorithm(_Number):
    """Load-balancing algorithms (libcloud's values). CloudStack offers ``ROUND_ROBIN``
    (``roundrobin``), ``LEAST_CONNECTIONS`` (``leastconn``) and ``PERSISTENT_IP``
    (``source``: a client's address picks its member)."""

    RANDOM = 0
    ROUND_ROBIN = 1
    LEAST_CONNECTIONS = 2
    WEIGHTED_ROUND_ROBIN = 3
    WEIGHTED_LEAST_CONNECTIONS = 4
    SHORTEST_RESPONSE = 5
    PERSISTENT_IP = 6
    LEAST_CONNECTIONS_MEMBER = 7
    LEAST_CONNECTIONS_NODE = 8
    OBSERVED_MEMBER = 9
    OBSERVED_NODE = 10
    PREDICTIVE_MEMBER = 11
    PREDICTIVE_NODE = 12


DEFAULT_ALGORITHM = Algorithm.ROUND_ROBIN

#: CloudStack rule state -> ``State``; anything else is ``State.UNKNOWN`` (the raw state is in
#: ``extra["state"]``). libcloud mapped only ``Active``.
LB_STATE_MAP: dict[str, State] = {
    "Active": State.RUNNING,
    "Add": State.PENDING,
    "Staged": State.PENDING,
    "Revoke": State.DELETED,
    "Deleting": State.DELETED,
}


def lb_state(raw: Any) -> State:
    """The ``State`` of a CloudStack rule state (``UNKNOWN`` for anything unlisted)."""
    return LB_STATE_MAP.get(str(raw), State.UNKNOWN) if raw is not None else State.UNKNOWN


def _tags(record: Mapping[str, Any]) -> dict[str, Any]:
    return tags_of(record) if record.get("tags") else {}


class Member(Schema):
    """A member of a load balancer: for CloudStack, a VM (``id`` is the VM's id) and the address
    the rule sends traffic to.

    :ivar id: the VM's id (``str``)
    :ivar ip: its address on the rule's network
    :ivar port: the rule's private port
    :ivar balancer: the :class:`LoadBalancer` it belongs to, when known
    :ivar extra: the VM's ``name``, ``state``, ``zone_id``, ``nic_id`` when listed
    """

    id: str | None = field()
    ip: str | None = field()
    port: Any = field()
    balancer: LoadBalancer | None = field(default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    REPR_FORMAT = "<Member: id={id}, address={ip}:{port}>"


class LoadBalancer(Schema):
    """A load balancer: for CloudStack, a load-balancer rule on a public IP.

    :ivar id: the rule's id
    :ivar state: a :class:`~cloudstack_driver.loadbalancer.types.State`
    :ivar ip: the public address; ``port`` its public port (``int``)
    :ivar ex_private_port: the members' port (``int``); ``ex_public_ip_id`` the address's id
    :ivar extra: ``algorithm``, ``protocol``, ``private_port``, ``public_ip_id``,
        ``network_id``, ``zone_id``, ``zone_name``, ``description``, ``cidr_list``,
        ``state`` (CloudStack's), ``account``, ``domain``, ``domain_id``, ``project``,
        ``project_id``, ``for_display``, ``tags``
    """

    id: str | None = field("id")
    name: str | None = field("name")
    state: State | None = field("state", lb_state)
    ip: str | None = field("publicip")
    port: int | None = field("publicport", to_int)
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)
    ex_private_port: int | None = field("privateport", to_int, default=None, init=False)
    ex_public_ip_id: str | None = field("publicipid", default=None, init=False)

    EXTRA = (
        Extra("algorithm"),
        Extra("protocol"),
        Extra("private_port", "privateport", to_int),
        Extra("public_ip_id", "publicipid"),
        Extra("network_id", "networkid"),
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        Extra("description"),
        Extra("cidr_list", "cidrlist"),
        Extra("state"),
        Extra("account"),
        Extra("domain"),
        Extra("domain_id", "domainid"),
        Extra("project"),
        Extra("project_id", "projectid"),
        Extra("for_display", "fordisplay", flag),
        Extra("tags", read=_tags, record=True),
    )
    REPR_FORMAT = "<LoadBalancer: id={id}, name={name}, state={state}, ip={ip}, port={port}>"

    def attach_compute_node(self, node: Node) -> Member:
        """``driver.balancer_attach_compute_node(balancer=self, node=node)``."""
        member: Member = self.driver.balancer_attach_compute_node(balancer=self, node=node)
        return member

    def attach_member(self, member: Member) -> Member:
        """``driver.balancer_attach_member(balancer=self, member=member)``."""
        attached: Member = self.driver.balancer_attach_member(balancer=self, member=member)
        return attached

    def detach_member(self, member: Member) -> bool:
        """``driver.balancer_detach_member(balancer=self, member=member)``."""
        return then(self.driver.balancer_detach_member(balancer=self, member=member), bool)

    def list_members(self) -> list[Member]:
        """``driver.balancer_list_members(balancer=self)``."""
        members: list[Member] = self.driver.balancer_list_members(balancer=self)
        return members

    def destroy(self) -> bool:
        """``driver.destroy_balancer(balancer=self)``."""
        return then(self.driver.destroy_balancer(balancer=self), bool)


def _missing(driver: Driver, method: str) -> NotImplementedError:
    return NotImplementedError(f"{type(driver).__name__} does not implement {method}()")


class Driver:
    """Base of every load-balancer driver (libcloud's ``Driver``): each method raises
    ``NotImplementedError`` until a driver overrides it.

    :cvar name: human-readable provider name
    :cvar website: the provider's web site
    """

    name: ClassVar[str] = "Driver"
    website: ClassVar[str] = ""
    _ALGORITHM_TO_VALUE_MAP: ClassVar[dict[Algorithm, str]] = {}
    _VALUE_TO_ALGORITHM_MAP: ClassVar[dict[str, Algorithm]] = {}

    def list_protocols(self) -> list[str]:
        """The protocols ``create_balancer`` takes."""
        raise _missing(self, "list_protocols")

    def list_balancers(self, *args: Any, **kwargs: Any) -> list[LoadBalancer]:
        """Every load balancer."""
        raise _missing(self, "list_balancers")

    def create_balancer(self, *args: Any, **kwargs: Any) -> LoadBalancer:
        """Create a load balancer: ``create_balancer(name, port, protocol, algorithm,
        members)``."""
        raise _missing(self, "create_balancer")

    def destroy_balancer(self, *args: Any, **kwargs: Any) -> bool:
        """Destroy ``balancer``."""
        raise _missing(self, "destroy_balancer")

    def get_balancer(self, balancer_id: str) -> LoadBalancer:
        """The load balancer with id ``balancer_id``."""
        raise _missing(self, "get_balancer")

    def update_balancer(self, *args: Any, **kwargs: Any) -> LoadBalancer:
        """Change the name, algorithm, protocol or port of ``balancer``."""
        raise _missing(self, "update_balancer")

    def balancer_attach_compute_node(self, balancer: LoadBalancer, node: Node) -> Member:
        """Attach ``node`` as a member."""
        raise _missing(self, "balancer_attach_compute_node")

    def balancer_attach_member(self, balancer: LoadBalancer, member: Member) -> Member:
        """Attach ``member`` to ``balancer``."""
        raise _missing(self, "balancer_attach_member")

    def balancer_detach_member(self, balancer: LoadBalancer, member: Member) -> bool:
        """Detach ``member`` from ``balancer``."""
        raise _missing(self, "balancer_detach_member")

    def balancer_list_members(self, balancer: LoadBalancer) -> list[Member]:
        """The members of ``balancer``."""
        raise _missing(self, "balancer_list_members")

    def list_supported_algorithms(self) -> list[Algorithm]:
        """The algorithms this driver offers (sends no request)."""
        return list(self._ALGORITHM_TO_VALUE_MAP)

    def _value_to_algorithm(self, value: str) -> Algorithm:
        try:
            return self._VALUE_TO_ALGORITHM_MAP[value]
        except KeyError:
            raise LibcloudError(f"Invalid value: {value}", driver=self) from None

    def _algorithm_to_value(self, algorithm: Algorithm) -> str:
        try:
            return self._ALGORITHM_TO_VALUE_MAP[algorithm]
        except KeyError:
            raise LibcloudError(f"Invalid algorithm: {algorithm}", driver=self) from None
