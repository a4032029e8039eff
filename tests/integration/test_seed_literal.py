"""The two seed documents, run as literally as possible against the bundled simulator.

Sources (``/work/shared/seeds``): ``cloudstack-driver-docs.rst`` (libcloud's CloudStack driver
page and the example files it includes, ``docs/examples/compute/cloudstack/*.py``) and
``interactive-session.rst`` (libcloud's CloudStack tutorial session). Each test below names the
seed example it runs. Only these things differ from the seed's code:

* imports: ``libcloud.compute.types``/``providers`` -> ``cloudstack_driver``,
  ``libcloud.compute.deployment`` -> ``cloudstack_driver.deployment``,
  ``libcloud.security`` -> ``cloudstack_driver.security``;
* the endpoint: ``url=`` (or ``host``/``port``/``secure``) names the simulator instead of
  Exoscale, Ikoula or example.com; the simulator is created with the seed's own keys
  (``"api key"``, ``"api secret key"``, the tutorial's key pair), so those stay literal;
* placeholders the seed asks the reader to fill in (``SIZE_ID``, ``IMAGE_ID``);
* ``ex_create_port_forwarding_rule``'s argument order: libcloud's docs print the pre-2013
  ``(ip, 22, 22, 'TCP', node)``; docs/cloudstack.rst documents the correct
  ``(node, ip, 22, 22, 'TCP')``, and the seed order is refused before any request.

Endpoints that need TLS (``secure=True``, the seed's default) are the simulator's WSGI app behind
a local TLS server with a self-signed certificate, trusted through ``REQUESTS_CA_BUNDLE`` (the
environment, not the code) or, for the seed's own example, distrusted and then accepted by
``sec.VERIFY_SSL_CERT = False``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from pprint import pprint
from typing import Any

import pytest
from _seed_support import (
    CLOUDSTACK_RST,
    DOCS_FOR_SEED,
    ROOT,
    TUTORIAL_IMAGE,
    TUTORIAL_SIZES,
    Forward,
    TLSEndpoint,
    fake_ipython,
    make_certificate,
    tls_endpoint,
)
from urllib3.exceptions import InsecureRequestWarning

from cloudstack_driver import NodeState, Provider, get_driver
from cloudstack_driver.clouds.exoscale import ExoscaleAPIClosedWarning
from cloudstack_driver.errors import CloudStackConnectionError
from cloudstack_driver.simulator import Simulator

SEED_KEY, SEED_SECRET = "api key", "api secret key"
TUTORIAL_KEY = "plgWJfZK4gyS3mlZLYq_u38zCm0bewzGUdP66mg"
TUTORIAL_SECRET = "VDaACYb0LV9eNjeq1EhwJaw7FF3akA3KBQ"
TINY_LINUX = "13ccff62-132b-4caf-b456-e8ef20cbff0e"
TINY_OFFERING = "ef2537ad-c70f-11e1-821b-0800277e749c"
KEYPAIR_REPR = re.compile(r"^<KeyPair name=(test-key-pair-[12]) fingerprint=([0-9a-f]{2}:){15}"
                          r"[0-9a-f]{2} driver=Exoscale>$")


@pytest.fixture
def seed_sim() -> Iterator[Simulator]:
    """A simulator that accepts the seed's literal keys; jobs end at once."""
    with Simulator(api_key=SEED_KEY, secret_key=SEED_SECRET, job_duration=0) as sim:
        yield sim


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for the TLS fronts."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls(certificate: tuple[Path, Path]) -> Iterator[TLSEndpoint]:
    """The seed-key simulator served over HTTPS on a free port of 127.0.0.1."""
    with Simulator(api_key=SEED_KEY, secret_key=SEED_SECRET, job_duration=0) as sim:
        yield from tls_endpoint(sim, certificate)


