"""The CloudStack policies of a load balancer: health checks and stickiness.

CloudStack answers a rule's policies inside one object per rule (``lbruleid``, owner,
``zoneid`` and the list of policies); each model here is one policy of that list, with the
rule's id as ``balancer_id``. Equal by class and ``id``; ``delete()`` calls the driver.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver._convert import flag, to_int
from cloudstack_driver._schema import Extra, field, new_dict
from cloudstack_driver.cloudstack._modelbase import Model, deleter

__all__ = ["CloudStackLBHealthCheckPolicy", "CloudStackLBStickinessPolicy"]


def _params(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


class CloudStackLBHealthCheckPolicy(Model):
    """A health check of a load balancer's members (``createLBHealthCheckPolicy``).

    :ivar ping_path: the HTTP path probed
    :ivar response_time: seconds to wait for an answer
    :ivar interval: seconds between two checks
    :ivar healthy_threshold: successes before a member counts as healthy
    :ivar unhealthy_threshold: failures before a member counts as unhealthy
    :ivar state: CloudStack's (``Active``, ``Revoked`` ...)
    :ivar balancer_id: the id of the load balancer (rule) it belongs to
    """

    id: str | None = field("id")
    ping_path: str | None = field("pingpath")
    description: str | None = field("description")
    response_time: int | None = field("responsetime", to_int)
    interval: int | None = field("healthcheckinterval", to_int)
    healthy_threshold: int | None = field("healthcheckthresshold", to_int)
    unhealthy_threshold: int | None = field("unhealthcheckthresshold", to_int)
    state: str | None = field("state")
    balancer_id: str | None = field(default=None)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (Extra("for_display", "fordisplay", flag),)
    REPR = ("id", "ping_path", "interval", "response_time", "healthy_threshold",
            "unhealthy_threshold", "state", "balancer_id")

    delete = deleter("ex_delete_lb_health_check_policy", "policy")


class CloudStackLBStickinessPolicy(Model):
    """A stickiness (session persistence) policy of a load balancer
    (``createLBStickinessPolicy``).

    :ivar name: the policy's name
    :ivar method: the method (``LbCookie``, ``AppCookie``, ``SourceBased`` on the virtual router)
    :ivar params: the method's parameters, ``{name: value}``
    :ivar state: CloudStack's (``Active``, ``Revoked`` ...)
    :ivar balancer_id: the id of the load balancer (rule) it belongs to
    """

    id: str | None = field("id")
    name: str | None = field("name")
    method: str | None = field("methodname")
    params: dict[str, Any] = field("params", _params, default=None, coerce=_params)
    description: str | None = field("description", default=None)
    state: str | None = field("state", default=None)
    balancer_id: str | None = field(default=None)
    driver: Any = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(default=None, kw_only=True, coerce=new_dict)

    EXTRA = (Extra("for_display", "fordisplay", flag),)
    REPR = ("id", "name", "method", "params", "state", "balancer_id")

    delete = deleter("ex_delete_lb_stickiness_policy", "policy")
