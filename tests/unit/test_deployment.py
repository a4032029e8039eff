"""Deployment steps, deploy_node's flow and wait_until_running with a fake SSH client and a fake
clock (no real time passes), the SSH module's helpers, and the address classification
deploy_node relies on. Real SSH is exercised in tests/integration/test_deploy_ssh.py."""

from __future__ import annotations

import io
import os
import sys
from typing import Any

import paramiko
import pytest

from cloudstack_driver import (
    DeploymentError,
    LibcloudError,
    Node,
    NodeAuthPassword,
    NodeDriver,
    NodeState,
)
from cloudstack_driver._convert import is_private_ip
from cloudstack_driver.deployment import (
    Deployment,
    FileDeployment,
    MultiStepDeployment,
    ScriptDeployment,
    ScriptFileDeployment,
    SSHKeyDeployment,
)
from cloudstack_driver.ssh import (
    SSHClient,
    SSHCommandTimeoutError,
    expand_key_files,
    require_paramiko,
)


class FakeClient:
    """Records what the steps ask of an SSH client."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.files: dict[str, tuple[Any, int | None, str]] = {}
        self.commands: list[tuple[str, float | None]] = []
        self.deleted: list[str] = []
        self.connects = 0
        self.closed = 0

    def put(self, path: str, contents: Any = None, chmod: int | None = None,
            mode: str = "w") -> str:
        self.files[path] = (contents, chmod, mode)
        return "/root/" + path

    def run(self, cmd: str, timeout: float | None = None) -> tuple[str, str, int]:
        self.commands.append((cmd, timeout))
        return "Tue Jul 29 11:18:10 UTC 2026\n", "", 0

    def delete(self, path: str) -> bool:
        self.deleted.append(path)
        return True

    def connect(self) -> bool:
        self.connects += 1
        return True

    def close(self) -> bool:
        self.closed += 1
        return True


# -- steps ------------------------------------------------------------------------------------

def test_script_deployment_uploads_runs_and_keeps_output() -> None:
    client = FakeClient()
    step = ScriptDeployment("/bin/date", args=["-u", "-R"], name="d.sh", delete=True,
                            timeout=5)
    assert step.exit_status is None
    assert "exit_status=script didn't run yet" in repr(step)
    node = object()
    assert step.run(node, client) is node
    assert client.files == {"d.sh": ("/bin/date", 0o755, "w")}
    assert client.commands == [("/root/d.sh -u -R", 5)]
    assert client.deleted == ["/root/d.sh"]
    assert (step.stdout, step.stderr, step.exit_status) == (
        "Tue Jul 29 11:18:10 UTC 2026\n", "", 0)
    assert repr(step).startswith("<ScriptDeployment script=/bin/date, exit_status=0, stdout=Tue")


def test_script_deployment_default_name_and_short_repr() -> None:
    step = ScriptDeployment("echo 1234567890abcdefghij")
    assert step.name.startswith("libcloud_deployment_") and step.name.endswith(".sh")
    assert len(step.name) == len("libcloud_deployment_") + 8 + 3
    assert "script=echo 1234567890..., " in repr(step)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"script": b"x"}, TypeError, "'script' must be a str"),
    ({"script": "x", "args": "-u"}, TypeError, "'args' must be a list"),
    ({"script": "x", "timeout": 0}, ValueError, "'timeout' must be a positive"),
])
def test_script_deployment_checks_arguments(kwargs: dict[str, Any], error: type[Exception],
                                            message: str) -> None:
    with pytest.raises(error, match=message):
        ScriptDeployment(**kwargs)


def test_script_file_deployment_reads_the_file(tmp_path: Any) -> None:
    path = tmp_path / "s.sh"
    path.write_text("#!/bin/sh\necho héllo\n", encoding="utf-8")
    step = ScriptFileDeployment(str(path), args=["a"])
    assert step.script == "#!/bin/sh\necho héllo\n" and step.script_file == str(path)
    client = FakeClient()
    step.run(None, client)
    assert client.commands[0][0].endswith(" a")


def test_ssh_key_deployment_appends_a_line() -> None:
    client = FakeClient()
    step = SSHKeyDeployment(io.StringIO("ssh-ed25519 AAAA me"))
    step.run(None, client)
    assert client.files == {".ssh/authorized_keys": ("ssh-ed25519 AAAA me\n", 0o600, "a")}
    assert repr(SSHKeyDeployment("k" * 150)) == f"<SSHKeyDeployment key={'k' * 100}...>"
    with pytest.raises(TypeError, match="'key' must be a str or a file"):
        SSHKeyDeployment(5)  # type: ignore[arg-type]


def test_file_deployment_keeps_the_mode(tmp_path: Any) -> None:
    path = tmp_path / "tool"
    path.write_bytes(b"\x00bin")
    os.chmod(path, 0o750)
    client = FakeClient()
    step = FileDeployment(str(path), "/usr/local/bin/tool")
    step.run(None, client)
    assert client.files == {"/usr/local/bin/tool": (b"\x00bin", 0o750, "w")}
    assert repr(step) == f"<FileDeployment source={path}, target=/usr/local/bin/tool>"


def test_multi_step_runs_in_order_and_checks_items() -> None:
    first, second = ScriptDeployment("a", name="1"), ScriptDeployment("b", name="2")
    msd = MultiStepDeployment(first)
    msd.add([second])
    assert msd.steps == [first, second]
    client = FakeClient()
    msd.run(None, client)
    assert [c for c, _ in client.commands] == ["/root/1", "/root/2"]
    with pytest.raises(TypeError, match="item 0 is a str"):
        msd.add(["echo"])  # type: ignore[list-item]
    assert issubclass(MultiStepDeployment, Deployment)


# -- deploy_node and wait_until_running with a fake driver ------------------------------------

class FakeDriver(NodeDriver):
    """Nodes in memory; each list_nodes call advances the node one step towards RUNNING."""

    name = "Fake"
    features = {"create_node": ["generates_password"]}

    def __init__(self, states: list[str], addresses: list[str]) -> None:
        self.states = list(states)
        self.addresses = addresses
        self.created: list[dict[str, Any]] = []
        self.list_calls: list[dict[str, Any]] = []
        self.sleeps: list[float] = []
        self.now = 0.0
        self.clients: list[FakeClient] = []
        self._sleep = self._fake_sleep  # type: ignore[method-assign]
        self._clock = lambda: self.now  # type: ignore[method-assign]

    def _fake_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def create_node(self, *args: Any, **kwargs: Any) -> Node:
        self.created.append(kwargs)
        return Node("n1", kwargs.get("name"), NodeState.PENDING, [], [], self,
                    extra={"password": "generated"})

    def list_nodes(self, *args: Any, **kwargs: Any) -> list[Node]:
        self.list_calls.append(kwargs)
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        ips = self.addresses if state == "running" else []
        return [Node("n1", "web", state, ips, ["10.0.0.9"], self),
                Node("other", "x", "running", ["1.2.3.4"], [], self)]


def fake_client_factory(driver: FakeDriver, fail_connects: int = 0,
                        error: BaseException | None = None) -> Any:
    def make(*args: Any, **kwargs: Any) -> FakeClient:
        client = FakeClient(*args, **kwargs)
        remaining = [fail_connects]

        def connect() -> bool:
            client.connects += 1
            if remaining[0] > 0:
                remaining[0] -= 1
                raise error or OSError("connection refused")
            return True

        client.connect = connect  # type: ignore[method-assign]
        driver.clients.append(client)
        return client
    return make


def test_wait_until_running_polls_until_running_with_an_address() -> None:
    driver = FakeDriver(["starting", "starting", "running"], ["185.19.28.7", "2a04::1"])
    node = Node("n1", "web", "pending", [], [], driver)
    [(ready, addresses)] = driver.wait_until_running([node], wait_period=3, timeout=60,
                                                     ex_list_nodes_kwargs={"project": "p"})
    assert ready.state == NodeState.RUNNING and addresses == ["185.19.28.7"]
    assert driver.sleeps == [3.0, 3.0] and driver.list_calls == [{"project": "p"}] * 3
    [(_, private)] = driver.wait_until_running([node], ssh_interface="private_ips")
    assert private == ["10.0.0.9"]


def test_wait_until_running_times_out_with_libclouds_message() -> None:
    driver = FakeDriver(["starting"], [])
    node = Node("n1", "web", "pending", [], [], driver)
    with pytest.raises(LibcloudError, match="Timed out after 10 seconds"):
        driver.wait_until_running([node], wait_period=4, timeout=10)
    assert driver.sleeps == [4.0, 4.0]


def test_wait_until_running_fails_fast_on_error_state() -> None:
    driver = FakeDriver(["error"], [])
    node = Node("n1", "web", "pending", [], [], driver)
    with pytest.raises(LibcloudError, match="node web is error"):
        driver.wait_until_running([node])
    assert driver.sleeps == []


def test_wait_until_running_checks_arguments() -> None:
    driver = FakeDriver(["running"], ["1.1.1.1"])
    node = Node("n1", "web", "pending", [], [], driver)
    with pytest.raises(TypeError, match="one Node"):
        driver.wait_until_running(node)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'ssh_interface' must be one of"):
        driver.wait_until_running([node], ssh_interface="eth0")
    assert driver.list_calls == []


def test_deploy_node_creates_waits_connects_and_runs() -> None:
    driver = FakeDriver(["starting", "running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver, fail_connects=2)
    script = ScriptDeployment("/bin/date", name="d.sh")
    node = driver.deploy_node(name="web", image="img", size="sz", ex_keyname="kp",
                              project="proj", deploy=MultiStepDeployment([script]),
                              ssh_key="~/.ssh/id_test", ssh_port=2222, timeout=30,
                              wait_period=2)
    assert node.state == NodeState.RUNNING and node.public_ips == ["185.19.28.7"]
    assert driver.created == [{"name": "web", "image": "img", "size": "sz",
                               "ex_keyname": "kp", "project": "proj"}]
    assert driver.list_calls[0] == {"project": "proj"}
    [client] = driver.clients
    assert client.args == ("185.19.28.7",)
    assert client.kwargs["port"] == 2222 and client.kwargs["username"] == "root"
    assert client.kwargs["key_files"] == "~/.ssh/id_test"
    assert client.kwargs["password"] == "generated"
    assert client.connects == 3 and client.closed == 1
    assert driver.sleeps == [2.0, 1.5, 1.5]
    assert script.stdout == "Tue Jul 29 11:18:10 UTC 2026\n" and script.exit_status == 0


def test_deploy_node_gives_up_on_ssh_with_deployment_error() -> None:
    driver = FakeDriver(["running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver, fail_connects=1000)
    with pytest.raises(DeploymentError) as info:
        driver.deploy_node(name="web", deploy=ScriptDeployment("x"), ssh_key="/k",
                           timeout=6, ssh_alternate_usernames=["ubuntu"])
    assert info.value.node.id == "n1"
    assert isinstance(info.value.original_error, LibcloudError)
    assert "Giving up on SSH" in str(info.value.original_error)
    assert [c.kwargs["username"] for c in driver.clients] == ["root", "ubuntu"]


def test_deploy_node_missing_key_file_is_fatal_at_once() -> None:
    driver = FakeDriver(["running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver, 5, FileNotFoundError("no key"))
    with pytest.raises(DeploymentError) as info:
        driver.deploy_node(name="web", deploy=ScriptDeployment("x"), ssh_key="/nokey")
    assert isinstance(info.value.original_error, FileNotFoundError)
    assert driver.clients[0].connects == 1 and driver.sleeps == []


def test_deploy_node_wraps_wait_failures() -> None:
    driver = FakeDriver(["error"], [])
    with pytest.raises(DeploymentError) as info:
        driver.deploy_node(name="web", deploy=ScriptDeployment("x"), ssh_key="/k")
    assert "is error" in str(info.value.original_error)
    assert driver.clients == []


class FailingStep(Deployment):
    """A deployment step that raises ``error`` on every run and counts its runs."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.runs = 0

    def run(self, node: Any, client: Any) -> Any:
        self.runs += 1
        raise self.error