@pytest.fixture
def trusted(tls: TLSEndpoint, monkeypatch: pytest.MonkeyPatch) -> TLSEndpoint:
    """``tls``, its certificate trusted through the environment (REQUESTS_CA_BUNDLE)."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls.ca_file))
    return tls


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME with ~/.ssh, so the seed's ``~/.ssh/id_rsa_test*`` paths stay literal."""
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


# -- cloudstack-driver-docs.rst: "Instantiating a driver" -------------------------------------

def test_instantiate_driver_host_path(trusted: TLSEndpoint) -> None:
    """instantiate_driver_host_path.py (host 'example.com' -> 127.0.0.1, plus its port)."""
    apikey, secretkey = SEED_KEY, SEED_SECRET
    host = "127.0.0.1"
    path = "/path/to/api"
    Driver = get_driver(Provider.CLOUDSTACK)
    conn = Driver(key=apikey, secret=secretkey, host=host, path=path, port=trusted.port)
    assert conn.connection.secure is True
    assert [z.name for z in conn.list_locations()] == ["CH-GV2", "DE-FRA1"]


def test_instantiate_driver_url(seed_sim: Simulator) -> None:
    """instantiate_driver_url.py: an ``http://`` url is plain HTTP (PARITY D39)."""
    apikey, secretkey = SEED_KEY, SEED_SECRET
    url = seed_sim.url
    Driver = get_driver(Provider.CLOUDSTACK)
    conn = Driver(key=apikey, secret=secretkey, url=url)
    assert conn.connection.secure is False
    assert [z.name for z in conn.list_locations()] == ["CH-GV2", "DE-FRA1"]


def test_instantiate_driver_insecure_port(seed_sim: Simulator) -> None:
    """instantiate_driver_insecure_port.py: host 'localhost' and the path stay literal."""
    apikey, secretkey = SEED_KEY, SEED_SECRET
    host = "localhost"
    path = "/path/to/api"
    port = int(seed_sim.url.split(":")[2].split("/")[0])
    Driver = get_driver(Provider.CLOUDSTACK)
    conn = Driver(key=apikey, secret=secretkey, host=host,
                  path=path, port=port, secure=False)
    assert (conn.connection.host, conn.connection.port) == ("localhost", port)
    assert conn.list_sizes()[0].name == "tinyOffering"


