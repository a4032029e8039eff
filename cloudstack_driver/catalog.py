"""The server's commands as ``listApis`` describes them, and the cache of that answer.

:func:`load_catalog` reads the cache file of an endpoint and API key, else fetches ``listApis``
and writes it (``$XDG_CACHE_HOME/cloudstack_driver/apis-<hash>.json``, default
``~/.cache/cloudstack_driver/``; the name is a hash of the URL and the key, the content holds
neither the key nor the secret). :class:`CommandSpec.check` raises the "did you mean" errors
that :mod:`cloudstack_driver.discovery` documents.
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cloudstack_driver.errors import LibcloudError

__all__ = ["CACHE_FORMAT", "Catalog", "CommandSpec", "DiscoveryError", "MissingParameterError",
           "ParamSpec", "UnknownCommandError", "UnknownParameterError", "cache_dir",
           "cache_file", "fetch", "load_catalog"]

log = logging.getLogger("cloudstack_driver.discovery")
CACHE_FORMAT = 1
_BASE = re.compile(r"[^\[.]+")


class DiscoveryError(LibcloudError, ValueError):
    """A call that ``listApis`` says cannot work; nothing was sent. ``command`` names it,
    ``suggestions`` holds the close names."""

    def __init__(self, value: str, *, command: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(value)
        self.command = command
        self.suggestions = suggestions


class UnknownCommandError(DiscoveryError, AttributeError):
    """The server lists no such command (an ``AttributeError`` too: ``api.nosuch`` raises it,
    ``hasattr(api, "nosuch")`` is False)."""


class UnknownParameterError(DiscoveryError):
    """The command takes no such parameter (``parameter`` names it)."""

    parameter = ""


class MissingParameterError(DiscoveryError):
    """Required parameters are missing (``missing`` names them)."""

    missing: tuple[str, ...] = ()


def _close(word: str, choices: Iterable[str]) -> tuple[str, ...]:
    """Up to three names like ``word``: a different case first, then those nearly as close as
    the closest (``listZone`` -> ``listZones`` alone, not also ``listVolumes``)."""
    pool = list(choices)
    same = [c for c in pool if c.lower() == word.lower() and c != word]
    close = difflib.get_close_matches(word, pool, n=3, cutoff=0.6)
    if close:
        best = difflib.SequenceMatcher(None, word, close[0]).ratio()
        close = [c for c in close if difflib.SequenceMatcher(None, word, c).ratio() >= best - 0.1]
    return tuple(dict.fromkeys(same + close))


def _did_you_mean(suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return ""
    head = ", ".join(suggestions[:-1])
    return f"; did you mean {head + ' or ' if head else ''}{suggestions[-1]}?"


@dataclass(frozen=True)
class ParamSpec:
    """One parameter as ``listApis`` describes it."""

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class CommandSpec:
    """One command as ``listApis`` describes it."""

    name: str
    description: str = ""
    isasync: bool = False
    params: tuple[ParamSpec, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.required)

    @property
    def is_list(self) -> bool:
        """A ``list*`` command that pages: called through ``connection.list`` (every row)."""
        from cloudstack_driver.http.paging import UNPAGED_LIST_COMMANDS

        return (self.name.startswith("list") and not self.isasync
                and self.name not in UNPAGED_LIST_COMMANDS)

    def doc(self) -> str:
        """The docstring of ``driver.api.<name>``: the command, what it waits for, its
        parameters (required ones first)."""
        how = ("an async command: waits for its job (wait=False: the job id)" if self.isasync
               else "a list command: every row, all pages" if self.is_list else "no job")
        lines = [f"CloudStack command {self.name} ({how}).", "", self.description or "", "",
                 "Parameters:"]
        for p in sorted(self.params, key=lambda p: (not p.required, p.name)):
            need = ", required" if p.required else ""
            lines.append(f"    {p.name} ({p.type}{need}): {p.description}")
        return "\n".join(lines if self.params else lines[:-1]).rstrip() + "\n"

    def signature(self) -> inspect.Signature:
        kw = inspect.Parameter.KEYWORD_ONLY
        params = [inspect.Parameter(p.name, kw, default=None if not p.required else
                                    inspect.Parameter.empty)
                  for p in sorted(self.params, key=lambda p: (not p.required, p.name))
                  if p.name.isidentifier()]
        if self.isasync:
            params += [inspect.Parameter("wait", kw, default=True),
                       inspect.Parameter("job_timeout", kw, default=None)]
        return inspect.Signature(params)

    def check(self, params: Mapping[str, Any]) -> None:
        """Raise for a parameter the command does not take, then for missing required ones
        (a ``tags[0].key``-style name counts as its base name ``tags``)."""
        known = {p.name for p in self.params}
        given: set[str] = set()
        for name, value in params.items():
            match = _BASE.match(name)
            base = match.group(0) if match else name
            if base not in known:
                close = _close(base, known)
                err = UnknownParameterError(
                    f"{self.name} takes no parameter {base!r}{_did_you_mean(close)}",
                    command=self.name, suggestions=close)
                err.parameter = base
                raise err
            if value is not None:
                given.add(base)
        missing = tuple(name for name in self.required if name not in given)
        if missing:
            err2 = MissingParameterError(
                f"{self.name} needs {', '.join(missing)} (required by the server's listApis)",
                command=self.name)
            err2.missing = missing
            raise err2


def _spec(record: Mapping[str, Any]) -> CommandSpec:
    params = tuple(ParamSpec(str(p.get("name")), str(p.get("type") or "string"),
                             bool(p.get("required")), str(p.get("description") or ""))
                   for p in record.get("params") or () if p.get("name"))
    return CommandSpec(str(record["name"]), str(record.get("description") or ""),
                       bool(record.get("isasync")), params)


class Catalog:
    """Every command a server lists, by name."""

    def __init__(self, records: Iterable[Mapping[str, Any]], *, endpoint: str = "",
                 fetched_at: str = "", source: str = "server") -> None:
        self.commands = {spec.name: spec for spec in map(_spec, records) if spec.name}
        self.endpoint = endpoint
        self.fetched_at = fetched_at
        #: "server" (fetched now) or the cache file it was read from
        self.source = source

    def __repr__(self) -> str:
        return f"<Catalog {len(self.commands)} commands of {self.endpoint or '?'}>"

    def __contains__(self, name: object) -> bool:
        return name in self.commands

    def names(self) -> list[str]:
        return sorted(self.commands)

    def get(self, name: str) -> CommandSpec:
        """The command's spec; ``UnknownCommandError`` with suggestions otherwise."""
        try:
            return self.commands[name]
        except KeyError:
            close = _close(name, self.commands)
            raise UnknownCommandError(f"the server lists no command {name!r}"
                                      f"{_did_you_mean(close)}", command=name,
                                      suggestions=close) from None

    def complete(self, prefix: str) -> list[str]:
        """Command names starting with ``prefix`` (any case)."""
        return [n for n in self.names() if n.lower().startswith(prefix.lower())]

    def to_json(self) -> dict[str, Any]:
        apis = [{"name": s.name, "description": s.description, "isasync": s.isasync,
                 "params": [{"name": p.name, "type": p.type, "required": p.required,
                             "description": p.description} for p in s.params]}
                for s in self.commands.values()]
        return {"format": CACHE_FORMAT, "endpoint": self.endpoint,
                "fetched_at": self.fetched_at, "apis": apis}


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/cloudstack_driver``, else ``~/.cache/cloudstack_driver``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or
                                                     os.path.expanduser("~"), ".cache")
    return Path(base) / "cloudstack_driver"


