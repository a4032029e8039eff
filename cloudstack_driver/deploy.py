"""``deploy_node`` and ``wait_until_running`` (libcloud's ``NodeDriver`` methods).

``deploy_node`` creates a node, waits until it runs and has an address, connects over SSH
(paramiko, the ``ssh`` extra) with retries, runs a :class:`~cloudstack_driver.deployment.
Deployment` and returns the node. Failures after the node exists raise
:class:`~cloudstack_driver.errors.DeploymentError` carrying the node, so it can be destroyed.

CloudStack notes: a ``project`` given to ``create_node`` is also used while waiting (D1); VMs
start unless ``ex_start_vm=False``; in advanced zones use ``ssh_interface="private_ips"`` or
port forwarding.
"""

from __future__ import annotations

import atexit
import ipaddress
import time
from collections.abc import Callable, Sequence
from typing import Any

from cloudstack_driver.deployment import Deployment
from cloudstack_driver.errors import DeploymentError, LibcloudError
from cloudstack_driver.models import Node, NodeAuthPassword, NodeAuthSSHKey
from cloudstack_driver.ssh import SSHClient, SSHCommandTimeoutError, require_paramiko
from cloudstack_driver.types import NodeState

__all__ = ["DeployMixin"]

SSH_INTERFACES = ("public_ips", "private_ips")
#: Seconds between SSH connection attempts.
SSH_RETRY_DELAY = 1.5


