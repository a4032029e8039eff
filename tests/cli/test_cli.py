"""``python -m cloudstack_driver`` in a subprocess, configured by ~/.cloudstack.ini in a
temporary HOME and talking to a simulator started by the test."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from cli_support import Run, cli_env, no_secret, one_error_line, write_ini

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.cli.output import to_data
from cloudstack_driver.simulator import Simulator

ZONES = [("1128bd56-b4d9-4ac6-a7b9-c715b187ce11", "CH-GV2", "Basic"),
         ("4a8b5b77-0a77-4b4a-8c4e-8e9a4b5c2f01", "DE-FRA1", "Advanced")]
DEPLOY = ["deployVirtualMachine", f"zoneid={ZONES[0][0]}",
          "templateid=13ccff62-132b-4caf-b456-e8ef20cbff0e",
          "serviceofferingid=ef2537ad-c70f-11e1-821b-0800277e749c"]


def test_the_console_script_is_the_same_main() -> None:
    (script,) = entry_points(group="console_scripts", name="cloudstack-driver")
    assert script.value == "cloudstack_driver.cli:main"


def test_call_list_zones_as_a_table(cli: Run, ini: Path, sim: Simulator) -> None:
    result = cli("call", "listZones", "--output", "table")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "networktype", "type", "description"]
    assert [line.split()[:3] for line in lines[2:]] == [list(z) for z in ZONES]


def test_call_list_zones_as_json_and_json_by_default(cli: Run, ini: Path) -> None:
    explicit = cli("call", "listZones", "--output", "json")
    default = cli("call", "listZones")  # stdout is a pipe: JSON
    assert explicit.returncode == default.returncode == 0
    rows = json.loads(explicit.stdout)
    assert [(r["id"], r["name"], r["networktype"]) for r in rows] == ZONES
    assert json.loads(default.stdout) == rows
    picked = json.loads(cli("call", "listZones", "name=DE-FRA1", "-f", "id,name").stdout)
    assert picked == [{"id": ZONES[1][0], "name": "DE-FRA1"}]


def test_async_command_waits_and_prints_no_progress_off_a_terminal(cli: Run, ini: Path
                                                                   ) -> None:
    result = cli("call", *DEPLOY, "name=cli-vm", "--output", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    vm = json.loads(result.stdout)["virtualmachine"]
    assert (vm["name"], vm["state"]) == ("cli-vm", "Running")
    queued = json.loads(cli("call", *DEPLOY, "--no-wait").stdout)
    assert set(queued) == {"jobid", "id"}


def test_progress_line_on_a_terminal(home: Path, ini: Path) -> None:
    """stderr a pseudo-terminal: the waiting line is drawn there, stdout still gets JSON."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "cloudstack_driver", "call", *DEPLOY],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=slave, env=cli_env(home), cwd=home)
        os.close(slave)
        slave = -1
        terminal = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            terminal += chunk
        out, _ = proc.communicate(timeout=60)
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert proc.returncode == 0
    assert b"waiting for job " in terminal and b"(deployVirtualMachine)" in terminal
    assert json.loads(out)["virtualmachine"]["state"] == "Running"


def test_shortcuts_print_the_models_the_library_returns(cli: Run, ini: Path, sim: Simulator
                                                        ) -> None:
    driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url)
    node = driver.create_node(name="short", size=driver.list_sizes()[0],
                              image=driver.list_images()[0])
    for action, method in [("nodes", driver.list_nodes), ("images", driver.list_images),
                           ("sizes", driver.list_sizes), ("locations", driver.list_locations)]:
        result = cli(action, "--output", "json")
        assert result.returncode == 0, (action, result.stderr)
        assert json.loads(result.stdout) == to_data(method()), action
    table = cli("nodes", "--output", "table").stdout.splitlines()
    assert table[0].split()[:3] == ["id", "name", "state"]
    assert table[2].split()[:3] == [node.id, "short", "running"]
    sizes = cli("sizes", "--location", "DE-FRA1", "-o", "table", "-f", "name,ram").stdout
    assert sizes.splitlines()[2].split() == ["tinyOffering", "100"]


def test_help_everywhere(cli: Run) -> None:
    for args in [["--help"], ["call", "--help"], ["nodes", "--help"], ["shell", "--help"],
                 ["config", "--help"], ["complete", "--help"], ["sync", "--help"]]:
        result = cli(*args)
        assert result.returncode == 0, args
        assert result.stdout.startswith("usage: cloudstack-driver"), args
    main_help = cli("--help").stdout
    for action in ("call", "nodes", "images", "sizes", "locations", "shell", "sync", "config"):
        assert re.search(rf"^ {{4}}{action}\b", main_help, re.MULTILINE), action
    assert "cloudstack-driver call listZones --output table" in main_help


