"""Fault injection: make chosen requests fail the way networks, proxies and servers fail.

A :class:`Fault` names a command, which of its requests it hits and what goes wrong; a
:class:`Faults` set (``Simulator.faults``) holds the faults of one simulator, counts the requests
of each command and records every fault that fired. The WSGI application asks the set for a
:class:`Plan` once per request, after the signature check, and carries it out.

Kinds (``Fault.kind``):

``http``
    answer an HTTP error without running the command: ``status`` 401, 429, 431, 530 or 534 as
    a CloudStack error envelope (WIRE.md section 5), 502, 503 or 504 as a proxy's HTML page.
``latency``
    wait ``seconds`` before handling the request, then handle it normally.
``drop_before``
    close the connection without answering and without running the command.
``drop_after``
    run the command (an async one starts its job), then close the connection unanswered.
``truncate``
    run the command, then send the first half of the body (with a Content-Length for what is
    sent): the client reads an incomplete document.
``not_json``
    run the command, then answer 200 with an HTML page.
``job_fail``, ``job_cancel``, ``job_hang``
    the async job the command starts fails (``jobstatus`` 2, ``jobresult`` errorcode 530),
    is cancelled (``jobstatus`` 3), or never ends (``jobstatus`` stays 0).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator
from dataclasses import KW_ONLY, dataclass, field
from typing import NamedTuple

from . import spec
from .errors import CS

__all__ = ["ANSWER_KINDS", "ENVELOPE_STATUSES", "JOB_KINDS", "KINDS", "PROXY_STATUSES",
           "REFUSE_KINDS", "Fault", "Faults", "Fired", "Plan", "parse_spec", "proxy_page"]

#: kinds that answer instead of the command (it does not run)
REFUSE_KINDS = ("http", "drop_before")
#: kinds that spoil the answer of a command that ran
ANSWER_KINDS = ("drop_after", "truncate", "not_json")
#: kinds that decide how the command's async job ends
JOB_KINDS = ("job_fail", "job_cancel", "job_hang")
KINDS = ("http", "latency", "drop_before", "drop_after", "truncate", "not_json", *JOB_KINDS)

#: HTTP error statuses answered with a CloudStack error body: (errortext, cserrorcode)
ENVELOPE_STATUSES: dict[int, tuple[str, int | None]] = {
    # the server's 401 is made from the error code alone: no cserrorcode (as the simulator's
    # own 401 for a bad signature)
    401: ("unable to verify user credentials and/or request signature", None),
    429: ("The given user has reached his/her account api limit, please retry after [{ms}] ms.",
          CS.SERVER_API),
    431: ("Unable to execute API command {low} due to invalid value. Invalid parameter value "
          "(fault injected by the simulator)", CS.INVALID_PARAMETER),
    530: ("Internal error executing command, please contact your system administrator",
          CS.SERVER_API),
    534: ("A shutdown has been triggered. Can not accept new jobs", CS.SERVER_API),
}
#: HTTP error statuses answered with a reverse proxy's page (nginx's wording)
PROXY_STATUSES: dict[int, str] = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}
_STATUSES = ", ".join(str(s) for s in sorted({*ENVELOPE_STATUSES, *PROXY_STATUSES}))
DEFAULT_RETRY_AFTER_MS = 1000


def proxy_page(status: int) -> bytes:
    """The HTML page nginx sends for a 5xx of its own."""
    title = f"{status} {PROXY_STATUSES[status]}"
    return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n").encode("ascii")


def _count(name: str, value: object, low: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: must be an int or None, got {value!r}")
    if value < low:
        raise ValueError(f"{name}: must be at least {low}, got {value!r}")
    return value


@dataclass(frozen=True)
class Fault:
    """What goes wrong, for which requests of which command.

    :param command: the CloudStack command name, as sent in ``command=`` (case matters)
    :param kind: one of :data:`KINDS`
    :param occurrence: the first request it hits, counting from 1 the requests naming
        ``command`` that reach the API after the fault is added; None (the default): every
        request
    :param times: how many requests in a row it hits from ``occurrence`` (default 1); None: every
        one from ``occurrence`` on. Only with ``occurrence`` ("the first 3" is
        ``occurrence=1, times=3``); without it ``times`` is None.
    :param status: the HTTP status of an ``http`` fault (401, 429, 431, 502, 503, 504, 530,
        534)
    :param retry_after_ms: the wait a 429 asks for, in its text (default 1000)
    :param seconds: the delay of a ``latency`` fault

    Every mistake is a ``ValueError`` naming the field.
    """

    command: str
    kind: str
    _: KW_ONLY
    occurrence: int | None = None
    times: int | None = 1
    status: int | None = None
    retry_after_ms: int | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.command, str) or not self.command:
            raise ValueError(f"command: must be a command name, got {self.command!r}")
        if self.command not in spec.apis():
            raise ValueError(f"command: {self.command!r} is not a CloudStack 4.18 command "
                             "(names are case-sensitive, e.g. deployVirtualMachine)")
        if self.kind not in KINDS:
            raise ValueError(f"kind: {self.kind!r} is not one of {', '.join(KINDS)}")
        _count("occurrence", self.occurrence, 1)
        _count("times", self.times, 1)
        if self.occurrence is None and self.times not in (1, None):
            raise ValueError(f"times: {self.times!r} needs an occurrence (without one the fault "
                             "hits every request; the first N is occurrence=1, times=N)")
        if self.occurrence is None:
            object.__setattr__(self, "times", None)  # every request: one spelling, one value
        self._check_status()
        self._check_seconds()
        if self.kind in JOB_KINDS and not spec.api(self.command)["isasync"]:
            raise ValueError(f"kind: {self.kind} needs an async command; {self.command} starts "
                             "no job")

    def _check_status(self) -> None:
        if self.kind != "http":
            if self.status is not None:
                raise ValueError(f"status: only for kind http, not {self.kind}")
            if self.retry_after_ms is not None:
                raise ValueError(f"retry_after_ms: only for kind http with status 429, not "
                                 f"{self.kind}")
            return
        if self.status is None:
            raise ValueError(f"status: kind http needs a status, one of {_STATUSES}")
        if isinstance(self.status, bool) or self.status not in {*ENVELOPE_STATUSES,
                                                                *PROXY_STATUSES}:
            raise ValueError(f"status: {self.status!r} is not one of {_STATUSES}")
        if self.retry_after_ms is not None:
            if self.status != 429:
                raise ValueError(f"retry_after_ms: only with status 429, not {self.status}")
            _count("retry_after_ms", self.retry_after_ms, 0)

    def _check_seconds(self) -> None:
        if self.kind != "latency":
            if self.seconds is not None:
                raise ValueError(f"seconds: only for kind latency, not {self.kind}")
            return
        value = self.seconds
        if value is None:
            raise ValueError("seconds: kind latency needs seconds")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"seconds: must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"seconds: must be a finite number >= 0, got {value!r}")

    @property
    def wait_ms(self) -> int:
        """The wait a 429 asks for (``retry_after_ms`` or its default)."""
        return DEFAULT_RETRY_AFTER_MS if self.retry_after_ms is None else self.retry_after_ms

    def hits(self, occurrence: int) -> bool:
        """Whether the ``occurrence``-th request (counted from the fault's addition) is hit."""
        if self.occurrence is None:
            return True
        if occurrence < self.occurrence:
            return False
        return self.times is None or occurrence < self.occurrence + self.times


class Fired(NamedTuple):
    """One fault that fired: the command, the request's occurrence as the fault counts it, the
    kind, and the id of the job the request started (None when it started none)."""

    command: str
    occurrence: int
    kind: str
    jobid: str | None


@dataclass
class Plan:
    """What to do with one request: the faults that hit it, sorted by what they do."""

    command: str
    hits: list[tuple[Fault, int]] = field(default_factory=list)

    def _first(self, kinds: tuple[str, ...]) -> tuple[Fault, int] | None:
        return next(((f, n) for f, n in self.hits if f.kind in kinds), None)

    @property
    def delay(self) -> float:
        """Seconds to wait before handling (every ``latency`` fault adds its own)."""
        return sum(f.seconds or 0.0 for f, _n in self.hits if f.kind == "latency")

    @property
    def refuse(self) -> Fault | None:
        """The fault answering instead of the command (the first added wins)."""
        hit = self._first(REFUSE_KINDS)
        return None if hit is None else hit[0]

    @property
    def answer(self) -> Fault | None:
        """The fault spoiling the answer (the first added wins)."""
        hit = self._first(ANSWER_KINDS)
        return None if hit is None else hit[0]

    @property
    def job(self) -> Fault | None:
        """The fault deciding the job's end (the first added wins)."""
        hit = self._first(JOB_KINDS)
        return None if hit is None else hit[0]

    def fired(self, *, ran: bool, jobid: str | None) -> list[Fired]:
        """The faults that took effect: latency always; when the command did not run, the
        refusing fault; when it ran, the answer's fault, and the job's when it started one."""
        chosen: list[Fault] = [f for f, _n in self.hits if f.kind == "latency"]
        if not ran:
            chosen += [f for f in (self.refuse,) if f is not None]
        else:
            chosen += [f for f in (self.answer,) if f is not None]
            if jobid is not None and self.job is not None:
                chosen.append(self.job)
        return [Fired(self.command, n, f.kind, jobid if ran else None)
                for f, n in self.hits if any(f is c for c in chosen)]


class Faults:
    """The faults of one simulator; thread-safe (the server handles requests in threads).

    ``add`` and ``clear`` work while the server runs. A fault counts the requests of its
    command from the moment it is added, so ``occurrence=1`` added at run time hits the next
    one. ``fired`` is the record of every fault that took effect, oldest first, and survives
    ``clear``.
    """

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}
        self._entries: list[tuple[Fault, int]] = []  # (fault, requests of its command before)
        self._fired: list[Fired] = []
        for fault in faults:
            self.add(fault)

    def add(self, *faults: Fault) -> None:
        """Add faults; each counts its command's requests from now on."""
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(f"faults must be Fault objects, got {type(fault).__name__}")
        with self._lock:
            for fault in faults:
                self._entries.append((fault, self._seen.get(fault.command, 0)))

    def clear(self) -> None:
        """Remove every fault (the ``fired`` record and request counts stay)."""
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter([fault for fault, _base in self._entries])

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def fired(self) -> list[Fired]:
        """Every fault that took effect, oldest first (a copy)."""
        with self._lock:
            return list(self._fired)

    def seen(self, command: str) -> int:
        """How many requests naming ``command`` reached the API so far."""
        with self._lock:
            return self._seen.get(command, 0)

    def plan(self, command: str) -> Plan:
        """Count one request of ``command`` and say which faults hit it."""
        plan = Plan(command)
        with self._lock:
            count = self._seen.get(command, 0) + 1
            self._seen[command] = count
            for fault, base in self._entries:
                if fault.command == command and fault.hits(count - base):
                    plan.hits.append((fault, count - base))
        return plan

    def record(self, plan: Plan, *, ran: bool, jobid: str | None) -> None:
        """Note the faults of ``plan`` that took effect (before the client can see them)."""
        fired = plan.fired(ran=ran, jobid=jobid)
        if fired:
            with self._lock:
                self._fired.extend(fired)


