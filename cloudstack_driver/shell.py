"""An interactive shell with a connected ``driver``: IPython when installed, else Python's own.

``python -m cloudstack_driver shell [--region R | --simulator] [--plain]`` calls :func:`run`.
The namespace holds ``driver``, ``api`` (``driver.api``: every command the server lists, with
completion and ``help()``), ``Provider``, ``get_driver``, the models and the exceptions, and
``sim`` with ``--simulator``. Tab completion: IPython's, or ``rlcompleter`` on a terminal.

Fed from a pipe (stdin not a terminal), it prints no banner and no prompts, so
``echo 'print(len(driver.list_locations()))' | cloudstack-driver shell --simulator --plain``
prints ``2``.
"""

from __future__ import annotations

import code
import sys
from typing import Any

__all__ = ["BANNER", "namespace", "run"]

BANNER = """cloudstack_driver shell: {url}
  driver      {driver_class} (try driver.list_nodes(), driver.ex_<TAB>, help(driver.create_node))
  api         every command the server lists: api.listZones(), api.list<TAB>, help(api.listZones)
  Provider, get_driver, Node, NodeImage, NodeSize, NodeLocation, ... are imported{sim}"""


def namespace(driver: Any, sim: Any = None) -> dict[str, Any]:
    """The shell's names: the driver, its ``api``, the public names of the package."""
    import cloudstack_driver

    names: dict[str, Any] = {name: getattr(cloudstack_driver, name)
                             for name in cloudstack_driver.__all__ if not name.startswith("_")}
    names.update(driver=driver, api=driver.api)
    if sim is not None:
        names["sim"] = sim
    return names


def banner(names: dict[str, Any]) -> str:
    driver = names["driver"]
    sim = "\n  sim         the simulator (sim.url, sim.api_key)" if "sim" in names else ""
    return BANNER.format(url=driver.url, driver_class=type(driver).__name__, sim=sim)


def _plain(names: dict[str, Any], interactive: bool) -> None:
    if interactive:
        try:
            import readline
            import rlcompleter
        except ImportError:  # no readline on this platform: no completion, still a shell
            pass
        else:
            readline.set_completer(rlcompleter.Completer(names).complete)
            readline.parse_and_bind("tab: complete")
    else:
        sys.ps1 = sys.ps2 = ""
    code.interact(banner=banner(names) if interactive else "", local=names, exitmsg="")


def _ipython(names: dict[str, Any], interactive: bool) -> bool:
    try:
        import IPython
        from traitlets.config import Config
    except ImportError:
        return False
    config = Config()
    config.TerminalInteractiveShell.banner2 = banner(names) + "\n" if interactive else ""
    config.TerminalIPythonApp.display_banner = interactive
    if not interactive:  # fed from a pipe: the output only
        from IPython.terminal.prompts import Prompts

        class Quiet(Prompts):
            def in_prompt_tokens(self) -> list[Any]:
                return []

            def continuation_prompt_tokens(self, *args: Any, **kwargs: Any) -> list[Any]:
                return []

            def out_prompt_tokens(self) -> list[Any]:
                return []

        shell = config.TerminalInteractiveShell
        shell.simple_prompt = True
        shell.confirm_exit = False
        shell.prompts_class = Quiet
        shell.separate_in = shell.separate_out = shell.separate_out2 = ""
        config.HistoryManager.enabled = False
    IPython.start_ipython(argv=[], user_ns=names, config=config)
    return True


def run(driver: Any, sim: Any = None, *, plain: bool = False) -> int:
    """Open the shell on ``driver``; returns the exit status once the user leaves it."""
    names = namespace(driver, sim)
    interactive = sys.stdin.isatty()
    if plain or not _ipython(names, interactive):
        _plain(names, interactive)
    return 0
