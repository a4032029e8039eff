"""Printing what the library returns: models and answers as JSON or as a text table.

Models are read through their declared fields (``type(model)._fields``), not ``__dict__``
(they have ``__slots__``): every field but ``driver``, ``extra`` included. States print as
their value (``running``), dates as ISO 8601, nested models as dicts, a model already being
printed (a rule's ``node``) as its id.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TextIO

__all__ = ["MAX_CELL", "PREFERRED_COLUMNS", "render", "to_data"]

#: Columns a table of raw CloudStack rows shows unless ``--fields`` says otherwise (those the
#: rows have, in this order); rows with none of them show every scalar key.
PREFERRED_COLUMNS = ("id", "name", "displayname", "state", "status", "networktype", "zonename",
                     "ipaddress", "cidr", "type", "isasync", "required", "description", "created")
MAX_CELL = 60


def to_data(value: Any, _seen: tuple[int, ...] = ()) -> Any:
    """``value`` as JSON-ready data (dicts, lists, str, numbers, bools, None)."""
    fields = getattr(type(value), "_fields", None)
    if fields is not None:
        if id(value) in _seen:
            return getattr(value, "id", None)
        seen = (*_seen, id(value))
        return {f.name: to_data(getattr(value, f.name, None), seen)
                for f in fields if f.name != "driver"}
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_data(v, _seen) for k, v in value.items() if k != "driver"}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_data(v, _seen) for v in value]
    return str(value)


def _pick(row: Mapping[str, Any], path: str) -> Any:
    if path in row:
        return row[path]
    value: Any = row
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _select(data: Any, fields: Sequence[str] | None) -> Any:
    if not fields:
        return data
    if isinstance(data, list):
        return [{f: _pick(row, f) for f in fields} if isinstance(row, Mapping) else row
                for row in data]
    if isinstance(data, Mapping):
        return {f: _pick(data, f) for f in fields}
    return data


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any, limit: int | None = MAX_CELL) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Mapping):
        named = value.get("name") or value.get("id")
        text = str(named) if named is not None else json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        text = ", ".join(_cell(v, None) for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[:limit - 3] + "..."


def _columns(rows: list[Mapping[str, Any]], models: bool) -> list[str]:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    if models:
        return [k for k in keys if k != "extra"]
    preferred = [k for k in PREFERRED_COLUMNS if k in keys]
    return preferred or [k for k in keys if all(_scalar(row.get(k)) for row in rows)]


def _grid(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, ["-" * w for w in widths], *body]]
    return "\n".join(lines) + "\n"


def table(data: Any, fields: Sequence[str] | None = None, models: bool = False,
          cut: bool = True) -> str:
    """A text table: one line per row for a list (cells cut at ``MAX_CELL`` characters unless
    ``cut`` is False), one line per key for a single record."""
    limit = MAX_CELL if cut else None
    if isinstance(data, list) and all(isinstance(r, Mapping) for r in data):
        if not data and not fields:
            return ""
        columns = list(fields) if fields else _columns(data, models)
        return _grid(columns, [[_cell(_pick(r, c), limit) for c in columns] for r in data])
    if isinstance(data, Mapping):
        keys = list(fields) if fields else [k for k in data if not (models and k == "extra")]
        return _grid(["field", "value"], [[k, _cell(_pick(data, k), None)] for k in keys])
    if isinstance(data, list):
        return "".join(f"{_cell(v)}\n" for v in data)
    return f"{_cell(data)}\n"


def unwrap_answer(answer: Any) -> Any:
    """The part of a command's answer worth a table: ``{"virtualmachine": {...}}`` -> the
    record; ``{"count": 2, "zone": [...]}`` -> the rows."""
    if isinstance(answer, Mapping):
        inner = {k: v for k, v in answer.items() if k != "count"}
        if len(inner) == 1:
            (only,) = inner.values()
            if isinstance(only, Mapping) or (isinstance(only, list) and only
                                             and all(isinstance(r, Mapping) for r in only)):
                return only
    return answer


def render(value: Any, output: str, stream: TextIO, fields: Sequence[str] | None = None,
           models: bool = False, cut: bool = True) -> None:
    """Write ``value`` to ``stream`` as ``json`` or ``table``."""
    data = to_data(value)
    if not models and (fields or output == "table"):
        data = unwrap_answer(data)
    data = _select(data, fields)
    if output == "json":
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        stream.write(table(data, fields, models, cut))
