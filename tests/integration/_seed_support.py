"""Support for test_seed_literal.py: the seed's printed output, a TLS front for the simulator,
a loopback port forwarder (an sshd behind port 22), a stand-in for IPython's embedded shell, and
where the docs show each seed example."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]

# interactive-session.rst prints these (whitespace aside).
TUTORIAL_IMAGE = ("<NodeImage: id=13ccff62-132b-4caf-b456-e8ef20cbff0e, name=tiny Linux, "
                  "driver=CloudStack  ...>")
TUTORIAL_SIZES = (
    "[<NodeSize: id=ef2537ad-c70f-11e1-821b-0800277e749c, name=tinyOffering, ram=100 disk=0 "
    "bandwidth=0 price=0 driver=CloudStack ...>, <NodeSize: id=c66c2557-12a7-4b32-94f4-48837da"
    "3fa84, name=Small Instance, ram=512 disk=0 bandwidth=0 price=0 driver=CloudStack ...>, "
    "<NodeSize: id=3d8b82e5-d8e7-48d5-a554-cf853111bc50, name=Medium Instance, ram=1024 disk=0 "
    "bandwidth=0 price=0 driver=CloudStack ...>]")
TLS_443 = ("127.0.0.25", 443)

@dataclass(frozen=True)
class TLSEndpoint:
    """A simulator served over HTTPS: its port, the CA file to trust, the host to name."""

    sim: Simulator
    port: int
    ca_file: Path
    host: str = "127.0.0.1"

def make_certificate(work: Path) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for 127.0.0.1 and 127.0.0.25, by openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext",
                    f"subjectAltName=IP:127.0.0.1,IP:{TLS_443[0]}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def tls_endpoint(sim: Simulator, certificate: tuple[Path, Path],
                 at_443: bool = False) -> Iterator[TLSEndpoint]:
    """``sim`` over HTTPS: on a free port of 127.0.0.1, or (``at_443``, when it can be bound)
    on 127.0.0.25:443, where the host is named ``http://127.0.0.25`` as the tutorial does."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    server = None
    if at_443:
        with contextlib.suppress(OSError):
            server = make_server(*TLS_443, sim.app, threaded=True, ssl_context=context)
    if server is None:
        server = make_server("127.0.0.1", 0, sim.app, threaded=True, ssl_context=context)
    host = f"http://{TLS_443[0]}" if server.server_port == 443 else "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TLSEndpoint(sim, server.server_port, certificate[0], host)
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()

class FakeShell:
    """Stands in for IPython's InteractiveShellEmbed: records its banner and that it ran."""

    calls: list[str] = []

    def __init__(self, banner1: str) -> None:
        self.calls.append(banner1)

    def __call__(self) -> None:
        self.calls.append("shell()")


