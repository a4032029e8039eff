"""The advanced-zone examples (examples/advanced_*.py) run against the simulator's Advanced
zone, as a user would run them: a subprocess with CLOUDSTACK_ENDPOINT/KEY/SECRET set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]

#: The list commands whose rows must be the seed's again after the VPC example.
SNAPSHOT_COMMANDS = ("listVirtualMachines", "listVolumes", "listNetworks", "listVPCs",
                     "listPublicIpAddresses", "listPortForwardingRules", "listFirewallRules",
                     "listNetworkACLLists", "listNetworkACLs", "listRouters", "listNics",
                     "listLoadBalancerRules")


def run_example(sim: Simulator, name: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(CLOUDSTACK_ENDPOINT=sim.url, CLOUDSTACK_KEY=sim.api_key,
               CLOUDSTACK_SECRET=sim.secret_key,
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py"), *args],
                            capture_output=True, text=True, timeout=120, env=env, check=False,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def snapshot(sim: Simulator) -> dict[str, list[str]]:
    conn = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, max_retries=0)
    rows: dict[str, list[str]] = {}
    for command in SNAPSHOT_COMMANDS:
        if command == "listNics":
            vms = conn.connection.list("listVirtualMachines")
            found = [n for vm in vms
                     for n in conn.connection.list("listNics", virtualmachineid=vm["id"])]
        else:
            found = conn.connection.list(command)
        rows[command] = sorted(str(r.get("id")) for r in found)
    return rows


def test_the_seed_walk_through_runs_on_the_advanced_zone(sim: Simulator) -> None:
    out = run_example(sim, "advanced_interactive_shell", "--no-shell")
    assert "advanced zones: ['DE-FRA1']" in out
    assert "network defaultGuestNetwork (Isolated) zone=DE-FRA1" in out

    out = run_example(sim, "advanced_create_node")
    assert "created node libcloud" in out
    assert "private_ips=['10.1.1." in out and "public_ips=[]" in out
    assert "'port_forwarding_rules': []" in out and "'zone_name': 'DE-FRA1'" in out

    out = run_example(sim, "advanced_allocate_ip")
    allocated = out.split("allocated ", 1)[1].split(" ", 1)[0]
    assert f"released {allocated}" in out

    before = snapshot(sim)
    out = run_example(sim, "advanced_port_forwarding")
    assert "protocol=TCP, public_port=22, private_port=22" in out
    assert "node public_ips: ['203.0.113." in out
    assert out.rstrip().endswith("rules left: []")
    assert snapshot(sim) == before  # rule deleted, IP released

    out = run_example(sim, "advanced_load_balancer")
    assert "<LoadBalancer: id=" in out and ", name=web, state=0, ip=203.0.113." in out
    assert ", port=80>" in out and "-> port 8080 of 2 members" in out
    assert "health check /health every 10s" in out
    assert "stickiness LbCookie {'cookie-name': 'SRV'}" in out
    assert "member libcloud 10.1.1." in out and "member libcloud-2 10.1.1." in out
    assert "members left: ['libcloud']" in out
    assert out.rstrip().endswith("balancers left: []")
    assert snapshot(sim) == before  # balancer, its IP and the second node gone


def test_port_forwarding_example_needs_a_node(sim: Simulator) -> None:
    env = dict(os.environ, CLOUDSTACK_ENDPOINT=sim.url, CLOUDSTACK_KEY=sim.api_key,
               CLOUDSTACK_SECRET=sim.secret_key, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, str(ROOT / "examples/advanced_port_forwarding.py")],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1
    assert "run examples/advanced_create_node.py first" in result.stderr


def test_load_balancer_example_needs_a_node(sim: Simulator) -> None:
    env = dict(os.environ, CLOUDSTACK_ENDPOINT=sim.url, CLOUDSTACK_KEY=sim.api_key,
               CLOUDSTACK_SECRET=sim.secret_key, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, str(ROOT / "examples/advanced_load_balancer.py")],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1
    assert "run examples/advanced_create_node.py first" in result.stderr


def test_vpc_example_builds_and_leaves_nothing_behind(sim: Simulator) -> None:
    before = snapshot(sim)
    out = run_example(sim, "advanced_vpc")
    assert "VPC example-vpc 10.10.0.0/16 state=Enabled" in out
    assert "ACL list web-acl: Allow tcp 22" in out
    assert "tiers: web (10.10.1.0/24), db (10.10.2.0/24)" in out
    assert "node web1 private_ips=['10.10.1." in out
    assert "ssh -p 2222 root@203.0.113." in out
    assert out.rstrip().endswith("torn down: nothing left behind")
    assert snapshot(sim) == before


def test_examples_refuse_to_run_without_credentials() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, str(ROOT / "examples/advanced_vpc.py")],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1
    assert "set CLOUDSTACK_ENDPOINT" in result.stderr
