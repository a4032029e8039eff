"""Argument checks of the load-balancer driver: raise before anything is sent."""

from __future__ import annotations

from cloudstack_driver.cloudstack.ext._args import id_of
from cloudstack_driver.loadbalancer.base import LoadBalancer

__all__ = ["balancer_id"]


def balancer_id(method: str, value: object, arg: str = "balancer") -> str:
    """The id of a :class:`LoadBalancer` (or of the id itself, ``str`` or ``int``)."""
    return id_of(method, arg, value, LoadBalancer)
