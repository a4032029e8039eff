"""Every basic-zone example of examples/ runs, unchanged, against a simulator: the environment
names the endpoint (CLOUDSTACK_ENDPOINT / _KEY / _SECRET) and HOME holds the test keys. The
interactive shell runs through its non-interactive core."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.cloudstack.core import ssh_fingerprint
from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzhAH4s4WBuY+6ul6bG9pN7s4mHuE9cG3VmdkQ"
              "k4P5T test@example")


def _env(sim: Simulator, home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(CLOUDSTACK_ENDPOINT=sim.url, CLOUDSTACK_KEY=sim.api_key,
               CLOUDSTACK_SECRET=sim.secret_key, HOME=str(home),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               **extra)
    return env


def _run(example: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, str(EXAMPLES / example)], capture_output=True,
                            text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _home(tmp_path: Path) -> Path:
    ssh = tmp_path / "home" / ".ssh"
    ssh.mkdir(parents=True)
    return ssh.parent


def test_interactive_shell_core(sim: Simulator, monkeypatch: Any) -> None:
    monkeypatch.setenv("CLOUDSTACK_ENDPOINT", sim.url)
    monkeypatch.setenv("CLOUDSTACK_KEY", sim.api_key)
    monkeypatch.setenv("CLOUDSTACK_SECRET", sim.secret_key)
    spec = importlib.util.spec_from_file_location("basic_interactive_shell",
                                                  EXAMPLES / "basic_interactive_shell.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace = module.shell_namespace()
    conn = namespace["conn"]
    assert isinstance(conn, CloudStackNodeDriver) and namespace["driver"] is conn
    assert [z.name for z in conn.list_locations()] == ["CH-GV2", "DE-FRA1"]
    assert conn.list_images()[0].name == "tiny Linux"

    started: list[dict[str, Any]] = []

    class FakeShell:
        def __init__(self, banner1: str, user_ns: dict[str, Any]) -> None:
            started.append({"banner": banner1, "ns": user_ns})

        def __call__(self) -> None:
            started.append({"ran": True})

    fake_ipython = types.ModuleType("IPython.terminal.embed")
    fake_ipython.InteractiveShellEmbed = FakeShell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython.terminal.embed", fake_ipython)
    module.main()
    assert started[0]["banner"] == module.BANNER and "conn" in started[0]["ns"]
    assert started[1] == {"ran": True}

    interacted: list[dict[str, Any]] = []
    monkeypatch.setitem(sys.modules, "IPython.terminal.embed", None)
    import code
    monkeypatch.setattr(code, "interact",
                        lambda banner, local: interacted.append({"b": banner, "ns": local}))
    module.main()
    assert interacted[0]["b"] == module.BANNER
    assert isinstance(interacted[0]["ns"]["conn"], CloudStackNodeDriver)


def test_ssh_keypairs_example(sim: Simulator, conn: CloudStackNodeDriver,
                              tmp_path: Path) -> None:
    home = _home(tmp_path)
    (home / ".ssh" / "id_rsa_test.pub").write_text(PUBLIC_KEY + "\n", encoding="utf-8")
    out = _run("basic_ssh_keypairs.py", _env(sim, home))
    assert "<KeyPair name=test-key-pair-1" in out and "<KeyPair name=test-key-pair-2" in out
    assert out.rstrip().endswith("True")
    assert [k.name for k in conn.list_key_pairs()] == ["test-key-pair-2"]
    assert conn.get_key_pair("test-key-pair-2").fingerprint == \
        ssh_fingerprint(PUBLIC_KEY)


def test_security_groups_example(sim: Simulator, conn: CloudStackNodeDriver,
                                 tmp_path: Path) -> None:
    out = _run("basic_security_groups.py", _env(sim, _home(tmp_path)))
    assert "'name': 'default'" in out and "'name': 'test-security-group'" in out
    assert "'startport': 22" in out and "'cidr': '0.0.0.0/0'" in out
    assert out.rstrip().endswith("True")
    assert [g.name for g in conn.ex_list_security_groups()] == ["default"]


def test_create_node_with_keypair_and_secgroups_example(
        sim: Simulator, conn: CloudStackNodeDriver, tmp_path: Path) -> None:
    out = _run("basic_create_node_keypair_secgroup.py", _env(sim, _home(tmp_path)))
    assert "name=test-node-1, state=RUNNING" in out
    assert "'key_name': 'keypairname'" in out
    [node] = conn.list_nodes()
    assert sorted(node.extra["security_group"]) == ["secgroup1", "secgroup2"]
    assert node.extra["key_name"] == "keypairname"


@pytest.mark.ssh
def test_deploy_node_with_keypair_example(ssh_simulator: Simulator,
                                          ssh_driver: CloudStackNodeDriver, sshd: Any,
                                          tmp_path: Path) -> None:
    home = _home(tmp_path)
    shutil.copy(sshd.private_key, home / ".ssh" / "id_rsa_test")
    os.chmod(home / ".ssh" / "id_rsa_test", 0o600)
    ssh_driver.import_key_pair_from_file("test-keypair", str(sshd.public_key))
    out = _run("basic_deploy_node_keypair.py",
               _env(ssh_simulator, home, CLOUDSTACK_SSH_PORT=str(sshd.port),
                    CLOUDSTACK_SSH_USER=sshd.user))
    stdout = eval(out.strip())  # pprint of a str: its repr
    assert isinstance(stdout, str) and stdout.strip()
    assert any(year in stdout for year in ("202", "203"))
    [node] = ssh_driver.list_nodes()
    assert node.name == "test" and node.public_ips == [sshd.address]
