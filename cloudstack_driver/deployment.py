"""Deployment steps ``deploy_node`` runs over SSH (libcloud's ``compute.deployment``).

Each step has ``run(node, client) -> node``; ``client`` is a connected
:class:`~cloudstack_driver.ssh.SSHClient` (anything with its ``put`` / ``run`` / ``delete``).

::

    script = ScriptDeployment("/bin/date")
    node = driver.deploy_node(name="web", image=image, size=size, ssh_key="~/.ssh/id_rsa",
                              ex_keyname="mykey", deploy=MultiStepDeployment([script]))
    print(script.exit_status, script.stdout)
"""

from __future__ import annotations

import binascii
import os
import posixpath
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import IO, Any

__all__ = [
    "Deployment",
    "FileDeployment",
    "MultiStepDeployment",
    "SSHKeyDeployment",
    "ScriptDeployment",
    "ScriptFileDeployment",
]


def _short(text: Any, length: int) -> str:
    value = str(text)
    return value if len(value) <= length else value[:length] + "..."


class Deployment(ABC):
    """A step of a deployment."""

    @abstractmethod
    def run(self, node: Any, client: Any) -> Any:
        """Run this step on ``node`` through the connected SSH ``client``; return the node."""


class SSHKeyDeployment(Deployment):
    """Append a public key to the remote user's ``~/.ssh/authorized_keys``.

    :param key: the public key, as text or a readable file object
    """

    def __init__(self, key: str | IO[str]) -> None:
        if not isinstance(key, str):
            if not hasattr(key, "read"):
                raise TypeError(
                    f"SSHKeyDeployment(): 'key' must be a str or a file object, got "
                    f"{type(key).__name__}")
            key = key.read()
        if not isinstance(key, str) or not key.strip():
            raise ValueError("SSHKeyDeployment(): 'key' must hold a public key")
        self.key = key

    def run(self, node: Any, client: Any) -> Any:
        """``client.put(".ssh/authorized_keys", key, mode="a")``."""
        line = self.key if self.key.endswith("\n") else self.key + "\n"
        client.put(".ssh/authorized_keys", contents=line, mode="a", chmod=0o600)
        return node

    def __repr__(self) -> str:
        return f"<SSHKeyDeployment key={_short(self.key, 100)}>"


class FileDeployment(Deployment):
    """Upload the local file ``source`` to the remote path ``target``, keeping its mode."""

    def __init__(self, source: str, target: str) -> None:
        for arg, value in (("source", source), ("target", target)):
            if not isinstance(value, str) or not value:
                raise TypeError(f"FileDeployment(): {arg!r} must be a non-empty path str")
        self.source = source
        self.target = target

    def run(self, node: Any, client: Any) -> Any:
        """Read ``source`` and ``client.put(target, contents, chmod=<its mode>)``."""
        path = os.path.expanduser(self.source)
        with open(path, "rb") as handle:
            content = handle.read()
        client.put(path=self.target, contents=content, chmod=os.stat(path).st_mode & 0o7777)
        return node

    def __repr__(self) -> str:
        return f"<FileDeployment source={self.source}, target={self.target}>"


