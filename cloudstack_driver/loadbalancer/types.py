"""Provider names, load-balancer states, member conditions and the load-balancer errors, with
the names and values of libcloud's ``libcloud.loadbalancer.types``.

``State``, ``MemberCondition`` (and :class:`~cloudstack_driver.loadbalancer.base.Algorithm`)
are ``IntEnum`` classes holding libcloud's integers: ``State.RUNNING == 0`` as in libcloud, and
``str()``/``format()`` give the number, so the reprs read as libcloud's. ``Provider`` members
equal their lower-case value (``Provider.CLOUDSTACK == "cloudstack"``).
"""

from __future__ import annotations

from enum import IntEnum

from cloudstack_driver.errors import LibcloudError, NotFoundError
from cloudstack_driver.types import _StrEnum

__all__ = [
    "OLD_CONSTANT_TO_NEW_MAPPING",
    "LibcloudLBError",
    "LibcloudLBImmutableError",
    "LoadBalancerNotFoundError",
    "MemberCondition",
    "Provider",
    "State",
]


class _Number(IntEnum):
    """An ``IntEnum`` whose text is its number, as libcloud's plain integer constants print."""

    def __str__(self) -> str:
        return str(int(self))

    def __format__(self, spec: str) -> str:
        return format(int(self), spec)


class Provider(_StrEnum):
    """The load-balancer drivers :func:`~cloudstack_driver.loadbalancer.get_driver` knows
    (libcloud's value)."""

    CLOUDSTACK = "cloudstack"


#: libcloud's table of deprecated provider constants (none of them name CloudStack).
OLD_CONSTANT_TO_NEW_MAPPING: dict[str, str] = {}


class State(_Number):
    """The state of a load balancer (libcloud's values)."""

    RUNNING = 0
    PENDING = 1
    UNKNOWN = 2
    ERROR = 3
    DELETED = 4


class MemberCondition(_Number):
    """The role of a member within a load balancer (libcloud's values; CloudStack members are
    always enabled)."""

    ENABLED = 0
    DISABLED = 1
    DRAINING = 2


class LibcloudLBError(LibcloudError):
    """Base of the load-balancer driver's own errors (libcloud's name)."""


class LibcloudLBImmutableError(LibcloudLBError):
    """A load-balancer attribute the cloud cannot change was asked to change (libcloud's
    name): CloudStack cannot change a rule's ports."""


class LoadBalancerNotFoundError(LibcloudLBError, NotFoundError):
    """``get_balancer`` found no load balancer with that id (libcloud raised a bare
    ``Exception``)."""