# -- the command line's spelling ----------------------------------------------------------------

_SHORTHAND = {"http": "status", "latency": "seconds"}
_OPTIONS = ("status", "retry_after_ms", "seconds")


def _number(name: str, text: str) -> int | float:
    try:
        return float(text) if name == "seconds" else int(text)
    except ValueError:
        raise ValueError(f"{name}: not {'a number' if name == 'seconds' else 'an integer'}: "
                         f"{text!r}") from None


def _occurrences(text: str) -> tuple[int | None, int | None]:
    """``*`` -> every; ``2`` -> the 2nd; ``1-3`` -> the 1st to the 3rd; ``4-`` -> from the 4th."""
    if text == "*":
        return None, None
    first, dash, last = text.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        raise ValueError(f"occurrence: {text!r} is not N, N-M, N- or *")
    start = int(first)
    if start < 1:
        raise ValueError(f"occurrence: counts from 1, got {text!r}")
    if not dash:
        return start, 1
    if not last:
        return start, None
    end = int(last)
    if end < start:
        raise ValueError(f"occurrence: {text!r} ends before it starts")
    return start, end - start + 1


def parse_spec(text: str) -> Fault:
    """``COMMAND:OCCURRENCE:KIND[=VALUE][,NAME=VALUE...]`` -> a :class:`Fault`.

    ``deployVirtualMachine:2:drop_after``, ``listZones:*:latency=0.5``,
    ``deployVirtualMachine:1:http=429,retry_after_ms=2000``, ``createVolume:1-3:job_fail``.
    ``VALUE`` after the kind is the status of ``http`` and the seconds of ``latency``; options
    are ``status``, ``retry_after_ms`` and ``seconds``. ValueError on a bad spec.
    """
    parts = text.split(":")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"{text!r} is not COMMAND:OCCURRENCE:KIND (e.g. "
                         "deployVirtualMachine:2:drop_after)")
    command, occurrence_text, rest = parts
    occurrence, times = _occurrences(occurrence_text)
    head, *options = rest.split(",")
    kind, eq, value = head.partition("=")
    values: dict[str, int | float] = {}
    if eq:
        if kind not in _SHORTHAND:
            raise ValueError(f"kind: {kind} takes no value (only http=STATUS and "
                             "latency=SECONDS do)")
        values[_SHORTHAND[kind]] = _number(_SHORTHAND[kind], value)
    for option in options:
        name, eq, value = option.partition("=")
        if name not in _OPTIONS or not eq:
            raise ValueError(f"option: {option!r} is not NAME=VALUE with NAME one of "
                             f"{', '.join(_OPTIONS)}")
        if name in values:
            raise ValueError(f"{name}: given twice")
        values[name] = _number(name, value)
    status = values.get("status")
    retry = values.get("retry_after_ms")
    seconds = values.get("seconds")
    return Fault(command, kind, occurrence=occurrence, times=times,
                 status=None if status is None else int(status),
                 retry_after_ms=None if retry is None else int(retry),
                 seconds=None if seconds is None else float(seconds))