def test_deploy_node_retries_the_deployment_then_fails() -> None:
    driver = FakeDriver(["running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver)
    step = FailingStep(OSError("session died"))
    with pytest.raises(DeploymentError) as info:
        driver.deploy_node(name="web", deploy=step, ssh_key="/k", max_tries=3)
    assert step.runs == 3
    assert "Failed after 3 tries: session died" in str(info.value.original_error)
    assert driver.clients[0].connects == 3


def test_deploy_node_command_timeout_is_not_retried() -> None:
    driver = FakeDriver(["running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver)
    step = FailingStep(SSHCommandTimeoutError("sleep 99", 1.0))
    with pytest.raises(DeploymentError) as info:
        driver.deploy_node(name="web", deploy=step, ssh_key="/k")
    assert step.runs == 1 and isinstance(info.value.original_error, SSHCommandTimeoutError)


def test_deploy_node_at_exit_func_registered_then_removed(monkeypatch: Any) -> None:
    import atexit
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(atexit, "register", lambda f, **kw: calls.append(("register", kw)))
    monkeypatch.setattr(atexit, "unregister", lambda f: calls.append(("unregister", f)))
    driver = FakeDriver(["running"], ["185.19.28.7"])
    driver.ssh_client_class = fake_client_factory(driver)

    def cleanup(driver: Any, node: Any) -> None:
        raise AssertionError("not called while the interpreter runs")

    driver.deploy_node(name="web", deploy=ScriptDeployment("x"), auth=NodeAuthPassword("pw"),
                       at_exit_func=cleanup)
    assert [c[0] for c in calls] == ["register", "unregister"]
    assert calls[0][1]["driver"] is driver and calls[1][1] is cleanup
    assert driver.created[0]["auth"].password == "pw"
    assert driver.clients[0].kwargs["password"] == "pw"


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"deploy": "echo"}, TypeError, "'deploy' must be a Deployment"),
    ({"ssh_interface": "eth0"}, ValueError, "'ssh_interface' must be one of"),
    ({"ssh_port": 0}, ValueError, "'ssh_port' must be a port number"),
    ({"max_tries": 0}, ValueError, "'max_tries' must be an int >= 1"),
    ({"timeout": -1}, ValueError, "'timeout' must be a positive number"),
    ({"auth": "pw"}, TypeError, "'auth' must be a NodeAuthSSHKey or NodeAuthPassword"),
])
def test_deploy_node_checks_arguments_before_creating(kwargs: dict[str, Any],
                                                       error: type[Exception],
                                                       message: str) -> None:
    driver = FakeDriver(["running"], ["1.1.1.1"])
    args: dict[str, Any] = {"deploy": ScriptDeployment("x"), "name": "web", **kwargs}
    with pytest.raises(error, match=message):
        driver.deploy_node(**args)
    assert driver.created == []


