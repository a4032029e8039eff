"""The command line: ``cloudstack-driver`` (or ``python -m cloudstack_driver``).

::

    cloudstack-driver call listZones --output table
    cloudstack-driver call deployVirtualMachine zoneid=... templateid=... serviceofferingid=...
    cloudstack-driver nodes | jq '.[].name'
    cloudstack-driver shell --simulator

Output is a table on a terminal and JSON otherwise (``--output`` chooses). A failure prints one
line on stderr and exits non-zero: 2 for a malformed command line or a call ``listApis`` says
cannot work (unknown command or parameter, missing required parameter), 1 for everything else
(configuration, the cloud's errors, the network), 130 after Ctrl-C. The secret never appears.
"""

from __future__ import annotations

import os
import sys
import warnings

from cloudstack_driver.cli.parser import PROG, UsageError, build_parser
from cloudstack_driver.config import ConfigurationError
from cloudstack_driver.discovery import DiscoveryError
from cloudstack_driver.errors import LibcloudError

__all__ = ["main"]


def _fail(message: str, status: int) -> int:
    from cloudstack_driver.cli.session import redact

    line = " ".join(redact(message).split())
    print(f"{PROG}: error: {line}", file=sys.stderr)
    return status


def _warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: object = None, line: str | None = None) -> None:
    """Warnings (Exoscale's closed API, ...) as one line, like errors."""
    from cloudstack_driver.cli.session import redact

    print(f"{PROG}: warning: {' '.join(redact(str(message)).split())}", file=sys.stderr)


def _described(argv: list[str]) -> list[str]:
    """``call COMMAND --help`` describes COMMAND (``describe COMMAND``)."""
    if (len(argv) >= 3 and argv[0] == "call" and not argv[1].startswith("-")
            and ("-h" in argv or "--help" in argv)):
        words = [w for w in argv[1:] if w not in ("-h", "--help")
                 and (w.startswith("-") or "=" not in w)]  # key=value: not describe's
        if not any(w in ("-o", "--output") or w.startswith("--output=") for w in words):
            words += ["--output", "table"]  # help is for reading, even through a pipe
        return ["describe", *words]
    return argv


def _run(argv: list[str]) -> int:
    from cloudstack_driver.cli.actions import ACTIONS
    from cloudstack_driver.cli.session import Session

    parser = build_parser()
    args, extra = parser.parse_known_args(_described(argv))
    if args.action == "call":
        args.params += [w for w in extra if "=" in w and not w.startswith("-")]
        extra = [w for w in extra if not ("=" in w and not w.startswith("-"))]
    if extra:
        raise UsageError(f"unrecognized arguments: {' '.join(extra)} (see '{PROG} "
                         f"{args.action} --help')")
    if args.action == "complete":
        from cloudstack_driver.cli.complete import completions

        try:
            found = completions(args.words)
        except Exception:  # completion must never print a traceback
            found = []
        sys.stdout.write("".join(f"{c}\n" for c in found))
        return 0
    try:
        with Session(args, connect=args.action != "config") as session:
            return ACTIONS[args.action](session, args)
    except ConfigurationError:
        if args.action != "describe" or argv[:1] != ["call"]:
            raise
        # "call COMMAND --help" with no cloud configured: the generic help, and how to get more
        parser.parse_args(["call", "--help"])
        raise


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning
            return _run(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        return _fail(str(exc), 2)
    except DiscoveryError as exc:
        return _fail(str(exc), 2)
    except BrokenPipeError:  # "| head": the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (LibcloudError, ValueError, TypeError, OSError) as exc:
        text = str(exc) or type(exc).__name__
        return _fail(text if isinstance(exc, LibcloudError) else f"{type(exc).__name__}: "
                     f"{text}", 1)
    except KeyboardInterrupt as exc:
        print(f"{PROG}: interrupted" + (f": {exc}" if str(exc) else ""), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug still gets one line, not a traceback
        return _fail(f"unexpected {type(exc).__name__}: {exc}", 1)
