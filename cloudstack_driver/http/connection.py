"""``CloudStackConnection``: one signed CloudStack command per call, over one ``requests`` session.

What it does, top to bottom (the contract is in ``docs/architecture.rst``, "The wire contract"):

1. ``flatten`` the Python values, add ``command``, ``apiKey``, ``response=json`` and, with
   signature version 3, ``signatureVersion=3`` and ``expires``; sign all of them.
2. Send: GET for read-only commands (``list*``, ``get*``, ``query*``) while the query stays
   under ``post_threshold`` characters, a form-encoded POST otherwise. A GET a proxy refuses
   with 414 (URI too long) is sent again by POST, unless the caller forced ``method``.
3. ``unwrap`` the answer: the inner dict, or the exception of its error code.
4. Retry: read-only commands after a connection error, a timeout, an unreadable body, 530, 534
   or a proxy's 5xx page; any command after 429 (the server did not run it), waiting as long
   as it asked (in its error text, else a proxy's ``Retry-After`` header), and after a
   failure that happened before the request reached the server (refused connection, connect
   timeout, TLS handshake). Waits grow by ``backoff`` with jitter, up to ``max_delay``; one
   call (retries included) ends by its ``deadline``.
5. A lost answer to a state-changing command is never resent: an async command's job is
   looked up (:mod:`.recovery`) and waited for as if the answer had arrived; otherwise
   ``OutcomeUnknownError``.
6. Async commands: wait for the job (``wait=True``) and return its ``jobresult``.

The secret key and the request signature never appear in an exception or a log message.
"""

from __future__ import annotations

import builtins
import logging
import os
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import requests

from cloudstack_driver import errors, security
from cloudstack_driver.http.commands import ASYNC_COMMANDS
from cloudstack_driver.http.envelope import unwrap
from cloudstack_driver.http.jobs import JobWaiter
from cloudstack_driver.http.paging import UNPAGED_LIST_COMMANDS, list_all
from cloudstack_driver.http.params import flatten
from cloudstack_driver.http.recovery import find_jobs, never_reached, safe_params
from cloudstack_driver.http.redact import install_log_filter, redact, scrub
from cloudstack_driver.http.retry import (
    is_read_only,
    retry_after_header,
    retryable_exchange_error,
    transient_answer,
)
from cloudstack_driver.http.session import EndpointSession
from cloudstack_driver.http.signing import encode_value, expires_stamp, sign
from cloudstack_driver.http.tls import QuietUnverifiedAdapter, warn_unverified

__all__ = [
    "MAX_EXPIRES_AFTER",
    "UNPAGED_LIST_COMMANDS",
    "CloudStackConnection",
    "is_read_only",
]

log = logging.getLogger("cloudstack_driver.http")
install_log_filter()  # urllib3 logs request URLs: keep signatures out of its records

#: How many job ids a connection remembers as "answered" (for lost-answer recovery).
_REMEMBERED_JOBS = 10_000

#: Seconds between two looks at the other requests a lost answer's recovery waits for.
_RECOVERY_PAUSE = 0.02

#: Strict servers refuse an ``expires`` more than 15 minutes ahead; stay clear of it.
MAX_EXPIRES_AFTER = 840.0

_RESERVED = frozenset({"command", "apikey", "response", "signature", "signatureversion",
                       "expires"})
_Rows = list[dict[str, Any]]
_T = TypeVar("_T")


