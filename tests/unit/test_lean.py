"""Issue 12's lean paths give the answers of the slow ones: address classification and dates
without ``ipaddress``/``strptime``, pages converted while the next one is fetched (and fetched
several at a time when asked), the environment's proxies resolved once per host, models
compiled on first use, and a package import that loads only what it needs."""

from __future__ import annotations

import gc
import inspect
import ipaddress
import json
import random
import subprocess
import sys
import threading
import time
from datetime import datetime
from typing import Any

import pytest
import requests

from cloudstack_driver import _convert
from cloudstack_driver._convert import is_private_ip, parse_date
from cloudstack_driver.http.paging import list_all
from cloudstack_driver.http.session import EndpointSession

# -- is_private_ip ----------------------------------------------------------------------------


def _by_ipaddress(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in _convert.PRIVATE_NETWORKS)


def _addresses() -> list[str]:
    rnd = random.Random(12)
    found = ["010.1.2.3", "10.01.2.3", "256.1.1.1", "1.2.3", "1.2.3.4.5", " 10.0.0.1",
             "10.0.0.1 ", "\u0661\u0660.0.0.1", "0.0.0.0", "255.255.255.255", "172.15.0.1",
             "172.16.0.0", "172.31.255.255", "172.32.0.0", "192.168.0.1", "192.169.0.1",
             "100.63.255.255", "100.64.0.0", "100.127.255.255", "100.128.0.0",
             "169.254.0.0", "169.253.1.1", "::ffff:192.168.1.1", "fe80::1%eth0", "",
             "a.b.c.d", "1..2.3", "+1.2.3.4", "1_0.0.0.1", "10.0.0.1\n"]
    for _ in range(20_000):
        octets = [str(rnd.choice([rnd.randint(0, 300), rnd.randint(0, 40),
                                  rnd.choice([10, 100, 169, 172, 192])])) for _ in range(4)]
        if rnd.random() < 0.05:
            octets[rnd.randrange(4)] = "0" + octets[0]
        found.append(".".join(octets))
    for _ in range(2_000):
        bits = rnd.getrandbits(128) if rnd.random() < 0.5 else (0xFD << 120) | rnd.getrandbits(100)
        found.append(str(ipaddress.IPv6Address(bits)))
    return found


def test_fast_address_classification_agrees_with_ipaddress() -> None:
    disagree = [a for a in _addresses() if is_private_ip(a) is not _by_ipaddress(a)]
    assert disagree == []


def test_non_text_addresses_are_read_as_ipaddress_reads_them() -> None:
    assert is_private_ip(167772161) is True  # 10.0.0.1 as an int
    assert is_private_ip(["10.0.0.1"]) is False


def test_private_networks_are_still_a_module_attribute() -> None:
    assert [str(n) for n in _convert.PRIVATE_NETWORKS] == list(_convert.PRIVATE_RANGES)


# -- parse_date -------------------------------------------------------------------------------


def _by_strptime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def test_fast_date_reading_agrees_with_strptime() -> None:
    rnd = random.Random(12)
    values: list[Any] = [
        "2026-07-29T11:18:10+0000", "2026-07-29T11:18:10-0530", "2026-07-29T11:18:10+05:30",
        "2026-7-29T11:18:10+0000", "2026-02-30T11:18:10+0000", "2026-07-29T24:18:10+0000",
        "2026-07-29T11:18:60+0000", "2026-07-29T11:18:10Z", "2026-07-29T11:18:10+2400",
        "2026-07-29T11:18:10+0060", "2026-07-29T11:18:10", "2026-07-29", "", None, 5,
        "0000-01-01T00:00:00+0000", "9999-12-31T23:59:59+0000", "2026-07-29T11:18:10+0000\n",
        "\u0662\u0660\u0662\u0666-07-29T11:18:10+0000", "2026-07-29T11:18:10.5+0000"]
    for _ in range(5_000):
        values.append(f"{rnd.randint(1, 9999):04d}-{rnd.randint(0, 13):02d}-"
                      f"{rnd.randint(0, 32):02d}T{rnd.randint(0, 25):02d}:"
                      f"{rnd.randint(0, 61):02d}:{rnd.randint(0, 62):02d}"
                      f"{rnd.choice('+-')}{rnd.randint(0, 25):02d}{rnd.randint(0, 61):02d}")
    for value in values:
        fast, slow = parse_date(value), _by_strptime(value)
        assert (fast, repr(fast)) == (slow, repr(slow)), value


