"""Warnings that point at the caller's line, on the sync and the asyncio driver alike.

``warnings.warn(stacklevel=N)`` walks N frames up. Inside the asyncio driver the sync code runs
in a greenlet whose stack begins at the driver method, so the walk runs off its top and the
warning is reported at ``sys:1`` (and hidden by Python's default filters). :func:`warn` walks
the same frames and, at the top of such a stack, goes on from the frame that called the
asyncio method (``caller_frame``, which :mod:`cloudstack_driver.aio._bridge` records on the
greenlet).
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType

__all__ = ["warn"]


def _caller_of_greenlet() -> FrameType | None:
    greenlet = sys.modules.get("greenlet")  # only the asyncio driver loads it
    if greenlet is None:
        return None
    frame: FrameType | None = getattr(greenlet.getcurrent(), "caller_frame", None)
    return frame


def warn(message: str, category: type[Warning], stacklevel: int = 1) -> None:
    """``warnings.warn(message, category, stacklevel)`` (1: the function calling this), the
    frames of an asyncio driver call continuing into its caller's."""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(stacklevel - 1):
        if frame is None:
            break
        frame = frame.f_back if frame.f_back is not None else _caller_of_greenlet()
    if frame is None:
        warnings.warn(message, category, stacklevel=1)
        return
    module_globals = frame.f_globals
    registry = module_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           module=module_globals.get("__name__"), registry=registry,
                           module_globals=module_globals)
