"""``CloudStackDriverCore``: the constructor, nodes, images, sizes and locations.

Volumes, snapshots and disk offerings are in :mod:`.core_volumes` (mixed in here); the
``ex_*`` API areas are the mixins of ``cloudstack/ext/``.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import hashlib
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from cloudstack_driver._convert import NODE_STATE_MAP, VOLUME_STATE_MAP, to_bool
from cloudstack_driver._schema import ident
from cloudstack_driver._validate import (
    check_choice,
    check_id,
    check_instance,
    check_instances,
    check_int,
    check_item_ids,
    check_name,
    check_optional_instance,
)
from cloudstack_driver.cloudstack.core_volumes import VolumesMixin
from cloudstack_driver.cloudstack.endpoint import resolve_endpoint
from cloudstack_driver.cloudstack.models import (
    CloudStackDiskOffering,
    CloudStackNode,
    CloudStackProject,
)
from cloudstack_driver.errors import (
    ImageNotFoundError,
    LibcloudError,
    NodeNotFoundError,
)
from cloudstack_driver.http.connection import CloudStackConnection
from cloudstack_driver.models import (
    Node,
    NodeAuthPassword,
    NodeAuthSSHKey,
    NodeImage,
    NodeLocation,
    NodeSize,
)
from cloudstack_driver.types import NodeState, Provider, StorageVolumeState

if TYPE_CHECKING:
    from cloudstack_driver.discovery import Api

_D = TypeVar("_D", bound="CloudStackDriverCore")

__all__ = ["TEMPLATE_FILTERS", "CloudStackDriverCore"]

#: Values ``listTemplates`` accepts for ``templatefilter``.
TEMPLATE_FILTERS = ("featured", "self", "selfexecutable", "sharedexecutable", "executable",
                    "community", "all")


def _secret_text(arg: str, value: object) -> str:
    if value is None or value == "":
        raise ValueError(f"{arg!r} is required (the CloudStack API {arg} of your account)")
    if not isinstance(value, str):
        raise TypeError(f"{arg!r} must be a str, got {type(value).__name__}")
    return value


def ssh_fingerprint(public_key: str) -> str:
    """The MD5 fingerprint CloudStack shows for an OpenSSH public key (``aa:bb:...``)."""
    fields = public_key.strip().split()
    blob = fields[1] if len(fields) >= 2 else (fields[0] if fields else "")
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("'auth' holds no OpenSSH public key ('ssh-rsa AAAA... comment')") from None
    if not raw:
        raise ValueError("'auth' holds no OpenSSH public key ('ssh-rsa AAAA... comment')")
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _true(_result: dict[str, Any]) -> bool:
    return True


def _vm_state(result: dict[str, Any]) -> str:
    return str((result.get("virtualmachine") or {}).get("state"))


class CloudStackDriverCore(VolumesMixin):
    """The base API of libcloud's CloudStack driver.

    ``CloudStackNodeDriver(key, secret=None, secure=True, host=None, path=None, port=None,
    url=None, *, timeout=60.0, verify=None, ca_cert=None, signature_version=3,
    job_timeout=600.0, poll_interval=5.0, proxy_url=None, retry_delay=1.0, backoff=2.0,
    max_retries=3, page_size=500, jitter=0.5, max_delay=30.0, deadline=None, poll_first=0.05,
    poll_backoff=1.2)``

    :param key: API key (sent as ``apiKey``)
    :param secret: secret key (signs every request; never sent, logged or shown)
    :param secure: HTTPS when True (default) - ignored when ``url`` is given
    :param host: the server; may be written as a URL, see :mod:`.endpoint`
    :param path: the API path (default: the class's, else ``/client/api``)
    :param port: default 443 when secure, else 80; an int or a string of digits
    :param url: the whole endpoint, e.g. ``http://localhost:8080/client/api``; its scheme
        decides TLS
    :param timeout: seconds for one HTTP exchange
    :param verify: TLS certificate check: True, False, or a CA bundle path; None (default)
        follows :mod:`cloudstack_driver.security`
    :param ca_cert: a CA bundle path (same as ``verify=path``)
    :param signature_version: 3 (adds ``signatureVersion`` and ``expires``) or 2
    :param job_timeout: seconds to wait for an async job
    :param poll_interval, poll_first, poll_backoff: job polls: the first ``poll_first``
        seconds after submission, each wait ``poll_backoff`` times the last, at most
        ``poll_interval`` seconds
    :param proxy_url: an HTTP(S) proxy for every request
    :param retry_delay, backoff, max_retries, jitter, max_delay: the retry policy (see
        :doc:`/reliability`): read-only commands after transient failures, any command after
        429 or a failure before the request reached the server; waits start at
        ``retry_delay``, grow by ``backoff`` up to ``max_delay``, with a random share of up
        to ``jitter`` taken off
    :param deadline: seconds one call may take, retries included (None: twice ``timeout``)
    :param page_size: rows per page when listing (at most the server's ``default.page.size``)

    Raises ``ValueError`` naming the argument (before any request) when ``key``, ``secret`` or
    the endpoint is missing or malformed.
    """

    name: ClassVar[str] = "CloudStack"
    api_name: ClassVar[str] = "cloudstack"
    website: ClassVar[str] = "http://cloudstack.org/"
    type: ClassVar[Provider | str | None] = Provider.CLOUDSTACK
    features: ClassVar[dict[str, list[str]]] = {"create_node": ["generates_password"]}
    NODE_STATE_MAP: ClassVar[dict[str, NodeState]] = NODE_STATE_MAP
    VOLUME_STATE_MAP: ClassVar[dict[str, StorageVolumeState]] = VOLUME_STATE_MAP

    #: The connection class (libcloud's attribute): signs, sends and decodes every command.
    connectionCls: ClassVar[builtins.type[CloudStackConnection]] = CloudStackConnection

    #: Endpoint defaults; presets override them.
    host: str | None = None
    path: str | None = None

    def __init__(
        self,
        key: str,
        secret: str | None = None,
        secure: bool = True,
        host: str | None = None,
        path: str | None = None,
        port: int | str | None = None,
        url: str | None = None,
        *,
        timeout: float = 60.0,
        verify: bool | str | None = None,
        ca_cert: str | None = None,
        signature_version: int = 3,
        job_timeout: float = 600.0,
        poll_interval: float = 5.0,
        proxy_url: str | None = None,
        retry_delay: float = 1.0,
        backoff: float = 2.0,
        max_retries: int = 3,
        page_size: int = 500,
        jitter: float = 0.5,
        max_delay: float = 30.0,
        deadline: float | None = None,
        poll_first: float = 0.05,
        poll_backoff: float = 1.2,
    ) -> None:
        self.key = _secret_text("key", key)
        secret_text = _secret_text("secret", secret)
        endpoint = resolve_endpoint(
            secure=secure, host=host, path=path, port=port, url=url,
            default_host=type(self).host, default_path=type(self).path,
        )
        self.secure = endpoint.secure
        self.host = endpoint.host
        self.port = endpoint.port
        self.path = endpoint.path
        self.url = endpoint.url
        self.connection = self.connectionCls(
            self.key, secret_text, endpoint.url,
            timeout=timeout,
            verify=self._resolve_verify(verify, ca_cert),
            signature_version=signature_version,
            poll_interval=poll_interval,
            poll_first=poll_first,
            poll_backoff=poll_backoff,
            job_timeout=job_timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            backoff=backoff,
            jitter=jitter,
            max_delay=max_delay,
            deadline=deadline,
            proxy_url=proxy_url,
            page_size=page_size,
            **self._connection_options(),
        )
        self.connection.driver = self
        self._zones: list[dict[str, Any]] | None = None

    def _connection_options(self) -> dict[str, Any]:
        """Further keyword arguments for ``connectionCls`` (a subclass's transport options)."""
        return {}

    @staticmethod
    def _resolve_verify(verify: bool | str | None, ca_cert: str | None) -> bool | str | None:
        """``ca_cert`` wins; None lets the connection follow :mod:`cloudstack_driver.security`."""
        if ca_cert is not None:
            if verify is False:
                raise ValueError("'ca_cert' and verify=False contradict each other")
            return check_name("CloudStackNodeDriver", "ca_cert", ca_cert)
        if verify is not None and not isinstance(verify, (bool, str)):
            raise TypeError(f"'verify' must be a bool or a CA bundle path, got {verify!r}")
        return verify

    def __repr__(self) -> str:
        return f"<{type(self).__name__} url={self.url} key={self.key}>"

    @classmethod
    def from_env(cls: builtins.type[_D], **options: Any) -> _D:
        """A driver configured by ``CLOUDSTACK_ENDPOINT``, ``CLOUDSTACK_KEY``,
        ``CLOUDSTACK_SECRET`` (and ``CLOUDSTACK_TIMEOUT``, ``CLOUDSTACK_VERIFY``, ...);
        ``options`` win. ``ConfigurationError`` names what is missing. Sends no command.
        See :mod:`cloudstack_driver.config`."""
        from cloudstack_driver.config import driver_from_env
        return driver_from_env(cls, **options)

    @classmethod
    def from_config(cls: builtins.type[_D], region: str | None = None, path: str | None = None,
                    **options: Any) -> _D:
        """A driver for ``region`` (default ``$CLOUDSTACK_REGION``, else ``cloudstack``) of
        ``~/.cloudstack.ini`` (or ``path``), the environment winning over the file and
        ``options`` over both. Sends no command. See :mod:`cloudstack_driver.config`."""
        from cloudstack_driver.config import driver_from_config
        return driver_from_config(cls, region, path, **options)

    @cached_property
    def api(self) -> Api:
        """``driver.api.<command>(**params)``: any command, checked against the server's
        ``listApis`` (cached); see :mod:`cloudstack_driver.discovery`. Sends no command."""
        from cloudstack_driver.discovery import Api
        return Api(self)

    # -- helpers shared with the mixins ------------------------------------------------------
    def _zones_cached(self, refresh: bool = False) -> list[dict[str, Any]]:
        if self._zones is None or refresh:
            self._zones = self.connection.list("listZones")
        return self._zones

    def _zone_by_id(self, zone_id: str) -> dict[str, Any]:
        """The raw zone record with this id (the networks' zone, when no location is given)."""
        for refresh in (False, True):
            for zone in self._zones_cached(refresh):
                if str(zone.get("id")) == zone_id:
                    return zone
        return {"id": zone_id}

    def _zone_of(self, location: Any) -> dict[str, Any]:
        """The raw zone record of ``location`` (a ``NodeLocation``), or of the first zone when
        None. One ``listZones`` call, cached per driver (refreshed once on a miss)."""
        if location is None:
            zones = self._zones_cached()
            if not zones:
                raise LibcloudError("the cloud lists no zone: pass a location", driver=self)
            return zones[0]
        found = check_instance("_zone_of", "location", location, NodeLocation)
        for refresh in (False, True):
            for zone in self._zones_cached(refresh):
                if str(zone.get("id")) == found.id:
                    return zone
        return {"id": found.id, "name": found.name}

    # -- nodes -------------------------------------------------------------------------------
    def list_nodes(self, project: CloudStackProject | None = None,
                   location: NodeLocation | None = None, *,
                   ex_listall: bool | None = None) -> list[CloudStackNode]:
        """Every virtual machine, across all pages.

        Calls ``listVirtualMachines`` (``projectid``, ``zoneid``, ``listall`` when given),
        then, with the same filters and only when there are nodes, one each of
        ``listPublicIpAddresses``, ``listPortForwardingRules`` and ``listIpForwardingRules``
        (the network details). No job.
        """
        projectid = self._project_id("list_nodes", project)
        where = check_optional_instance("list_nodes", "location", location, NodeLocation)
        zoneid = where.id if where is not None else None
        if ex_listall is not None:
            check_instance("list_nodes", "ex_listall", ex_listall, bool)
        # Each page's rows become nodes while the next page is on its way.
        nodes = self.connection.list_mapped("listVirtualMachines", self._node_of,
                                            projectid=projectid, zoneid=zoneid,
                                            listall=ex_listall)
        # The address and rule lookups get the same filters as the VMs (D10).
        self._attach_network_details(nodes, projectid=projectid, zoneid=zoneid,
                                     listall=ex_listall)
        return nodes

    def _node_of(self, record: dict[str, Any]) -> CloudStackNode:
        return CloudStackNode.from_record(self, record)

    def ex_get_node(self, node_id: str | int, project: CloudStackProject | None = None
                    ) -> CloudStackNode:
        """The node with id ``node_id``: ``listVirtualMachines(id, projectid?)`` plus the
        network-detail lookups (``listPublicIpAddresses``, ``listPortForwardingRules``,
        ``listIpForwardingRules``). No job. ``NodeNotFoundError`` when there is none."""
        node_id = check_id("ex_get_node", "node_id", node_id)
        projectid = self._project_id("ex_get_node", project)
        record = self._one("listVirtualMachines", NodeNotFoundError,
                           f"no node with id {node_id!r}", id=node_id, projectid=projectid)
        nodes = [CloudStackNode.from_record(self, record)]
        self._attach_network_details(nodes, projectid=projectid, zoneid=record.get("zoneid"))
        return nodes[0]

    def create_node(
        self,
        name: str,
        size: NodeSize,
        image: NodeImage,
        location: NodeLocation | None = None,
        networks: list[Any] | None = None,
        project: CloudStackProject | None = None,
        diskoffering: CloudStackDiskOffering | None = None,
        ex_keyname: str | None = None,
        ex_userdata: str | bytes | None = None,
        ex_security_groups: list[str] | None = None,
        ex_displayname: str | None = None,
        ex_ip_address: str | None = None,
        ex_start_vm: bool | None = None,
        ex_rootdisksize: int | None = None,
        ex_affinity_groups: list[Any] | None = None,
        *,
        auth: NodeAuthSSHKey | NodeAuthPassword | None = None,
        ex_wait: bool = True,
    ) -> Any:
        """Create a virtual machine with ``deployVirtualMachine`` and wait for its job
        (``ex_wait=False``: return a :class:`~cloudstack_driver.cloudstack.host.JobHandle` at
        once, for ``driver.wait_for_jobs``). Returns a ``CloudStackNode``.

        Also calls ``listZones`` (once per driver) when ``location`` is None or security groups
        are given, and ``listSSHKeyPairs(fingerprint)`` when ``auth`` is a ``NodeAuthSSHKey``
        without ``ex_keyname``. Without ``location``, the zone is that of ``networks[0]`` when
        networks are given, else the first zone. The VM starts unless ``ex_start_vm=False``. ``project`` is sent
        as ``projectid``. For password-enabled templates the generated password is in
        ``node.extra["password"]``. ``auth=NodeAuthPassword`` is refused: CloudStack generates
        the password.
        """
        params = self._deploy_params(
            name, size, image, location, networks, project, diskoffering, ex_keyname,
            ex_userdata, ex_security_groups, ex_displayname, ex_ip_address, ex_start_vm,
            ex_rootdisksize, ex_affinity_groups, auth=auth)
        return self._job("deployVirtualMachine", params, self._node_from_job, ex_wait)

    def _node_from_job(self, result: dict[str, Any]) -> CloudStackNode:
        return CloudStackNode.from_record(self, result.get("virtualmachine") or {})

    def _deploy_params(
        self,
        name: str,
        size: NodeSize,
        image: NodeImage,
        location: NodeLocation | None = None,
        networks: list[Any] | None = None,
        project: CloudStackProject | None = None,
        diskoffering: CloudStackDiskOffering | None = None,
        ex_keyname: str | None = None,
        ex_userdata: str | bytes | None = None,
        ex_security_groups: list[str] | None = None,
        ex_displayname: str | None = None,
        ex_ip_address: str | None = None,
        ex_start_vm: bool | None = None,
        ex_rootdisksize: int | None = None,
        ex_affinity_groups: list[Any] | None = None,
        *,
        auth: NodeAuthSSHKey | NodeAuthPassword | None = None,
    ) -> dict[str, Any]:
        """``create_node``'s checks: its ``deployVirtualMachine`` parameters (may list zones
        and key pairs, sends nothing that changes state)."""
        m = "create_node"
        params: dict[str, Any] = {
            "name": check_name(m, "name", name),
            "serviceofferingid": check_instance(m, "size", size, NodeSize).id,
            "templateid": check_instance(m, "image", image, NodeImage).id,
        }
        check_optional_instance(m, "location", location, NodeLocation)
        params["projectid"] = self._project_id(m, project)
        if networks is not None:
            params["networkids"] = check_item_ids(m, "networks", networks)
        if diskoffering is not None:
            params["diskofferingid"] = check_instance(
                m, "diskoffering", diskoffering, CloudStackDiskOffering).id
        if ex_keyname is not None:
            params["keypair"] = check_name(m, "ex_keyname", ex_keyname)
        if ex_userdata is not None:
            if isinstance(ex_userdata, str):
                ex_userdata = ex_userdata.encode("utf-8")
            params["userdata"] = check_instance(m, "ex_userdata", ex_userdata, bytes)
            if not ex_userdata:
                raise ValueError(f"{m}(): 'ex_userdata' is empty (leave it out for none)")
        groups = None
        if ex_security_groups is not None:
            groups = [check_name(m, f"ex_security_groups[{i}]", g) for i, g in
                      enumerate(check_instances(m, "ex_security_groups", ex_security_groups,
                                                str))]
        if ex_displayname is not None:
            params["displayname"] = check_name(m, "ex_displayname", ex_displayname)
        if ex_ip_address is not None:
            params["ipaddress"] = check_name(m, "ex_ip_address", ex_ip_address)
        if ex_start_vm is not None:
            params["startvm"] = check_instance(m, "ex_start_vm", ex_start_vm, bool)
        if ex_rootdisksize is not None:
            params["rootdisksize"] = check_int(m, "ex_rootdisksize", ex_rootdisksize, minimum=1)
        if ex_affinity_groups is not None:
            params["affinitygroupids"] = check_item_ids(m, "ex_affinity_groups",
                                                        ex_affinity_groups)
        fingerprint = None
        if isinstance(auth, NodeAuthPassword):
            raise ValueError(
                "create_node(): 'auth' NodeAuthPassword is not supported: CloudStack generates "
                "the password (read node.extra['password'] on password-enabled templates)"
            )
        if auth is not None:
            check_instance(m, "auth", auth, NodeAuthSSHKey)
            if ex_keyname is None:
                fingerprint = ssh_fingerprint(auth.pubkey)

        net_zone = getattr(networks[0], "zoneid", None) if networks and location is None else None
        zone = self._zone_of(location) if net_zone is None else self._zone_by_id(str(net_zone))
        params["zoneid"] = ident(zone.get("id"))
        if groups:
            # Refused only when the zone says so (absent data is not a "no"), with the
            # server's own rule and wording.
            if to_bool(zone.get("securitygroupsenabled")) is False:
                raise ValueError(
                    f"create_node(): 'ex_security_groups' given, but zone "
                    f"{zone.get('name') or zone.get('id')!r} has no security groups "
                    "(the server's rule: security group feature is not enabled per zone)"
                )
            params["securitygroupnames"] = groups
        if fingerprint is not None:
            params["keypair"] = self._key_pair_name_for(fingerprint, params.get("projectid"))
        return params

    def _key_pair_name_for(self, fingerprint: str, projectid: str | None) -> str:
        pairs = self.connection.list("listSSHKeyPairs", fingerprint=fingerprint,
                                     projectid=projectid)
        for pair in pairs:
            if pair.get("fingerprint") == fingerprint and pair.get("name"):
                return str(pair["name"])
        raise ValueError(
            f"create_node(): no key pair holds the public key of 'auth' (fingerprint "
            f"{fingerprint}); register it with import_key_pair_from_string() or pass ex_keyname"
        )

    def reboot_node(self, node: Node, *, ex_wait: bool = True) -> Any:
        """Reboot: ``rebootVirtualMachine(id)``; waits for the job (``ex_wait=False``: a
        ``JobHandle``). True."""
        return self._job("rebootVirtualMachine", {"id": self._node_id("reboot_node", node)},
                         _true, ex_wait)

    def start_node(self, node: Node) -> bool:
        """Start: ``startVirtualMachine(id)``; waits for the job. True."""
        self.ex_start(node)
        return True

    def stop_node(self, node: Node, *, ex_force: bool | None = None) -> bool:
        """Stop: ``stopVirtualMachine(id, forced?)``; waits for the job. True."""
        self.ex_stop(node, ex_force=ex_force)
        return True

    def destroy_node(self, node: Node, ex_expunge: bool = False, *,
                     ex_wait: bool = True) -> Any:
        """Destroy: ``destroyVirtualMachine(id, expunge=true when ex_expunge)``; waits for the
        job (``ex_wait=False``: a ``JobHandle``). True."""
        node_id = self._node_id("destroy_node", node)
        expunge = check_instance("destroy_node", "ex_expunge", ex_expunge, bool)
        return self._job("destroyVirtualMachine",
                         {"id": node_id, "expunge": True if expunge else None}, _true, ex_wait)

    def ex_start(self, node: Node, *, ex_wait: bool = True) -> Any:
        """``startVirtualMachine(id)``; waits for the job (``ex_wait=False``: a
        ``JobHandle``). Returns the VM's new state."""
        return self._job("startVirtualMachine", {"id": self._node_id("ex_start", node)},
                         _vm_state, ex_wait)

    def ex_stop(self, node: Node, *, ex_force: bool | None = None, ex_wait: bool = True) -> Any:
        """``stopVirtualMachine(id, forced?)``; waits for the job (``ex_wait=False``: a
        ``JobHandle``). Returns the new state."""
        node_id = self._node_id("ex_stop", node)
        if ex_force is not None:
            check_instance("ex_stop", "ex_force", ex_force, bool)
        return self._job("stopVirtualMachine", {"id": node_id, "forced": ex_force}, _vm_state,
                         ex_wait)

    def ex_restore(self, node: Node, template: NodeImage | None = None) -> str:
        """Reinstall from ``template`` (default: the node's own):
        ``restoreVirtualMachine(virtualmachineid, templateid?)``; waits for the job. Returns
        the template id now in use."""
        node_id = self._node_id("ex_restore", node)
        image = check_optional_instance("ex_restore", "template", template, NodeImage)
        result = self.connection.request("restoreVirtualMachine", virtualmachineid=node_id,
                                          templateid=image.id if image else None)
        return str((result.get("virtualmachine") or {}).get("templateid"))

    def ex_change_node_size(self, node: Node, offering: NodeSize) -> str:
        """Change the service offering: ``scaleVirtualMachine(id, serviceofferingid)``; waits
        for the job. Returns the new offering id."""
        node_id = self._node_id("ex_change_node_size", node)
        size = check_instance("ex_change_node_size", "offering", offering, NodeSize)
        result = self.connection.request("scaleVirtualMachine", id=node_id,
                                          serviceofferingid=size.id)
        vm = result.get("virtualmachine") or {}
        return str(vm.get("serviceofferingid") or size.id)

    # -- images, sizes, locations -----------------------------------------------------------
    def list_images(self, location: NodeLocation | None = None, *,
                    ex_template_filter: str = "executable") -> list[NodeImage]:
        """Templates: ``listTemplates(templatefilter, zoneid?)``, all pages. No job."""
        where = check_optional_instance("list_images", "location", location, NodeLocation)
        flt = check_choice("list_images", "ex_template_filter", ex_template_filter,
                           TEMPLATE_FILTERS)
        records = self.connection.list("listTemplates", templatefilter=flt,
                                       zoneid=where.id if where else None)
        return [NodeImage.from_record(self, t) for t in records]

    def get_image(self, image_id: str | int) -> NodeImage:
        """``listTemplates(templatefilter="executable", id)``. No job.
        ``ImageNotFoundError`` when there is none."""
        image_id = check_id("get_image", "image_id", image_id)
        record = self._one("listTemplates", ImageNotFoundError, f"no image with id {image_id!r}",
                           templatefilter="executable", id=image_id)
        return NodeImage.from_record(self, record)

    def list_sizes(self, location: NodeLocation | None = None) -> list[NodeSize]:
        """Service offerings: ``listServiceOfferings(zoneid?)``, all pages. No job."""
        where = check_optional_instance("list_sizes", "location", location, NodeLocation)
        records = self.connection.list("listServiceOfferings",
                                       zoneid=where.id if where else None)
        return [NodeSize.from_record(self, o) for o in records]

    def list_locations(self) -> list[NodeLocation]:
        """Zones: ``listZones`` (also refreshes the driver's zone cache). No job."""
        return [NodeLocation.from_record(self, z) for z in self._zones_cached(refresh=True)]

    def ex_list_os_types(self) -> list[dict[str, Any]]:
        """OS types as raw dicts: ``listOsTypes``, all pages. No job."""
        return self.connection.list("listOsTypes")

    def ex_list_projects(self, *, list_all: bool | None = None) -> list[CloudStackProject]:
        """Projects: ``listProjects(listall?)``, all pages. No job."""
        listall = check_optional_instance("ex_list_projects", "list_all", list_all, bool)
        return [CloudStackProject.from_record(self, p)
                for p in self.connection.list("listProjects", listall=listall)]
