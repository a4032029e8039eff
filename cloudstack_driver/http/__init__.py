"""The CloudStack wire: parameters, signing, envelopes, the connection and job waiting.

Nothing here knows about models; it imports only ``cloudstack_driver.errors`` (and the
``security`` knobs). See ``docs/architecture.rst``, "The wire contract".
"""

from __future__ import annotations

from cloudstack_driver.http.connection import CloudStackConnection, is_read_only
from cloudstack_driver.http.envelope import list_items, unwrap
from cloudstack_driver.http.jobs import JobWaiter
from cloudstack_driver.http.params import flatten
from cloudstack_driver.http.signing import encode_value, expires_stamp, sign, string_to_sign

__all__ = [
    "CloudStackConnection",
    "JobWaiter",
    "encode_value",
    "expires_stamp",
    "flatten",
    "is_read_only",
    "list_items",
    "sign",
    "string_to_sign",
    "unwrap",
]
