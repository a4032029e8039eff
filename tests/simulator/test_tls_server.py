"""The simulator serving HTTPS (``ssl_context``, ``--certfile``/``--keyfile``), with plain
``requests`` and a CA made here by ``trustme``."""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme
from sim_helpers import KEY, SECRET, signed

import cloudstack_driver.simulator as simulator_package
from cloudstack_driver.simulator import Fault, Simulator

ROOT = Path(simulator_package.__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def pems(ca: trustme.CA, tmp_path: Path) -> dict[str, str]:
    cert = ca.issue_cert("127.0.0.1", "localhost")
    paths = {"ca": tmp_path / "ca.pem", "chain": tmp_path / "chain.pem",
             "key": tmp_path / "key.pem", "both": tmp_path / "both.pem"}
    ca.cert_pem.write_to_path(str(paths["ca"]))
    for blob in cert.cert_chain_pems:
        blob.write_to_path(str(paths["chain"]), append=True)
        blob.write_to_path(str(paths["both"]), append=True)
    cert.private_key_pem.write_to_path(str(paths["key"]))
    cert.private_key_pem.write_to_path(str(paths["both"]), append=True)
    return {name: str(path) for name, path in paths.items()}


@pytest.fixture
def tls_sim(ca: trustme.CA) -> Iterator[Simulator]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.02,
                   ssl_context=context) as sim:
        yield sim


def _zones(url: str, ca_file: str | bool) -> int:
    with requests.Session() as session, session.get(
            url, params=signed("listZones"), verify=ca_file, timeout=30) as response:
        count: int = response.json()["listzonesresponse"]["count"]
        return count


def test_ssl_context_serves_https(tls_sim: Simulator, pems: dict[str, str]) -> None:
    assert tls_sim.url.startswith("https://")
    assert _zones(tls_sim.url, pems["ca"]) == 2
    with pytest.raises(requests.exceptions.SSLError):
        _zones(tls_sim.url, True)
    assert tls_sim.requests_served == 1 and tls_sim.connections >= 1


def test_a_plain_http_client_is_closed_quietly(tls_sim: Simulator, pems: dict[str, str],
                                              capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(requests.ConnectionError):
        _zones(tls_sim.url.replace("https://", "http://"), True)
    with socket.create_connection(("127.0.0.1", int(tls_sim.url.split(":")[2].split("/")[0])),
                                  timeout=30):
        pass  # connects and leaves without a handshake
    assert _zones(tls_sim.url, pems["ca"]) == 2  # the server goes on serving
    assert tls_sim.requests_served == 1
    assert capfd.readouterr().err == ""


def test_drops_over_tls(tls_sim: Simulator, pems: dict[str, str],
                        capfd: pytest.CaptureFixture[str]) -> None:
    tls_sim.faults.add(Fault("listZones", "drop_before", occurrence=1),
                       Fault("listZones", "drop_after", occurrence=2))
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            _zones(tls_sim.url, pems["ca"])
    assert _zones(tls_sim.url, pems["ca"]) == 2
    assert capfd.readouterr().err == ""


def test_ssl_context_must_be_a_server_context() -> None:
    with pytest.raises(TypeError, match=r"^ssl_context: "):
        Simulator(ssl_context="cert.pem")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^ssl_context: .*PROTOCOL_TLS_SERVER"):
        Simulator(ssl_context=ssl.create_default_context())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudstack_driver.simulator", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("files", [("chain", "key"), ("both",)])
def test_command_line_serves_https(pems: dict[str, str], files: tuple[str, ...]) -> None:
    args = ["--certfile", pems[files[0]]]
    if len(files) == 2:
        args += ["--keyfile", pems[files[1]]]
    proc = subprocess.Popen([sys.executable, "-m", "cloudstack_driver.simulator", "--port", "0",
                             "--api-key", KEY, "--secret-key", SECRET, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" at ")[1].strip()
        assert url.startswith("https://127.0.0.1:")
        assert _zones(url, pems["ca"]) == 2
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and err.strip() == "stopping", err


def test_command_line_refuses_bad_tls_files(pems: dict[str, str], tmp_path: Path) -> None:
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello\n", encoding="ascii")
    for args, words in ((["--keyfile", pems["key"]], "--keyfile needs --certfile"),
                        (["--certfile", str(tmp_path / "missing.pem")], "cannot load"),
                        (["--certfile", str(not_pem)], "not a PEM certificate"),
                        (["--certfile", pems["chain"]], "not a PEM certificate")):
        done = _run(*args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args
        errors = [line for line in done.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1 and words in errors[0], done.stderr
