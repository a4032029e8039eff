"""Helpers for simulator tests: a tiny independent signer and answer accessors.

The signer here is written from WIRE.md section 2 on its own (not the simulator's ``auth``
module, not the driver's ``http.signing``), so that a shared mistake cannot hide.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import requests

KEY = "KEY"
SECRET = "SECRET"


def sign(params: dict[str, str], secret: str = SECRET) -> str:
    pieces = []
    for name in sorted(params):
        encoded = quote(params[name].encode("utf-8"), safe="*-._").replace("~", "%7E")
        pieces.append(f"{name}={encoded}")
    text = "&".join(pieces).lower()
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed(command: str, secret: str = SECRET, *, v3: bool = False, **params: Any) -> dict[str, str]:
    out = {"command": command, "response": "json", "apiKey": KEY,
           **{k: str(v) for k, v in params.items()}}
    if v3:
        expires = datetime.now(timezone.utc) + timedelta(minutes=5)
        out.update(signatureVersion="3", expires=expires.strftime("%Y-%m-%dT%H:%M:%S+0000"))
    out["signature"] = sign(out, secret)
    return out


Api = Callable[..., requests.Response]


def body(response: requests.Response) -> dict[str, Any]:
    """The inner dict of the single ``<command>response`` key."""
    data = response.json()
    assert len(data) == 1
    inner: dict[str, Any] = next(iter(data.values()))
    return inner


def wait_job(api: Api, jobid: str, tries: int = 200) -> dict[str, Any]:
    """Poll queryAsyncJobResult until the job ends (bounded number of polls)."""
    import time

    for _ in range(tries):
        result = body(api("queryAsyncJobResult", jobid=jobid))
        if result["jobstatus"] != 0:
            return result
        time.sleep(0.02)
    raise AssertionError(f"job {jobid} did not finish")


def run(api: Api, command: str, **params: Any) -> dict[str, Any]:
    """Call ``command`` (POST); for an async command wait for the job and return jobresult."""
    response = api(command, post=True, **params)
    assert response.status_code == 200, response.text
    inner = body(response)
    if "jobid" in inner and command.startswith(("list", "query")) is False:
        done = wait_job(api, inner["jobid"])
        assert done["jobstatus"] == 1, done
        result: dict[str, Any] = done["jobresult"]
        return result
    return inner


def fail(api: Api, command: str, **params: Any) -> dict[str, Any]:
    """Call an async ``command`` whose job must fail; return the failed job's answer."""
    inner = body(api(command, post=True, **params))
    done = wait_job(api, inner["jobid"])
    assert done["jobstatus"] == 2, done
    return done


# The real server answers these with the security group (SecurityGroupResponse, as libcloud
# and cs read it), while listApis names the rule response class: check them against the
# group's fields instead.
ANSWERS_LIKE = {"authorizeSecurityGroupIngress": "createSecurityGroup",
                "authorizeSecurityGroupEgress": "createSecurityGroup"}


# List answers whose items are another command's objects: listApis names the response class of
# the command's other form (``lbvmips=true``), the plain form answers the VMs themselves.
ITEMS_LIKE = {("listLoadBalancerRuleInstances", "loadbalancerruleinstance"): "listVirtualMachines"}


def spec_problems(command: str, inner: dict[str, Any]) -> set[str]:
    """Fields of an emitted answer that the 4.18 spec does not list for ``command``."""
    from cloudstack_driver.simulator import spec
    from cloudstack_driver.simulator.registry import COMMANDS

    fields = spec.response_fields(ANSWERS_LIKE.get(command, command))
    entry = COMMANDS.get(command)
    if entry is not None and entry.list_key is not None:
        keys = {entry.list_key} | ({entry.list_key_when[1]} if entry.list_key_when else set())
        assert set(inner) <= {"count", *keys}, (command, sorted(inner))
        key = next((k for k in inner if k != "count"), entry.list_key)
        objects = list(inner.get(key, []))
        like = ITEMS_LIKE.get((command, key))
        if like is not None:
            fields = spec.response_fields(like)
    elif len(inner) == 1 and next(iter(inner)) not in fields and isinstance(
            next(iter(inner.values())), dict):
        objects = [next(iter(inner.values()))]
    else:
        objects = [inner]
    extra: set[str] = set()
    for obj in objects:
        extra |= set(obj) - set(fields) - {"jobid", "id"}
    return extra
