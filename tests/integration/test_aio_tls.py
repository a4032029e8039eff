"""The asyncio driver over HTTPS: the simulator serves TLS with a certificate from a CA made
here (``trustme``). An untrusted certificate fails at once, is never retried and reaches no
API handler; a CA bundle (``verify=`` or ``ca_cert=``) is trusted; ``verify=False`` works.

The simulator counts the connections it accepted and the requests that reached the API; every
request takes its own connection, so ``connections - requests_served`` is the number of
handshakes that failed (counted once a later trusted call has been answered).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
import trustme
from urllib3.exceptions import InsecureRequestWarning

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.errors import CloudStackConnectionError, OutcomeUnknownError
from cloudstack_driver.simulator import Simulator
from tests.integration._tls import KEY, SECRET, ZONES, serve

VERIFY_FAILED = re.compile(r"CERTIFICATE_VERIFY_FAILED")


@pytest.fixture
def sim(tls_sim: Simulator) -> Simulator:
    """The HTTPS simulator (``tls_sim``) under the name these tests use."""
    return tls_sim



def _run(url: str, call: Any, **tls: Any) -> Any:
    """``await call(driver)`` on a new asyncio driver for ``url`` (closed after); its result or
    the ``CloudStackConnectionError`` it raised."""

    async def main() -> Any:
        async with AsyncCloudStackNodeDriver(KEY, SECRET, url=url, **tls) as d:
            try:
                return await call(d)
            except CloudStackConnectionError as exc:
                return exc

    return asyncio.run(main())


async def _zone_names(d: AsyncCloudStackNodeDriver) -> list[str]:
    return [z.name for z in await d.list_locations()]


def _failed_handshakes(sim: Simulator, ca_file: str) -> int:
    before = sim.requests_served
    assert _run(sim.url, _zone_names, verify=ca_file) == ZONES
    assert sim.requests_served > before
    return sim.connections - sim.requests_served


def test_an_untrusted_certificate_fails_at_once(sim: Simulator, ca_file: str) -> None:
    error = _run(sim.url, _zone_names)  # the system's CAs: ours is not among them
    assert isinstance(error, CloudStackConnectionError), error
    assert not isinstance(error, OutcomeUnknownError)
    assert error.command == "listZones"
    assert VERIFY_FAILED.search(str(error)), str(error)
    assert sim.requests_served == 0  # nothing reached the API
    assert _failed_handshakes(sim, ca_file) == 1  # one attempt: not retried


def test_an_untrusted_certificate_is_no_unknown_outcome_for_a_deploy(sim: Simulator,
                                                                     ca_file: str) -> None:
    trusted = CloudStackNodeDriver(KEY, SECRET, url=sim.url, verify=ca_file)
    try:
        zone = trusted.list_locations()[0]
        size, image = trusted.list_sizes(zone)[0], trusted.list_images(zone)[0]
        served = sim.requests_served
        error = _run(sim.url, lambda d: d.create_node("tls", size, image, zone), verify=True)
        assert isinstance(error, CloudStackConnectionError), error
        assert not isinstance(error, OutcomeUnknownError)
        assert VERIFY_FAILED.search(str(error)), str(error)
        assert sim.requests_served == served
        assert trusted.list_nodes() == []
        assert sim.connections - sim.requests_served == 1
    finally:
        trusted.connection.close()


def test_a_certificate_for_another_host_fails(ca: trustme.CA, ca_file: str) -> None:
    with serve(ca, "cloud.example.test") as sim:
        error = _run(sim.url, _zone_names, verify=ca_file)
        assert isinstance(error, CloudStackConnectionError), error
        assert re.search(r"CERTIFICATE_VERIFY_FAILED|hostname|match", str(error)), str(error)
        assert sim.requests_served == 0


@pytest.mark.parametrize("option", ["verify", "ca_cert"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_ca_bundle_path_is_trusted(sim: Simulator, ca_file: str, option: str,
                                     host: str) -> None:
    url = sim.url.replace("127.0.0.1", host, 1)

    async def work(d: AsyncCloudStackNodeDriver) -> list[str]:
        names = await _zone_names(d)
        key = await d.create_key_pair(f"tls-{option}-{host}")
        assert key.private_key and "PRIVATE KEY" in key.private_key  # a POST, too
        return names

    assert _run(url, work, **{option: ca_file}) == ZONES
    assert sim.connections == sim.requests_served == 2  # no handshake failed


def test_a_ca_directory_is_trusted_as_on_the_sync_driver(sim: Simulator, ca: trustme.CA,
                                                         tmp_path: Path) -> None:
    """``verify`` (and ``security.CA_CERTS_PATH``) may name a CA directory (OpenSSL's hashed
    names), as requests takes it. (Fails today on the asyncio driver: its ``_tls`` passes
    the path as ``cafile``.)"""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to name the CA file by its hash")
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    digest = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(pem)],
                            check=True, capture_output=True, text=True).stdout.strip()
    directory = tmp_path / "cas"
    directory.mkdir()
    shutil.copy(pem, directory / f"{digest}.0")
    sync = CloudStackNodeDriver(KEY, SECRET, url=sim.url, verify=str(directory))
    try:
        assert [z.name for z in sync.list_locations()] == ZONES
    finally:
        sync.connection.close()
    assert _run(sim.url, _zone_names, verify=str(directory)) == ZONES


def test_verify_false_works_and_warns_once(sim: Simulator) -> None:
    async def twice(d: AsyncCloudStackNodeDriver) -> list[list[str]]:
        return [await _zone_names(d), await _zone_names(d)]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _run(sim.url, twice, verify=False) == [ZONES, ZONES]
    insecure = [w for w in caught if issubclass(w.category, InsecureRequestWarning)]
    assert len(insecure) == 1, [str(w.message) for w in caught]
    assert "verify=False" in str(insecure[0].message)
    assert sim.connections == sim.requests_served == 2
