"""``deploy_node`` on the asyncio driver over real SSH (tests/integration/conftest.py's sshd):
the simulator's Basic-zone VM answers on a local OpenSSH server. The SSH steps run on a worker
thread, so the event loop goes on meanwhile: another coroutine makes API calls while the
deployment's script runs (the script holds a marker file while it sleeps)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from cloudstack_driver import DeploymentError, NodeState
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.deployment import MultiStepDeployment, ScriptDeployment
from cloudstack_driver.simulator import Simulator

pytestmark = pytest.mark.ssh

DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b.*\b\d{1,2}:\d{2}:\d{2}\b.*\b\d{4}\b")


def _driver(sim: Simulator) -> AsyncCloudStackNodeDriver:
    return AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                     poll_interval=0.01, max_retries=0, retry_delay=0,
                                     job_timeout=30)


def test_deploy_node_runs_its_script_while_the_loop_goes_on(ssh_simulator: Simulator,
                                                            sshd: Any, tmp_path: Path) -> None:
    marker = tmp_path / "running"
    script = ScriptDeployment(f"#!/bin/sh\ntouch {marker}\nsleep 1\nrm {marker}\n/bin/date\n")

    async def main() -> tuple[Any, int, int]:
        async with _driver(ssh_simulator) as d:
            await d.import_key_pair_from_file("test-keypair", str(sshd.public_key))
            image, size = (await d.list_images())[0], (await d.list_sizes())[0]
            done = asyncio.Event()
            during = total = 0

            async def meanwhile() -> None:
                nonlocal during, total
                while not done.is_set():
                    running = marker.exists()
                    await d.list_sizes()  # a request of its own, on the same driver
                    total += 1
                    if running and marker.exists():
                        during += 1
                    await asyncio.sleep(0.01)

            other = asyncio.create_task(meanwhile())
            try:
                node = await d.deploy_node(
                    name="aio-deploy", image=image, size=size, ssh_key=str(sshd.private_key),
                    ex_keyname="test-keypair", deploy=MultiStepDeployment([script]),
                    ssh_port=sshd.port, ssh_username=sshd.user, timeout=60, wait_period=0.2)
            finally:
                done.set()
                await other
            return node, during, total

    node, during, total = asyncio.run(main())
    print(f"\nrequests made by another coroutine while the script ran: {during} of {total}")
    assert node.state is NodeState.RUNNING and node.public_ips == [sshd.address]
    assert node.extra["key_name"] == "test-keypair"
    assert isinstance(node.driver, AsyncCloudStackNodeDriver)
    assert script.exit_status == 0 and script.stderr == ""
    assert script.stdout is not None and DATE.search(script.stdout), script.stdout
    assert not marker.exists()
    assert during >= 3  # the loop was not blocked by the SSH step (about 1 s of it)


def test_deploy_node_with_an_unknown_user_raises_deployment_error(ssh_simulator: Simulator,
                                                                  sshd: Any) -> None:
    async def main() -> DeploymentError:
        async with _driver(ssh_simulator) as d:
            await d.import_key_pair_from_file("test-keypair", str(sshd.public_key))
            image, size = (await d.list_images())[0], (await d.list_sizes())[0]
            with pytest.raises(DeploymentError) as info:
                await d.deploy_node(
                    name="nobody", image=image, size=size, ssh_key=str(sshd.private_key),
                    ex_keyname="test-keypair", ssh_port=sshd.port,
                    ssh_username="no-such-user-here", timeout=3, wait_period=0.2,
                    deploy=ScriptDeployment("/bin/true"))
            [listed] = [n for n in await d.list_nodes() if n.name == "nobody"]
            assert listed.state is NodeState.RUNNING
            return info.value

    error = asyncio.run(main())
    assert error.node.name == "nobody"
    assert "Giving up on SSH" in str(error.original_error)
