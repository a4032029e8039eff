"""``CloudStackLBDriver``: libcloud's CloudStack load-balancer driver, on the same connection as
the compute driver.

A ``LoadBalancer`` is a CloudStack load-balancer rule: one public port of a public IP balanced
over VMs (the ``Member`` ids) on one guest network. The driver is built on a
:class:`~cloudstack_driver.cloudstack.driver.CloudStackNodeDriver` (its constructor rules, its
:class:`~cloudstack_driver.http.connection.CloudStackConnection`: signing, POST for state
changes, complete paging, job waiting, typed errors) and uses it for public IPs.

Departures from libcloud's driver, all compatible with its scripts:

* ``createLoadBalancerRule`` is async and waited for (libcloud read its first answer, D11);
  the balancer is built from the job's result, without listing every rule again;
* members join in one ``assignToLoadBalancerRule`` call; a create that fails takes back what it
  made (the rule, the IP it allocated) before raising;
* ``associateIpAddress`` gets ``vpcid`` (libcloud sent ``vpc_id``), no parameter with the
  text ``None``, and a zone only when needed (the first Advanced zone without security groups
  when neither ``location``, ``network_id`` nor ``vpc_id`` is given);
* ``get_balancer`` raises :class:`LoadBalancerNotFoundError` (libcloud: ``Exception``);
  ``balancer_attach_member`` returns the member (the base API's contract; libcloud: True);
  a member's ``ip`` is its address on the rule's network (libcloud: the VM's first NIC);
* ``update_balancer``, ``balancer_attach_compute_node`` and the ``source`` algorithm
  (``Algorithm.PERSISTENT_IP``) work; ports are ``int``.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from cloudstack_driver._schema import ident
from cloudstack_driver._validate import (
    check_choice,
    check_id,
    check_instance,
    check_int,
    check_name,
    check_optional_instance,
)
from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.cloudstack.ext._args import (
    cidr_text,
    id_of,
    optional_id_of,
    optional_text,
)
from cloudstack_driver.cloudstack.libcloud_names import LibcloudNamesMixin
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackNetwork,
    CloudStackVPC,
)
from cloudstack_driver.errors import CloudStackError, InvalidParameterError, LibcloudError
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.loadbalancer.base import (
    DEFAULT_ALGORITHM,
    LB_STATE_MAP,
    Algorithm,
    Driver,
    LoadBalancer,
    Member,
)
from cloudstack_driver.loadbalancer.policies import PoliciesMixin
from cloudstack_driver.loadbalancer.types import (
    LibcloudLBImmutableError,
    LoadBalancerNotFoundError,
    Provider,
    State,
)
from cloudstack_driver.models import Node, NodeLocation

__all__ = ["PROTOCOLS", "CloudStackLBDriver"]

log = logging.getLogger("cloudstack_driver.loadbalancer")

#: ``protocol`` argument -> CloudStack's ``protocol`` of the rule. ``http`` (libcloud's
#: default) and ``https`` are balanced as TCP, as libcloud's driver did.
PROTOCOLS: dict[str, str] = {"tcp": "tcp", "udp": "udp", "tcp-proxy": "tcp-proxy",
                             "http": "tcp", "https": "tcp"}


class CloudStackLBDriver(LibcloudNamesMixin, PoliciesMixin, Driver):
    """Load balancers of an Apache CloudStack cloud, with libcloud's ``CloudStackLBDriver``
    surface.

    ``CloudStackLBDriver(key, secret=None, secure=True, host=None, path=None, port=None,
    url=None, **options)``: the endpoint rules and ``options`` (``timeout``, ``verify``,
    ``job_timeout``, ``poll_interval``, ``max_retries`` ...) are the compute driver's, see
    :class:`~cloudstack_driver.cloudstack.core.CloudStackDriverCore`; an unknown option is a
    ``TypeError``, a missing key, secret or endpoint a ``ValueError``, before any request.
    """

    name: ClassVar[str] = "CloudStack"
    api_name: ClassVar[str] = "cloudstack_lb"
    website: ClassVar[str] = "http://cloudstack.org/"
    type: ClassVar[Provider] = Provider.CLOUDSTACK
    #: the connection class (libcloud's attribute): the compute driver's
    connectionCls: ClassVar[builtins.type[CloudStackConnection]] = CloudStackConnection
    LB_STATE_MAP: ClassVar[dict[str, State]] = LB_STATE_MAP
    _VALUE_TO_ALGORITHM_MAP: ClassVar[dict[str, Algorithm]] = {
        "roundrobin": Algorithm.ROUND_ROBIN,
        "leastconn": Algorithm.LEAST_CONNECTIONS,
        "source": Algorithm.PERSISTENT_IP,
    }
    _ALGORITHM_TO_VALUE_MAP: ClassVar[dict[Algorithm, str]] = {
        value: name for name, value in _VALUE_TO_ALGORITHM_MAP.items()}

    #: the compute driver whose connection this one uses (the asyncio driver's for asyncio)
    _node_driver_class: ClassVar[builtins.type[CloudStackNodeDriver]] = CloudStackNodeDriver

    #: Endpoint defaults; a preset subclass may set them.
    host: str | None = None
    path: str | None = None

    def __init__(self, key: str, secret: str | None = None, secure: bool = True,
                 host: str | None = None, path: str | None = None,
                 port: int | str | None = None, url: str | None = None,
                 **options: Any) -> None:
        nodes = self._node_driver_class(key, secret, secure, host or type(self).host,
                                        path or type(self).path, port, url, **options)
        self._bind(nodes)
        self.connection.driver = self

    @classmethod
    def ex_from_node_driver(cls, driver: CloudStackNodeDriver) -> CloudStackLBDriver:
        """A load-balancer driver sharing ``driver``'s connection (its endpoint, keys, session
        and settings). Sends no request."""
        nodes = check_instance("ex_from_node_driver", "driver", driver, CloudStackNodeDriver)
        if nodes.connection.is_async is not cls._node_driver_class.connectionCls.is_async:
            kind, wanted = (("an asyncio", "cloudstack_driver.aio.AsyncCloudStackLBDriver")
                            if nodes.connection.is_async else ("a sync", "CloudStackLBDriver"))
            raise TypeError(f"ex_from_node_driver(): 'driver' is {kind} driver; use "
                            f"{wanted}.ex_from_node_driver")
        made = cls.__new__(cls)
        made._bind(nodes)
        return made

    def _bind(self, nodes: CloudStackNodeDriver) -> None:
        self._nodes = nodes
        self.connection: CloudStackConnection = nodes.connection
        self.key = nodes.key
        self.secure = nodes.secure
        self.host = nodes.host
        self.port = nodes.port
        self.path = nodes.path
        self.url = nodes.url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} url={self.url!r}>"

    # -- reading answers ---------------------------------------------------------------------
    def _balancer(self, record: Mapping[str, Any]) -> LoadBalancer:
        return LoadBalancer.from_record(self, record)

    @staticmethod
    def _member(vm: Mapping[str, Any], balancer: LoadBalancer) -> Member:
        """A VM of ``listLoadBalancerRuleInstances`` as a member: its address on the rule's
        network (the first NIC when none is there)."""
        nics = [n for n in vm.get("nic") or [] if isinstance(n, Mapping)]
        network = ident(balancer.extra.get("network_id"))
        nic = next((n for n in nics if ident(n.get("networkid")) == network),
                   nics[0] if nics else {})
        return Member(vm.get("id"), nic.get("ipaddress"), balancer.ex_private_port, balancer,
                      {"name": vm.get("name"), "state": vm.get("state"),
                       "zone_id": ident(vm.get("zoneid")), "nic_id": ident(nic.get("id"))})

    # -- argument checks ---------------------------------------------------------------------
    def _algorithm(self, method: str, algorithm: object) -> str:
        """CloudStack's name of ``algorithm`` (an ``Algorithm``, its number, or CloudStack's
        own name)."""
        if isinstance(algorithm, str):
            return check_choice(method, "algorithm", algorithm, self._VALUE_TO_ALGORITHM_MAP)
        if isinstance(algorithm, int) and not isinstance(algorithm, bool):
            try:
                value = self._ALGORITHM_TO_VALUE_MAP.get(Algorithm(algorithm))
            except ValueError:  # a number libcloud has no Algorithm for
                value = None
            if value is not None:
                return value
            offered = ", ".join(a.name for a in self._ALGORITHM_TO_VALUE_MAP)
            raise ValueError(f"{method}(): 'algorithm' must be one of {offered} (CloudStack "
                             f"has no other), got {algorithm!r}")
        raise TypeError(f"{method}(): 'algorithm' must be an Algorithm, got "
                        f"{type(algorithm).__name__} {algorithm!r}"[:200])

    @staticmethod
    def _protocol(method: str, protocol: object) -> str:
        return PROTOCOLS[check_choice(method, "protocol", protocol, PROTOCOLS)]

    @staticmethod
    def _member_ids(method: str, members: object) -> list[str]:
        if members is None:
            return []
        if isinstance(members, (str, bytes)) or not isinstance(members, Sequence):
            raise TypeError(f"{method}(): 'members' must be a list of Member (or Node), got "
                            f"{type(members).__name__}")
        return [id_of(method, f"members[{i}]", item, (Member, Node))
                for i, item in enumerate(members)]

    def _undo(self, method: str, steps: list[tuple[str, str]]) -> None:
        """Best effort after a failed create: run each ``(command, id)``; a failure here is
        logged and the original error raised by the caller."""
        for command, target in steps:
            try:
                self.connection.request(command, id=target)
            except LibcloudError as exc:
                log.warning("%s(): could not undo with %s(id=%s): %s", method, command, target,
                            exc)

    # -- the base API ------------------------------------------------------------------------
    def list_protocols(self) -> list[str]:
        """The protocols ``create_balancer`` takes besides libcloud's ``http``/``https``
        (balanced as TCP): ``tcp``, ``udp``, ``tcp-proxy``. Sends no request."""
        return ["tcp", "udp", "tcp-proxy"]

    def list_balancers(
        self,
        *,
        ex_location: NodeLocation | None = None,
        ex_network_id: CloudStackNetwork | str | int | None = None,
        ex_public_ip_id: CloudStackAddress | str | int | None = None,
        ex_node: Node | str | int | None = None,
        ex_project: CloudStackProject | str | int | None = None,
        ex_list_all: bool | None = None,
    ) -> list[LoadBalancer]:
        """Every load balancer: ``listLoadBalancerRules(zoneid?, networkid?, publicipid?,
        virtualmachineid?, projectid?, listall?)``, all pages. No job."""
        m = "list_balancers"
        where = check_optional_instance(m, "ex_location", ex_location, NodeLocation)
        return self.connection.list_mapped(
            "listLoadBalancerRules", self._balancer,
            zoneid=where.id if where is not None else None,
            networkid=optional_id_of(m, "ex_network_id", ex_network_id, CloudStackNetwork),
            publicipid=optional_id_of(m, "ex_public_ip_id", ex_public_ip_id, CloudStackAddress),
            virtualmachineid=optional_id_of(m, "ex_node", ex_node, Node),
            projectid=optional_id_of(m, "ex_project", ex_project, CloudStackProject),
            listall=check_optional_instance(m, "ex_list_all", ex_list_all, bool),
        )

    def get_balancer(self, balancer_id: str | int, *,
                     ex_project: CloudStackProject | str | int | None = None) -> LoadBalancer:
        """The load balancer ``balancer_id``: ``listLoadBalancerRules(id, projectid?)``. No job.
        :class:`LoadBalancerNotFoundError` when there is none (or the server calls the id
        invalid, as it does for a deleted rule)."""
        m = "get_balancer"
        wanted = check_id(m, "balancer_id", balancer_id)
        project = optional_id_of(m, "ex_project", ex_project, CloudStackProject)
        missing = LoadBalancerNotFoundError(f"no such load balancer: {wanted}", driver=self)
        try:
            found = self.connection.list("listLoadBalancerRules", id=wanted, projectid=project)
        except InvalidParameterError as exc:  # the server's answer for an id it does not know
            raise missing from exc
        if not found:
            raise missing
        return self._balancer(found[0])

    def create_balancer(
        self,
        name: str,
        members: Sequence[Member | Node] | None,
        protocol: str = "http",
        port: int = 80,
        algorithm: Algorithm | int | str = DEFAULT_ALGORITHM,
        location: NodeLocation | None = None,
        private_port: int | None = None,
        network_id: CloudStackNetwork | str | int | None = None,
        vpc_id: CloudStackVPC | str | int | None = None,
        *,
        ex_public_ip: CloudStackAddress | str | int | None = None,
        ex_description: str | None = None,
        ex_open_firewall: bool | None = None,
        ex_cidr_list: str | list[str] | None = None,
    ) -> LoadBalancer:
        """Balance ``port`` of a public IP over ``members`` (libcloud's argument names and
        defaults):

        1. ``associateIpAddress(networkid? | vpcid?, zoneid?)``, waiting for the job, unless
           ``ex_public_ip`` names an allocated address to use;
        2. ``createLoadBalancerRule(name, algorithm, publicport, privateport, publicipid,
           networkid?, protocol, description?, openfirewall?, cidrlist?)``, waiting for the job;
        3. ``assignToLoadBalancerRule(id, virtualmachineids)`` for all members at once, waiting
           for the job.

        ``private_port`` defaults to ``port``. In a VPC give ``vpc_id`` and the tier as
        ``network_id``. ``ex_open_firewall`` (server default: true, false in a VPC) opens the
        port in the firewall; ``ex_cidr_list`` limits the sources. When step 2 or 3 fails the
        rule and the allocated IP are removed again, then the error is raised.
        """
        m = "create_balancer"
        rule_name = check_name(m, "name", name)
        vm_ids = self._member_ids(m, members)
        public = check_int(m, "port", port, minimum=1, maximum=65535)
        private = public if private_port is None else check_int(
            m, "private_port", private_port, minimum=1, maximum=65535)
        where = check_optional_instance(m, "location", location, NodeLocation)
        network = optional_id_of(m, "network_id", network_id, CloudStackNetwork)
        vpc = optional_id_of(m, "vpc_id", vpc_id, CloudStackVPC)
        given_ip = optional_id_of(m, "ex_public_ip", ex_public_ip, CloudStackAddress)
        if vpc is not None and network is None:
            raise ValueError(f"{m}(): 'vpc_id' needs 'network_id': the VPC tier the members "
                             "are on")
        if given_ip is not None and (vpc is not None or where is not None):
            raise ValueError(f"{m}(): 'ex_public_ip' is an allocated address; 'location' and "
                             "'vpc_id' only choose where a new one is allocated")
        rule: dict[str, Any] = {
            "name": rule_name, "algorithm": self._algorithm(m, algorithm),
            "publicport": public, "privateport": private, "networkid": network,
            "protocol": self._protocol(m, protocol),
            "description": optional_text(m, "ex_description", ex_description),
            "openfirewall": check_optional_instance(m, "ex_open_firewall", ex_open_firewall,
                                                    bool),
            "cidrlist": None if ex_cidr_list is None else cidr_text(m, "ex_cidr_list",
                                                                    ex_cidr_list),
        }
        undo: list[tuple[str, str]] = []
        if given_ip is None:
            address: CloudStackAddress = self._nodes.ex_allocate_public_ip(
                vpc_id=vpc, network_id=None if vpc is not None else network, location=where)
            rule["publicipid"] = address.id
            undo.append(("disassociateIpAddress", str(address.id)))
        else:
            rule["publicipid"] = given_ip
        try:
            balancer = self._balancer(entity(
                self.connection.request("createLoadBalancerRule", **rule), "loadbalancer"))
            undo.insert(0, ("deleteLoadBalancerRule", str(balancer.id)))
            if vm_ids:
                self.connection.request("assignToLoadBalancerRule", id=balancer.id,
                                        virtualmachineids=vm_ids)
        except CloudStackError:
            self._undo(m, undo)
            raise
        for member in members or ():
            if isinstance(member, Member):
                member.port, member.balancer = balancer.ex_private_port, balancer
        return balancer

    def destroy_balancer(self, balancer: LoadBalancer, *, ex_release_ip: bool = True) -> bool:
        """Delete the rule: ``deleteLoadBalancerRule(id)``, then (as libcloud) release its
        public IP: ``disassociateIpAddress(id)``; waits for both jobs. Pass
        ``ex_release_ip=False`` to keep the address (one given to ``create_balancer`` as
        ``ex_public_ip``, or carrying other rules). True."""
        m = "destroy_balancer"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        rule = id_of(m, "balancer", found, LoadBalancer)
        release = check_instance(m, "ex_release_ip", ex_release_ip, bool)
        self.connection.request("deleteLoadBalancerRule", id=rule)
        if release and found.ex_public_ip_id:
            self.connection.request("disassociateIpAddress", id=found.ex_public_ip_id)
        return True

    def update_balancer(self, balancer: LoadBalancer, name: str | None = None,
                        algorithm: Algorithm | int | str | None = None,
                        protocol: str | None = None, port: int | None = None, *,
                        ex_description: str | None = None) -> LoadBalancer:
        """Change a rule: ``updateLoadBalancerRule(id, name?, algorithm?, protocol?,
        description?)``; waits for the job and returns the updated balancer.

        CloudStack cannot change a rule's ports: a ``port`` other than the balancer's raises
        :class:`LibcloudLBImmutableError` before any request."""
        m = "update_balancer"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        if port is not None and check_int(m, "port", port, minimum=1,
                                          maximum=65535) != found.port:
            raise LibcloudLBImmutableError(f"{m}(): 'port' cannot change: CloudStack keeps a "
                                           "load-balancer rule's ports; create another balancer",
                                           driver=self)
        changes: dict[str, Any] = {
            "name": optional_text(m, "name", name),
            "algorithm": None if algorithm is None else self._algorithm(m, algorithm),
            "protocol": None if protocol is None else self._protocol(m, protocol),
            "description": optional_text(m, "ex_description", ex_description),
        }
        if all(value is None for value in changes.values()):
            raise ValueError(f"{m}(): nothing to change: give name, algorithm, protocol or "
                             "ex_description")
        result = self.connection.request("updateLoadBalancerRule",
                                         id=id_of(m, "balancer", found, LoadBalancer), **changes)
        return self._balancer(entity(result, "loadbalancer"))

    def balancer_attach_compute_node(self, balancer: LoadBalancer, node: Node) -> Member:
        """Attach ``node``: ``assignToLoadBalancerRule(id, virtualmachineids)``; waits for the
        job. Returns its ``Member`` (libcloud's base made one from the node's public IP and no
        id, which CloudStack cannot use)."""
        m = "balancer_attach_compute_node"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        vm = check_instance(m, "node", node, Node)
        ip = vm.private_ips[0] if vm.private_ips else None
        return self.balancer_attach_member(found, Member(id_of(m, "node", vm, Node), ip,
                                                         found.ex_private_port, found))

    def balancer_attach_member(self, balancer: LoadBalancer, member: Member) -> Member:
        """Add the VM ``member.id``: ``assignToLoadBalancerRule(id, virtualmachineids)``; waits
        for the job. Returns ``member``, its ``port`` set to the balancer's private port and
        its ``balancer`` to ``balancer`` (libcloud returned True; a member is truthy too)."""
        m = "balancer_attach_member"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        joining = check_instance(m, "member", member, Member)
        self.connection.request("assignToLoadBalancerRule",
                                id=id_of(m, "balancer", found, LoadBalancer),
                                virtualmachineids=id_of(m, "member", joining, Member))
        joining.port, joining.balancer = found.ex_private_port, found
        return joining

    def balancer_detach_member(self, balancer: LoadBalancer, member: Member) -> bool:
        """Remove the VM ``member.id``: ``removeFromLoadBalancerRule(id, virtualmachineids)``;
        waits for the job. True."""
        m = "balancer_detach_member"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        leaving = check_instance(m, "member", member, Member)
        self.connection.request("removeFromLoadBalancerRule",
                                id=id_of(m, "balancer", found, LoadBalancer),
                                virtualmachineids=id_of(m, "member", leaving, Member))
        return True

    def balancer_list_members(self, balancer: LoadBalancer) -> list[Member]:
        """The VMs of ``balancer``: ``listLoadBalancerRuleInstances(id)``, all pages. No job.
        Each member's ``ip`` is the VM's address on the rule's network, ``port`` the private
        port."""
        m = "balancer_list_members"
        found = check_instance(m, "balancer", balancer, LoadBalancer)
        return self.connection.list_mapped(
            "listLoadBalancerRuleInstances", lambda vm: self._member(vm, found),
            id=id_of(m, "balancer", found, LoadBalancer))

    def list_supported_algorithms(self) -> list[Algorithm]:
        """``ROUND_ROBIN``, ``LEAST_CONNECTIONS``, ``PERSISTENT_IP`` (CloudStack's
        ``roundrobin``, ``leastconn``, ``source``). Sends no request."""
        return list(self._ALGORITHM_TO_VALUE_MAP)