class Answer(Protocol):
    """What :meth:`CloudStackConnection._exchange` returns: a ``requests.Response``, or
    another HTTP client's response with the same three attributes."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def _positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name!r} must be a number, got {type(value).__name__}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name!r} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return float(value)


def _count(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name!r} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name!r} must be >= {minimum}, got {value!r}")
    return value


class CloudStackConnection:
    """A signed connection to one CloudStack endpoint.

    :param key: the API key (sent as ``apiKey``)
    :param secret: the secret key the requests are signed with (never sent, never shown)
    :param url: the full endpoint, e.g. ``http://127.0.0.1:8080/client/api``
    :param timeout: seconds for each HTTP exchange (writable: ``connection.timeout = 120``)
    :param verify: True, False, or a CA bundle path; None reads ``security.VERIFY_SSL_CERT``
        and ``security.CA_CERTS_PATH``
    :param signature_version: 3 (``signatureVersion=3`` with ``expires``) or 2 (no expiry)
    :param expires_after: seconds until a version-3 request expires (capped at 14 minutes)
    :param poll_interval: the longest wait between two job polls, in seconds (writable)
    :param poll_first: seconds before a job's first poll (writable); later waits grow by
        ``poll_backoff`` up to ``poll_interval``
    :param poll_backoff: the factor each wait between polls grows by
    :param job_timeout: seconds to wait for an async job (writable; per call too)
    :param max_retries: retries after a transient failure (see the module docstring)
    :param retry_delay: first wait before a retry, in seconds; multiplied by ``backoff`` after
    :param backoff: the factor each wait grows by
    :param jitter: fraction of each wait drawn at random (0: none; 0.5: between half and all
        of it), so many clients do not retry in step
    :param max_delay: the longest wait between two attempts, in seconds
    :param deadline: seconds one call may take, retries and waits included (None: twice
        ``timeout``); each exchange's timeout is cut to what remains
    :param proxy_url: an HTTP(S) proxy for both schemes
    :param user_agent: the ``User-Agent`` header
    :param page_size: ``pagesize`` of :meth:`list` (the server refuses more than its
        ``default.page.size``, 500 unless changed)
    :param page_concurrency: pages of one listing in flight at once once the first page gave
        ``count`` (writable; 1, the default: one after the other, the next page fetched while
        :meth:`list_mapped` converts the one before)
    :param post_threshold: longest query string still sent by GET
    :param session: a ``requests.Session`` to use instead of a new one
    :param clock: monotonic clock for job deadlines (tests pass a fake one)
    :param sleep: how to wait between retries and polls (tests pass a fake one)
    :param rand: the random source of the jitter, ``[0, 1)`` (tests pass a fixed one)
    :param utcnow: the wall clock for ``expires``
    """

    #: libcloud's job states (``jobstatus`` values) and its name of the request method
    ASYNC_PENDING: int = 0
    ASYNC_SUCCESS: int = 1
    ASYNC_FAILURE: int = 2
    request_method: str = "_sync_request"
    #: True for the asyncio connection (its calls are awaitable)
    is_async: bool = False

    def __init__(
        self,
        key: str,
        secret: str,
        url: str,
        *,
        timeout: float = 60.0,
        verify: bool | str | None = None,
        signature_version: int = 3,
        expires_after: float = 600,
        poll_interval: float = 5.0,
        poll_first: float = 0.05,
        poll_backoff: float = 1.2,
        job_timeout: float = 600.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        backoff: float = 2.0,
        jitter: float = 0.5,
        max_delay: float = 30.0,
        deadline: float | None = None,
        proxy_url: str | None = None,
        user_agent: str | None = None,
        page_size: int = 500,
        page_concurrency: int = 1,
        post_threshold: int = 2048,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        utcnow: Callable[[], datetime] | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        for name, text in (("key", key), ("secret", secret), ("url", url)):
            if not isinstance(text, str) or not text.strip():
                raise TypeError(f"{name!r} must be a non-empty str")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'url' must be http(s)://host[:port]/path, got {url!r}")
        if parts.query or parts.fragment:
            raise ValueError("'url' must not carry a query string or fragment")
        try:
            self._port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise ValueError(f"'url' has an invalid port: {url!r}") from exc
        self._url = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
        self._parts = parts
        self.key = key
        self.__secret = secret
        if signature_version not in (2, 3):
            raise ValueError(f"'signature_version' must be 2 or 3, got {signature_version!r}")
        self.signature_version = signature_version
        self.expires_after = min(_positive("expires_after", expires_after), MAX_EXPIRES_AFTER)
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.poll_first = _positive("poll_first", poll_first, allow_zero=True)
        self.poll_backoff = _positive("poll_backoff", poll_backoff)
        if self.poll_backoff < 1:
            raise ValueError(f"'poll_backoff' must be >= 1, got {poll_backoff!r}")
        self.job_timeout = job_timeout
        self.max_retries = _count("max_retries", max_retries, 0)
        #: the longest wait a 429 may ask for before the retry; a longer one raises the
        #: ``ThrottledError`` (its ``retry_after`` says how long) instead of sleeping
        self.max_throttle_wait: float = 60.0
        self.retry_delay = _positive("retry_delay", retry_delay, allow_zero=True)
        self.backoff = _positive("backoff", backoff)
        self.jitter = _positive("jitter", jitter, allow_zero=True)
        if self.jitter > 1:
            raise ValueError(f"'jitter' must be between 0 and 1, got {jitter!r}")
        self.max_delay = _positive("max_delay", max_delay, allow_zero=True)
        self.deadline = deadline
        self._rand = rand
        self._issued: OrderedDict[str, None] = OrderedDict()
        self._issued_lock = threading.Lock()
        #: async commands sent and not answered yet / recovering a lost answer, per command
        self._in_flight: dict[str, int] = {}
        self._recovering: dict[str, int] = {}
        self.page_size = _count("page_size", page_size, 1)
        self.page_concurrency = page_concurrency
        #: pause the cyclic garbage collector while :meth:`list_mapped` converts rows (see
        #: :func:`~cloudstack_driver.http.paging.list_all`); False leaves it alone
        self.pause_gc: bool = True
        self.post_threshold = _count("post_threshold", post_threshold, 0)
        self.verify = verify
        self.user_agent = user_agent or f"cloudstack-driver python-requests/{requests.__version__}"
        self._own_session = session is None
        self.session = session if session is not None else EndpointSession()
        if self._own_session:  # verify=False: one warning per connection, not per request
            self.session.mount("https://", QuietUnverifiedAdapter())
        self._unverified_warned = False
        if proxy_url is not None:
            if not isinstance(proxy_url, str) or "://" not in proxy_url:
                raise ValueError(f"'proxy_url' must be a URL like http://proxy:3128, got "
                                 f"{proxy_url!r}")
            self.session.proxies.update({"http": proxy_url, "https": proxy_url})
        self._clock = clock
        self._sleep = sleep
        self._utcnow = utcnow or (lambda: datetime.now(timezone.utc))
        self._jobs = JobWaiter(self._call, clock=clock, sleep=sleep)
        #: the driver using this connection (libcloud's attribute); errors do not need it
        self.driver: Any = None

    # -- writable knobs (libcloud users set these after construction) ------------------------

    @property
    def timeout(self) -> float:
        """Seconds allowed for each HTTP exchange."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._timeout = _positive("timeout", value)

    @property
    def poll_interval(self) -> float:
        """Seconds between two polls of a running job."""
        return self._poll_interval

    @poll_interval.setter
    def poll_interval(self, value: float) -> None:
        self._poll_interval = _positive("poll_interval", value, allow_zero=True)

    @property
    def job_timeout(self) -> float:
        """Seconds to wait for an async job before ``AsyncJobTimeoutError``."""
        return self._job_timeout

    @job_timeout.setter
    def job_timeout(self, value: float) -> None:
        self._job_timeout = _positive("job_timeout", value)

    @property
    def page_concurrency(self) -> int:
        """Pages of one listing in flight at once (1: one after the other)."""
        return self._page_concurrency

    @page_concurrency.setter
    def page_concurrency(self, value: int) -> None:
        self._page_concurrency = _count("page_concurrency", value, 1)

    @property
    def deadline(self) -> float | None:
        """Seconds one call may take, retries included (None: twice ``timeout``)."""
        return self._deadline

    @deadline.setter
    def deadline(self, value: float | None) -> None:
        self._deadline = None if value is None else _positive("deadline", value)

    @property
    def verify(self) -> bool | str:
        """TLS verification as ``requests`` takes it: True, False or a CA bundle path."""
        return self._verify

    @verify.setter
    def verify(self, value: bool | str | None) -> None:
        if value is None:
            value = (security.CA_CERTS_PATH or True) if security.VERIFY_SSL_CERT else False
        if not isinstance(value, (bool, str)):
            raise TypeError(f"'verify' must be True, False or a CA bundle path, got "
                            f"{type(value).__name__}")
        if isinstance(value, str) and not os.path.exists(value):
            # requests would raise a bare OSError at the first request; say it now.
            raise ValueError(f"'verify' names a CA bundle that does not exist: {value!r}")
        self._verify: bool | str = value
        self._unverified_warned = False

    # -- the endpoint, read-only ---------------------------------------------------------------

    @property
    def secret(self) -> str:
        """The secret key (libcloud's attribute; never sent, logged or shown in a repr)."""
        return self.__secret

    @property
    def url(self) -> str:
        """The endpoint every command is sent to."""
        return self._url

    @property
    def host(self) -> str:
        """Host name of the endpoint."""
        return self._parts.hostname or ""

    @property
    def port(self) -> int:
        """Port of the endpoint (443 for https, 80 for http unless the URL names one)."""
        return self._port

    @property
    def secure(self) -> bool:
        """True when the endpoint is https."""
        return self._parts.scheme == "https"

    @property
    def path(self) -> str:
        """Path of the endpoint, e.g. ``/client/api``."""
        return self._parts.path or "/"

    def __repr__(self) -> str:
        return f"<CloudStackConnection url={self._url!r} key={self.key[:6]}...>"

    def close(self) -> None:
        """Close the HTTP session (only when this connection created it)."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> CloudStackConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the public calls -----------------------------------------------------------------------

    def request(self, command: str, *, wait: bool = True, job_timeout: float | None = None,
                method: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one CloudStack command and return the unwrapped answer.

        The typed escape hatch for commands that have no driver method yet::

            driver.connection.request("listZones", available=True)
            driver.connection.request("startVirtualMachine", id=vm_id)   # waits for the job

        ``params`` hold Python values with CloudStack names (see ``http.params.flatten``).
        For a command CloudStack runs as an async job, ``wait=True`` waits for the job (up to
        ``job_timeout``, default ``self.job_timeout``) and returns its ``jobresult``
        (``{"virtualmachine": {...}}``, ``{"success": True}``); ``wait=False`` returns the
        immediate ``{"jobid": ..., "id": ...}``. ``method`` forces ``"GET"`` or ``"POST"``.
        Errors raise the ``CloudStackError`` subclass of their error code.
        """
        sent_at = self._utcnow()
        tracked = command in ASYNC_COMMANDS
        if tracked:
            self._count(self._in_flight, command, 1)
        try:
            try:
                inner = self._call(command, params, method=method)
            except _LostAnswer as lost:
                inner = self._recover(command, params, sent_at, lost)
            if tracked and inner.get("jobid"):
                self._remember_job(str(inner["jobid"]))
        finally:
            if tracked:
                self._count(self._in_flight, command, -1)
        if wait and command in ASYNC_COMMANDS:
            jobid = inner.get("jobid")
            if not jobid:
                raise errors.MalformedResponseError(
                    f"{command}: an async command answered without a jobid", body=inner)
            try:
                return self.wait_for_job(str(jobid), timeout=job_timeout, command=command)
            except errors.AsyncJobError as exc:
                if exc.entity_id is None and inner.get("id") is not None:
                    exc.entity_id = str(inner["id"])
                raise
            except errors.AsyncJobTimeoutError as exc:
                made = inner.get("id")
                if made is None or exc.entity_id is not None:
                    raise
                raise type(exc)(
                    exc.jobid, timeout=exc.timeout, command=exc.command, entity_id=str(made),
                    driver=exc.driver) from None
        return inner

    # -- lost answers -------------------------------------------------------------------------

    def _count(self, table: dict[str, int], command: str, step: int) -> None:
        with self._issued_lock:
            left = table.get(command, 0) + step
            if left:
                table[command] = left
            else:
                table.pop(command, None)

    def _others_in_flight(self, command: str) -> int:
        """Requests of ``command`` sent on this connection, not answered and not recovering
        (this one excluded: it is recovering)."""
        return self._in_flight.get(command, 0) - self._recovering.get(command, 0)

    def _remember_job(self, jobid: str) -> None:
        with self._issued_lock:
            self._issued[jobid] = None
            while len(self._issued) > _REMEMBERED_JOBS:
                self._issued.popitem(last=False)

    def _recover(self, command: str, params: Mapping[str, Any], sent_at: datetime,
                 lost: _LostAnswer) -> dict[str, Any]:
        """The job a lost answer would have named (see :mod:`.recovery`), as the immediate
        answer ``{"jobid": ..., "id": ...}``; ``OutcomeUnknownError`` when the server cannot
        tell."""
        flat = flatten(params)
        shown = safe_params(flat)

        def unknown(why: str, candidates: list[str], cause: BaseException | None = None
                    ) -> errors.OutcomeUnknownError:
            text = (f"{command}: the answer was lost after the server may have acted ({lost}); "
                    f"{why}. It was not sent again: check the cloud before retrying")
            return errors.OutcomeUnknownError(text, command=command, params=shown,
                                              sent_at=sent_at, candidate_jobids=candidates,
                                              original=cause or lost.original)

        if command not in ASYNC_COMMANDS:
            raise unknown("a synchronous command leaves no job to look for", []) from lost
        self._count(self._recovering, command, 1)
        try:
            # Requests of the same command still in flight on this connection may have
            # started jobs this search would find: wait for their answers (their job ids
            # then count as known). Two lost answers at once cannot be told apart.
            ends = self._clock() + self._call_limit()
            while self._others_in_flight(command) and self._clock() < ends:
                self._sleep(_RECOVERY_PAUSE)
            with self._issued_lock:
                known = list(self._issued)
                others = self._others_in_flight(command)
                racing = self._recovering.get(command, 0) > 1
            if others or racing:
                why = ("another request of this command lost its answer at the same time"
                       if racing else "other requests of this command are still unanswered")
                raise unknown(f"{why}: their jobs cannot be told from its own", []) from lost
            jobs = find_jobs(lambda name, extra: self.list(name, **extra), command, flat,
                             sent_at, known)
        except errors.LibcloudError as exc:
            if isinstance(exc, errors.OutcomeUnknownError):
                raise
            raise unknown(f"looking for its job failed too ({exc})", [], exc) from exc
        finally:
            self._count(self._recovering, command, -1)
        ids = [str(job.get("jobid")) for job in jobs]
        if len(jobs) != 1:
            why = ("no job of it was found" if not jobs
                   else f"{len(jobs)} jobs may be its own: {', '.join(ids)}")
            raise unknown(why, ids) from lost
        job = jobs[0]
        log.warning("%s: answer lost after sending; the server started job %s for it, "
                    "waiting for that job", command, ids[0])
        found: dict[str, Any] = {"jobid": ids[0]}
        if job.get("jobinstanceid") not in (None, ""):
            found["id"] = str(job["jobinstanceid"])
        return found

    def _sync_request(self, command: str, action: str | None = None,
                      params: Mapping[str, Any] | None = None, data: Any = None,
                      headers: Any = None, method: str = "GET") -> dict[str, Any]:
        """libcloud's name for :meth:`request` without waiting: the answer's inner dict.

        ``action`` (libcloud's path) is the connection's own; ``method="POST"`` forces a POST,
        the default lets the connection choose (GET only for read-only commands, as
        :meth:`request`). ``data`` and ``headers`` are refused: the connection encodes and
        signs every parameter itself (pass them in ``params``)."""
        return self.request(command, wait=False, **self._libcloud_args(data, headers, method),
                            **dict(params or {}))

    def _async_request(self, command: str, action: str | None = None,
                       params: Mapping[str, Any] | None = None, data: Any = None,
                       headers: Any = None, method: str = "GET", context: Any = None
                       ) -> dict[str, Any]:
        """libcloud's name for :meth:`request` of an async command: waits for the job and
        returns its ``jobresult`` (a failed job raises its ``AsyncJobError``, where libcloud
        raised a bare ``Exception``). Arguments as :meth:`_sync_request`; ``context`` is
        libcloud's and unused."""
        if command not in ASYNC_COMMANDS:
            raise ValueError(f"_async_request(): {command!r} is not an async command; use "
                             f"_sync_request")
        return self.request(command, **self._libcloud_args(data, headers, method),
                            **dict(params or {}))

    @staticmethod
    def _libcloud_args(data: Any, headers: Any, method: str) -> dict[str, Any]:
        for name, value in (("data", data), ("headers", headers)):
            if value:
                raise TypeError(f"{name!r} is not supported: pass the command's parameters "
                                f"in 'params' (the connection signs and encodes them)")
        if not isinstance(method, str) or method.upper() not in ("GET", "POST"):
            raise ValueError(f"'method' must be 'GET' or 'POST', got {method!r}")
        return {"method": "POST"} if method.upper() == "POST" else {}

    def list(self, command: str, **params: Any) -> _Rows:
        """Every item of a list command, paging with ``page``/``pagesize``.

        Pages of ``page_size`` rows (or the caller's ``pagesize``) are fetched until ``count``
        rows have been seen, or a page brings no row not seen before (``{}``, a
        ``{"count": N}``-only page, a server repeating a page). A row that slid onto the next
        page because rows were created meanwhile is returned once. A caller-given ``page``
        fetches that page only (with ``page_size`` rows unless ``pagesize`` is given);
        ``pagesize=-1`` asks the server for every row in one request (without ``page``).
        """
        return list_all(self._call, command, params, self.page_size,
                        concurrency=self.page_concurrency)

    def list_mapped(self, command: str, convert: Callable[[dict[str, Any]], _T],
                    **params: Any) -> builtins.list[_T]:
        """:meth:`list`, each row passed through ``convert`` as its page arrives: the next
        page is fetched (on a worker thread) while the rows of the one before are converted,
        so converting costs little more than the last page's rows. The same requests as
        :meth:`list`. The garbage collector is paused meanwhile unless ``pause_gc`` is
        False."""
        return list_all(self._call, command, params, self.page_size, convert=convert,
                        concurrency=self.page_concurrency, pause_gc=self.pause_gc)

    def wait_for_job(self, jobid: str, *, timeout: float | None = None,
                     command: str | None = None) -> dict[str, Any]:
        """Poll ``queryAsyncJobResult`` until the job ends and return its ``jobresult``.

        Raises ``AsyncJobError`` (failed) or ``AsyncJobCancelledError`` (cancelled), each also
        the class of the job's ``errorcode``, and ``AsyncJobTimeoutError`` naming ``jobid``
        after ``timeout`` (default ``self.job_timeout``) seconds.
        """
        limit = self._job_limit(timeout)
        return self._jobs.wait(str(jobid), timeout=limit, poll_interval=self.poll_interval,
                               command=command, first=self.poll_first,
                               growth=self.poll_backoff)

    def wait_for_jobs(self, jobids: Iterable[str], *, timeout: float | None = None
                      ) -> dict[str, dict[str, Any] | errors.LibcloudError]:
        """Wait for many jobs with one ``listAsyncJobs`` call per poll round.

        Returns ``{jobid: jobresult}`` for finished jobs and ``{jobid: error}`` for failed,
        cancelled or unknown jobs (``AsyncJobError``, ``CloudStackError``) and for jobs still
        running at the deadline (``AsyncJobTimeoutError``).
        """
        return self._jobs.wait_many(self._job_ids(jobids), timeout=self._job_limit(timeout),
                                    poll_interval=self.poll_interval, page_size=self.page_size,
                                    first=self.poll_first, growth=self.poll_backoff)

    def _job_limit(self, timeout: float | None) -> float:
        """Seconds to wait for a job: ``timeout``, checked, or ``job_timeout``."""
        return self.job_timeout if timeout is None else _positive("timeout", timeout)

    @staticmethod
    def _job_ids(jobids: Iterable[str]) -> builtins.list[str]:
        """``jobids`` once each, as str (a str itself is refused: it is one id, not a list)."""
        if isinstance(jobids, str):
            raise TypeError("'jobids' must be a list of job ids, not a str")
        return builtins.list(dict.fromkeys(str(jobid) for jobid in jobids))

    def _call_limit(self) -> float:
        """Seconds one call may take, retries and waits included."""
        return self.deadline if self.deadline is not None else 2 * self.timeout

    # -- one command on the wire ----------------------------------------------------------------

    def _signed(self, command: str, flat: Mapping[str, str]) -> dict[str, str]:
        signed = {"command": command, **flat, "apiKey": self.key, "response": "json"}
        if self.signature_version == 3:
            signed["signatureVersion"] = "3"
            signed["expires"] = expires_stamp(self._utcnow(), self.expires_after)
        signed["signature"] = sign(signed, self.__secret)
        return signed

    def _exchange(self, command: str, signed: Mapping[str, str], method: str,
                  timeout: float) -> Answer:
        """One HTTP exchange (the transport; the asyncio connection replaces it). Failures
        are ``requests`` exceptions."""
        query = self._query(signed)
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if method == "GET":
            return self.session.request("GET", f"{self._url}?{query}", headers=headers,
                                        timeout=timeout, verify=self.verify)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.session.request("POST", self._url, data=query.encode("ascii"),
                                    headers=headers, timeout=timeout, verify=self.verify)

    @staticmethod
    def _query(signed: Mapping[str, str]) -> str:
        """The signed parameters as the query string (or form body) on the wire."""
        return "&".join(f"{encode_value(k)}={encode_value(v)}" for k, v in signed.items())

    def _choose_method(self, command: str, signed: Mapping[str, str], method: str | None) -> str:
        if method is not None:
            if not isinstance(method, str) or method.upper() not in ("GET", "POST"):
                raise ValueError(f"'method' must be 'GET' or 'POST', got {method!r}")
            return method.upper()
        if not is_read_only(command):
            return "POST"
        length = sum(len(encode_value(k)) + len(encode_value(v)) + 2 for k, v in signed.items())
        return "GET" if length - 1 <= self.post_threshold else "POST"

    def _pause(self, delay: float) -> float:
        """The wait before the next attempt: ``delay`` capped at ``max_delay``, minus a random
        share of up to ``jitter`` of it."""
        wait = min(delay, self.max_delay)
        return wait * (1.0 - self.jitter * self._rand())

    def _call(self, command: str, params: Mapping[str, Any], *, method: str | None = None
              ) -> dict[str, Any]:
        """Send ``command`` once (plus the retries the policy allows); return the inner dict.

        Raises ``_LostAnswer`` (a ``CloudStackConnectionError``) when a state-changing command
        may have run but its answer did not arrive in a readable form."""
        if not isinstance(command, str) or not command.isidentifier():
            raise ValueError(f"'command' must be a CloudStack command name, got {command!r}")
        flat = flatten(params)
        for name in flat:
            if name.lower() in _RESERVED:
                raise ValueError(f"parameter {name!r} is set by the connection itself")
        if self._verify is False and self.secure and self._own_session \
                and not self._unverified_warned:
            self._unverified_warned = True
            warn_unverified(self._url)
        read_only = is_read_only(command)
        attempt = 0
        delay = self.retry_delay
        ends = self._clock() + self._call_limit()
        while True:
            signed = self._signed(command, flat)
            verb = self._choose_method(command, signed, method)
            hidden = (signed["signature"], encode_value(signed["signature"]), self.__secret)
            started = self._clock()
            try:
                response = self._exchange(command, signed, verb,
                                          max(min(self.timeout, ends - started), 0.001))
            except requests.RequestException as exc:
                scrub(exc, hidden)
                reached = not never_reached(exc)
                message = redact(f"{command}: {type(exc).__name__}: {exc}", hidden)
                wait = self._pause(delay)
                if (retryable_exchange_error(exc) and (read_only or not reached)
                        and attempt < self.max_retries and self._clock() + wait < ends):
                    attempt += 1
                    log.warning("%s: %s, retry %d of %d in %.1fs", command,
                                type(exc).__name__, attempt, self.max_retries, wait)
                    self._sleep(wait)
                    delay *= self.backoff
                    continue
                if reached and not read_only:
                    raise _LostAnswer(message, command=command, original=exc) from exc
                raise errors.CloudStackConnectionError(message, command=command,
                                                       original=exc) from exc
            log.debug("%s %s -> HTTP %s in %.3fs", verb, command, response.status_code,
                      self._clock() - started)
            if response.status_code == 414 and verb == "GET" and method is None:
                # A proxy refused the URL's length: CloudStack never saw the call, so it is
                # safe to send it again as a form POST (not counted as a retry).
                log.info("%s: HTTP 414 for GET, sending it by POST", command)
                method = "POST"
                continue
            body = response.content.decode("utf-8", "replace")
            failure: errors.LibcloudError
            try:
                return self._unwrap(command, body, response.status_code, hidden)
            except errors.ThrottledError as exc:
                failure = exc
                if attempt >= self.max_retries:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else (
                    retry_after_header(response) or self._pause(delay))
                if wait > self.max_throttle_wait:  # the caller decides on waits that long
                    raise
            except errors.MalformedResponseError as exc:
                if not read_only:
                    raise _LostAnswer(f"{command}: {exc}", command=command,
                                      original=exc) from exc
                failure = exc
                if attempt >= self.max_retries:
                    raise
                wait = self._pause(delay)
            except errors.CloudStackError as exc:
                failure = exc
                if not read_only and exc.errorcode is None and (exc.http_status or 0) >= 500:
                    # a proxy's page: the server behind it may have run the command
                    raise _LostAnswer(f"{command}: {exc}", command=command,
                                      original=exc) from exc
                if not (read_only and transient_answer(exc)) or attempt >= self.max_retries:
                    raise
                wait = self._pause(delay)
            if self._clock() + wait >= ends:
                raise failure
            attempt += 1
            log.warning("%s: retry %d of %d in %.1fs", command, attempt, self.max_retries, wait)
            self._sleep(wait)
            delay *= self.backoff

    def _unwrap(self, command: str, body: str, status: int, hidden: tuple[str, ...]
                ) -> dict[str, Any]:
        """:func:`unwrap`, with the signature and secret kept out of any error it raises."""
        try:
            return unwrap(command, body, status)
        except errors.LibcloudError as exc:
            # An error page may echo the request (a proxy's URL). Answers are parsed
            # untouched; an error is rebuilt from the body without the signature (long and
            # random, so removing it cannot break the JSON), then scrubbed of the secret
            # wherever it ended up.
            cleaned = redact(body, hidden[:2])
            if cleaned == body:
                scrub(exc, hidden)
                raise
            try:
                unwrap(command, cleaned, status)
            except errors.LibcloudError as clean_exc:
                scrub(clean_exc, hidden)
                raise clean_exc from None
            raise


class _LostAnswer(errors.CloudStackConnectionError):
    """Internal: a state-changing command may have run and its answer is lost; ``request``
    turns it into a recovered job or an ``OutcomeUnknownError``."""
