"""CloudStackNodeDriver(...): endpoint rules (D16 fixed), credentials, transport options."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests_mock

from cloudstack_driver import CloudStackNodeDriver, security


def endpoint(driver: CloudStackNodeDriver) -> tuple[bool, str, int, str, str]:
    return driver.secure, driver.host or "", driver.port, driver.path or "", driver.url


def test_http_url_is_plain_http_on_port_80() -> None:
    driver = CloudStackNodeDriver("KEY", "SECRET", url="http://cloud.test/client/api")
    assert endpoint(driver) == (False, "cloud.test", 80, "/client/api",
                                "http://cloud.test/client/api")
    assert driver.connection.url == "http://cloud.test/client/api"


def test_https_url_and_explicit_port() -> None:
    assert endpoint(CloudStackNodeDriver("K", "S", url="https://c.test/api"))[:4] == (
        True, "c.test", 443, "/api")
    assert endpoint(CloudStackNodeDriver("K", "S", url="http://c.test:8080/client/api"))[:4] == (
        False, "c.test", 8080, "/client/api")


def test_url_wins_over_host_path_port_secure() -> None:
    driver = CloudStackNodeDriver("K", "S", secure=True, host="other", path="/x", port=9,
                                  url="http://c.test:8080/client/api")
    assert endpoint(driver)[:4] == (False, "c.test", 8080, "/client/api")


def test_seed_host_written_as_url_with_string_port() -> None:
    driver = CloudStackNodeDriver(key="KEY", secret="SECRET", secure=True,
                                  host="http://api.exoscale.ch", port="443", path="/compute")
    assert endpoint(driver) == (True, "api.exoscale.ch", 443, "/compute",
                                "https://api.exoscale.ch/compute")
    with requests_mock.Mocker() as mocker:
        mocker.get("https://api.exoscale.ch/compute",
                   json={"listzonesresponse": {}})
        assert driver.list_locations() == []
        query = dict(parse_qsl(urlsplit(mocker.request_history[0].url).query))
        assert query["command"] == "listZones"


def test_host_scheme_disagreeing_with_secure_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'host'.*secure=True"):
        CloudStackNodeDriver("K", "S", host="http://localhost:8080")
    driver = CloudStackNodeDriver("K", "S", host="http://localhost:8080", secure=False)
    assert endpoint(driver)[:4] == (False, "localhost", 8080, "/client/api")


def test_host_and_path_with_defaults() -> None:
    assert endpoint(CloudStackNodeDriver("K", "S", host="c.test"))[:4] == (
        True, "c.test", 443, "/client/api")
    assert endpoint(CloudStackNodeDriver("K", "S", host="c.test", secure=False, port=8080,
                                         path="client/api"))[:4] == (
        False, "c.test", 8080, "/client/api")


@pytest.mark.parametrize("port", ["abc", 0, 70000, True, "8o"])
def test_invalid_port_names_port(port: Any) -> None:
    with pytest.raises(ValueError, match="'port'"):
        CloudStackNodeDriver("K", "S", host="c.test", port=port)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": None, "secret": "S"}, "'key' is required"),
        ({"key": "", "secret": "S"}, "'key' is required"),
        ({"key": "K", "secret": None}, "'secret' is required"),
        ({"key": "K"}, "'secret' is required"),
        ({"key": "K", "secret": ""}, "'secret' is required"),
        ({"key": "K", "secret": "S", "host": None}, "url="),
        ({"key": "K", "secret": "S", "url": "ftp://c.test/x"}, "'url'"),
    ],
)
def test_missing_credentials_or_endpoint_fail_before_any_request(
        kwargs: dict[str, Any], message: str) -> None:
    with requests_mock.Mocker() as mocker:
        with pytest.raises(ValueError, match=message):
            CloudStackNodeDriver(**kwargs)
        assert mocker.call_count == 0


def test_non_string_key_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'key'"):
        CloudStackNodeDriver(123, "S", host="c.test")  # type: ignore[arg-type]


def test_preset_class_attributes_supply_host_and_path() -> None:
    class Preset(CloudStackNodeDriver):
        host = "api.preset.test"
        path = "/compute"

    driver = Preset("K", "S")
    assert endpoint(driver)[:4] == (True, "api.preset.test", 443, "/compute")
    assert Preset.host == "api.preset.test"


def test_transport_options_reach_the_connection() -> None:
    driver = CloudStackNodeDriver(
        "K", "S", url="https://c.test/client/api", timeout=12.5, job_timeout=30,
        poll_interval=0.25, page_size=100, max_retries=5, retry_delay=0.5, backoff=3,
        signature_version=2, proxy_url="http://proxy.test:3128")
    conn = driver.connection
    assert (conn.timeout, conn.job_timeout, conn.poll_interval, conn.page_size) == (
        12.5, 30, 0.25, 100)
    assert (conn.max_retries, conn.retry_delay, conn.backoff) == (5, 0.5, 3)
    assert conn.signature_version == 2
    assert conn.session.proxies["https"] == "http://proxy.test:3128"
    assert conn.driver is driver
    conn.timeout = 600
    conn.poll_interval = 1
    assert (conn.timeout, conn.poll_interval) == (600, 1)


def test_tls_verification_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    url = "https://c.test/client/api"
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert CloudStackNodeDriver("K", "S", url=url).connection.verify is True
    assert CloudStackNodeDriver("K", "S", url=url, verify=False).connection.verify is False
    assert CloudStackNodeDriver("K", "S", url=url, ca_cert=str(bundle)).connection.verify == (
        str(bundle))
    with pytest.raises(ValueError, match="ca_cert"):
        CloudStackNodeDriver("K", "S", url=url, verify=False, ca_cert=str(bundle))
    monkeypatch.setattr(security, "VERIFY_SSL_CERT", False)
    assert CloudStackNodeDriver("K", "S", url=url).connection.verify is False
    assert CloudStackNodeDriver("K", "S", url=url, verify=True).connection.verify is True


def test_repr_never_shows_the_secret() -> None:
    driver = CloudStackNodeDriver("KEY", "TOPSECRET", url="https://c.test/client/api")
    assert "TOPSECRET" not in repr(driver)
    assert "TOPSECRET" not in repr(driver.connection)