class ScriptDeployment(Deployment):
    """Upload a script, run it, keep its output.

    :param script: the script's text (a ``#!`` line picks the interpreter, else the remote
        shell runs it)
    :param args: arguments, joined with spaces after the script path (through the remote
        shell, unquoted, as with libcloud: quote them yourself when needed)
    :param name: remote file name (default ``libcloud_deployment_<8 hex>.sh``, in the home
        directory unless absolute)
    :param delete: remove the script after running it
    :param timeout: seconds the script may run (``SSHCommandTimeoutError`` after that)

    After :meth:`run`: ``stdout``, ``stderr`` (str) and ``exit_status`` (int). A non-zero
    exit status is not an error: check it.
    """

    def __init__(self, script: str, args: Sequence[str] | None = None, name: str | None = None,
                 delete: bool = False, timeout: float | None = None) -> None:
        if not isinstance(script, str):
            raise TypeError(f"{type(self).__name__}(): 'script' must be a str, got "
                            f"{type(script).__name__}")
        if args is not None and (isinstance(args, str)
                                 or not all(isinstance(a, str) for a in args)):
            raise TypeError(f"{type(self).__name__}(): 'args' must be a list of str")
        if name is not None and (not isinstance(name, str) or not name):
            raise TypeError(f"{type(self).__name__}(): 'name' must be a non-empty str")
        if timeout is not None and (isinstance(timeout, bool)
                                    or not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError(f"{type(self).__name__}(): 'timeout' must be a positive number")
        self.script = script
        self.args: list[str] = list(args) if args else []
        self.name = name or f"libcloud_deployment_{binascii.hexlify(os.urandom(4)).decode()}.sh"
        self.delete = bool(delete)
        self.timeout = timeout
        self.stdout: str | None = None
        self.stderr: str | None = None
        self.exit_status: int | None = None

    def run(self, node: Any, client: Any) -> Any:
        """Upload (mode 0755), run with ``args`` and ``timeout``, store the output, delete
        the file when asked."""
        path = client.put(path=self.name, chmod=0o755, contents=self.script)
        if not path:
            path = self.name if posixpath.isabs(self.name) else f"./{self.name}"
        cmd = " ".join([path, *self.args])
        self.stdout, self.stderr, self.exit_status = client.run(cmd, timeout=self.timeout)
        if self.delete:
            client.delete(path)
        return node

    def __repr__(self) -> str:
        status = self.exit_status if self.exit_status is not None else "script didn't run yet"
        return (f"<{type(self).__name__} script={_short(self.script, 15)}, "
                f"exit_status={status}, stdout={_short(self.stdout, 60)}, "
                f"stderr={_short(self.stderr, 60)}>")


class ScriptFileDeployment(ScriptDeployment):
    """A :class:`ScriptDeployment` whose script is read from the local UTF-8 file
    ``script_file`` (``~`` expanded)."""

    def __init__(self, script_file: str, args: Sequence[str] | None = None,
                 name: str | None = None, delete: bool = False,
                 timeout: float | None = None) -> None:
        if not isinstance(script_file, str) or not script_file:
            raise TypeError("ScriptFileDeployment(): 'script_file' must be a non-empty path")
        with open(os.path.expanduser(script_file), encoding="utf-8") as handle:
            content = handle.read()
        super().__init__(content, args=args, name=name, delete=delete, timeout=timeout)
        self.script_file = script_file


class MultiStepDeployment(Deployment):
    """Several steps, run in order.

    :param add: a step or a list of steps
    """

    def __init__(self, add: Deployment | Sequence[Deployment] | None = None) -> None:
        self.steps: list[Deployment] = []
        if add is not None:
            self.add(add)

    def add(self, add: Deployment | Sequence[Deployment]) -> None:
        """Append a step, or each step of a list."""
        items: object = [add] if isinstance(add, Deployment) else add
        if isinstance(items, (str, bytes)) or not isinstance(items, (list, tuple)):
            raise TypeError(f"MultiStepDeployment.add(): expected a Deployment or a list of "
                            f"them, got {type(add).__name__}")
        for index, step in enumerate(items):
            if not isinstance(step, Deployment):
                raise TypeError(f"MultiStepDeployment.add(): item {index} is a "
                                f"{type(step).__name__}, not a Deployment")
        self.steps.extend(step for step in items if isinstance(step, Deployment))

    def run(self, node: Any, client: Any) -> Any:
        """Run each step; each gets the node the previous one returned."""
        for step in self.steps:
            node = step.run(node, client)
        return node

    def __repr__(self) -> str:
        return f"<MultiStepDeployment steps={self.steps!r}>"