def _is_ipv4(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 4
    except ValueError:
        return False


def _positive(method: str, arg: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{method}(): {arg!r} must be a positive number, got {value!r}")
    return float(value)


class DeployMixin:
    """``deploy_node`` / ``wait_until_running``, for any driver with ``create_node`` and
    ``list_nodes``.

    ``ssh_client_class``, ``_sleep`` and ``_clock`` are seams for tests.
    """

    ssh_client_class: Callable[..., Any] = SSHClient
    _sleep: Callable[[float], None] = staticmethod(time.sleep)
    _clock: Callable[[], float] = staticmethod(time.monotonic)

    def wait_until_running(
        self,
        nodes: Sequence[Node],
        wait_period: float = 5,
        timeout: float = 600,
        ssh_interface: str = "public_ips",
        force_ipv4: bool = True,
        ex_list_nodes_kwargs: dict[str, Any] | None = None,
    ) -> list[tuple[Node, list[str]]]:
        """Wait until every node of ``nodes`` is RUNNING and has an address on
        ``ssh_interface`` (IPv4 only while ``force_ipv4``).

        Calls ``list_nodes(**ex_list_nodes_kwargs)`` every ``wait_period`` seconds (for
        CloudStack: ``listVirtualMachines`` plus its network lookups) and matches nodes by
        ``uuid``; these are read-only calls, no async job is started or awaited. Returns
        ``[(node, [addresses]), ...]`` in the order of ``nodes``.
        ``LibcloudError`` on timeout ("Timed out after N seconds"), when more nodes match than
        were given, or when a node ends in ERROR or TERMINATED.
        """
        m = "wait_until_running"
        if isinstance(nodes, Node):
            raise TypeError(f"{m}(): 'nodes' must be a list of nodes, got one Node")
        wanted = list(nodes)
        for index, node in enumerate(wanted):
            if not isinstance(node, Node):
                raise TypeError(f"{m}(): 'nodes[{index}]' must be a Node, got "
                                f"{type(node).__name__}")
        if ssh_interface not in SSH_INTERFACES:
            raise ValueError(f"{m}(): 'ssh_interface' must be one of "
                             f"{', '.join(SSH_INTERFACES)}; got {ssh_interface!r}")
        period = _positive(m, "wait_period", wait_period)
        limit = _positive(m, "timeout", timeout)
        list_kwargs = dict(ex_list_nodes_kwargs or {})
        driver: Any = self
        uuids = [n.uuid for n in wanted]
        deadline = self._clock() + limit
        while True:
            matched = [n for n in driver.list_nodes(**list_kwargs) if n.uuid in uuids]
            if len(matched) > len(set(uuids)):
                raise LibcloudError(f"{m}(): more nodes match than were given", driver=self)
            found = {n.uuid: n for n in matched}
            for listed in matched:
                if listed.state in (NodeState.ERROR, NodeState.TERMINATED):
                    raise LibcloudError(
                        f"{m}(): node {listed.name or listed.id} is {listed.state}", driver=self)
            ready = []
            for uuid in uuids:
                current = found.get(uuid)
                if current is None or current.state != NodeState.RUNNING:
                    break
                addresses = [a for a in getattr(current, ssh_interface)
                             if not force_ipv4 or _is_ipv4(a)]
                if not addresses:
                    break
                ready.append((current, addresses))
            else:
                return ready
            if self._clock() + period > deadline:
                raise LibcloudError(f"Timed out after {limit:g} seconds", driver=self)
            self._sleep(period)

    def deploy_node(
        self,
        deploy: Deployment,
        ssh_username: str = "root",
        ssh_alternate_usernames: list[str] | None = None,
        ssh_port: int = 22,
        ssh_timeout: float = 10,
        ssh_key: str | list[str] | None = None,
        ssh_key_password: str | None = None,
        auth: NodeAuthSSHKey | NodeAuthPassword | None = None,
        timeout: float = 300,
        max_tries: int = 3,
        ssh_interface: str = "public_ips",
        at_exit_func: Callable[..., Any] | None = None,
        wait_period: float = 5,
        *,
        ssh_check_host_key: bool = False,
        ssh_known_hosts: str | None = None,
        **create_node_kwargs: Any,
    ) -> Node:
        """Create a node, wait for it, run ``deploy`` on it over SSH, return it.

        Calls ``create_node(**create_node_kwargs, auth=auth)`` (CloudStack:
        ``deployVirtualMachine``, waits for the job), then :meth:`wait_until_running`
        (``listVirtualMachines`` ...), then connects to the node's first address on
        ``ssh_interface`` at ``ssh_port`` as ``ssh_username`` (then each of
        ``ssh_alternate_usernames``), with the private key(s) ``ssh_key`` (``~`` expanded) or
        the node's generated password, retrying every 1.5 s until ``timeout``; then runs
        ``deploy`` up to ``max_tries`` times. ``ssh_check_host_key=True`` refuses host keys
        not in ``ssh_known_hosts`` (default ``~/.ssh/known_hosts``).

        ``at_exit_func(driver=, node=)`` is registered with ``atexit`` while deploying (to
        clean up if the interpreter exits) and unregistered afterwards. Raises
        ``RuntimeError`` without paramiko, ``TypeError`` / ``ValueError`` for bad arguments
        before anything is created, ``DeploymentError`` (``.node`` is the created node) when
        anything fails after creation.
        """
        m = "deploy_node"
        require_paramiko()
        if not isinstance(deploy, Deployment):
            raise TypeError(f"{m}(): 'deploy' must be a Deployment, got {type(deploy).__name__}")
        if ssh_interface not in SSH_INTERFACES:
            raise ValueError(f"{m}(): 'ssh_interface' must be one of "
                             f"{', '.join(SSH_INTERFACES)}; got {ssh_interface!r}")
        usernames = [ssh_username, *(ssh_alternate_usernames or [])]
        for index, user in enumerate(usernames):
            if not isinstance(user, str) or not user:
                raise TypeError(f"{m}(): SSH user name {index} must be a non-empty str")
        if isinstance(ssh_port, bool) or not isinstance(ssh_port, int) or \
                not 0 < ssh_port < 65536:
            raise ValueError(f"{m}(): 'ssh_port' must be a port number, got {ssh_port!r}")
        if isinstance(max_tries, bool) or not isinstance(max_tries, int) or max_tries < 1:
            raise ValueError(f"{m}(): 'max_tries' must be an int >= 1, got {max_tries!r}")
        limit = _positive(m, "timeout", timeout)
        _positive(m, "ssh_timeout", ssh_timeout)
        _positive(m, "wait_period", wait_period)
        if auth is not None and not isinstance(auth, (NodeAuthSSHKey, NodeAuthPassword)):
            raise TypeError(f"{m}(): 'auth' must be a NodeAuthSSHKey or NodeAuthPassword")
        features = getattr(self, "features", {}).get("create_node", [])
        if auth is None and not ssh_key and not {"generates_password", "password"} & set(
                features):
            raise NotImplementedError(
                f"{m}(): pass 'ssh_key' or 'auth': this driver cannot give a password")
        driver: Any = self
        if auth is not None:
            create_node_kwargs["auth"] = auth
        node = driver.create_node(**create_node_kwargs)
        if at_exit_func is not None:
            atexit.register(at_exit_func, driver=self, node=node)
        try:
            return self._deploy_on(node, deploy, usernames, ssh_port, ssh_timeout, ssh_key,
                                   ssh_key_password, auth, limit, max_tries, ssh_interface,
                                   wait_period, ssh_check_host_key, ssh_known_hosts,
                                   create_node_kwargs.get("project"))
        finally:
            if at_exit_func is not None:
                atexit.unregister(at_exit_func)

    def _deploy_on(self, node: Node, deploy: Deployment, usernames: list[str], port: int,
                   ssh_timeout: float, ssh_key: str | list[str] | None,
                   key_password: str | None, auth: Any, timeout: float, max_tries: int,
                   ssh_interface: str, wait_period: float, check_host_key: bool,
                   known_hosts: str | None, project: Any) -> Node:
        password: str | None
        if isinstance(auth, NodeAuthPassword):
            password = auth.password
        else:
            password = key_password or node.extra.get("password")
        list_kwargs = {"project": project} if project is not None else None
        try:
            [(ready, addresses)] = self.wait_until_running(
                [node], wait_period=wait_period, timeout=timeout, ssh_interface=ssh_interface,
                ex_list_nodes_kwargs=list_kwargs)
        except Exception as exc:
            raise DeploymentError(node, exc, driver=self) from exc
        last: BaseException | None = None
        for username in usernames:
            client = self.ssh_client_class(
                addresses[0], port=port, username=username, password=password,
                key_files=ssh_key, timeout=ssh_timeout, passphrase=key_password,
                check_host_key=check_host_key, known_hosts=known_hosts)
            try:
                self._ssh_connect(client, timeout, password_only=not ssh_key)
                self._run_deployment(deploy, ready, client, max_tries)
                return ready
            except Exception as exc:
                last = exc
            finally:
                client.close()
        raise DeploymentError(ready, last, driver=self) from last

    def _ssh_connect(self, client: Any, timeout: float, *, password_only: bool) -> None:
        paramiko = require_paramiko()
        fatal: tuple[type[BaseException], ...] = (
            FileNotFoundError, paramiko.PasswordRequiredException, paramiko.BadHostKeyException)
        deadline = self._clock() + timeout
        while True:
            try:
                client.connect()
                return
            except fatal:
                raise
            except paramiko.AuthenticationException:
                if password_only:
                    raise
                last: BaseException = LibcloudError("SSH authentication refused")
            except paramiko.SSHException as exc:
                text = str(exc)
                if "not a valid" in text or "encrypted" in text.lower() \
                        or "known_hosts" in text:
                    raise
                last = exc
            except OSError as exc:
                last = exc
            if self._clock() + SSH_RETRY_DELAY > deadline:
                raise LibcloudError(
                    f"Giving up on SSH to {client!r} after {timeout:g} seconds: {last}",
                    driver=self) from last
            self._sleep(SSH_RETRY_DELAY)

    def _run_deployment(self, deploy: Deployment, node: Node, client: Any,
                        max_tries: int) -> Node:
        for attempt in range(1, max_tries + 1):
            try:
                return deploy.run(node, client)  # type: ignore[no-any-return]
            except SSHCommandTimeoutError:
                raise
            except Exception as exc:
                if attempt >= max_tries:
                    raise LibcloudError(f"Failed after {max_tries} tries: {exc}",
                                        driver=self) from exc
                client.close()
                client.connect()
        raise AssertionError("unreachable")
