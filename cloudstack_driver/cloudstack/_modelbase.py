"""What the CloudStack models share: the declared-model base (:mod:`cloudstack_driver._schema`),
equality by ``id``, and the ``delete()`` methods that call the driver.

Models only: nothing here sends a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from cloudstack_driver._awaitable import then
from cloudstack_driver._schema import Schema

__all__ = ["EqByKey", "Model", "deleter"]


class EqByKey:
    """``==`` by class and one attribute, ``id`` unless a subclass names another in ``_key``;
    hashable by the same attribute."""

    __slots__ = ()

    _key: ClassVar[str] = "id"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(getattr(self, self._key) == getattr(other, self._key))

    def __hash__(self) -> int:
        return hash((type(self).__name__, getattr(self, self._key)))


class Model(Schema, EqByKey):
    """A declared model equal by class and ``id`` (and hashed by it)."""

    __slots__ = ()


def deleter(method: str, argument: str) -> Callable[[Any], bool]:
    """A ``delete()`` method that calls ``self.driver.<method>(<argument>=self)`` and returns
    its answer as a bool (``delete = deleter("ex_delete_vpc", "vpc")``); its docstring names
    the call."""

    def delete(self: Any) -> bool:
        return then(getattr(self.driver, method)(**{argument: self}), bool)

    delete.__doc__ = f"``driver.{method}({argument}=self)``."
    return delete