def fake_ipython(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make ``from IPython.terminal.embed import InteractiveShellEmbed`` give FakeShell; return
    the list its calls are recorded in."""
    embed = types.ModuleType("IPython.terminal.embed")
    embed.InteractiveShellEmbed = FakeShell  # type: ignore[attr-defined]
    for name, module in (("IPython", types.ModuleType("IPython")),
                         ("IPython.terminal", types.ModuleType("IPython.terminal")),
                         ("IPython.terminal.embed", embed)):
        monkeypatch.setitem(sys.modules, name, module)
    FakeShell.calls = []
    return FakeShell.calls

class Forward:
    """Loopback TCP forwarding from ``listen`` to ``target`` (to put an sshd behind port 22)."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]) -> None:
        self._listener = socket.create_server(listen)
        self._listener.settimeout(0.1)
        self._target = target
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(self._target)
            self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                pipe = threading.Thread(target=self._pipe, args=(src, dst), daemon=True)
                self._threads.append(pipe)
                pipe.start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            return

    def close(self) -> None:
        self._stop.set()
        self._threads[0].join(5)
        self._listener.close()
        for sock in self._sockets:
            sock.close()
        for thread in self._threads[1:]:
            thread.join(5)

CLOUDSTACK_RST = ROOT / "docs" / "cloudstack.rst"
# seed example -> (where our docs show it, texts that must be there)
DOCS_FOR_SEED = {
    "instantiate_driver_host_path.py": ("docs/cloudstack.rst", [
        'host="cloud.example.com", path="/client/api")']),
    "instantiate_driver_url.py": ("docs/cloudstack.rst", [
        'url="https://cloud.example.com/client/api")']),
    "instantiate_driver_insecure_port.py": ("docs/cloudstack.rst", [
        'host="localhost", path="/client/api",', "port=8080, secure=False)"]),
    "turn_off_ssl_verification.py": ("docs/cloudstack.rst", [
        "security.VERIFY_SSL_CERT = False", "import cloudstack_driver.security as sec"]),
    "start_interactive_shell_exoscale.py": ("examples/basic_interactive_shell.py", [
        "from IPython.terminal.embed import InteractiveShellEmbed"]),
    "ssh_keypairs_management_exoscale.py": ("examples/basic_ssh_keypairs.py", [
        'driver.create_key_pair(name="test-key-pair-1")',
        'os.path.expanduser("~/.ssh/id_rsa_test.pub")',
        'driver.import_key_pair_from_file(name="test-key-pair-2", key_file_path=key_file_path)',
        'driver.get_key_pair(name="test-key-pair-1")',
        "driver.delete_key_pair(key_pair=key_pair)"]),
    "security_groups_management.py": ("examples/basic_security_groups.py", [
        "sg = driver.ex_list_security_groups()",
        'driver.ex_create_security_group(name="test-security-group")',
        'securitygroupname="test-security-group",', 'startport="22",',
        'cidrlist="0.0.0.0/0",', 'driver.ex_delete_security_group(name="test-security-group")']),
    "create_cloudstack_node_keypair_secgroup.py": (
        "examples/basic_create_node_keypair_secgroup.py", [
            'SECURITY_GROUP_NAMES = ["secgroup1", "secgroup2"]',
            "ex_security_groups=SECURITY_GROUP_NAMES,", "ex_keyname=KEYPAIR_NAME,"]),
    "deploy_node_with_keypair_security_group.py": ("examples/basic_deploy_node_keypair.py", [
        "from cloudstack_driver.deployment import MultiStepDeployment, ScriptDeployment",
        'script = ScriptDeployment("/bin/date")', "msd = MultiStepDeployment([script])",
        'ssh_key="~/.ssh/id_rsa_test",', 'ex_keyname="test-keypair",', "deploy=msd,",
        "pprint(script.stdout)"]),
    "start_interactive_shell_ikoula.py": ("examples/advanced_interactive_shell.py", [
        "nets = conn.ex_list_networks()"]),
    "create_node_advanced_zone.py": ("examples/advanced_create_node.py", [
        "nets = [n for n in driver.ex_list_networks()", "networks=[nets[0]]",
        "pprint(node.extra)", "pprint(node.private_ips)"]),
    "port_forwarding_management.py": ("examples/advanced_port_forwarding.py", [
        "ip = conn.ex_allocate_public_ip(", "conn.ex_list_public_ips()",
        'rule = conn.ex_create_port_forwarding_rule(node, ip, 22, 22, "TCP")',
        "pprint(rule)", "conn.ex_create_port_forwarding_rule(ip, 22, 22, 'TCP', node)"]),
    "interactive-session.rst": ("docs/getting-started.rst", [
        "Driver = get_driver(Provider.CLOUDSTACK)", ">>> conn.list_images()",
        TUTORIAL_IMAGE, ">>> conn.list_sizes()", TUTORIAL_SIZES[1:].split(">, ")[0] + ">",
        '>>> node = conn.create_node(name="toto", image=', ">>> node.name\n    'toto'"]),
}
