"""A CloudStack API simulator: real HTTP, real signatures, async jobs, paging.

It imports nothing from the rest of ``cloudstack_driver``; it needs ``werkzeug``.
"""

from __future__ import annotations

from .faults import Fault, Faults, Fired
from .server import Simulator

__all__ = ["Fault", "Faults", "Fired", "Simulator"]
