"""Shared by the ``test_network_*`` files: a seeded cloud whose jobs run when the test says.

Handlers are called directly (``Env.call``); ``Env.run`` also finishes the job an async command
starts and returns its ``jobresult`` (or raises the job's :class:`ApiError`).
"""

from __future__ import annotations

from typing import Any

import pytest
from sim_helpers import spec_problems

from cloudstack_driver.simulator import render
from cloudstack_driver.simulator.app import SimulatorApp
from cloudstack_driver.simulator.errors import ApiError
from cloudstack_driver.simulator.handlers import (  # noqa: F401  (register the commands)
    addresses,
    firewall,
    forwarding,
    networks,
    security_groups,
    vpc,
    vpn,
)
from cloudstack_driver.simulator.registry import COMMANDS, Call
from cloudstack_driver.simulator.seed import ADVANCED_ZONE_ID, BASIC_ZONE_ID, seed
from cloudstack_driver.simulator.state import Cloud, JobTicket

__all__ = ["ADVANCED_ZONE_ID", "BASIC_ZONE_ID", "Env", "env_fixture"]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Env:
    """A seeded cloud with a hand-driven clock."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.cloud = Cloud(api_key="KEY", secret_key="SECRET", job_duration=1.0,
                           clock=self.clock)
        seed(self.cloud)

    def call(self, command: str, /, **params: Any) -> Any:
        """The handler, after the app's own checks (required parameters, spec types); a
        sync answer must use only the spec's field names."""
        flat = {k: _text(v) for k, v in params.items() if v is not None}
        entry = COMMANDS[command]
        SimulatorApp(self.cloud)._check(entry, flat, {"REQUEST_METHOD": "POST"})
        out = entry.handler(Call(self.cloud, command, flat))
        if not isinstance(out, JobTicket):
            inner = ({"count": len(out), entry.list_key: render.clean(out)}
                     if entry.list_key is not None else render.clean(out))
            assert spec_problems(command, inner) == set()
        return out

    def finish(self, ticket: JobTicket) -> dict[str, Any]:
        self.clock.now += 5
        self.cloud.jobs.advance()
        job = self.cloud.jobs.jobs[ticket.jobid]
        assert job.result is not None
        if job.status == 2:
            raise ApiError(job.resultcode, job.result["errortext"])
        assert spec_problems(job.cmd.rsplit(".", 1)[-1][:-3], render.clean(job.result)) == set()
        return job.result

    def run(self, command: str, /, **params: Any) -> Any:
        out = self.call(command, **params)
        if isinstance(out, JobTicket):
            return self.finish(out)
        return out

    # -- fixtures of the advanced zone -------------------------------------------------
    def default_network(self, zone: str = ADVANCED_ZONE_ID) -> dict[str, Any]:
        return self.cloud.where("network", zoneid=zone)[0]

    def vm(self, network: dict[str, Any], name: str = "web", **extra: Any) -> dict[str, Any]:
        """A VM record with one NIC on ``network`` (built directly, not via deploy)."""
        vm: dict[str, Any] = {"id": self.cloud.new_id(), "name": name, "displayname": name,
                              "state": "Running", "zoneid": network["zoneid"], "nic": [],
                              "securitygroup": [], **extra}
        self.cloud.add("virtualmachine", vm)
        call = Call(self.cloud, "deployVirtualMachine", {})
        vm["nic"].append(networks.allocate_nic(self.cloud, call, network, vm, default=True))
        return vm

    def count(self, table: str) -> int:
        return len(self.cloud.table(table))


@pytest.fixture(name="env")
def env_fixture() -> Env:
    return Env()