def test_dates_stay_aware() -> None:
    when = parse_date("2026-07-29T11:18:10-0130")
    assert when is not None and when.utcoffset() is not None
    assert when.isoformat() == "2026-07-29T11:18:10-01:30"


# -- paging: converting while the next page arrives, several pages at once ---------------------


class Server:
    """A ``send`` serving ``total`` rows in pages, recording the pages asked for and how many
    requests were in flight at once."""

    def __init__(self, total: int, *, delay: float = 0.0, fail_page: int | None = None,
                 repeat_from: int | None = None) -> None:
        self.total, self.delay, self.fail_page, self.repeat_from = (
            total, delay, fail_page, repeat_from)
        self.pages: list[int] = []
        self.in_flight = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, command: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.pages.append(params["page"])
        try:
            time.sleep(self.delay)
            page, size = params["page"], params["pagesize"]
            if page == self.fail_page:
                raise requests.ConnectionError(f"page {page} lost")
            if self.repeat_from is not None and page >= self.repeat_from:
                page = 1  # a server that ignores ``page`` from here on
            rows = [{"id": str(i)} for i in range((page - 1) * size,
                                                  min(page * size, self.total))]
            return {"count": self.total, "virtualmachine": rows}
        finally:
            with self.lock:
                self.in_flight -= 1


def test_converting_pages_sends_the_same_requests_as_listing() -> None:
    plain, mapped = Server(1_050), Server(1_050)
    rows = list_all(plain, "listVirtualMachines", {}, 100)
    converted = list_all(mapped, "listVirtualMachines", {}, 100, convert=lambda r: r["id"])
    assert converted == [r["id"] for r in rows] == [str(i) for i in range(1_050)]
    assert mapped.pages == plain.pages == list(range(1, 12))
    assert mapped.most == 1  # one request at a time, as without converting


def test_a_repeating_server_is_read_as_before_when_converting() -> None:
    plain, mapped = Server(1_000, repeat_from=3), Server(1_000, repeat_from=3)
    rows = list_all(plain, "listVirtualMachines", {}, 100)
    converted = list_all(mapped, "listVirtualMachines", {}, 100, convert=lambda r: r)
    assert converted == rows and mapped.pages == plain.pages == [1, 2, 3]


def test_several_pages_in_flight_when_asked_and_bounded() -> None:
    server = Server(2_000, delay=0.02)
    rows = list_all(server, "listVirtualMachines", {}, 100, convert=lambda r: r["id"],
                    concurrency=4)
    assert rows == [str(i) for i in range(2_000)]
    assert sorted(server.pages) == list(range(1, 21))
    assert 1 < server.most <= 4


def test_pages_in_flight_never_outlive_a_failure() -> None:
    server = Server(2_000, delay=0.01, fail_page=5)
    before = threading.active_count()
    with pytest.raises(requests.ConnectionError, match="page 5"):
        list_all(server, "listVirtualMachines", {}, 100, concurrency=3)
    assert server.in_flight == 0  # every started request finished before the call returned
    assert threading.active_count() == before
    assert max(server.pages) <= 5 + 2  # at most concurrency - 1 pages past the failure


