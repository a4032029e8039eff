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
