"""Which failures may be repeated, and how long to wait (WIRE.md section 5).

The server answers GET and POST alike, so the HTTP method says nothing about safety: only
read-only commands (``list*``, ``get*``, ``query*``, minus a few that change state) are repeated
after a lost or failed exchange. Any command is repeated after 429, which the server answers
before running anything.
"""

from __future__ import annotations

from typing import Any

import requests

from cloudstack_driver import errors

__all__ = ["is_read_only", "retry_after_header", "retryable_exchange_error", "transient_answer"]

_READ_ONLY_PREFIXES = ("list", "get", "query")
# Named like reads but they start jobs or create upload records: never repeat them blindly.
_NOT_READ_ONLY = frozenset(
    {"getDiagnosticsData", "getUploadParamsForIso", "getUploadParamsForTemplate",
     "getUploadParamsForVolume", "listAndSwitchSAMLAccount"}
)


def is_read_only(command: str) -> bool:
    """True for commands that only read (``list*``, ``get*``, ``query*``): safe to repeat."""
    return command.startswith(_READ_ONLY_PREFIXES) and command not in _NOT_READ_ONLY


def retryable_exchange_error(exc: requests.RequestException) -> bool:
    """A refused, reset or timed-out exchange (not a TLS failure, which will not heal)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return False
    return isinstance(exc, (requests.ConnectionError, requests.Timeout,
                            requests.exceptions.ChunkedEncodingError))


def retry_after_header(response: Any) -> float | None:
    """Seconds of a ``Retry-After: N`` header (a proxy's 429); None when absent or a date."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def transient_answer(exc: errors.CloudStackError) -> bool:
    """530, 534, or a 5xx that is not CloudStack's (a proxy's 502/503/504): worth repeating
    a read-only command. 531-537 are answers about the request itself and stay errors."""
    if exc.errorcode is not None:
        return exc.errorcode in (530, 534)
    return exc.http_status is not None and exc.http_status >= 500
