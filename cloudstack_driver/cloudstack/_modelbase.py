"""What the CloudStack models share: equality by ``id``, the ``driver`` and ``extra`` they keep,
their ``<Class: field=value, ...>`` repr, and the ``delete()`` methods that call the driver.

Models only: nothing here sends a request or reads a raw record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from cloudstack_driver.models import driver_name

__all__ = ["Bound", "EqByKey", "Model", "deleter", "describe"]


class EqByKey:
    """``==`` by class and one attribute, ``id`` unless a subclass names another in ``_key``;
    hashable by the same attribute."""

    _key: ClassVar[str] = "id"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(getattr(self, self._key) == getattr(other, self._key))

    def __hash__(self) -> int:
        return hash((type(self).__name__, getattr(self, self._key)))


class Bound:
    """Keeps the ``driver`` a model came from and the cloud's other fields in ``extra``."""

    driver: Any
    extra: dict[str, Any]

    def _bind(self, driver: Any, extra: dict[str, Any] | None) -> None:
        """Store ``driver`` and ``extra`` (a new empty dict when None; a given dict is kept)."""
        self.driver = driver
        self.extra = extra if extra is not None else {}


class Model(EqByKey, Bound):
    """A model equal by class and ``id``, with a ``driver`` and an ``extra`` dict."""


def describe(label: str, model: object, *fields: str, secret: tuple[str, ...] = ()) -> str:
    """``<label: field=value, ...>`` over ``fields`` in order: ``driver`` shows the driver's
    name, a field in ``secret`` shows ``***``."""
    parts = []
    for field in fields:
        value = getattr(model, field)
        if field in secret:
            value = "***"
        elif field == "driver":
            value = driver_name(value)
        parts.append(f"{field}={value}")
    return f"<{label}: {', '.join(parts)}>"


def deleter(method: str, argument: str) -> Callable[[Any], bool]:
    """A ``delete()`` method that calls ``self.driver.<method>(<argument>=self)`` and returns
    its answer as a bool (``delete = deleter("ex_delete_vpc", "vpc")``); its docstring names
    the call."""

    def delete(self: Any) -> bool:
        return bool(getattr(self.driver, method)(**{argument: self}))

    delete.__doc__ = f"``driver.{method}({argument}=self)``."
    return delete
