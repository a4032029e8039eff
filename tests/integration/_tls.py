"""What the TLS tests share: a CA made for the test session (``trustme``), its bundle on disk,
and a simulator serving HTTPS with a certificate it issued.

``conftest.py`` imports the fixtures ``ca``, ``ca_file`` and ``tls_sim``."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from cloudstack_driver.simulator import Simulator

KEY, SECRET = "TLSKEY", "TLSSECRET"
ZONES = ["CH-GV2", "DE-FRA1"]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def serve(ca: trustme.CA, *names: str) -> Simulator:
    """A simulator (not started) serving HTTPS with a certificate of ``ca`` for ``names``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*names).configure_cert(context)
    return Simulator(api_key=KEY, secret_key=SECRET, job_duration=0.02, ssl_context=context)


@pytest.fixture
def tls_sim(ca: trustme.CA) -> Iterator[Simulator]:
    with serve(ca, "127.0.0.1", "localhost") as server:
        yield server
