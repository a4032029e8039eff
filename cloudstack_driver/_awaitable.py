"""Model methods that serve the sync and the asyncio driver alike.

A model's convenience method (``node.reboot()``, ``volume.attach(node)``) calls its driver and
converts the answer. With the asyncio driver the call gives an awaitable: :func:`then` returns
an awaitable of the converted answer then, so ``await node.reboot()`` works there and
``node.reboot()`` here, from one method.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["then"]

_T = TypeVar("_T")


def then(answer: Any, convert: Callable[[Any], _T]) -> _T:
    """``convert(answer)``; for an awaitable ``answer``, an awaitable of it (typed as the
    sync driver's value: the asyncio driver's callers await it)."""
    if inspect.isawaitable(answer):
        async def converted() -> Any:
            return convert(await answer)
        return converted()  # type: ignore[return-value]
    return convert(answer)
