"""The configuration and command-line pages hold: every ``console`` block's commands run, in
order, against a simulator that the page's ``~/.cloudstack.ini`` points at, and print what the
page shows; every ``ini`` block is a valid configuration. (The Python examples the pages
include run in tests/integration/test_examples_config.py.)

A page's example URLs (``https://*.example.com/client/api``), ``YOUR_API_KEY``,
``YOUR_SECRET_KEY`` and ``/home/me`` stand for the simulator's URL and keys and the test's home.
Expected output is matched as doctest does with ELLIPSIS and NORMALIZE_WHITESPACE, runs of
``-`` (table rules) counting as one.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import ROOT, cli_env

from cloudstack_driver.config import load
from cloudstack_driver.simulator import Simulator

DOCS = ROOT / "docs"
PAGES = ["configuration.rst", "command-line.rst"]
CHECKER = doctest.OutputChecker()
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def blocks(text: str, language: str) -> list[tuple[dict[str, str], str]]:
    """The ``.. code-block:: <language>`` blocks of a page: (options, body)."""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip() != f".. code-block:: {language}":
            continue
        options: dict[str, str] = {}
        body: list[str] = []
        for following in lines[index + 1:]:
            if following.strip() and not following.startswith("   "):
                break
            match = re.match(r"   :(\w+):\s*(.*)", following)
            if match and not body:
                options[match.group(1)] = match.group(2)
            else:
                body.append(following[3:])
        found.append((options, "\n".join(body).strip("\n") + "\n"))
    return found


def commands(body: str) -> list[tuple[str, str]]:
    """``$ command`` lines and the output each is shown with."""
    runs: list[tuple[str, str]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], ""))
        elif runs:
            runs[-1] = (runs[-1][0], runs[-1][1] + line + "\n")
    return runs


def _matches(want: str, got: str) -> bool:
    def rules(text: str) -> str:
        return re.sub(r"-{2,}", "-", text)

    return CHECKER.check_output(rules(want), rules(got), FLAGS)


def _substitution(sim: Simulator, home: Path) -> Callable[[str], str]:
    def apply(text: str) -> str:
        text = re.sub(r"https://[a-z.]+\.example\.com/client/api", sim.url, text)
        text = text.replace("YOUR_API_KEY", sim.api_key).replace("YOUR_SECRET_KEY",
                                                                    sim.secret_key)
        return text.replace("/home/me", str(home))

    return apply


def _environment(home: Path) -> dict[str, str]:
    bin_dir = home.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "cloudstack-driver"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cloudstack_driver "$@"\n')
    shim.chmod(0o755)
    env = cli_env(home)
    env.pop("XDG_CACHE_HOME")
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.parametrize("page", PAGES)
def test_console_examples_print_what_the_page_shows(page: str, tmp_path: Path) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    runs = [run for _options, body in blocks(text, "console") for run in commands(body)]
    assert len(runs) >= 3, f"{page}: too few examples to mean something"
    home = tmp_path / "me"
    home.mkdir()
    with Simulator(job_duration=0.05) as sim:
        subst = _substitution(sim, home)
        inis = [body for options, body in blocks(
            (DOCS / "configuration.rst").read_text(encoding="utf-8"), "ini")
                if options.get("caption") == "~/.cloudstack.ini"]
        (home / ".cloudstack.ini").write_text(subst(inis[0]), encoding="utf-8")
        env = _environment(home)
        for command, want in runs:
            result = subprocess.run(["bash", "-c", subst(command)], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, timeout=120,
                                    env=env, cwd=home, stdin=subprocess.DEVNULL, check=False)
            shown = subst(want)
            assert _matches(shown, result.stdout), (
                f"{page}: $ {command}\n--- the page shows\n{shown}--- it printed\n"
                f"{result.stdout}")
            failed = "error:" in want
            assert (result.returncode != 0) == failed, (command, result.returncode)
            assert sim.secret_key not in result.stdout


def test_every_ini_block_is_a_valid_configuration(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CLOUDSTACK_"):
            monkeypatch.delenv(name)
    checked = 0
    for page in PAGES:
        for _options, body in blocks((DOCS / page).read_text(encoding="utf-8"), "ini"):
            path = tmp_path / f"block{checked}.ini"
            path.write_text(body, encoding="utf-8")
            for section in re.findall(r"^\[([^\]]+)\]", body, re.MULTILINE):
                settings = load(section, path)
                assert settings.values.get("key") and settings.values.get("secret")
            checked += 1
    assert checked >= 2
