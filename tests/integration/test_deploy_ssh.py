"""deploy_node over real SSH: the simulator's Basic-zone VM answers on a real OpenSSH sshd
(tests/integration/conftest.py), the driver creates it, waits, connects with paramiko and runs
the deployment steps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cloudstack_driver import CloudStackNodeDriver, DeploymentError, NodeState
from cloudstack_driver.deployment import (
    FileDeployment,
    MultiStepDeployment,
    ScriptDeployment,
)
from cloudstack_driver.ssh import SSHClient, SSHCommandTimeoutError

pytestmark = pytest.mark.ssh

# ``sshd`` is tests/integration/conftest.py's SSHServer (address, port, user, private_key,
# public_key, home).
DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b.*\b\d{1,2}:\d{2}:\d{2}\b.*\b\d{4}\b")


def _register_key(driver: CloudStackNodeDriver, sshd: Any) -> None:
    driver.import_key_pair_from_file("test-keypair", str(sshd.public_key))


def test_deploy_node_runs_bin_date_over_ssh(ssh_driver: CloudStackNodeDriver,
                                            sshd: Any) -> None:
    _register_key(ssh_driver, sshd)
    image = ssh_driver.list_images()[0]
    size = ssh_driver.list_sizes()[0]
    script = ScriptDeployment("/bin/date")
    node = ssh_driver.deploy_node(
        name="test", image=image, size=size, ssh_key=str(sshd.private_key),
        ex_keyname="test-keypair", deploy=MultiStepDeployment([script]),
        ssh_port=sshd.port, ssh_username=sshd.user, timeout=60, wait_period=0.2)
    assert node.state == NodeState.RUNNING
    assert node.public_ips == [sshd.address]
    assert node.extra["key_name"] == "test-keypair"
    assert script.exit_status == 0 and script.stderr == ""
    assert script.stdout is not None and DATE.search(script.stdout), script.stdout


def test_deploy_node_steps_upload_files_pass_args_and_delete(
        ssh_driver: CloudStackNodeDriver, sshd: Any, tmp_path: Path) -> None:
    _register_key(ssh_driver, sshd)
    source = tmp_path / "payload.txt"
    source.write_text("payload\n", encoding="utf-8")
    source.chmod(0o640)
    target = tmp_path / "uploaded" / "payload.txt"
    check = ScriptDeployment(
        f"#!/bin/sh\nstat -c %a {target}\ncat {target}\necho \"args:$*\"\necho oops >&2\n"
        "exit 3\n", args=["one", "two"], delete=True)
    node = ssh_driver.deploy_node(
        name="files", image=ssh_driver.list_images()[0], size=ssh_driver.list_sizes()[0],
        ssh_key=str(sshd.private_key), ex_keyname="test-keypair", ssh_port=sshd.port,
        ssh_username=sshd.user, wait_period=0.2,
        deploy=MultiStepDeployment([FileDeployment(str(source), str(target)), check]))
    assert node.public_ips == [sshd.address]
    assert target.read_text(encoding="utf-8") == "payload\n"
    assert check.stdout == "640\npayload\nargs:one two\n"
    assert check.stderr == "oops\n" and check.exit_status == 3
    assert not (sshd.home / check.name).exists()


def test_deploy_node_with_an_unknown_user_raises_deployment_error(
        ssh_driver: CloudStackNodeDriver, sshd: Any) -> None:
    _register_key(ssh_driver, sshd)
    with pytest.raises(DeploymentError) as info:
        ssh_driver.deploy_node(
            name="nobody", image=ssh_driver.list_images()[0], size=ssh_driver.list_sizes()[0],
            ssh_key=str(sshd.private_key), ex_keyname="test-keypair", ssh_port=sshd.port,
            ssh_username="no-such-user-here", timeout=3, wait_period=0.2,
            deploy=ScriptDeployment("/bin/true"))
    assert info.value.node.name == "nobody"
    assert "Giving up on SSH" in str(info.value.original_error)
    [listed] = [n for n in ssh_driver.list_nodes() if n.name == "nobody"]
    assert listed.state == NodeState.RUNNING


def test_ssh_client_runs_commands_and_times_out(sshd: Any) -> None:
    with SSHClient(sshd.address, port=sshd.port, username=sshd.user,
                   key_files=str(sshd.private_key), timeout=10) as client:
        assert client.run("echo hi; echo err >&2; exit 4") == ("hi\n", "err\n", 4)
        big = client.run("head -c 200000 /dev/zero | tr '\\0' x")[0]
        assert len(big) == 200000
        with pytest.raises(SSHCommandTimeoutError) as info:
            client.run("sleep 5", timeout=0.3)
        assert info.value.cmd == "sleep 5" and info.value.timeout == 0.3


def test_ssh_client_host_key_checking_refuses_unknown_hosts(sshd: Any,
                                                            tmp_path: Path) -> None:
    import paramiko

    client = SSHClient(sshd.address, port=sshd.port, username=sshd.user,
                       key_files=str(sshd.private_key), timeout=10, check_host_key=True,
                       known_hosts=str(tmp_path / "known_hosts"))
    with pytest.raises(paramiko.SSHException, match="not found in known_hosts"):
        client.connect()
