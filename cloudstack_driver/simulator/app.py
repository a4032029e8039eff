"""The WSGI application: parse, verify, check, dispatch, render (WIRE.md sections 1-7).

Every client mistake gets a CloudStack error body with HTTP status = ``errorcode``; a bug in a
handler gets 530 with the real server's wording, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import auth, render, spec
from .errors import CS, ApiError, invalid_value, param_error
from .faults import ENVELOPE_STATUSES, PROXY_STATUSES, Fault, Faults, Plan, proxy_page
from .params import process
from .registry import COMMANDS, Call, Command
from .state import Cloud, JobTicket
from .wire import Malformed, method_answer, read_params

__all__ = ["MAX_USERDATA", "MAX_USERDATA_GET", "Answer", "SimulatorApp"]

log = logging.getLogger(__name__)

MAX_USERDATA = 32768  # vm.userdata.max.length
MAX_USERDATA_GET = 4096
_REASONS = {200: "OK", 401: "Unauthorized", 405: "Method Not Allowed", 429: "Too Many Requests",
            430: "Malformed Parameter",
            431: "Invalid Parameter", 432: "Unsupported Command", 530: "Internal Error",
            531: "Account Error", 532: "Account Resource Limit Error",
            533: "Insufficient Capacity", 534: "Resource Unavailable",
            535: "Resource Allocation Error", 536: "Resource In Use",
            537: "Network Rule Conflict", 502: "Bad Gateway",
            503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}
_CREATES = ("create", "deploy", "associate", "register", "copy", "add", "upload")
# ApiServer.CONTROL_CHARACTERS: the ASCII controls but line feed and carriage return
_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")

StartResponse = Callable[..., Any]


@dataclass
class Answer:
    """What to send for one request; ``drop``: close the connection instead of answering."""

    status: int
    body: bytes
    ctype: str = "application/json; charset=UTF-8"
    drop: bool = False


class SimulatorApp:
    """WSGI callable serving one :class:`~.state.Cloud`, with the :class:`~.faults.Faults`
    to inject (a new empty set when not given)."""

    def __init__(self, cloud: Cloud, faults: Faults | None = None) -> None:
        self.cloud = cloud
        self.faults = faults if faults is not None else Faults()
        self._served = 0
        self._served_lock = threading.Lock()

    @property
    def requests_served(self) -> int:
        """How many HTTP requests reached the application (any method, any answer)."""
        with self._served_lock:
            return self._served

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        with self._served_lock:
            self._served += 1
        method = environ.get("REQUEST_METHOD", "GET")
        other = method_answer(method)
        if other is not None:
            status, headers, page = other
            start_response(f"{status} {_REASONS.get(status, 'OK')}", headers)
            return [page]
        try:
            answer = self.handle(environ)
        except Exception:  # a simulator bug: answer like the server does, log the trace
            log.exception("simulator handler failed")
            inner = render.error_inner(530, "Internal error executing command, please contact "
                                       "your system administrator", CS.SERVER_API)
            answer = Answer(530, render.to_json("errorresponse", inner))
        if answer.drop:
            return _drop(environ, start_response)
        start_response(f"{answer.status} {_REASONS.get(answer.status, 'CloudStack Error')}",
                       [("Content-Type", answer.ctype),
                        ("Content-Length", str(len(answer.body)))])
        return [b""] if method == "HEAD" else [answer.body]  # HEAD: GET's headers, no body

    # ------------------------------------------------------------------------------------
    def handle(self, environ: dict[str, Any]) -> Answer:
        as_json = True
        envelope = "errorresponse"
        plan: Plan | None = None
        jobid: str | None = None
        try:
            try:
                params = read_params(environ)
            except Malformed as bad:
                raise ApiError(430, f"Malformed request parameter: {bad}", CS.INVALID_PARAMETER)\
                    from None
            as_json = params.get("response", "xml").lower() == "json"
            name = params.get("command")
            if name is None or name not in spec.apis():
                # verifyRequest refuses these: no command class names the error's envelope
                # (``null`` when the request has parameters but no command)
                envelope = "null" if name is None and params else "errorresponse"
                raise auth.failed()
            command = COMMANDS.get(name)
            envelope = command.envelope if command is not None else f"{name.lower()}response"
            auth.verify(params, api_key=self.cloud.api_key, secret_key=self.cloud.secret_key)
            plan = self.faults.plan(name)  # the request reached the API: faults count it
            if plan.delay:
                time.sleep(plan.delay)
            refuse = plan.refuse
            if refuse is not None:
                self.faults.record(plan, ran=False, jobid=None)
                return self._refusal(refuse, envelope, as_json)
            for key, value in params.items():
                if _CONTROL.search(value):
                    raise ApiError(431, "Received value containing illegal ASCII non-printable "
                                   f"characters for parameter {key}", CS.SERVER_API)
            if command is None:
                envelope = "errorresponse"
                raise ApiError(432, "The given command does not exist or it is not available "
                               "for user", CS.SERVER_API)
            with self.cloud.lock:  # ids are resolved against the state the command sees
                self.cloud.jobs.advance()
                self._check(command, params, environ)
                inner = self.dispatch(command, params)
                if command.is_async and isinstance(inner.get("jobid"), str):
                    jobid = inner["jobid"]
                    rig = plan.job
                    if rig is not None:  # before any other request can advance the job
                        self.cloud.jobs.force(jobid, rig.kind.removeprefix("job_"))
            answer = Answer(200, self._body(envelope, inner, as_json), self._ctype(as_json))
        except ApiError as err:
            inner = render.error_inner(err.errorcode, err.errortext, err.cserrorcode)
            answer = Answer(err.errorcode, self._body(envelope, inner, as_json),
                            self._ctype(as_json))
        if plan is None:
            return answer
        self.faults.record(plan, ran=True, jobid=jobid)
        return _spoil(plan.answer, answer)

    def _refusal(self, fault: Fault, envelope: str, as_json: bool) -> Answer:
        """The answer of a fault that refuses the request (the command does not run)."""
        if fault.kind == "drop_before":
            return Answer(0, b"", drop=True)
        status = fault.status or 530
        if status in PROXY_STATUSES:
            return Answer(status, proxy_page(status), "text/html")
        text, cserrorcode = ENVELOPE_STATUSES[status]
        text = text.format(ms=fault.wait_ms, low=envelope.removesuffix("response"))
        inner = render.error_inner(status, text, cserrorcode)
        return Answer(status, self._body(envelope, inner, as_json), self._ctype(as_json))

    @staticmethod
    def _ctype(as_json: bool) -> str:
        return "application/json; charset=UTF-8" if as_json else "text/xml; charset=UTF-8"

    @staticmethod
    def _body(envelope: str, inner: dict[str, Any], as_json: bool) -> bytes:
        return render.to_json(envelope, inner) if as_json else render.to_xml(envelope, inner)

    def _check(self, command: Command, params: dict[str, str], environ: dict[str, Any]) -> None:
        # ParamProcessWorker names the command after its response name, less "response".
        low = command.envelope.removesuffix("response")
        for required in spec.required_params(command.name):
            prefix = f"{required.lower()}["
            if params.get(required, "") == "" and not any(
                    k.lower().startswith(prefix) for k in params):
                raise param_error(f"Unable to execute API command {low} due to missing "
                                  f"parameter {required}")
        process(self.cloud, command.name, low, params)
        userdata = params.get("userdata")
        if userdata is not None:
            get = environ.get("REQUEST_METHOD", "GET") == "GET"
            limit = MAX_USERDATA_GET if get else MAX_USERDATA
            if len(userdata) > limit:
                raise invalid_value("User data is too long for an http "
                                    f"{'GET' if get else 'POST'} request")
        has_page, has_size = params.get("page"), params.get("pagesize")
        if has_page and not has_size:
            raise invalid_value('"pagesize" parameter is required when "page" is specified')
        if has_size and not has_page:
            raise invalid_value('"page" parameter is required when "pagesize" is specified')

    def dispatch(self, command: Command, params: dict[str, str]) -> dict[str, Any]:
        """Run ``command`` on checked ``params``; the caller holds ``cloud.lock`` and has
        advanced the jobs."""
        call = Call(self.cloud, command.name, params)
        if command.list_key is not None:
            start, size = self._page(call, command)
            records = command.handler(call)
            total = len(records)
            page = records[start:start + size] if size >= 0 else records[start:]
            if total == 0:
                inner: dict[str, Any] = {}
            elif not page:
                inner = {"count": total}
            else:
                inner = {"count": total, command.item_key(call) or command.list_key:
                         render.clean(page)}
        else:
            result = command.handler(call)
            if isinstance(result, JobTicket):
                inner = {"jobid": result.jobid}
                if result.instance_id and command.name.lower().startswith(_CREATES):
                    inner["id"] = result.instance_id
                return inner
            inner = render.clean(result)
        render.emit(command.name, inner)
        return inner

    def _page(self, call: Call, command: Command) -> tuple[int, int]:
        """(first row, rows) for a list call; rows -1 = all."""
        limit = self.cloud.page_size
        if not command.paged or not call.has("pagesize"):
            return 0, limit if command.paged else -1
        size = call.int("pagesize") or 0
        page = call.int("page") or 0
        if size == -1:
            return 0, -1
        if size > limit:
            raise invalid_value(f"Page size can't exceed max allowed page size value: {limit}")
        if size < 1 or page < 1:
            raise invalid_value("Please specify a valid page and pagesize: both must be "
                                "positive numbers")
        return (page - 1) * size, size


# A page a client may get with status 200 where it expected JSON: the management server's web
# UI, as a misrouted request or a login portal in front of the API answers it.
_NOT_JSON_PAGE = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                  b"<title>Apache CloudStack</title></head>\n<body><noscript>Apache CloudStack "
                  b"needs JavaScript.</noscript><div id=\"app\"></div></body>\n</html>\n")


def _spoil(fault: Fault | None, answer: Answer) -> Answer:
    """The answer after a fault on the answer of a command that ran."""
    if fault is None:
        return answer
    if fault.kind == "drop_after":
        return Answer(0, b"", drop=True)
    if fault.kind == "truncate":
        return Answer(answer.status, answer.body[:len(answer.body) // 2], answer.ctype)
    return Answer(200, _NOT_JSON_PAGE, "text/html; charset=UTF-8")  # not_json


def _drop(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Close the client's connection without an answer.

    The socket is shut down both ways; the server's attempt to send the (empty) answer then
    fails with a broken pipe, which werkzeug takes for a client that went away: nothing is
    logged and the server goes on serving."""
    sock = environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket):
        raise RuntimeError("a drop fault needs the simulator's own server (werkzeug's)")
    with contextlib.suppress(OSError):  # the client went first
        sock.shutdown(socket.SHUT_RDWR)
    start_response("500 Dropped", [("Content-Length", "0")])
    return [b""]
