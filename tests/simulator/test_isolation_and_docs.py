"""The simulator stands alone; the coverage page is generated; the command line serves."""

from __future__ import annotations

import ast
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests
from sim_helpers import sign

import cloudstack_driver.simulator as simulator_package
from cloudstack_driver.simulator.__main__ import build_parser
from cloudstack_driver.simulator.coverage import render_rst

SIM_DIR = Path(simulator_package.__file__).parent
ROOT = SIM_DIR.parent.parent


def _outside_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_depth = len(path.relative_to(SIM_DIR).parts) - 1  # 0 for simulator/x.py
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if a.name.split(".")[0] == "cloudstack_driver"
                    and not a.name.startswith("cloudstack_driver.simulator")]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                module = node.module or ""
                if module.split(".")[0] == "cloudstack_driver" and not module.startswith(
                        "cloudstack_driver.simulator"):
                    bad.append(module)
            elif node.level > package_depth + 1:
                bad.append("." * node.level + (node.module or ""))
    return bad


def test_simulator_imports_nothing_else_from_the_package() -> None:
    modules = sorted(SIM_DIR.rglob("*.py"))
    assert len(modules) > 10
    offenders = {str(p.relative_to(SIM_DIR)): _outside_imports(p) for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_isolation_check_catches_offenders(tmp_path: Path) -> None:
    fake = SIM_DIR / "handlers" / "_probe_for_test.py"
    fake.write_text("from ...errors import CloudStackError\nimport cloudstack_driver.models\n")
    try:
        assert _outside_imports(fake) == ["...errors", "cloudstack_driver.models"]
    finally:
        fake.unlink()


def test_coverage_page_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "simulator-coverage.rst").read_text(encoding="utf-8")
    assert committed == render_rst(), (
        "regenerate: python -m cloudstack_driver.simulator.coverage > docs/simulator-coverage.rst")


def test_command_line_serves_and_prints_keys() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "cloudstack_driver.simulator", "--port", "0",
                             "--api-key", "CLIKEY", "--secret-key", "CLISECRET"],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        url = lines[0].split(" at ")[1].strip()
        assert "CLIKEY" in lines[1] and "CLISECRET" in lines[2]
        params = {"command": "listZones", "response": "json", "apiKey": "CLIKEY"}
        params["signature"] = sign(params, "CLISECRET")
        assert requests.get(url, params=params, timeout=10).json()["listzonesresponse"][
            "count"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def _options() -> list[str]:
    return [o for action in build_parser()._actions for o in action.option_strings
            if o.startswith("--") and o != "--help"]


def test_command_line_help_names_and_docs_describe_every_option() -> None:
    done = subprocess.run([sys.executable, "-m", "cloudstack_driver.simulator", "--help"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    docs = (ROOT / "docs" / "simulator.rst").read_text(encoding="utf-8")
    options = _options()
    assert {"--host", "--port", "--api-key", "--secret-key", "--job-duration", "--page-size",
            "--vms", "--ssh-address"} <= set(options)
    for option in options:
        assert option in done.stdout, option
        assert f"``{option}" in docs, f"docs/simulator.rst does not describe {option}"
    for action in build_parser()._actions:  # every option says what it does
        assert action.help, action.option_strings


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cloudstack_driver.simulator", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _stopped(proc: subprocess.Popen[str], *signals: int) -> tuple[str, str]:
    """Send ``signals`` in turn, then wait (bounded) for the process; it is killed and its
    pipes closed whatever happens, so a hung process fails this test and leaks nothing."""
    try:
        for sig in signals:
            proc.send_signal(sig)
        return proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _refuses(url: str) -> bool:
    try:
        requests.get(url, timeout=2).close()
    except requests.ConnectionError:
        return True
    return False


def test_ctrl_c_stops_the_command_line_cleanly() -> None:
    proc = _serve("--port", "0", "--api-key", "K", "--secret-key", "S")
    assert proc.stdout is not None
    url = proc.stdout.readline().split(" at ")[1].strip()
    _out, err = _stopped(proc, signal.SIGINT)  # lands while the banner is still printing
    assert proc.returncode == 0, err
    assert err.strip() == "stopping" and "Traceback" not in err
    assert _refuses(url), "the port still answers after Ctrl-C"


def test_ctrl_c_while_seeding_and_twice_while_serving() -> None:
    """Ctrl-C before the server is up (10,000 VMs being made) ends the process; two quick
    Ctrl-C while serving end it too (the second without waiting)."""
    proc = _serve("--port", "0", "--vms", "10000")
    _out, err = _stopped(proc, signal.SIGINT)
    assert proc.returncode in (0, 1, -signal.SIGINT), err
    assert "Traceback" not in err or "KeyboardInterrupt" in err  # before main(): Python's own
    proc = _serve("--port", "0")
    assert proc.stdout is not None
    url = proc.stdout.readline().split(" at ")[1].strip()
    assert proc.stdout.readline().startswith("api key:")
    _out, err = _stopped(proc, signal.SIGINT, signal.SIGINT)
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err
    assert _refuses(url)


def test_sigterm_stops_it_like_ctrl_c() -> None:
    proc = _serve("--port", "0")
    assert proc.stdout is not None
    url = proc.stdout.readline().split(" at ")[1].strip()
    _out, err = _stopped(proc, signal.SIGTERM)
    assert proc.returncode == 0 and err.strip() == "stopping", err
    assert _refuses(url)


def test_command_line_refuses_bad_values_and_a_taken_port() -> None:
    for bad in (["--port", "-1"], ["--job-duration", "x"], ["--page-size", "0"],
                ["--vms", "-3"]):
        done = subprocess.run([sys.executable, "-m", "cloudstack_driver.simulator", *bad],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.returncode == 2 and "Traceback" not in done.stderr, bad
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, "-m", "cloudstack_driver.simulator", "--port",
                               port], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(f"cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr
