"""The driver over HTTPS, against the simulator serving TLS with a certificate from a CA made
here (``trustme``): verification on by default, a CA bundle, ``verify=False``.

Only the driver's public API is used. A certificate that fails verification must fail at once
with ``CloudStackConnectionError`` and never be retried: the simulator counts the connections
it accepted and the requests that reached the API, and every request it serves takes its own
connection, so ``connections - requests_served`` is the number of handshakes that failed.
"""

from __future__ import annotations

import re
import warnings

import pytest
import trustme
from urllib3.exceptions import InsecureRequestWarning

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.errors import CloudStackConnectionError, OutcomeUnknownError
from cloudstack_driver.simulator import Simulator
from tests.integration._tls import KEY, SECRET, ZONES, serve

VERIFY_FAILED = re.compile(r"certificate[ _]verif", re.IGNORECASE)


@pytest.fixture
def sim(tls_sim: Simulator) -> Simulator:
    """The HTTPS simulator (``tls_sim``) under the name these tests use."""
    return tls_sim



def _driver(url: str, **tls: object) -> CloudStackNodeDriver:
    return CloudStackNodeDriver(KEY, SECRET, url=url, **tls)  # type: ignore[arg-type]


def _failed_handshakes(sim: Simulator, ca_file: str) -> int:
    """Handshakes that failed so far. One trusted call first: connections are accepted in
    order, so once it is answered every earlier one has been counted."""
    before = sim.requests_served
    assert [z.name for z in _driver(sim.url, verify=ca_file).list_locations()] == ZONES
    assert sim.requests_served > before
    return sim.connections - sim.requests_served


def test_the_simulator_url_is_https(sim: Simulator) -> None:
    assert sim.url.startswith("https://127.0.0.1:") and sim.url.endswith("/client/api")


def test_an_untrusted_certificate_fails_at_once(sim: Simulator, ca_file: str) -> None:
    driver = _driver(sim.url)  # verification on, the system's CAs: ours is not among them
    with pytest.raises(CloudStackConnectionError) as info:
        driver.list_locations()
    assert VERIFY_FAILED.search(str(info.value)), str(info.value)
    assert sim.requests_served == 0  # nothing reached the API
    assert _failed_handshakes(sim, ca_file) == 1  # one attempt: not retried


def test_an_untrusted_certificate_is_no_unknown_outcome(sim: Simulator, ca_file: str) -> None:
    """A failed handshake never reached the server: even a deploy is known not to have run."""
    trusted = _driver(sim.url, verify=ca_file)
    location = trusted.list_locations()[0]
    size = trusted.list_sizes(location)[0]
    image = trusted.list_images(location)[0]
    served = sim.requests_served
    with pytest.raises(CloudStackConnectionError) as info:
        _driver(sim.url, verify=True).create_node(name="tls", size=size, image=image,
                                                  location=location)
    assert not isinstance(info.value, OutcomeUnknownError)
    assert VERIFY_FAILED.search(str(info.value)), str(info.value)
    assert sim.requests_served == served
    assert trusted.list_nodes() == []
    # list_nodes was answered: every connection before it has been counted
    assert sim.connections - sim.requests_served == 1


def test_a_certificate_for_another_host_fails(ca: trustme.CA, ca_file: str) -> None:
    with serve(ca, "cloud.example.test") as sim:
        with pytest.raises(CloudStackConnectionError) as info:
            _driver(sim.url, verify=ca_file).list_locations()
        assert VERIFY_FAILED.search(str(info.value)), str(info.value)
        assert sim.requests_served == 0


@pytest.mark.parametrize("option", ["verify", "ca_cert"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_ca_bundle_path_is_trusted(sim: Simulator, ca_file: str, option: str,
                                     host: str) -> None:
    url = sim.url.replace("127.0.0.1", host, 1)
    driver = _driver(url, **{option: ca_file})
    assert [z.name for z in driver.list_locations()] == ZONES
    assert sim.connections == sim.requests_served  # no handshake failed


def test_verify_false_works_and_warns_once(sim: Simulator) -> None:
    with warnings.catch_warnings(record=True) as first:
        warnings.simplefilter("always")
        driver = _driver(sim.url, verify=False)
        assert [z.name for z in driver.list_locations()] == ZONES
    with warnings.catch_warnings(record=True) as second:
        warnings.simplefilter("always")
        assert [z.name for z in driver.list_locations()] == ZONES
    insecure = [w for w in first if issubclass(w.category, InsecureRequestWarning)]
    assert len(insecure) == 1, [str(w.message) for w in first]
    assert [str(w.message) for w in second
            if issubclass(w.category, InsecureRequestWarning)] == []