def cache_file(url: str, key: str, environ: Mapping[str, str] | None = None) -> Path:
    """The cache file of one endpoint and API key (a hash of both; never the secret)."""
    digest = hashlib.sha256(f"{url}\n{key}".encode()).hexdigest()[:32]
    return cache_dir(environ) / f"apis-{digest}.json"


def _read_cache(path: Path) -> Catalog | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or not isinstance(data.get("apis"), list):
            return None
        return Catalog(data["apis"], endpoint=str(data.get("endpoint") or ""),
                       fetched_at=str(data.get("fetched_at") or ""), source=str(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(path: Path, catalog: Catalog) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".apis-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(catalog.to_json(), handle)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home: discovery still works, uncached
        log.debug("listApis cache not written to %s: %s", path, exc)


def fetch(connection: Any) -> Catalog:
    """``listApis`` now, from the server."""
    records = connection.list("listApis")
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return Catalog(records, endpoint=str(connection.url), fetched_at=stamp)


def load_catalog(connection: Any, *, refresh: bool = False, cache: bool = True,
                 environ: Mapping[str, str] | None = None) -> Catalog:
    """The cached catalog of ``connection``'s endpoint, else ``listApis`` (then cached).
    ``refresh`` fetches again; ``cache=False`` neither reads nor writes the cache."""
    path = cache_file(str(connection.url), str(connection.key), environ) if cache else None
    if path is not None and not refresh:
        found = _read_cache(path)
        if found is not None:
            return found
    catalog = fetch(connection)
    if path is not None:
        _write_cache(path, catalog)
    return catalog
