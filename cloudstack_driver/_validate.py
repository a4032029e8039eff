"""Argument checks shared by every driver method: raise before anything is sent.

Each check names the argument, says what it expected and what it got, so a mistake in a script
reads as a sentence: ``create_node(): 'image' must be a NodeImage, got str 'tiny Linux'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = [
    "check_choice",
    "check_id",
    "check_instance",
    "check_instances",
    "check_int",
    "check_item_ids",
    "check_model_id",
    "check_name",
    "check_no_unknown",
    "check_optional_instance",
    "id_attribute",
]


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_instance(method: str, arg: str, value: object, cls: type[T] | tuple[type, ...]) -> T:
    """``value`` must be an instance of ``cls``; return it typed."""
    if not isinstance(value, cls):
        names = (
            " or ".join(c.__name__ for c in cls) if isinstance(cls, tuple) else cls.__name__
        )
        raise TypeError(f"{method}(): {arg!r} must be a {names}, got {_describe(value)}")
    return value  # type: ignore[return-value]


def check_optional_instance(method: str, arg: str, value: object,
                            cls: type[T] | tuple[type, ...]) -> T | None:
    """Like :func:`check_instance`, but None passes."""
    if value is None:
        return None
    return check_instance(method, arg, value, cls)


def check_id(method: str, arg: str, value: object) -> str:
    """An id given as a non-empty ``str`` or an ``int`` (older servers' ids are numbers, and
    libcloud scripts pass them so), as ``str``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{method}(): {arg!r} must be an id (str or int), got {_describe(value)}")
    if not value.strip():
        raise ValueError(f"{method}(): {arg!r} must not be empty")
    return value


def id_attribute(value: object) -> str | None:
    """The ``id`` of an object as ``str`` (an int id included); None when it has none."""
    ident = getattr(value, "id", None)
    if isinstance(ident, int) and not isinstance(ident, bool):
        return str(ident)
    return ident if isinstance(ident, str) and ident else None


def check_model_id(method: str, arg: str, value: object, cls: type) -> str:
    """The id of ``value``, which must be a ``cls`` (else ``TypeError``) with an id, ``str``
    or ``int`` (else ``ValueError``)."""
    ident = id_attribute(check_instance(method, arg, value, cls))
    if ident is None:
        raise ValueError(f"{method}(): {arg!r} has no id: {_describe(value)}")
    return ident


def check_item_ids(method: str, arg: str, values: object) -> list[str]:
    """The ids of a list of objects carrying an ``id`` (networks, affinity groups ...) or of
    ids themselves (``str`` or ``int``)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise TypeError(f"{method}(): {arg!r} must be a list, got {type(values).__name__}")
    out: list[str] = []
    for i, item in enumerate(values):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            out.append(check_id(method, f"{arg}[{i}]", item))
            continue
        ident = id_attribute(item)
        if ident is None:
            raise TypeError(
                f"{method}(): '{arg}[{i}]' must be an object with an id (as listed by the "
                f"driver) or an id, got {_describe(item)}"
            )
        out.append(ident)
    return out


def check_instances(method: str, arg: str, values: object,
                    cls: type[T] | tuple[type, ...]) -> list[T]:
    """``values`` must be a list or tuple whose items are all ``cls``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{method}(): {arg!r} must be a list, got {_describe(values)}")
    return [check_instance(method, f"{arg}[{i}]", v, cls) for i, v in enumerate(values)]


def check_name(method: str, arg: str, value: object) -> str:
    """``value`` must be a non-empty, non-blank string."""
    if not isinstance(value, str):
        raise TypeError(f"{method}(): {arg!r} must be a str, got {_describe(value)}")
    if not value.strip():
        raise ValueError(f"{method}(): {arg!r} must not be empty")
    return value


def check_int(method: str, arg: str, value: object, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """``value`` must be an int (or a string of digits, as libcloud scripts pass ports)."""
    if isinstance(value, bool):
        raise TypeError(f"{method}(): {arg!r} must be an int, got {_describe(value)}")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if not isinstance(value, int):
        raise TypeError(f"{method}(): {arg!r} must be an int, got {_describe(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{method}(): {arg!r} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{method}(): {arg!r} must be <= {maximum}, got {value}")
    return value


def check_choice(method: str, arg: str, value: object, choices: Iterable[str],
                 *, fold_case: bool = True) -> str:
    """``value`` must be one of ``choices`` (compared case-insensitively by default)."""
    options = list(choices)
    if not isinstance(value, str):
        raise TypeError(f"{method}(): {arg!r} must be a str, got {_describe(value)}")
    for option in options:
        if value == option or (fold_case and value.lower() == option.lower()):
            return option
    raise ValueError(f"{method}(): {arg!r} must be one of {', '.join(options)}; got {value!r}")


def check_no_unknown(method: str, kwargs: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse keyword arguments a method does not know (instead of dropping them)."""
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(
            f"{method}() got unexpected keyword argument(s): {', '.join(unknown)}"
        )