def test_call_command_help_describes_it_from_listapis(cli: Run, ini: Path) -> None:
    result = cli("call", "deployVirtualMachine", "--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("deployVirtualMachine (async: waits for its job): Creates")
    assert [line.split()[:3] for line in lines[4:7]] == [
        ["serviceofferingid", "uuid", "true"], ["templateid", "uuid", "true"],
        ["zoneid", "uuid", "true"]]


@pytest.mark.parametrize(("args", "status", "message"), [
    (["call", "listZone"], 2,
     "the server lists no command 'listZone'; did you mean listZones?"),
    (["call", "listZones", "nmae=CH-GV2"], 2,
     "listZones takes no parameter 'nmae'; did you mean name?"),
    (["call", "deployVirtualMachine", f"zoneid={ZONES[0][0]}"], 2,
     "deployVirtualMachine needs templateid, serviceofferingid (required by the server's "
     "listApis)"),
    (["call", "listZones", "oops"], 2, "expected key=value, got 'oops'"),
    (["call"], 2, "the following arguments are required: COMMAND (see 'cloudstack-driver "
     "call --help')"),
    (["frobnicate"], 2, "argument ACTION: invalid choice: 'frobnicate'"),
    (["call", "listZones", "id=nope"], 1, "listZones: Unable to execute API command listzones"),
    (["nodes", "--region", "nowhere"], 1, "no region [nowhere] in the configuration"),
    (["images", "--location", "Mars"], 2, "no location 'Mars'; the cloud has: CH-GV2"),
])
def test_errors_are_one_line_with_a_status(cli: Run, ini: Path, sim: Simulator,
                                           args: list[str], status: int, message: str) -> None:
    result = cli(*args)
    assert result.returncode == status, result.stderr
    assert message in one_error_line(result)
    assert result.stdout == ""
    no_secret(sim, result.stdout, result.stderr)


def test_no_configuration_names_what_and_where(cli: Run, home: Path) -> None:
    result = cli("call", "listZones", env={"CLOUDSTACK_KEY": "K", "CLOUDSTACK_SECRET": "TOPS"})
    assert result.returncode == 1
    line = one_error_line(result)
    assert "CloudStack endpoint not configured: set CLOUDSTACK_ENDPOINT, or write endpoint =" \
        in line
    assert f"{home / '.cloudstack.ini'} (not found)" in line
    assert "TOPS" not in result.stderr


def test_bad_credentials_never_show_the_secret(cli: Run, home: Path, sim: Simulator) -> None:
    write_ini(home, sim, extra="")
    text = (home / ".cloudstack.ini").read_text().replace(sim.secret_key, "WRONG-SECRET-123")
    (home / ".cloudstack.ini").write_text(text)
    result = cli("call", "listZones")
    assert result.returncode == 1
    assert "errorcode=401" in one_error_line(result)
    assert "WRONG-SECRET-123" not in result.stderr + result.stdout


def test_env_wins_over_the_file_on_the_command_line(cli: Run, home: Path, sim: Simulator
                                                    ) -> None:
    path = home / ".cloudstack.ini"
    path.write_text("[cloudstack]\nendpoint = http://127.0.0.1:9/client/api\nkey = nope\n"
                    "secret = nope\n")
    env = {"CLOUDSTACK_ENDPOINT": sim.url, "CLOUDSTACK_KEY": sim.api_key,
           "CLOUDSTACK_SECRET": sim.secret_key}
    result = cli("locations", "-f", "name", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"name": "CH-GV2"}, {"name": "DE-FRA1"}]
    shown = cli("config", "-o", "json", env=env)
    settings = {row["setting"]: row for row in json.loads(shown.stdout)["settings"]}
    assert settings["endpoint"]["source"] == "CLOUDSTACK_ENDPOINT"
    assert settings["secret"]["value"] == "(set)"
    no_secret(sim, shown.stdout)


def test_sync_and_the_cache(cli: Run, ini: Path, home: Path, sim: Simulator) -> None:
    result = cli("sync", "-o", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["endpoint"] == sim.url and data["commands"] > 50
    cache = Path(data["cache"])
    assert cache.parent == home / ".cache" / "cloudstack_driver" and cache.is_file()
    no_secret(sim, cache.read_text())
    listing = json.loads(cli("commands", "zone").stdout)
    assert listing == [{"name": "listZones", "isasync": False, "description": "Lists zones"}]


def test_completion(cli: Run, ini: Path) -> None:
    def complete(*words: str) -> list[str]:
        result = cli("complete", "--", *words)
        assert result.returncode == 0 and result.stderr == ""
        return result.stdout.splitlines()

    assert complete("ca") == ["call "]
    assert complete("call", "listZ") == ["listZones "]
    assert complete("call", "listZones", "na") == ["name="]
    assert "templateid=" not in complete("call", "deployVirtualMachine", "templateid", "=",
                                         "x", "")
    assert complete("call", "listZones", "--out") == ["--output "]
    assert complete("call", "listZones", "--output", "t") == ["table "]
    assert complete("nodes", "--region", "") == ["cloudstack "]
    assert complete("call", "listZones", "--region", "nowhere", "") == []  # silent failure
