"""Load balancers of Apache CloudStack clouds, the way libcloud's load-balancer API drives them.

::

    from cloudstack_driver.loadbalancer import Algorithm, Member, Provider, get_driver

    cls = get_driver(Provider.CLOUDSTACK)
    lb = cls("API_KEY", "SECRET_KEY", url="https://cloud.example.com/client/api")
    balancer = lb.create_balancer("web", members=[Member(node.id, None, None)], port=80,
                                  algorithm=Algorithm.ROUND_ROBIN, network_id=network.id)

What a libcloud script imports from ``libcloud.loadbalancer.providers``, ``.types``, ``.base``
and ``.drivers.cloudstack`` is importable from here (and from the same-named submodules
``cloudstack_driver.loadbalancer.providers``, ``.types`` and ``.base``). The driver and the
HTTP stack load when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cloudstack_driver.loadbalancer.base import (
    DEFAULT_ALGORITHM,
    Algorithm,
    Driver,
    LoadBalancer,
    Member,
)
from cloudstack_driver.loadbalancer.providers import get_driver, set_driver
from cloudstack_driver.loadbalancer.types import (
    LibcloudLBError,
    LibcloudLBImmutableError,
    LoadBalancerNotFoundError,
    MemberCondition,
    Provider,
    State,
)

if TYPE_CHECKING:
    from cloudstack_driver.loadbalancer.driver import CloudStackLBDriver
    from cloudstack_driver.loadbalancer.models import (
        CloudStackLBHealthCheckPolicy,
        CloudStackLBStickinessPolicy,
    )

_LAZY = {
    "CloudStackLBDriver": "cloudstack_driver.loadbalancer.driver",
    "CloudStackLBHealthCheckPolicy": "cloudstack_driver.loadbalancer.models",
    "CloudStackLBStickinessPolicy": "cloudstack_driver.loadbalancer.models",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DEFAULT_ALGORITHM",
    "Algorithm",
    "CloudStackLBDriver",
    "CloudStackLBHealthCheckPolicy",
    "CloudStackLBStickinessPolicy",
    "Driver",
    "LibcloudLBError",
    "LibcloudLBImmutableError",
    "LoadBalancer",
    "LoadBalancerNotFoundError",
    "Member",
    "MemberCondition",
    "Provider",
    "State",
    "get_driver",
    "set_driver",
]