def test_deploy_node_without_credentials_needs_a_password_feature() -> None:
    driver = FakeDriver(["running"], ["1.1.1.1"])
    driver.features = {"create_node": []}
    with pytest.raises(NotImplementedError, match="pass 'ssh_key' or 'auth'"):
        driver.deploy_node(name="web", deploy=ScriptDeployment("x"))
    assert driver.created == []


def test_deploy_node_without_paramiko_raises_runtime_error(monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "paramiko", None)
    driver = FakeDriver(["running"], ["1.1.1.1"])
    with pytest.raises(RuntimeError, match=r"pip install 'cloudstack-driver\[ssh\]'"):
        driver.deploy_node(name="web", deploy=ScriptDeployment("x"), ssh_key="/k")
    assert driver.created == []


# -- the SSH module ---------------------------------------------------------------------------

def test_require_paramiko_returns_the_module() -> None:
    assert require_paramiko() is paramiko


def test_key_files_expand_tilde(monkeypatch: Any) -> None:
    monkeypatch.setenv("HOME", "/home/tester")
    assert expand_key_files("~/.ssh/id") == ["/home/tester/.ssh/id"]
    assert expand_key_files(["~/a", "/b"]) == ["/home/tester/a", "/b"]
    assert expand_key_files(None) == []
    client = SSHClient("h", key_files="~/.ssh/id", known_hosts="~/kh")
    assert client.key_files == ["/home/tester/.ssh/id"] and client.known_hosts == "/home/tester/kh"
    assert client.check_host_key is False
    with pytest.raises(TypeError, match=r"'ssh_key'\[1\]"):
        expand_key_files(["/a", 3])  # type: ignore[list-item]


def test_ssh_client_missing_key_file_is_reported_before_connecting(tmp_path: Any) -> None:
    client = SSHClient("192.0.2.1", key_files=str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError, match="absent"):
        client.connect()


def test_ssh_client_not_connected_error() -> None:
    with pytest.raises(LibcloudError, match="not connected"):
        SSHClient("h").run("true")


# -- address classification (_convert.is_private_ip) -------------------------------------------

@pytest.mark.parametrize("address", [
    "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
    "100.127.255.254", "169.254.10.1", "fd00::1", "fc00::1", "fe80::1", "::ffff:10.0.0.1",
])
def test_private_addresses(address: str) -> None:
    assert is_private_ip(address) is True


@pytest.mark.parametrize("address", [
    "185.19.28.7", "172.32.0.1", "100.128.0.1", "127.0.0.5", "::1", "2a04:c43:e00::7",
    "2001:db8::5", "8.8.8.8", "not-an-ip",
])
def test_public_addresses(address: str) -> None:
    assert is_private_ip(address) is False
