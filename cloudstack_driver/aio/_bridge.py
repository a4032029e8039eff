"""Running the sync driver's code on an asyncio event loop, unchanged.

Each call runs in a greenlet of its own (:func:`spawn`). Where the sync code would block (an
HTTP exchange, a sleep between polls, a wait for a job), the async transport calls
:func:`await_` with an awaitable: the greenlet switches back to :func:`spawn`, which awaits it on
the event loop and switches in again with its result (or its exception). So signing,
flattening, envelope and error decoding, paging, retries, lost-answer recovery and model mapping
are the sync driver's own code, and only the transport and the waiting differ.

Cancellation: when the task awaiting :func:`spawn` is cancelled, ``CancelledError`` is thrown
into the greenlet at its ``await_``, so the sync code unwinds through its ``finally`` blocks
and ``with`` statements before the task ends.

This is the technique SQLAlchemy's asyncio extension uses; greenlet is the well-kept library
that does it (gevent and SQLAlchemy build on it).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import sys
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import Any, TypeVar

import greenlet

__all__ = ["BridgeError", "await_", "awaitable_methods", "dual", "in_bridge", "spawn"]

_T = TypeVar("_T")


class BridgeError(RuntimeError):
    """A transport call was made outside a coroutine of the asyncio driver (say, from a
    thread the sync code started), where there is no event loop to wait on."""


class _Bridged(greenlet.greenlet):
    """A greenlet running one sync call for :func:`spawn`; ``caller_frame`` is the frame that
    called the asyncio method (warnings point there, see :mod:`cloudstack_driver._warnings`)."""

    caller_frame: FrameType | None = None


def in_bridge() -> bool:
    """True inside a call :func:`spawn` runs (the sync code's own calls run directly)."""
    return isinstance(greenlet.getcurrent(), _Bridged)


def await_(awaitable: Awaitable[_T]) -> _T:
    """Wait for ``awaitable`` on the event loop from the sync code :func:`spawn` runs."""
    current = greenlet.getcurrent()
    if not isinstance(current, _Bridged):
        close = getattr(awaitable, "close", None)
        if close is not None:
            close()  # never awaited: say nothing more about it
        raise BridgeError("the asyncio driver's transport was used outside one of its "
                          "coroutines (await the driver's method instead)")
    parent = current.parent
    assert parent is not None
    return parent.switch(awaitable)  # type: ignore[no-any-return]


async def spawn(function: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
    """Run ``function(*args, **kwargs)`` in a greenlet, awaiting what it hands to
    :func:`await_`; its return value or exception is this coroutine's."""
    return await _run(function, None, args, kwargs)


async def _run(function: Callable[..., _T], caller: FrameType | None, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> _T:
    runner = _Bridged(function, parent=greenlet.getcurrent())
    runner.caller_frame = caller
    runner.gr_context = contextvars.copy_context()  # the caller's context variables
    handed = runner.switch(*args, **kwargs)
    while not runner.dead:
        try:
            value = await handed
        except BaseException as exc:  # CancelledError included: the sync code unwinds
            handed = runner.throw(exc)
        else:
            handed = runner.switch(value)
    return handed  # type: ignore[no-any-return]


def dual(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a method that is awaitable when called from outside (``await
    driver.list_nodes()``) and plain when the sync code calls it inside a :func:`spawn`
    (``ex_get_node`` calling ``list_nodes``)."""

    @functools.wraps(function)
    def method(*args: Any, **kwargs: Any) -> Any:
        if isinstance(greenlet.getcurrent(), _Bridged):
            return function(*args, **kwargs)
        return _run(function, sys._getframe(1), args, kwargs)

    mark = getattr(inspect, "markcoroutinefunction", None)  # Python 3.12+
    return mark(method) if mark is not None else method


def awaitable_methods(cls: type, base: type) -> None:
    """Make every public function of ``base`` (and its bases) :func:`dual` on ``cls``, unless
    ``cls`` defines it itself."""
    for name, member in inspect.getmembers(base, inspect.isfunction):
        if name.startswith("_") or name in cls.__dict__:
            continue
        if isinstance(inspect.getattr_static(base, name), staticmethod):
            setattr(cls, name, staticmethod(dual(member)))
        else:
            setattr(cls, name, dual(member))