def test_the_collector_is_paused_while_converting_and_restored() -> None:
    seen: list[bool] = []

    def send(command: str, params: dict[str, Any]) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return Server(300)(command, params)

    list_all(send, "listVirtualMachines", {}, 100, convert=lambda r: seen.append(gc.isenabled()))
    assert seen == [False] * 303 and gc.isenabled()
    seen.clear()
    list_all(send, "listVirtualMachines", {}, 100, convert=lambda r: r, pause_gc=False)
    list_all(send, "listVirtualMachines", {}, 100)  # plain rows: nothing to pause for
    assert seen == [True] * 6
    gc.disable()
    try:
        list_all(Server(300), "listVirtualMachines", {}, 100, convert=lambda r: r)
        assert not gc.isenabled()  # a caller who turned it off keeps it off
    finally:
        gc.enable()


# -- the connection's own session -------------------------------------------------------------

ENVIRONMENTS: list[dict[str, str]] = [
    {},
    {"HTTPS_PROXY": "http://proxy:3128", "HTTP_PROXY": "http://proxy:3128"},
    {"https_proxy": "http://lower:3128", "no_proxy": "cs.test"},
    {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "other.test,.example.org"},
    {"ALL_PROXY": "socks5://all:1080", "REQUESTS_CA_BUNDLE": "/tmp/ca.pem"},
    {"HTTP_PROXY": "http://cgi:1", "REQUEST_METHOD": "GET", "CURL_CA_BUNDLE": "/tmp/c.pem"},
]


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("url", ["https://cs.test/client/api?command=listZones",
                                 "http://api.example.org:8080/client/api"])
def test_endpoint_session_merges_settings_as_requests_does(
        monkeypatch: pytest.MonkeyPatch, env: dict[str, str], url: str) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD",
                 "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    ours, theirs = EndpointSession(), requests.Session()
    for session in (ours, theirs):
        session.proxies = {"http": "http://session:1"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cases: list[tuple[Any, ...]] = [({}, None, True, None),
                                    ({"no_proxy": "cs.test"}, False, None, "c.pem"),
                                    ({"https": "http://given:2"}, None, "/ca", None)]
    for args in cases:
        assert (ours.merge_environment_settings(url, dict(args[0]), *args[1:])
                == theirs.merge_environment_settings(url, dict(args[0]), *args[1:]))


def test_endpoint_session_sees_a_changed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    session = EndpointSession()
    url = "https://cs.test/client/api"

    def proxies() -> Any:
        return session.merge_environment_settings(url, {}, None, True, None)["proxies"]

    assert proxies() == {}
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy:3128")
    assert proxies() == {"https": "http://proxy:3128"}
    monkeypatch.setenv("NO_PROXY", "cs.test")
    assert proxies() == {}


def test_a_connection_makes_an_endpoint_session_and_keeps_a_given_one() -> None:
    from cloudstack_driver.http.connection import CloudStackConnection

    made = CloudStackConnection("KEY", "SECRET", "http://cs.test/client/api")
    given = requests.Session()
    kept = CloudStackConnection("KEY", "SECRET", "http://cs.test/client/api", session=given)
    assert isinstance(made.session, EndpointSession) and kept.session is given


# -- models compiled on first use -------------------------------------------------------------

def test_generated_methods_look_like_functions_before_any_use() -> None:
    code = (
        "import inspect, json\n"
        "from cloudstack_driver.cloudstack.netmodels import CloudStackNetworkOffering as C\n"
        "print(json.dumps([str(inspect.signature(C)), inspect.isfunction(C.__init__),\n"
        "                  C.from_record.__qualname__, C.__init__.__qualname__]))\n")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    signature, is_function, reader, init = json.loads(out)
    assert signature.startswith("(name, display_text, guest_ip_type, id, ")
    assert is_function is True
    assert (reader, init) == ("CloudStackNetworkOffering.from_record",
                              "CloudStackNetworkOffering.__init__")


def test_a_subclass_inheriting_from_record_builds_its_own_class() -> None:
    from cloudstack_driver.models import NodeSize

    class Mine(NodeSize):
        __slots__ = ()

    made = Mine.from_record(None, {"id": 5, "name": "small", "memory": 512})
    assert type(made) is Mine and made.id == "5"
    assert "from_record" in NodeSize.__dict__ and inspect.signature(Mine).parameters


# -- a light import ---------------------------------------------------------------------------

HEAVY = ("cloudstack_driver.simulator", "werkzeug", "paramiko", "cloudstack_driver.deploy",
         "cloudstack_driver.ssh", "cloudstack_driver.deployment", "requests",
         "cloudstack_driver.cloudstack.driver")


def _loaded(code: str) -> list[str]:
    script = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                          text=True).stdout.split()


