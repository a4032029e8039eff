"""One declaration per command: ``@command("deployVirtualMachine")`` on its handler.

A handler takes a :class:`Call` and returns:

* for a list command (``list_key`` given): a list of records; the app pages it and renders
  ``{"count": N, list_key: [...]}`` (``{}`` when empty). A command whose items change shape
  with a boolean parameter names it with the other key: ``list_key_when=("lbvmips",
  "lbrulevmidip")`` renders under ``lbrulevmidip`` when ``lbvmips`` is true;
* for a sync command: the inner dict of ``<command>response``;
* for an async command: ``call.job(...)``'s ticket; the app answers ``{"jobid", "id"?}`` at once.

Handlers raise :class:`~.errors.ApiError` for CloudStack errors.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import spec
from .errors import CS, ApiError, invalid_value

if TYPE_CHECKING:
    from .state import Cloud, JobTicket

__all__ = ["COMMANDS", "Call", "Command", "command"]

Handler = Callable[["Call"], Any]


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    is_async: bool
    list_key: str | None = None
    response_name: str | None = None
    paged: bool = True
    list_key_when: tuple[str, str] | None = None

    def item_key(self, call: Call) -> str | None:
        """The key the items of this call are rendered under (``list_key``, or the
        ``list_key_when`` key when its flag parameter is true)."""
        if self.list_key_when is not None and call.bool(self.list_key_when[0]):
            return self.list_key_when[1]
        return self.list_key

    @property
    def envelope(self) -> str:
        return self.response_name or f"{self.name.lower()}response"


COMMANDS: dict[str, Command] = {}


def command(name: str, *, list_key: str | None = None,
            response_name: str | None = None,
            list_key_when: tuple[str, str] | None = None) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``name`` (which must exist in the bundled 4.18 spec)."""
    entry = spec.api(name)  # KeyError at import time for a command the spec lacks

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise RuntimeError(f"command {name} registered twice")
        COMMANDS[name] = Command(
            name=name,
            handler=handler,
            is_async=bool(entry["isasync"]),
            list_key=list_key,
            response_name=response_name,
            paged="pagesize" in spec.param_names(name),
            list_key_when=list_key_when,
        )
        return handler

    return register


_TRUE = {"true"}


class Call:
    """One request as a handler sees it: the command, its parameters and the cloud."""

    def __init__(self, cloud: Cloud, command: builtins.str, params: Mapping[builtins.str, builtins.str]) -> None:
        self.cloud = cloud
        self.command = command
        self.params = dict(params)

    # -- parameter access -----------------------------------------------------------------
    def has(self, name: builtins.str) -> builtins.bool:
        return name in self.params and self.params[name] != ""

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str | None:
        value = self.params.get(name)
        return default if value is None or value == "" else value

    def require(self, name: builtins.str) -> builtins.str:
        value = self.str(name)
        if value is None:
            raise invalid_value(f"Unable to execute API command {self.command.lower()} due to "
                                f"missing parameter {name}")
        return value

    def bool(self, name: builtins.str, default: builtins.bool = False) -> builtins.bool:
        """Java's ``Boolean.valueOf``, as the server parses: only ``true`` (any case) is true."""
        value = self.str(name)
        if value is None:
            return default
        return value.lower() in _TRUE

    def int(self, name: builtins.str, default: builtins.int | None = None) -> builtins.int | None:
        value = self.str(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise ApiError(431, f"Unable to execute API command {self.command.lower()} due to "
                           f"invalid value. Invalid parameter {name} value={value} due to "
                           "incorrect long value format, or entity does not exist or due to "
                           "incorrect parameter annotation for the field in api cmd class.",
                           CS.SERVER_API) from None

    def list(self, name: builtins.str) -> builtins.list[builtins.str]:
        value = self.str(name)
        return [] if value is None else [v.strip() for v in value.split(",") if v.strip()]

    def map(self, name: builtins.str) -> builtins.list[builtins.dict[builtins.str, builtins.str]]:
        """``tags[0].key=k&tags[0].value=v`` -> ``[{"key": "k", "value": "v"}]`` (index order)."""
        prefix = f"{name}["
        rows: builtins.dict[builtins.int, builtins.dict[builtins.str, builtins.str]] = {}
        for key, value in self.params.items():
            if not key.lower().startswith(prefix.lower()):
                continue
            index_part, _, field = key[len(prefix):].partition("].")
            if not index_part.isdigit() or not field:
                raise ApiError(430, f"Malformed map parameter {key}", 4350)
            rows.setdefault(int(index_part), {})[field] = value
        return [rows[i] for i in sorted(rows)]

    # -- jobs ---------------------------------------------------------------------------
    def job(self, work: Callable[[], builtins.dict[builtins.str, Any]], *, instance_type: builtins.str | None = None,
            instance_id: builtins.str | None = None, result_key: builtins.str | None = None,
            on_fail: Callable[[ApiError], None] | None = None) -> JobTicket:
        """Start an async job. ``work`` runs when the job's time is up and returns the object
        (rendered under ``result_key`` in ``jobresult``) or ``{"success": True}``-style dict when
        ``result_key`` is None; an ApiError it raises fails the job (``on_fail`` runs first)."""
        return self.cloud.jobs.start(self, work, instance_type=instance_type,
                                     instance_id=instance_id, result_key=result_key,
                                     on_fail=on_fail)
