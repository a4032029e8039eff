"""What each subcommand does, given its parsed arguments and a connected :class:`Session`."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cloudstack_driver.cli.output import render
from cloudstack_driver.cli.parser import SHORTCUTS, UsageError
from cloudstack_driver.cli.session import Session
from cloudstack_driver.config import SETTINGS
from cloudstack_driver.discovery import CommandSpec, cache_file
from cloudstack_driver.errors import CloudStackError, InvalidCredsError
from cloudstack_driver.http.commands import ASYNC_COMMANDS
from cloudstack_driver.http.paging import UNPAGED_LIST_COMMANDS

__all__ = ["ACTIONS", "parse_params", "waiting_line"]


def parse_params(words: list[str]) -> dict[str, str]:
    """``["zoneid=z1", "name=a=b"]`` -> ``{"zoneid": "z1", "name": "a=b"}``."""
    params: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise UsageError(f"expected key=value, got {word!r}")
        params[name] = value
    return params


@contextmanager
def waiting_line(text: str, enabled: bool, stream: Any = None) -> Iterator[None]:
    """While the block runs, ``text`` and the seconds elapsed on one rewritten line of
    ``stream`` (stderr) - only when ``enabled`` (stderr is a terminal); erased after."""
    out = stream if stream is not None else sys.stderr
    if not enabled:
        yield
        return
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        while True:
            out.write(f"\r{text} {time.monotonic() - started:.0f}s")
            out.flush()
            if done.wait(0.25):
                return

    thread = threading.Thread(target=tick, name="cloudstack-driver-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        out.write("\r" + " " * (len(text) + 8) + "\r")
        out.flush()


def _checked(session: Session, command: str, params: dict[str, str]) -> CommandSpec | None:
    try:
        spec = session.api.spec(command)
    except InvalidCredsError:
        raise
    except CloudStackError as exc:  # listApis turned off or not allowed for this role
        print(f"warning: cannot read listApis ({exc}); {command} is sent unchecked",
              file=sys.stderr)
        return None
    spec.check(params)
    return spec


def do_call(session: Session, args: argparse.Namespace) -> int:
    params = parse_params(args.params)
    command: str = args.command
    spec = None if args.no_check else _checked(session, command, params)
    conn = session.driver.connection
    is_async = bool(spec and spec.isasync) or command in ASYNC_COMMANDS
    result: Any
    if spec is not None:
        paged = spec.is_list
    else:
        paged = (command.startswith("list") and not is_async
                 and command not in UNPAGED_LIST_COMMANDS)
    if paged:
        result = conn.list(command, **params)
    elif is_async:
        first = conn.request(command, wait=False, **params)
        jobid = first.get("jobid")
        if args.no_wait or not jobid:
            result = first
        else:
            try:
                with waiting_line(f"waiting for job {jobid} ({command})",
                                  sys.stderr.isatty()):
                    result = conn.wait_for_job(str(jobid), timeout=args.job_timeout,
                                               command=command)
            except KeyboardInterrupt:
                raise KeyboardInterrupt(f"job {jobid} ({command}) goes on; its outcome: "
                                        f"cloudstack-driver call queryAsyncJobResult "
                                        f"jobid={jobid}") from None
    else:
        result = conn.request(command, **params)
    render(result, session.output(), sys.stdout, session.fields())
    return 0


def _location(driver: Any, wanted: str) -> Any:
    zones = driver.list_locations()
    for zone in zones:
        if wanted in (zone.id, zone.name):
            return zone
    names = ", ".join(f"{z.name} ({z.id})" for z in zones) or "none"
    raise UsageError(f"no location {wanted!r}; the cloud has: {names}")


def do_shortcut(session: Session, args: argparse.Namespace) -> int:
    method = getattr(session.driver, SHORTCUTS[args.action][0])
    kwargs: dict[str, Any] = {}
    if getattr(args, "location", None):
        kwargs["location"] = _location(session.driver, args.location)
    render(method(**kwargs), session.output(), sys.stdout, session.fields(), models=True)
    return 0


def do_commands(session: Session, args: argparse.Namespace) -> int:
    catalog = session.catalog()
    wanted = args.pattern.lower()
    rows = [{"name": s.name, "isasync": s.isasync, "description": s.description}
            for name, s in sorted(catalog.commands.items()) if wanted in name.lower()]
    render(rows, session.output(), sys.stdout, session.fields())
    return 0


def do_describe(session: Session, args: argparse.Namespace) -> int:
    spec = session.api.spec(args.command)
    params = [{"name": p.name, "type": p.type, "required": p.required,
               "description": p.description}
              for p in sorted(spec.params, key=lambda p: (not p.required, p.name))]
    if session.output() == "json":
        data = {"name": spec.name, "isasync": spec.isasync, "description": spec.description,
                "params": params}
        render(data, "json", sys.stdout, session.fields())
        return 0
    kind = "async: waits for its job" if spec.isasync else "no job"
    sys.stdout.write(f"{spec.name} ({kind}): {spec.description}\n\n")
    render(params, "table", sys.stdout, session.fields())
    return 0


def do_sync(session: Session, args: argparse.Namespace) -> int:
    catalog = session.api.refresh()
    conn = session.driver.connection
    cached = None if session.sim is not None else str(cache_file(conn.url, conn.key))
    render({"endpoint": conn.url, "commands": len(catalog.commands), "cache": cached},
           session.output(), sys.stdout, session.fields())
    return 0


def do_config(session: Session, args: argparse.Namespace) -> int:
    if session.settings is None:
        data: dict[str, Any] = {"region": None, "endpoint": session.driver.url,
                                "source": "--simulator"}
        render(data, session.output(), sys.stdout, session.fields())
        return 0
    settings = session.settings
    rows = []
    for name in SETTINGS:
        value = settings.values.get(name)
        shown = ("(set)" if value else None) if name == "secret" else value
        if value is not None or name in ("endpoint", "key", "secret"):
            rows.append({"setting": name, "value": shown,
                         "source": settings.sources.get(name, "(not set)")})
    if session.output() == "json":
        render({"region": settings.region, "settings": rows,
                "looked_in": list(settings.looked_in)}, "json", sys.stdout, session.fields())
    else:
        sys.stdout.write(f"region [{settings.region}]\n")
        render(rows, "table", sys.stdout, session.fields(), models=True, cut=False)
    return 0


def do_shell(session: Session, args: argparse.Namespace) -> int:
    from cloudstack_driver.shell import run

    if args.refresh:
        session.api.refresh()
    return run(session.driver, session.sim, plain=args.plain)


ACTIONS: dict[str, Callable[[Session, argparse.Namespace], int]] = {
    "call": do_call, "commands": do_commands, "describe": do_describe, "sync": do_sync,
    "config": do_config, "shell": do_shell,
    **dict.fromkeys(SHORTCUTS, do_shortcut),
}
