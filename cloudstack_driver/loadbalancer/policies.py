"""The ``ex_`` methods for what CloudStack adds to a load balancer: health-check and stickiness
policies (one of each per load balancer on the virtual router).

Answers hold one object per load-balancer rule, ``{"lbruleid": ..., "healthcheckpolicy":
[...]}`` (``stickinesspolicy`` for stickiness); the methods return the policies of those
objects, each knowing its ``balancer_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from cloudstack_driver._schema import ident
from cloudstack_driver._validate import check_name
from cloudstack_driver.cloudstack.ext._args import id_of, optional_int, optional_text
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.errors import MalformedResponseError
from cloudstack_driver.loadbalancer._args import balancer_id
from cloudstack_driver.loadbalancer.base import LoadBalancer
from cloudstack_driver.loadbalancer.models import (
    CloudStackLBHealthCheckPolicy,
    CloudStackLBStickinessPolicy,
)

if TYPE_CHECKING:
    from cloudstack_driver.http.connection import CloudStackConnection

__all__ = ["PoliciesMixin"]

_P = TypeVar("_P", CloudStackLBHealthCheckPolicy, CloudStackLBStickinessPolicy)
_MAX_INT = 2 ** 31 - 1


def _param_list(method: str, params: object) -> list[dict[str, Any]] | None:
    """``{"cookie-name": "SRV"}`` -> ``[{"name": "cookie-name", "value": "SRV"}]`` (sent as
    ``param[0].name=cookie-name&param[0].value=SRV``)."""
    if params is None:
        return None
    if not isinstance(params, Mapping):
        raise TypeError(f"{method}(): 'params' must be a dict of parameter names and values, "
                        f"got {type(params).__name__}")
    out: list[dict[str, Any]] = []
    for key, value in params.items():
        check_name(method, "params key", key)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError(f"{method}(): params[{key!r}] must be a str or an int, got "
                            f"{type(value).__name__} {value!r}"[:200])
        out.append({"name": key, "value": value})
    return out


class PoliciesMixin:
    """``ex_create/list/delete_lb_health_check_policy`` and ``..._stickiness_policy``."""

    connection: CloudStackConnection

    def _policies(self, cls: type[_P], container: Mapping[str, Any], key: str) -> list[_P]:
        owner = ident(container.get("lbruleid"))
        return [cls.from_record(self, item, balancer_id=owner)
                for item in container.get(key) or [] if isinstance(item, Mapping)]

    def _created(self, cls: type[_P], command: str, result: Mapping[str, Any], outer: str,
                 key: str) -> _P:
        found = self._policies(cls, entity(result, outer), key)
        if not found:
            raise MalformedResponseError(f"{command}: the job's result holds no policy",
                                         body=dict(result))
        return found[0]

    def _listed(self, cls: type[_P], command: str, rule: str, key: str) -> list[_P]:
        return [policy for container in self.connection.list(command, lbruleid=rule)
                for policy in self._policies(cls, container, key)]

    # -- health checks -----------------------------------------------------------------------
    def ex_create_lb_health_check_policy(
        self,
        balancer: LoadBalancer | str | int,
        ping_path: str | None = None,
        description: str | None = None,
        response_timeout: int | None = None,
        interval: int | None = None,
        healthy_threshold: int | None = None,
        unhealthy_threshold: int | None = None,
    ) -> CloudStackLBHealthCheckPolicy:
        """Check the members of ``balancer``: ``createLBHealthCheckPolicy(lbruleid,
        pingpath?, description?, responsetimeout?, intervaltime?, healthythreshold?,
        unhealthythreshold?)``; waits for the job.

        Server defaults: path ``/``, 2 s response timeout (2-60), a check every 5 s
        (1-20940), 2 successes to be healthy, 10 failures to be unhealthy. A load balancer has
        at most one health-check policy (the server refuses a second)."""
        m = "ex_create_lb_health_check_policy"
        result = self.connection.request(
            "createLBHealthCheckPolicy",
            lbruleid=balancer_id(m, balancer),
            pingpath=optional_text(m, "ping_path", ping_path),
            description=optional_text(m, "description", description),
            responsetimeout=optional_int(m, "response_timeout", response_timeout, minimum=2,
                                         maximum=60),
            intervaltime=optional_int(m, "interval", interval, minimum=1, maximum=20940),
            healthythreshold=optional_int(m, "healthy_threshold", healthy_threshold,
                                          minimum=1, maximum=_MAX_INT),
            unhealthythreshold=optional_int(m, "unhealthy_threshold", unhealthy_threshold,
                                            minimum=1, maximum=_MAX_INT),
        )
        return self._created(CloudStackLBHealthCheckPolicy, "createLBHealthCheckPolicy", result,
                             "healthcheckpolicies", "healthcheckpolicy")

    def ex_list_lb_health_check_policies(self, balancer: LoadBalancer | str | int
                                         ) -> list[CloudStackLBHealthCheckPolicy]:
        """The health-check policies of ``balancer``: ``listLBHealthCheckPolicies(lbruleid)``,
        all pages. No job."""
        rule = balancer_id("ex_list_lb_health_check_policies", balancer)
        return self._listed(CloudStackLBHealthCheckPolicy, "listLBHealthCheckPolicies", rule,
                            "healthcheckpolicy")

    def ex_delete_lb_health_check_policy(self, policy: CloudStackLBHealthCheckPolicy | str | int
                                         ) -> bool:
        """Delete a health-check policy: ``deleteLBHealthCheckPolicy(id)``; waits for the job.
        True."""
        ident_ = id_of("ex_delete_lb_health_check_policy", "policy", policy,
                       CloudStackLBHealthCheckPolicy)
        self.connection.request("deleteLBHealthCheckPolicy", id=ident_)
        return True

    # -- stickiness --------------------------------------------------------------------------
    def ex_create_lb_stickiness_policy(
        self,
        balancer: LoadBalancer | str | int,
        name: str,
        method: str,
        params: Mapping[str, str | int] | None = None,
        description: str | None = None,
    ) -> CloudStackLBStickinessPolicy:
        """Keep a client on one member: ``createLBStickinessPolicy(lbruleid, name, methodname,
        param[i].name/param[i].value?, description?)``; waits for the job.

        ``method`` is the server's stickiness method: ``LbCookie``, ``AppCookie`` or
        ``SourceBased`` on the virtual router (a network's listNetworks record shows its
        ``SupportedStickinessMethods``); ``params`` its parameters, e.g.
        ``{"cookie-name": "SRV"}`` or ``{"tablesize": "200k", "expire": "30m"}``. A load balancer
        has at most one stickiness policy."""
        m = "ex_create_lb_stickiness_policy"
        result = self.connection.request(
            "createLBStickinessPolicy",
            lbruleid=balancer_id(m, balancer),
            name=check_name(m, "name", name),
            methodname=check_name(m, "method", method),
            param=_param_list(m, params),
            description=optional_text(m, "description", description),
        )
        return self._created(CloudStackLBStickinessPolicy, "createLBStickinessPolicy", result,
                             "stickinesspolicies", "stickinesspolicy")

    def ex_list_lb_stickiness_policies(self, balancer: LoadBalancer | str | int
                                       ) -> list[CloudStackLBStickinessPolicy]:
        """The stickiness policies of ``balancer``: ``listLBStickinessPolicies(lbruleid)``, all
        pages. No job."""
        rule = balancer_id("ex_list_lb_stickiness_policies", balancer)
        return self._listed(CloudStackLBStickinessPolicy, "listLBStickinessPolicies", rule,
                            "stickinesspolicy")

    def ex_delete_lb_stickiness_policy(self, policy: CloudStackLBStickinessPolicy | str | int
                                       ) -> bool:
        """Delete a stickiness policy: ``deleteLBStickinessPolicy(id)``; waits for the job.
        True."""
        ident_ = id_of("ex_delete_lb_stickiness_policy", "policy", policy,
                       CloudStackLBStickinessPolicy)
        self.connection.request("deleteLBStickinessPolicy", id=ident_)
        return True
