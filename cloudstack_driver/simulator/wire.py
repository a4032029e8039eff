"""Reading a request as the management server's servlet container does (WIRE.md section 1).

* Parameters come from the query string and, for a POST whose ``Content-Type`` is
  ``application/x-www-form-urlencoded``, from the body (any other body is not read for
  parameters, as Jetty does; a POST without a ``Content-Length`` that is not chunked has an empty
  body).
* A name given more than once: the servlet re-decodes the query string itself (its
  ``utf8Fixup``), so in the query string the *last* value wins, and a query-string value wins over
  a body value; among body values the first wins.
* Names and values are percent-decoded as UTF-8. A broken escape or bytes that are not UTF-8 are
  :class:`Malformed` (the simulator answers 430; Jetty answers a bare 400 page).
* ``ApiServlet`` implements GET and POST only: HEAD is GET without a body, OPTIONS lists the
  methods, anything else is 405 (:func:`method_answer`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from .errors import CS, ApiError

__all__ = ["ALLOWED", "MAX_BODY", "MAX_KEYS", "Malformed", "method_answer", "parse_pairs", "read_params"]

MAX_BODY = 1_048_576  # bytes of form body (ServerDaemon's request.content.size)
MAX_KEYS = 5000  # form keys (ServerDaemon's request.max.form.keys)
ALLOWED = "GET, HEAD, POST, OPTIONS"
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_FORM = "application/x-www-form-urlencoded"


class Malformed(Exception):
    """A request whose parameters cannot be decoded."""


def parse_pairs(raw: bytes) -> list[tuple[str, str]]:
    """``a=1&b=%C3%A9`` -> ``[("a", "1"), ("b", "é")]`` in order; strict UTF-8."""
    out: list[tuple[str, str]] = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name_b, _, value_b = part.partition(b"=")
        if _BAD_ESCAPE.search(name_b) or _BAD_ESCAPE.search(value_b):
            raise Malformed(part[:60].decode("latin-1"))
        try:
            name = unquote_to_bytes(name_b.replace(b"+", b" ")).decode("utf-8")
            value = unquote_to_bytes(value_b.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed(part[:60].decode("latin-1")) from None
        if not name:
            raise Malformed(part[:60].decode("latin-1"))
        out.append((name, value))
    return out


def _too_big() -> ApiError:
    return ApiError(431, f"The request body is larger than {MAX_BODY} bytes", CS.INVALID_PARAMETER)


def _body(environ: dict[str, Any]) -> bytes:
    """The form body: at most ``MAX_BODY`` bytes, never waiting for bytes that won't come."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream
        raw: bytes = stream.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise _too_big()
        return raw
    length_text = (environ.get("CONTENT_LENGTH") or "").strip()
    if not length_text:
        return b""
    if not length_text.isdigit():
        raise Malformed("Content-Length")
    length = int(length_text)
    if length > MAX_BODY:
        raise _too_big()
    try:
        data: bytes = stream.read(length) if length else b""
    except OSError:  # the client stalled past the idle timeout
        raise Malformed("the body is shorter than its Content-Length") from None
    if len(data) < length:
        raise Malformed("the body is shorter than its Content-Length")
    return data


def read_params(environ: dict[str, Any]) -> dict[str, str]:
    """Every parameter of the request, repeated names resolved as the servlet does."""
    params: dict[str, str] = {}
    method = environ.get("REQUEST_METHOD", "GET")
    ctype = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
    if method == "POST" and ctype == _FORM:
        pairs = parse_pairs(_body(environ))
        if len(pairs) > MAX_KEYS:
            raise ApiError(431, f"The request body has more than {MAX_KEYS} parameters",
                           CS.INVALID_PARAMETER)
        for name, value in pairs:
            params.setdefault(name, value)
    query = environ.get("QUERY_STRING", "").encode("latin-1")
    for name, value in parse_pairs(query):
        params[name] = value
    return params


def method_answer(method: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The answer for a method the API servlet does not serve (None for GET, HEAD and POST)."""
    if method in ("GET", "HEAD", "POST"):
        return None
    if method == "OPTIONS":
        return 200, [("Allow", ALLOWED), ("Content-Length", "0")], b""
    text = f"HTTP method {method} is not supported by this URL"
    page = (f"<html><head><title>Error 405 {text}</title></head><body><h2>HTTP ERROR 405 "
            f"{text}</h2></body></html>").encode("latin-1", "replace")
    return 405, [("Allow", ALLOWED), ("Content-Type", "text/html;charset=iso-8859-1"),
                 ("Content-Length", str(len(page)))], page
