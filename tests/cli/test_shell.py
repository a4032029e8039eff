"""The shell, driven through stdin: IPython when installed, Python's console with --plain or
when IPython cannot be imported."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from cli_support import Run, no_secret, one_error_line

from cloudstack_driver.simulator import Simulator

HAS_IPYTHON = importlib.util.find_spec("IPython") is not None
NO_IPYTHON = ("import sys; sys.modules['IPython'] = None; "
              "from cloudstack_driver.cli import main; sys.exit(main())")

PROBE = """\
wanted = ("driver", "api", "Provider", "get_driver", "Node", "NodeImage", "NodeSize",
          "NodeLocation", "CloudStackError", "sim")
print(sorted(n for n in wanted if n in globals()))
print(api.listZones.__doc__.splitlines()[0])
print(repr(api.listZones))
help(driver.create_node)
"""


@pytest.mark.parametrize("how", [
    pytest.param(["--simulator"], id="ipython",
                 marks=pytest.mark.skipif(not HAS_IPYTHON, reason="IPython not installed")),
    pytest.param(["--simulator", "--plain"], id="plain"),
])
def test_shell_through_stdin(cli: Run, how: list[str]) -> None:
    result = cli("shell", *how, input="print(len(driver.list_locations()))\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2\n"


def test_plain_python_when_ipython_cannot_be_imported(cli: Run) -> None:
    code = "import sys\nprint('IPython' in sys.modules and sys.modules['IPython'] is None)\n" \
           "print([z.name for z in driver.list_locations()])\n"
    result = cli("shell", "--simulator", input=code, python=["-c", NO_IPYTHON])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "True\n['CH-GV2', 'DE-FRA1']\n"


@pytest.mark.parametrize("plain", [False, True])
def test_the_namespace_help_and_short_reprs(cli: Run, plain: bool) -> None:
    if not plain and not HAS_IPYTHON:
        pytest.skip("IPython not installed")
    result = cli("shell", "--simulator", *(["--plain"] if plain else []), input=PROBE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("['CloudStackError', 'Node', 'NodeImage', 'NodeLocation', 'NodeSize', "
                        "'Provider', 'api', 'driver', 'get_driver', 'sim']")
    assert lines[1] == "CloudStack command listZones (a list command: every row, all pages)."
    assert lines[2] == "<api.listZones: Lists zones>"
    rest = "\n".join(lines[3:])
    assert "create_node" in rest and "deployVirtualMachine" in rest  # help() names it


def test_shell_on_the_configured_cloud(cli: Run, ini: Path, sim: Simulator) -> None:
    result = cli("shell", "--plain", input="print(driver.url)\nprint(type(api).__name__)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{sim.url}\nApi\n"
    no_secret(sim, result.stdout, result.stderr)


def test_shell_configuration_errors_are_one_line(cli: Run, home: Path) -> None:
    result = cli("shell", "--region", "nowhere", input="print('never')\n")
    assert result.returncode == 1
    assert "region [nowhere] asked for, but there is no configuration file" in \
        one_error_line(result)
    assert result.stdout == ""
