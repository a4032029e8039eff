"""Wire review: the constructor's endpoint rules on awkward input (host forms, ports, paths,
query strings, IPv6) and the TLS options. Every bad input fails with ValueError/TypeError
naming the argument before any request; every accepted form reaches one exact URL."""

from __future__ import annotations

from typing import Any

import pytest
import requests_mock as rm
from urllib3.exceptions import InsecureRequestWarning

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.cloudstack.endpoint import resolve_endpoint
from cloudstack_driver.http.connection import CloudStackConnection


def endpoint_url(**kwargs: Any) -> str:
    args: dict[str, Any] = {"secure": True, "host": None, "path": None, "port": None, "url": None}
    args.update(kwargs)
    return resolve_endpoint(**args).url


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"host": "::1", "secure": False, "port": 8080}, "http://[::1]:8080/client/api"),
        ({"host": "[::1]", "secure": False, "port": 8080}, "http://[::1]:8080/client/api"),
        ({"host": "[2001:db8::5]"}, "https://[2001:db8::5]/client/api"),
        ({"host": "http://[::1]:8080", "secure": False}, "http://[::1]:8080/client/api"),
        ({"url": "http://[::1]:8080/client/api"}, "http://[::1]:8080/client/api"),
        ({"host": "cloud.example.com:8080", "secure": False},
         "http://cloud.example.com:8080/client/api"),
        ({"host": "cloud.example.com:8080", "secure": False, "port": "8080"},
         "http://cloud.example.com:8080/client/api"),
        ({"host": "  cloud.example.com  "}, "https://cloud.example.com/client/api"),
        ({"host": "cloud.example.com", "port": " 8443 "}, "https://cloud.example.com:8443/client/api"),
        ({"host": "http://api.exoscale.ch", "port": "443", "path": "/compute"},
         "https://api.exoscale.ch/compute"),
    ],
)
def test_host_forms_reach_one_exact_url(kwargs: dict[str, Any], expected: str) -> None:
    assert endpoint_url(**kwargs) == expected


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"host": "api.exoscale.ch/compute"}, "'host'"),
        ({"host": "user:pw@cloud.example.com"}, "'host'"),
        ({"host": "cloud.example.com?x=1"}, "'host'"),
        ({"host": "cloud example com"}, "'host'"),
        ({"host": "cloud.example.com:8080", "port": 9090}, "'port'"),
        ({"host": "cloud.example.com:http"}, "'host'"),
        ({"url": "https://cloud.example.com/client/api?command=listZones"}, "'url'"),
        ({"url": "https://cloud.example.com/client/api#top"}, "'url'"),
        ({"url": "https://admin:pw@cloud.example.com/client/api"}, "'url'"),
        ({"host": "http://cloud.example.com/client/api?x=1", "secure": False}, "'host'"),
        ({"host": "cloud.example.com", "path": "/client/api?x=1"}, "'path'"),
        ({"host": "cloud.example.com", "path": "/client/api#x"}, "'path'"),
    ],
)
def test_ambiguous_endpoints_are_refused_naming_the_argument(
    kwargs: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        endpoint_url(**kwargs)


def test_driver_with_bracketed_ipv6_host_sends_to_that_address() -> None:
    driver = CloudStackNodeDriver("KEY", "SECRET", secure=False, host="[fd00::10]", port="8080")
    assert driver.url == "http://[fd00::10]:8080/client/api"
    assert (driver.host, driver.port, driver.path) == ("fd00::10", 8080, "/client/api")
    with rm.Mocker() as mocker:
        mocker.get("http://[fd00::10]:8080/client/api",
                   json={"listzonesresponse": {}})
        assert driver.connection.list("listZones") == []
        assert mocker.call_count == 1


def test_driver_host_with_port_and_no_scheme_is_understood() -> None:
    driver = CloudStackNodeDriver("KEY", "SECRET", secure=False, host="cloud.example.com:8080")
    assert (driver.host, driver.port) == ("cloud.example.com", 8080)
    assert driver.url == "http://cloud.example.com:8080/client/api"


def test_missing_ca_bundle_is_refused_at_construction(tmp_path: Any) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    with pytest.raises(ValueError, match=r"'verify'.*no-such-ca\.pem"):
        CloudStackConnection("KEY", "SECRET", "https://cs.test/client/api", verify=missing)
    with pytest.raises(ValueError, match=r"no-such-ca\.pem"):
        CloudStackNodeDriver("KEY", "SECRET", host="cs.test", ca_cert=missing)


def test_existing_ca_bundle_and_opt_out_reach_requests(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    driver = CloudStackNodeDriver("KEY", "SECRET", host="cs.test", ca_cert=str(bundle))
    off = CloudStackNodeDriver("KEY", "SECRET", host="cs.test", verify=False)
    default = CloudStackNodeDriver("KEY", "SECRET", host="cs.test")
    with rm.Mocker() as mocker:
        mocker.get("https://cs.test/client/api", json={"listzonesresponse": {}})
        driver.connection.request("listZones")
        with pytest.warns(InsecureRequestWarning, match="verification is off for https://cs.test"):
            off.connection.request("listZones")
        default.connection.request("listZones")
        assert [req.verify for req in mocker.request_history] == [str(bundle), False, True]
