"""The command line's arguments: one ``argparse`` subcommand per action, ``--help`` on each."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

__all__ = ["PROG", "SHORTCUTS", "CliParser", "UsageError", "build_parser"]

PROG = "cloudstack-driver"

#: subcommand -> (driver method, help)
SHORTCUTS = {
    "nodes": ("list_nodes", "virtual machines (driver.list_nodes)"),
    "images": ("list_images", "templates (driver.list_images)"),
    "sizes": ("list_sizes", "service offerings (driver.list_sizes)"),
    "locations": ("list_locations", "zones (driver.list_locations)"),
}


EXAMPLES = """examples:
  cloudstack-driver call listZones --output table
  cloudstack-driver call deployVirtualMachine zoneid=Z templateid=T serviceofferingid=S
  cloudstack-driver call listVirtualMachines --fields id,name,state
  cloudstack-driver nodes --region prod
  cloudstack-driver shell --simulator
"""


class UsageError(Exception):
    """A malformed command line (exit status 2)."""


class CliParser(argparse.ArgumentParser):
    """Errors are one line on stderr (no usage block), exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _connection_options() -> CliParser:
    parent = CliParser(add_help=False)
    group = parent.add_argument_group("configuration")
    group.add_argument("--region", metavar="R",
                       help="section of the ini file (default $CLOUDSTACK_REGION, else "
                            "'cloudstack')")
    group.add_argument("--config", metavar="PATH",
                       help="ini file to read instead of ~/.cloudstack.ini, ./cloudstack.ini "
                            "and $CLOUDSTACK_CONFIG")
    group.add_argument("--simulator", action="store_true",
                       help="start the bundled CloudStack simulator and use it (no "
                            "configuration needed)")
    group.add_argument("--refresh", action="store_true",
                       help="fetch listApis again instead of using the cached copy")
    return parent


def _output_options() -> CliParser:
    parent = CliParser(add_help=False)
    group = parent.add_argument_group("output")
    group.add_argument("-o", "--output", choices=("json", "table"),
                       help="json or table (default: table on a terminal, json otherwise)")
    group.add_argument("-f", "--fields", metavar="A,B",
                       help="only these fields, comma-separated (dots reach into nested "
                            "values: extra.zone_id)")
    return parent


def build_parser() -> CliParser:
    conn, out = _connection_options(), _output_options()
    parser = CliParser(
        prog=PROG, description="Drive a CloudStack cloud: any API command, a few driver "
        "shortcuts, and an interactive shell.\nConfiguration: CLOUDSTACK_ENDPOINT, "
        "CLOUDSTACK_KEY, CLOUDSTACK_SECRET, or ~/.cloudstack.ini.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES)
    from cloudstack_driver import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def add(name: str, help: str, parents: list[CliParser], **kw: Any
            ) -> argparse.ArgumentParser:
        made: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help,
                                                       parents=parents, **kw)
        return made

    call = add("call", "send any API command: call COMMAND key=value ... (checked against "
               "the server's listApis; list commands return every page; async commands wait "
               "for their job).", [conn, out],
               epilog="'call COMMAND --help' lists COMMAND's parameters from the server's "
               "listApis (a cloud must be configured, or --simulator given).")
    call.add_argument("command", metavar="COMMAND", help="the CloudStack command (listZones)")
    call.add_argument("params", metavar="key=value", nargs="*", default=[],
                      help="parameters, e.g. zoneid=... tags[0].key=env tags[0].value=prod")
    call.add_argument("--no-wait", action="store_true",
                      help="for async commands: print the job id instead of waiting")
    call.add_argument("--job-timeout", type=float, metavar="S",
                      help="seconds to wait for an async job")
    call.add_argument("--no-check", action="store_true",
                      help="send without checking the command against listApis")
    for name, (_method, text) in SHORTCUTS.items():
        shortcut = add(name, f"list {text}", [conn, out])
        if name != "locations":
            shortcut.add_argument("--location", metavar="ZONE", help="zone id or name")
    listing = add("commands", "list the commands the server offers (from listApis)",
                  [conn, out])
    listing.add_argument("pattern", nargs="?", default="",
                         help="only names containing this text (any case)")
    describe = add("describe", "a command's description and parameters (from listApis)",
                   [conn, out])
    describe.add_argument("command", metavar="COMMAND")
    add("sync", "fetch listApis again and cache it (cmk's sync)", [conn, out])
    add("config", "show the configuration in use and where each value came from (the secret "
        "is never shown)", [conn, out])
    shell = add("shell", "an interactive Python shell with a connected 'driver' (IPython "
                "when installed)", [conn])
    shell.add_argument("--plain", action="store_true",
                       help="Python's own console even when IPython is installed")
    complete = add("complete", "print completions for a partial command line (for the "
                   "shell's tab completion; see the docs)", [])
    complete.add_argument("words", nargs="*", help="the words after the program name")
    return parser