def test_turn_off_ssl_verification(tls: TLSEndpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    """turn_off_ssl_verification.py: an untrusted certificate fails, then is accepted."""
    import cloudstack_driver.security as sec

    monkeypatch.setattr(sec, "VERIFY_SSL_CERT", True)  # restored after the test
    Driver = get_driver(Provider.CLOUDSTACK)
    distrusting = Driver(key=SEED_KEY, secret=SEED_SECRET, host="127.0.0.1", port=tls.port)
    with pytest.raises(CloudStackConnectionError) as info:
        distrusting.list_locations()
    assert info.value.command == "listZones" and "SSLError" in str(info.value)

    sec.VERIFY_SSL_CERT = False

    conn = Driver(key=SEED_KEY, secret=SEED_SECRET, host="127.0.0.1", port=tls.port)
    with pytest.warns(InsecureRequestWarning):  # urllib3 says so on each unverified request
        assert [z.name for z in conn.list_locations()] == ["CH-GV2", "DE-FRA1"]


# -- Basic zone examples ------------------------------------------------------------------------

@pytest.mark.parametrize(("provider", "prefix", "name"), [
    (Provider.EXOSCALE, "EXOSCALE", "Exoscale"),  # start_interactive_shell_exoscale.py
    (Provider.IKOULA, "IKOULA", "Ikoula"),  # start_interactive_shell_ikoula.py
])
def test_start_interactive_shell(seed_sim: Simulator, monkeypatch: pytest.MonkeyPatch,
                                 provider: Provider, prefix: str, name: str) -> None:
    calls = fake_ipython(monkeypatch)
    monkeypatch.setenv(f"{prefix}_API_KEY", SEED_KEY)
    monkeypatch.setenv(f"{prefix}_SECRET_KEY", SEED_SECRET)

    from IPython.terminal.embed import InteractiveShellEmbed

    apikey = os.getenv(f"{prefix}_API_KEY")
    secretkey = os.getenv(f"{prefix}_SECRET_KEY")

    Driver = get_driver(provider)

    conn = Driver(key=apikey, secret=secretkey, url=seed_sim.url)

    shell = InteractiveShellEmbed(banner1="Hello from Libcloud Shell !!")
    shell()

    assert calls == ["Hello from Libcloud Shell !!", "shell()"]
    assert conn.name == name and conn.list_images()[0].name == "tiny Linux"


def test_exoscale_without_endpoint_warns_that_its_api_closed() -> None:
    """The seed's Exoscale line with no endpoint at all: a documented warning, no request."""
    Driver = get_driver(Provider.EXOSCALE)
    with pytest.warns(ExoscaleAPIClosedWarning, match="closed its CloudStack-compatible API"):
        conn = Driver(key=SEED_KEY, secret=SEED_SECRET)
    assert conn.connection.host == "api.exoscale.com"


def test_ssh_keypairs_management_exoscale(seed_sim: Simulator, home: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """ssh_keypairs_management_exoscale.py."""
    public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzhAH4s4WBuY+6ul6bG9pN7s4mHuE9cG3VmdkQk4P5T x"
    (home / ".ssh" / "id_rsa_test.pub").write_text(public + "\n", encoding="utf-8")

    cls = get_driver(Provider.EXOSCALE)
    driver = cls("api key", "api secret key", url=seed_sim.url)

    key_pair = driver.create_key_pair(name="test-key-pair-1")
    pprint(key_pair)
    assert key_pair.private_key.startswith("-----BEGIN")

    key_file_path = os.path.expanduser("~/.ssh/id_rsa_test.pub")
    key_pair = driver.import_key_pair_from_file(
        name="test-key-pair-2", key_file_path=key_file_path
    )
    pprint(key_pair)
    assert key_pair.public_key == public

    key_pair = driver.get_key_pair(name="test-key-pair-1")
    pprint(key_pair)

    status = driver.delete_key_pair(key_pair=key_pair)
    pprint(status)

    printed = capsys.readouterr().out.splitlines()
    assert [KEYPAIR_REPR.match(line).group(1) for line in printed[:3]] == [  # type: ignore[union-attr]
        "test-key-pair-1", "test-key-pair-2", "test-key-pair-1"]
    assert printed[3:] == ["True"]
    assert [k.name for k in driver.list_key_pairs()] == ["test-key-pair-2"]


def test_security_groups_management(seed_sim: Simulator,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """security_groups_management.py: groups are dicts (``sg['name']``), as the seed says."""
    cls = get_driver(Provider.EXOSCALE)
    driver = cls("api key", "api secret key", url=seed_sim.url)

    sg = driver.ex_list_security_groups()
    pprint(sg)
    assert isinstance(sg, list) and isinstance(sg[0], dict) and sg[0]["name"] == "default"

    security_group = driver.ex_create_security_group(name="test-security-group")
    pprint(security_group)
    assert security_group["name"] == "test-security-group"

    sg = driver.ex_authorize_security_group_ingress(
        securitygroupname="test-security-group",
        protocol="tcp",
        startport="22",
        cidrlist="0.0.0.0/0",
    )

    pprint(sg)
    assert isinstance(sg, dict) and sg["name"] == "test-security-group"
    [rule] = sg["ingressrule"]
    assert (rule["protocol"], rule["startport"], rule["endport"], rule["cidr"]) == (
        "tcp", 22, 22, "0.0.0.0/0")

    status = driver.ex_delete_security_group(name="test-security-group")
    pprint(status)

    out = capsys.readouterr().out
    assert "'name': 'default'" in out and "'name': 'test-security-group'" in out
    assert out.rstrip().endswith("\nTrue")
    assert [g["name"] for g in driver.ex_list_security_groups()] == ["default"]


def test_create_cloudstack_node_keypair_secgroup(trusted: TLSEndpoint) -> None:
    """create_cloudstack_node_keypair_secgroup.py, over TLS (``secure=True``) as printed.

    The seed says the key pair and the groups exist: they are made first."""
    ACCESS_ID = "api key"
    SECRET_KEY = "api secret key"
    HOST = "127.0.0.1"
    PATH = "/client/api"
    SIZE_ID = TINY_OFFERING
    IMAGE_ID = TINY_LINUX
    KEYPAIR_NAME = "keypairname"
    SECURITY_GROUP_NAMES = ["secgroup1", "secgroup2"]

    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls(key=ACCESS_ID, secret=SECRET_KEY, secure=True, host=HOST, path=PATH,
                 port=trusted.port)
    driver.create_key_pair(name=KEYPAIR_NAME)
    for group in SECURITY_GROUP_NAMES:
        driver.ex_create_security_group(name=group)

    sizes = driver.list_sizes()
    images = driver.list_images()
    size = [s for s in sizes if s.id == SIZE_ID][0]  # noqa: RUF015 (the seed's line)
    image = [i for i in images if i.id == IMAGE_ID][0]  # noqa: RUF015 (the seed's line)

    node = driver.create_node(
        name="test-node-1",
        image=image,
        size=size,
        ex_security_groups=SECURITY_GROUP_NAMES,
        ex_keyname=KEYPAIR_NAME,
    )

    assert node.name == "test-node-1" and node.state == NodeState.RUNNING
    assert node.extra["key_name"] == "keypairname"
    assert sorted(node.extra["security_group"]) == ["secgroup1", "secgroup2"]
    assert node.extra["zone_name"] == "CH-GV2"


@pytest.fixture
def ssh_at_port_22(sshd: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Where the VM answers SSH, and the ``deploy_node`` arguments that still must be added.

    As root, 127.0.0.24:22 forwards to the session's sshd, so the seed's defaults
    (``ssh_port=22``, ``ssh_username='root'``) stay literal and nothing is added. Otherwise (or
    when that port is taken) the VM answers at the sshd itself, and its port and user are added
    as part of the endpoint."""
    forward = None
    if os.geteuid() == 0 and sshd.user == "root":
        try:
            forward = Forward(("127.0.0.24", 22), (sshd.address, sshd.port))
        except OSError:
            forward = None
    if forward is None:
        yield sshd.address, {"ssh_port": sshd.port, "ssh_username": sshd.user}
        return
    try:
        yield "127.0.0.24", {}
    finally:
        forward.close()


@pytest.mark.ssh
def test_deploy_node_with_keypair_security_group(
        sshd: Any, ssh_at_port_22: tuple[str, dict[str, Any]], home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """deploy_node_with_keypair_security_group.py, over real SSH; ``test-keypair`` and
    ``~/.ssh/id_rsa_test`` exist beforehand, as the seed assumes."""
    address, endpoint_ssh = ssh_at_port_22
    shutil.copy(sshd.private_key, home / ".ssh" / "id_rsa_test")
    os.chmod(home / ".ssh" / "id_rsa_test", 0o600)
    with Simulator(api_key=SEED_KEY, secret_key=SEED_SECRET, job_duration=0,
                   ssh_address=address) as sim:
        cls = get_driver(Provider.EXOSCALE)
        driver = cls("api key", "api secret key", url=sim.url)
        driver.import_key_pair_from_file("test-keypair", str(sshd.public_key))

        from cloudstack_driver.deployment import MultiStepDeployment, ScriptDeployment

        image = driver.list_images()[0]
        size = driver.list_sizes()[0]

        script = ScriptDeployment("/bin/date")
        msd = MultiStepDeployment([script])

        node = driver.deploy_node(
            name="test",
            image=image,
            size=size,
            ssh_key="~/.ssh/id_rsa_test",
            ex_keyname="test-keypair",
            deploy=msd,
            **endpoint_ssh,
        )

        pprint(script.stdout)

        assert node.name == "test" and node.public_ips == [address]
        assert node.extra["key_name"] == "test-keypair"
    assert script.exit_status == 0
    printed = capsys.readouterr().out.strip()
    assert printed == repr(script.stdout)
    assert re.search(r"\b\d{1,2}:\d{2}:\d{2}\b", str(script.stdout)), script.stdout


# -- Advanced zone examples ---------------------------------------------------------------------

def _create_node_advanced_zone(url: str) -> tuple[Any, Any]:
    """create_node_advanced_zone.py; returns its ``driver`` and ``node``."""
    apikey = "api key"
    secretkey = "api secret key"

    Driver = get_driver(Provider.IKOULA)
    driver = Driver(key=apikey, secret=secretkey, url=url)

    nets = driver.ex_list_networks()

    images = driver.list_images()

    sizes = driver.list_sizes()

    node = driver.create_node(name="libcloud", image=images[0],
                              size=sizes[0], networks=[nets[0]])

    pprint(node.extra)
    pprint(node.private_ips)
    return driver, node


def test_create_node_advanced_zone(seed_sim: Simulator,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    _, node = _create_node_advanced_zone(seed_sim.url)
    assert node.extra["zone_name"] == "DE-FRA1" and node.extra["nics"][0]["type"] == "Isolated"
    assert node.public_ips == [] and len(node.private_ips) == 1
    assert node.extra["port_forwarding_rules"] == [] and node.extra["ip_forwarding_rules"] == []
    out = capsys.readouterr().out
    assert "'zone_name': 'DE-FRA1'" in out
    assert out.rstrip().endswith(repr(node.private_ips))


def test_port_forwarding_seed_allocates_ip_without_arguments(seed_sim: Simulator) -> None:
    """port_forwarding_management.py, first line: ``driver.ex_allocate_public_ip()``. The
    simulator's first zone is the Basic CH-GV2; the address comes from the Advanced zone."""
    driver, _ = _create_node_advanced_zone(seed_sim.url)
    address = driver.ex_allocate_public_ip()
    assert address.address in [a.address for a in driver.ex_list_public_ips()]
    advanced = next(z for z in driver.list_locations() if z.name == "DE-FRA1")
    assert address.extra["zone_id"] == advanced.id


def test_port_forwarding_management(seed_sim: Simulator,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """port_forwarding_management.py after create_node_advanced_zone.py (its ``driver``,
    ``conn`` and ``node``), with the documented argument order. The allocation names the
    advanced zone explicitly, as well."""
    driver, node = _create_node_advanced_zone(seed_sim.url)
    conn = driver
    capsys.readouterr()
    zone = next(z for z in driver.list_locations() if z.name == node.extra["zone_name"])

    driver.ex_allocate_public_ip(location=zone)

    ip = driver.ex_list_public_ips()[0]

    with pytest.raises(TypeError, match=r"'node' must be a Node, got CloudStackAddress"):
        conn.ex_create_port_forwarding_rule(ip, 22, 22, "TCP", node)  # the seed's order
    assert driver.ex_list_port_forwarding_rules() == []

    rule = conn.ex_create_port_forwarding_rule(node, ip, 22, 22, "TCP")  # documented order
    pprint(rule)

    print(node)
    print(node.extra)

    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == repr(rule) and printed[0].startswith(
        f"<CloudStackPortForwardingRule: id={rule.id}, address={ip.address}, protocol=TCP, "
        "public_port=22, private_port=22")
    assert printed[1] == (f"<Node: uuid={node.get_uuid()}, name=libcloud, state=RUNNING, "
                          f"public_ips=['{ip.address}'], private_ips={node.private_ips!r}, "
                          "provider=Ikoula ...>")
    assert node.extra["port_forwarding_rules"] == [rule] and printed[2] == str(node.extra)
    assert [r.id for r in driver.ex_list_port_forwarding_rules()] == [rule.id]


# -- interactive-session.rst --------------------------------------------------------------------

@pytest.fixture
def tutorial_tls(certificate: tuple[Path, Path],
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[TLSEndpoint]:
    """A simulator with the tutorial's keys, over HTTPS, its certificate trusted."""
    with Simulator(api_key=TUTORIAL_KEY, secret_key=TUTORIAL_SECRET, job_duration=0) as sim:
        for endpoint in tls_endpoint(sim, certificate, at_443=True):
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(endpoint.ca_file))
            yield endpoint


def test_interactive_session(tutorial_tls: TLSEndpoint,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """Every line of the tutorial session; host and port name the simulator, path stays.

    As root the simulator listens on 127.0.0.25:443 and the host keeps the tutorial's form
    ``'http://...'`` with ``port='443'`` and ``secure=True``; otherwise a scheme-less host and
    a free port (the driver refuses ``http://`` with ``secure=True`` on a port other than
    443)."""
    Driver = get_driver(Provider.CLOUDSTACK)

    apikey = "plgWJfZK4gyS3mlZLYq_u38zCm0bewzGUdP66mg"
    secretkey = "VDaACYb0LV9eNjeq1EhwJaw7FF3akA3KBQ"
    host = tutorial_tls.host
    port = str(tutorial_tls.port)
    secure = True
    path = "/compute"
    conn = Driver(key=apikey, secret=secretkey, secure=secure, host=host, port=port, path=path)
    assert conn.connection.secure is True and conn.connection.port == tutorial_tls.port

    listed = conn.list_images()
    assert repr(listed[0]) == TUTORIAL_IMAGE
    assert all(re.fullmatch(r"<NodeImage: id=[-0-9a-f]{36}, name=[^,]+, driver=CloudStack  "
                            r"\.\.\.>", repr(i)) for i in listed)
    assert repr(conn.list_sizes()) == TUTORIAL_SIZES
    images = conn.list_images()
    offerings = conn.list_sizes()

    node = conn.create_node(name="toto", image=images[0], size=offerings[0])
    capsys.readouterr()
    help(node)
    helped = capsys.readouterr().out
    assert "class CloudStackNode" in helped
    assert re.search(r"^ \|  ex_stop\(self", helped, re.M)
    assert re.search(r"^ \|  ex_start\(self", helped, re.M)
    uuid = node.get_uuid()
    assert re.fullmatch(r"[0-9a-f]{40}", uuid)
    assert uuid == hashlib.sha1(f"{node.id}:cloudstack".encode()).hexdigest()
    assert repr(node.name) == "'toto'"  # the seed's u'toto' is Python 2's repr

    assert node.ex_stop() == "Stopped" and node.ex_start() == "Running"


# -- The docs show every seed example -----------------------------------------------------------

@pytest.mark.parametrize("seed_example", sorted(DOCS_FOR_SEED))
def test_docs_show_the_seed_example(seed_example: str) -> None:
    where, texts = DOCS_FOR_SEED[seed_example]
    shown = (ROOT / where).read_text(encoding="utf-8")
    if where.startswith("examples/"):
        include = f".. literalinclude:: ../{where}\n   :language: python"
        assert include in CLOUDSTACK_RST.read_text(encoding="utf-8"), (seed_example, where)
    missing = [text for text in texts if text not in shown]
    assert missing == [], (seed_example, where)


def test_docs_correct_the_seed_port_forwarding_order() -> None:
    """The seed's (ip, 22, 22, 'TCP', node) is documented as wrong, with the right order."""
    text = " ".join(CLOUDSTACK_RST.read_text(encoding="utf-8").split())
    assert "``(address, private_port, public_port, protocol, node)``, which its driver no " \
           "longer accepts" in text
    assert "``ex_create_port_forwarding_rule(node, address, private_port, public_port, " \
           "protocol)``" in text
