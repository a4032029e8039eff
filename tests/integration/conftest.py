"""Integration fixtures: a real OpenSSH server on loopback, and simulators whose Basic-zone VMs
answer SSH there.

``sshd`` starts ``/usr/sbin/sshd -D -e -f <config>`` as the current user on a free port of
127.0.0.23, with a temporary host key and an ``authorized_keys`` holding a key generated for the
test session. Without sshd the tests skip, except in CI (``CI=true``), where they fail: CI
installs ``openssh-server`` (``.ci/run``).

Without sshd: ``sim`` (a plain simulator, 20 ms jobs), ``conn`` (a driver bound to it) and its
``advanced`` and ``basic`` zones.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cloudstack_driver import CloudStackNodeDriver, NodeLocation
from cloudstack_driver.simulator import Simulator
from tests.integration._tls import ca, ca_file, tls_sim  # noqa: F401  (TLS fixtures)

SSHD = "/usr/sbin/sshd"
SSH_ADDRESS = "127.0.0.23"


@dataclass(frozen=True)
class SSHServer:
    """A running sshd: where it listens and the key it accepts."""

    address: str
    port: int
    user: str
    private_key: Path
    public_key: Path
    home: Path

    def public_key_text(self) -> str:
        return self.public_key.read_text(encoding="utf-8").strip()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must install openssh-server: see .ci/run)")
    pytest.skip(reason)


def _free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def _keygen(path: Path, kind: str) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "cloudstack-driver-test",
                    "-f", str(path)], check=True, capture_output=True)


def _wait_listening(process: subprocess.Popen[bytes], address: str, port: int,
                    log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sshd exited with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection((address, port), 0.5):
            return
        time.sleep(0.05)
    pytest.fail(f"sshd did not listen on {address}:{port}: {log.read_text()}")


def _deployment_scripts(home: Path) -> set[Path]:
    return set(home.glob("libcloud_deployment_*.sh"))


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SSHServer]:
    """A real OpenSSH server on 127.0.0.23 (a free port), accepting one generated key."""
    if not os.path.exists(SSHD):
        _unavailable(f"{SSHD} is not installed (apt-get install openssh-server)")
    if shutil.which("ssh-keygen") is None:
        _unavailable("ssh-keygen is not installed (apt-get install openssh-client)")
    work = tmp_path_factory.mktemp("sshd")
    host_key, client_key = work / "host_ed25519", work / "id_rsa_test"
    _keygen(host_key, "ed25519")
    _keygen(client_key, "rsa")
    authorized = work / "authorized_keys"
    shutil.copy(work / "id_rsa_test.pub", authorized)
    os.chmod(authorized, 0o600)
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    user = getpass.getuser()
    port = _free_port(SSH_ADDRESS)
    config = work / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}",
        f"ListenAddress {SSH_ADDRESS}",
        f"HostKey {host_key}",
        f"AuthorizedKeysFile {authorized}",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        f"AllowUsers {user}",
        "UsePAM no",
        "StrictModes no",
        "PidFile none",
        "Subsystem sftp internal-sftp",
        "LogLevel ERROR",
        "",
    ]), encoding="utf-8")
    home = Path(os.path.expanduser(f"~{user}"))
    before = _deployment_scripts(home)
    log = work / "sshd.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log_file,
                                   stderr=subprocess.STDOUT)
    try:
        _wait_listening(process, SSH_ADDRESS, port, log)
        yield SSHServer(SSH_ADDRESS, port, user, client_key, work / "id_rsa_test.pub", home)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for leftover in _deployment_scripts(home) - before:
            leftover.unlink(missing_ok=True)


def _driver_for(sim: Simulator) -> CloudStackNodeDriver:
    """A driver bound to ``sim``: job polling every 10 ms, no retries, 30 s job timeout."""
    return CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, poll_interval=0.01,
                                max_retries=0, retry_delay=0, job_timeout=30)


@pytest.fixture
def ssh_simulator(sshd: SSHServer) -> Iterator[Simulator]:
    """A simulator whose Basic-zone VMs get the sshd's address as their NIC address."""
    with Simulator(job_duration=0.05, ssh_address=sshd.address) as sim:
        yield sim


@pytest.fixture
def ssh_driver(ssh_simulator: Simulator) -> CloudStackNodeDriver:
    """A driver bound to ``ssh_simulator``."""
    return _driver_for(ssh_simulator)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A plain simulator with short (20 ms) jobs."""
    with Simulator(job_duration=0.02) as simulator:
        yield simulator


@pytest.fixture
def conn(sim: Simulator) -> CloudStackNodeDriver:
    """A driver bound to ``sim``."""
    return _driver_for(sim)


def _zone(conn: CloudStackNodeDriver, network_type: str) -> NodeLocation:
    return next(z for z in conn.list_locations() if z.extra["network_type"] == network_type)


@pytest.fixture
def advanced(conn: CloudStackNodeDriver) -> NodeLocation:
    """``sim``'s first Advanced zone."""
    return _zone(conn, "Advanced")


@pytest.fixture
def basic(conn: CloudStackNodeDriver) -> NodeLocation:
    """``sim``'s first Basic zone."""
    return _zone(conn, "Basic")


class Everything(logging.Handler):
    """Keeps every log record, whatever its logger and level."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_record() -> Iterator[Everything]:
    """The records of every logger (urllib3's and httpx's included) at DEBUG, for the test."""
    root = logging.getLogger()
    handler = Everything()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def record_texts(record: logging.LogRecord) -> list[str]:
    """Every text a log record may show: its message, raw msg and args, its exception."""
    texts = [record.getMessage(), str(record.msg), repr(record.args)]
    if record.exc_info and record.exc_info[1] is not None:
        texts.append(repr(record.exc_info[1]))
    if record.exc_text:
        texts.append(record.exc_text)
    return texts


def track_handling(sim: Simulator) -> list[int]:
    """A list holding one item per request ``sim`` is handling right now (its API handler
    wrapped): empty when none is in the server."""
    handling: list[int] = []
    handle = sim.app.handle

    def counted(environ: dict[str, Any]) -> Any:
        handling.append(1)
        try:
            return handle(environ)
        finally:
            handling.pop()

    sim.app.handle = counted  # type: ignore[method-assign]
    return handling