def test_importing_the_package_loads_nothing_heavy() -> None:
    assert _loaded("import cloudstack_driver") == []
    assert _loaded("from cloudstack_driver import Provider, get_driver, LibcloudError") == []


def test_heavy_modules_load_when_used() -> None:
    loaded = _loaded("import cloudstack_driver as c\nc.get_driver(c.Provider.CLOUDSTACK)")
    assert "cloudstack_driver.cloudstack.driver" in loaded and "requests" in loaded
    assert "cloudstack_driver.simulator" not in loaded and "paramiko" not in loaded


def test_every_lazy_name_and_old_submodule_attribute_resolves() -> None:
    import cloudstack_driver
    import cloudstack_driver.cloudstack as cloudstack

    assert set(cloudstack._WHERE) == set(cloudstack.__all__)
    for name in cloudstack_driver.__all__:
        assert getattr(cloudstack_driver, name) is not None, name
    assert cloudstack_driver.CloudStackNodeDriver is cloudstack.driver.CloudStackNodeDriver
    assert cloudstack_driver.http.connection.CloudStackConnection is not None
    assert set(cloudstack_driver.__all__) <= set(dir(cloudstack_driver))
    with pytest.raises(AttributeError, match="no_such_name"):
        cloudstack_driver.no_such_name  # noqa: B018


# -- list_nodes' network details: by id, never nodes x addresses ------------------------------

def test_each_node_gets_only_its_own_addresses_and_rules() -> None:
    from cloudstack_driver import CloudStackNodeDriver
    from cloudstack_driver.cloudstack.models import CloudStackNode

    driver = CloudStackNodeDriver("KEY", "SECRET", url="http://cs.test/client/api")
    nodes = [CloudStackNode.from_record(driver, {"id": f"vm{i}", "nic": []})
             for i in range(3_000)]
    addresses = [{"id": f"ip{i}", "ipaddress": f"185.0.{i // 250}.{i % 250}",
                  "virtualmachineid": f"vm{i * 7}", "isstaticnat": True} for i in range(300)]
    ports = [{"id": f"pf{i}", "ipaddressid": f"ip{i}", "ipaddress": f"185.0.0.{i}",
              "virtualmachineid": f"vm{i * 7}", "protocol": "tcp", "publicport": "22",
              "privateport": "22"} for i in range(20)]
    found = {"listPublicIpAddresses": addresses, "listPortForwardingRules": ports,
             "listIpForwardingRules": []}
    driver._lookup = lambda command, **params: found[command]  # type: ignore[method-assign,assignment]
    driver._attach_network_details(nodes)
    for i, node in enumerate(nodes):
        own = [a.id for a in node.extra["ip_addresses"]]
        assert own == ([f"ip{i // 7}"] if i % 7 == 0 and i // 7 < 300 else []), i
        rules = [r.id for r in node.extra["port_forwarding_rules"]]
        assert rules == ([f"pf{i // 7}"] if i % 7 == 0 and i // 7 < 20 else []), i
        assert node.extra["ip_forwarding_rules"] == []
        assert node.public_ips == [a.address for a in node.extra["ip_addresses"]]
    lists = [id(n.extra[key]) for n in nodes for key in
             ("ip_addresses", "port_forwarding_rules", "ip_forwarding_rules")]
    assert len(set(lists)) == len(lists)  # no two nodes share a list
