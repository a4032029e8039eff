"""Argument checks shared by the advanced-zone mixins (networks, addresses, rules, VPCs, VPN).

Ids may be given as the model the driver returned or as the id itself (``str`` or ``int``:
older servers' ids are numbers); anything else is a ``TypeError`` naming the argument, raised
before any request. Optional arguments (None
passes) and the snake_case list filters of the ``ex_list_*`` methods are checked here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._validate import (
    check_id,
    check_instance,
    check_int,
    check_model_id,
    check_name,
    id_attribute,
)
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.models import Node

__all__ = ["FILTER_NAMES", "cidr_text", "id_of", "list_filters", "node_id", "optional_id", "optional_id_of",
           "optional_int", "optional_port", "optional_text", "project_id_of"]

#: snake_case list filter -> CloudStack parameter (PARITY 4.8 and 4.13).
FILTER_NAMES: dict[str, str] = {
    "account": "account", "domain_id": "domainid", "for_display": "fordisplay", "id": "id",
    "ipaddress_id": "ipaddressid", "is_recursive": "isrecursive", "keyword": "keyword",
    "list_all": "listall", "network_id": "networkid", "page": "page", "page_size": "pagesize",
    "project_id": "projectid", "virtualmachine_id": "virtualmachineid", "vpc_id": "vpcid",
}
_BOOL_FILTERS = ("for_display", "is_recursive", "list_all")
_INT_FILTERS = ("page", "page_size")


def id_of(method: str, arg: str, value: object, cls: type | tuple[type, ...]) -> str:
    """The id of ``value``: an id (``str`` or ``int``), or a ``cls`` instance with one."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return check_id(method, arg, value)
    if isinstance(value, cls):
        ident = id_attribute(value)
        if ident is not None:
            return ident
        raise ValueError(f"{method}(): {arg!r} has no id: {value!r}"[:200])
    names = " or ".join(c.__name__ for c in cls) if isinstance(cls, tuple) else cls.__name__
    raise TypeError(f"{method}(): {arg!r} must be a {names} or an id (str or int), "
                    f"got {type(value).__name__} {value!r}"[:200])


def optional_id(method: str, arg: str, value: object) -> str | None:
    """An id (``str`` or ``int``) as ``str``, or None."""
    return None if value is None else check_id(method, arg, value)


def optional_id_of(method: str, arg: str, value: object,
                   cls: type | tuple[type, ...]) -> str | None:
    """Like :func:`id_of`, but None passes."""
    return None if value is None else id_of(method, arg, value, cls)


def optional_text(method: str, arg: str, value: object) -> str | None:
    """A non-empty string, or None."""
    return None if value is None else check_name(method, arg, value)


def optional_int(method: str, arg: str, value: object, *, minimum: int | None = None,
                 maximum: int | None = None) -> int | None:
    """An int within ``minimum``..``maximum`` (or a string of digits), or None."""
    if value is None:
        return None
    return check_int(method, arg, value, minimum=minimum, maximum=maximum)


def optional_port(method: str, arg: str, value: object) -> int | None:
    """A port (1..65535, an int or a string of digits), or None."""
    return optional_int(method, arg, value, minimum=1, maximum=65535)


def list_filters(method: str, values: Mapping[str, Any],
                 ids: Mapping[str, type] | None = None) -> dict[str, Any]:
    """The given list filters (None ones dropped) under their CloudStack names
    (:data:`FILTER_NAMES`), each checked first: flags are bools, ``page``/``page_size``
    positive ints, the arguments named in ``ids`` ids (or that model), the rest non-empty
    strings."""
    out: dict[str, Any] = {}
    for arg, value in values.items():
        if value is None:
            continue
        if arg in _BOOL_FILTERS:
            check_instance(method, arg, value, bool)
        elif arg in _INT_FILTERS:
            value = check_int(method, arg, value, minimum=1)
        elif ids and arg in ids:
            value = id_of(method, arg, value, ids[arg])
        elif arg == "id" or arg.endswith("_id"):
            value = check_id(method, arg, value)
        else:
            check_name(method, arg, value)
        out[FILTER_NAMES[arg]] = value
    return out


def cidr_text(method: str, arg: str, value: Any) -> str:
    """CIDRs as CloudStack wants them: ``"10.0.0.0/8,192.168.0.0/16"``. Takes that string or a
    list of CIDR strings."""
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = [check_name(method, f"{arg}[{i}]", v).strip() for i, v in enumerate(value)]
    else:
        raise TypeError(f"{method}(): {arg!r} must be a CIDR string or a list of them, "
                        f"got {type(value).__name__} {value!r}")
    if not items or not all(items):
        raise ValueError(f"{method}(): {arg!r} must hold CIDRs such as '0.0.0.0/0', "
                         f"got {value!r}")
    for item in items:
        if "/" not in item:
            raise ValueError(f"{method}(): {arg!r} item {item!r} is not a CIDR "
                             "(address/prefix, e.g. '0.0.0.0/0')")
    return ",".join(items)


def node_id(method: str, node: object, arg: str = "node") -> str:
    """The id of a ``Node`` (``TypeError`` for anything else)."""
    return check_model_id(method, arg, node, Node)


def project_id_of(method: str, project: object) -> str | None:
    """The id of a ``CloudStackProject`` given as ``project`` (None passes)."""
    if project is None:
        return None
    if not isinstance(project, CloudStackProject):
        raise TypeError(f"{method}(): 'project' must be a CloudStackProject, got "
                        f"{type(project).__name__} {project!r}"[:200])
    return id_attribute(project)
