"""Python values -> CloudStack request parameters (WIRE.md section 3).

:func:`flatten` is pure. Names are kept exactly as given: callers pass CloudStack's own
(lower-case) parameter names, and map keys keep their case (``details[0].cpuNumber``).

============================  ===============================================================
value                         sent as
============================  ===============================================================
``None``                      nothing (the parameter is left out)
``True`` / ``False``          ``true`` / ``false``
``int`` / ``float``           ``str(value)``
``str``                       itself
``bytes``                     base64 of the bytes (``userdata``)
an ``Enum`` member            its value, flattened by these rules
an object with ``.id``        its ``id`` (a network, a security group, a project ...)
list or tuple of scalars      comma-joined: ``networkids=a,b`` (objects give their ``id``)
list or tuple of dicts        ``name[i].key=value`` for each dict ``i``
dict                          ``name[0].key=value``
empty list, tuple or dict     nothing
============================  ===============================================================

Anything else raises ``TypeError`` naming the parameter, before any request is sent. A name
produced twice (``tags=[...]`` and ``**{"tags[0].key": ...}``), text that has no UTF-8 form
(a lone surrogate) and text holding an ASCII control character other than line feed and
carriage return (the server refuses those with 431, tab included) raise ``ValueError`` naming
it.
"""

from __future__ import annotations

import base64
import enum
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["flatten"]

# What the management server refuses in any value ("illegal ASCII non-printable characters").
_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def _scalar(name: str, value: Any) -> str:
    """One value as CloudStack text; ``TypeError`` naming ``name`` if it has no such form."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"parameter {name!r}: text with a lone surrogate has no UTF-8 "
                             f"form and cannot be signed") from None
        bad = _CONTROL.search(value)
        if bad is not None:
            raise ValueError(f"parameter {name!r}: holds the control character "
                             f"{bad.group()!r}, which CloudStack refuses (only line feed and "
                             f"carriage return are allowed)")
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    ident = getattr(value, "id", None)
    if ident is not None and not isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return _scalar(name, ident)
    raise TypeError(
        f"parameter {name!r}: cannot send a {type(value).__name__} to CloudStack "
        f"(expected str, int, float, bool, bytes, an object with an id, a list or a dict)"
    )


def _map_entries(name: str, index: int, entry: Mapping[Any, Any], out: dict[str, str]) -> None:
    for key, item in entry.items():
        if not isinstance(key, str):
            raise TypeError(f"parameter {name!r}: map keys must be str, got {key!r}")
        if item is None:
            continue
        label = f"{name}[{index}].{key}"
        if isinstance(item, (Mapping, list, tuple, set, frozenset)):
            raise TypeError(f"parameter {label!r}: nested {type(item).__name__} not supported")
        _put(out, label, _scalar(label, item))


def _put(out: dict[str, str], name: str, text: str) -> None:
    """Add one parameter; a name produced twice (``tags[0].key`` given both ways) is an
    error, not a silent overwrite."""
    if name in out:
        raise ValueError(f"parameter {name!r} is given twice")
    out[name] = text


def flatten(params: Mapping[str, Any]) -> dict[str, str]:
    """Turn keyword values into the flat ``name -> text`` parameters CloudStack reads.

    >>> flatten({"zoneid": "z1", "startvm": False, "networkids": ["a", "b"], "keypair": None})
    {'zoneid': 'z1', 'startvm': 'false', 'networkids': 'a,b'}
    >>> flatten({"tags": [{"key": "env", "value": "prod"}], "details": {"cpuNumber": 2}})
    {'tags[0].key': 'env', 'tags[0].value': 'prod', 'details[0].cpuNumber': '2'}
    """
    out: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"parameter names must be non-empty str, got {name!r}")
        if value is None:
            continue
        if isinstance(value, Mapping):
            _map_entries(name, 0, value, out)
        elif isinstance(value, (list, tuple)):
            items = list(value)
            if not items:
                continue
            if all(isinstance(item, Mapping) for item in items):
                for index, entry in enumerate(items):
                    _map_entries(name, index, entry, out)
            elif any(isinstance(item, Mapping) for item in items):
                raise TypeError(f"parameter {name!r}: a list mixing dicts and other values")
            else:
                texts = []
                for index, item in enumerate(items):
                    if item is None or isinstance(item, (list, tuple, set, frozenset)):
                        raise TypeError(
                            f"parameter {name + f'[{index}]'!r}: cannot send a "
                            f"{type(item).__name__} inside a list"
                        )
                    texts.append(_scalar(f"{name}[{index}]", item))
                _put(out, name, ",".join(texts))
        elif isinstance(value, (set, frozenset)):
            raise TypeError(f"parameter {name!r}: a set has no order; pass a list or tuple")
        else:
            _put(out, name, _scalar(name, value))
    return out
