"""The bundled CloudStack 4.18 ``listApis`` dump: the truth for names, parameters, fields."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["ParamSpec", "api", "apis", "param_names", "param_specs", "required_params",
           "response_fields"]


@cache
def apis() -> dict[str, dict[str, Any]]:
    """Every command of the dump, by name."""
    raw = resources.files(__package__).joinpath("data/cloudstack-api-4.18.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    return {entry["name"]: entry for entry in data["apis"]}


def api(name: str) -> dict[str, Any]:
    """One command's entry; KeyError when the dump does not have it."""
    return apis()[name]


@cache
def param_names(name: str) -> frozenset[str]:
    return frozenset(p["name"] for p in api(name)["params"])


@dataclass(frozen=True)
class ParamSpec:
    """What the server's parameter processing needs to know about one parameter."""

    type: str
    length: int
    since: str


@cache
def param_specs(name: str) -> dict[str, ParamSpec]:
    """Every parameter of a command with its type, maximum length and ``since`` version."""
    return {p["name"]: ParamSpec(p["type"], int(p.get("length") or 255), p.get("since") or "")
            for p in api(name)["params"]}


@cache
def required_params(name: str) -> tuple[str, ...]:
    return tuple(p["name"] for p in api(name)["params"] if p.get("required"))


def _fields(entries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in entries:
        sub = entry.get("response")
        out[entry["name"]] = _fields(sub) if sub else None
    return out


@cache
def response_fields(name: str) -> dict[str, Any]:
    """Top-level response field names of a command (value: nested fields or None)."""
    return _fields(api(name)["response"])
