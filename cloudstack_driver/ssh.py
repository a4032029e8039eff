"""The SSH client ``deploy_node`` uses: a small wrapper around paramiko.

paramiko is an optional dependency (``pip install cloudstack-driver[ssh]``); this module imports
it only when a client is created, and :func:`require_paramiko` raises a ``RuntimeError`` that
says how to install it.

Host keys are not checked by default, as with libcloud (a new VM's key is unknown). Pass
``check_host_key=True`` to refuse hosts whose key is not in ``known_hosts`` (default
``~/.ssh/known_hosts``) or the system's known-hosts files (D38). Key paths may start with ``~``.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Sequence
from types import ModuleType
from typing import IO, Any

from cloudstack_driver.errors import LibcloudError

__all__ = ["SSHClient", "SSHCommandTimeoutError", "require_paramiko"]

#: Set to ``false`` to skip the retry without ``rsa-sha2-*`` signatures (libcloud's knob).
SHA2_COMPAT_ENV = "LIBCLOUD_PARAMIKO_SHA2_BACKWARD_COMPATIBILITY"

_CHUNK = 32768


def require_paramiko() -> ModuleType:
    """The ``paramiko`` module, or ``RuntimeError`` naming the extra that installs it."""
    try:
        import paramiko
    except ImportError as exc:
        raise RuntimeError(
            "SSH deployment needs paramiko, which is not installed: "
            "pip install 'cloudstack-driver[ssh]'"
        ) from exc
    return paramiko


class SSHCommandTimeoutError(LibcloudError):
    """A remote command ran longer than its timeout (fatal for ``deploy_node``).

    :ivar cmd: the command
    :ivar timeout: the limit, in seconds
    :ivar stdout: output read before the limit
    :ivar stderr: error output read before the limit
    """

    def __init__(self, cmd: str, timeout: float, stdout: str = "", stderr: str = "") -> None:
        super().__init__(f"command did not finish within {timeout} seconds: {cmd}")
        self.cmd = cmd
        self.timeout = timeout
        self.stdout = stdout
        self.stderr = stderr


def expand_key_files(key_files: str | Sequence[str] | None) -> list[str]:
    """``ssh_key`` as a list of paths with ``~`` expanded (D38)."""
    if key_files is None:
        return []
    paths = [key_files] if isinstance(key_files, str) else list(key_files)
    out = []
    for index, path in enumerate(paths):
        if not isinstance(path, (str, os.PathLike)) or not str(path):
            raise TypeError(f"'ssh_key'[{index}] must be a path to a private key, got {path!r}")
        out.append(os.path.expanduser(str(path)))
    return out


class SSHClient:
    """One SSH connection: ``connect()``, ``run()``, ``put()``, ``delete()``, ``close()``.

    :param hostname: address to connect to
    :param port: SSH port
    :param username: remote user
    :param password: password (also tried as the passphrase of encrypted keys by paramiko)
    :param key_files: private key path(s); ``~`` expanded
    :param timeout: seconds for the TCP connect and the SSH handshake
    :param passphrase: passphrase of the private key(s)
    :param check_host_key: refuse unknown host keys (default False: accept any, as libcloud)
    :param known_hosts: known-hosts file used when ``check_host_key`` is true
    """

    def __init__(
        self,
        hostname: str,
        port: int = 22,
        username: str = "root",
        password: str | None = None,
        key_files: str | Sequence[str] | None = None,
        timeout: float | None = None,
        passphrase: str | None = None,
        *,
        check_host_key: bool = False,
        known_hosts: str | None = None,
    ) -> None:
        self.hostname = hostname
        self.port = int(port)
        self.username = username
        self.password = password
        self.key_files = expand_key_files(key_files)
        self.timeout = timeout
        self.passphrase = passphrase
        self.check_host_key = check_host_key
        self.known_hosts = os.path.expanduser(known_hosts or "~/.ssh/known_hosts")
        self._client: Any = None
        self._sftp: Any = None

    def __repr__(self) -> str:
        return f"<SSHClient {self.username}@{self.hostname}:{self.port}>"

    # -- connection ---------------------------------------------------------------------------
    def connect(self) -> bool:
        """Open the connection. Raises ``FileNotFoundError`` for a missing key file and
        paramiko's exceptions (``AuthenticationException``, ``SSHException``, ``OSError``)."""
        paramiko = require_paramiko()
        for path in self.key_files:
            if not os.path.isfile(path):
                raise FileNotFoundError(f"SSH private key file not found: {path}")
        self.close()
        client = paramiko.SSHClient()
        if self.check_host_key:
            client.load_system_host_keys()
            if os.path.isfile(self.known_hosts):
                client.load_host_keys(self.known_hosts)
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        else:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        use_defaults = not self.key_files and not self.password
        options: dict[str, Any] = {
            "hostname": self.hostname, "port": self.port, "username": self.username,
            "password": self.password, "key_filename": self.key_files or None,
            "passphrase": self.passphrase, "timeout": self.timeout,
            "banner_timeout": self.timeout, "auth_timeout": self.timeout,
            "allow_agent": use_defaults, "look_for_keys": use_defaults,
        }
        try:
            client.connect(**options)
        except paramiko.AuthenticationException:
            if not self.key_files or os.environ.get(SHA2_COMPAT_ENV, "").lower() == "false":
                client.close()
                raise
            # Old servers refuse rsa-sha2-* signatures: retry with plain ssh-rsa.
            client.connect(**options, disabled_algorithms={
                "pubkeys": ["rsa-sha2-512", "rsa-sha2-256"]})
        self._client = client
        return True

    def close(self) -> bool:
        """Close the connection (safe to call twice)."""
        if self._sftp is not None:
            self._sftp.close()
            self._sftp = None
        if self._client is not None:
            self._client.close()
            self._client = None
        return True

    def __enter__(self) -> SSHClient:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connected(self) -> Any:
        if self._client is None:
            raise LibcloudError(f"{self!r} is not connected; call connect() first")
        return self._client

    def _sftp_client(self) -> Any:
        if self._sftp is None:
            self._sftp = self._connected().open_sftp()
        return self._sftp

    # -- files ----------------------------------------------------------------------------------
    def _absolute(self, path: str) -> str:
        sftp = self._sftp_client()
        if posixpath.isabs(path):
            return path
        return posixpath.join(str(sftp.normalize(".")), path)

    def _make_parents(self, path: str) -> None:
        sftp = self._sftp_client()
        parent = posixpath.dirname(path)
        missing = []
        while parent and parent != "/":
            try:
                sftp.stat(parent)
                break
            except OSError:
                missing.append(parent)
                parent = posixpath.dirname(parent)
        for directory in reversed(missing):
            sftp.mkdir(directory, 0o700)

    def put(self, path: str, contents: str | bytes | None = None, chmod: int | None = None,
            mode: str = "w") -> str:
        """Write ``contents`` to the remote ``path`` (relative to the home directory unless
        absolute; parent directories created) with ``mode`` ``"w"`` or ``"a"``; apply
        ``chmod``. Returns the absolute remote path."""
        if mode not in ("w", "a"):
            raise ValueError(f"put(): 'mode' must be 'w' or 'a', got {mode!r}")
        target = self._absolute(path)
        self._make_parents(target)
        data = contents.encode("utf-8") if isinstance(contents, str) else (contents or b"")
        sftp = self._sftp_client()
        with sftp.open(target, mode + "b") as handle:
            handle.write(data)
        if chmod is not None:
            sftp.chmod(target, chmod)
        return target

    def putfo(self, path: str, fo: IO[bytes], chmod: int | None = None) -> str:
        """Upload the file object ``fo`` to ``path``; returns the absolute remote path."""
        target = self._absolute(path)
        self._make_parents(target)
        sftp = self._sftp_client()
        sftp.putfo(fo, target)
        if chmod is not None:
            sftp.chmod(target, chmod)
        return target

    def delete(self, path: str) -> bool:
        """Remove the remote file ``path``."""
        self._sftp_client().remove(self._absolute(path))
        return True

    # -- commands -------------------------------------------------------------------------------
    def run(self, cmd: str, timeout: float | None = None) -> tuple[str, str, int]:
        """Run ``cmd`` through the remote user's shell; ``(stdout, stderr, exit_status)``.

        Raises :class:`SSHCommandTimeoutError` when ``timeout`` seconds pass first.
        """
        transport = self._connected().get_transport()
        channel = transport.open_session()
        out: list[bytes] = []
        err: list[bytes] = []
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            channel.settimeout(1.0)
            channel.exec_command(cmd)
            while True:
                while channel.recv_ready():
                    out.append(channel.recv(_CHUNK))
                while channel.recv_stderr_ready():
                    err.append(channel.recv_stderr(_CHUNK))
                finished = channel.exit_status_ready() and (channel.eof_received
                                                            or channel.closed)
                if finished and not channel.recv_ready() and not channel.recv_stderr_ready():
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise SSHCommandTimeoutError(cmd, float(timeout or 0), _text(out), _text(err))
                time.sleep(0.01)
            status = int(channel.recv_exit_status())
        finally:
            channel.close()
        return _text(out), _text(err), status


def _text(chunks: list[bytes]) -> str:
    return b"".join(chunks).decode("utf-8", "replace")
