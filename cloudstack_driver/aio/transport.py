"""``AsyncCloudStackConnection``: the sync connection with an httpx transport and asyncio waits.

Everything above the HTTP exchange is :class:`~cloudstack_driver.http.connection.
CloudStackConnection`'s own code: signing, flattening, the GET/POST choice, envelope and error
decoding, retries with their deadline, lost-answer recovery and paging. This class replaces
three things only:

* the exchange: an ``httpx.AsyncClient`` request, awaited on the event loop (through
  :func:`~cloudstack_driver.aio._bridge.await_`), at most ``max_concurrency`` at once per
  connection; httpx's failures are reported as the ``requests`` exceptions the retry and
  recovery rules already classify (a connection never made is :class:`NotSent`);
* the sleeps between retries: ``asyncio.sleep``;
* job waits: the shared :class:`~cloudstack_driver.aio.hub.JobHub`.

httpx is the async client chosen: maintained, typed, with connection pooling, proxies from the
environment, TLS through the standard ``ssl`` module, and HTTP/2 (``http2=True``, with the
``h2`` package).
"""

from __future__ import annotations

import asyncio
import builtins
import importlib.util
import os
import ssl
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
import requests

from cloudstack_driver import errors
from cloudstack_driver.aio._bridge import await_, dual
from cloudstack_driver.aio.hub import JobHub
from cloudstack_driver.http import paging
from cloudstack_driver.http.connection import Answer, CloudStackConnection
from cloudstack_driver.http.jobs import JobWaiter
from cloudstack_driver.http.recovery import NotSent

__all__ = ["DEFAULT_MAX_CONCURRENCY", "AsyncCloudStackConnection", "translate_error"]

_T = TypeVar("_T")

#: TLS contexts by ``verify`` value, shared by every connection of the process.
_TLS_CONTEXTS: dict[bool | str, ssl.SSLContext] = {}

#: Requests one connection has in flight at most (and the connections its pool keeps).
DEFAULT_MAX_CONCURRENCY = 32


def _root_cause(exc: BaseException) -> BaseException | None:
    """The OS or TLS error under httpx's exception: the first in its chain that is not
    httpx's own, going on past an ``OSError`` without an errno (anyio's "All connection
    attempts failed") into the errors it groups."""
    seen: set[int] = set()
    link: BaseException | None = exc.__cause__ or exc.__context__
    found: BaseException | None = None
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        foreign = not type(link).__module__.startswith(("httpx", "httpcore", "anyio"))
        if foreign and not (type(link) is OSError and link.errno is None):
            return link
        if foreign and found is None:
            found = link
        grouped = getattr(link, "exceptions", None)  # an ExceptionGroup
        if isinstance(grouped, tuple) and grouped and isinstance(grouped[0], BaseException):
            link = grouped[0]
        else:
            link = link.__cause__ or link.__context__
    return found


def translate_error(exc: httpx.HTTPError) -> requests.RequestException:
    """httpx's failure as the ``requests`` exception the connection's rules classify.

    The httpx exception itself is not kept (its request holds the signed URL); the OS or TLS
    error under it is, as the cause."""
    root = _root_cause(exc)
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if root is not None and str(root) and str(root) not in text:
        text = f"{text} ({type(root).__name__}: {root})"
    new: requests.RequestException
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        new = requests.exceptions.ConnectTimeout(text)
    elif isinstance(exc, httpx.ConnectError):
        tls = isinstance(root, ssl.SSLError) or "SSL" in text
        new = requests.exceptions.SSLError(text) if tls else NotSent(text)
    elif isinstance(exc, httpx.TimeoutException):
        new = requests.exceptions.ReadTimeout(text)
    elif isinstance(exc, httpx.TransportError):  # reset, closed mid-answer, cut body
        new = requests.exceptions.ConnectionError(text)
    else:
        new = requests.RequestException(text)
    new.__cause__ = root
    new.__suppress_context__ = True
    return new


class AsyncCloudStackConnection(CloudStackConnection):
    """A :class:`CloudStackConnection` for asyncio: the same arguments, plus

    :param max_concurrency: HTTP requests in flight at once on this connection (the others
        wait for a free slot); also the size of its connection pool
    :param http2: speak HTTP/2 when the server offers it (needs the ``h2`` package)
    :param client: an ``httpx.AsyncClient`` to use instead of a new one (its own TLS, proxy and
        pool settings then apply; it is not closed by :meth:`aclose`)

    ``request``, ``list``, ``list_mapped``, ``wait_for_job`` and ``wait_for_jobs`` are
    awaitable: ``await driver.connection.request("listZones")``. Use one connection on one
    event loop at a time; after :meth:`aclose` it may be used again (on any loop).
    """

    is_async = True

    def __init__(self, key: str, secret: str, url: str, *,
                 max_concurrency: int = DEFAULT_MAX_CONCURRENCY, http2: bool = False,
                 client: httpx.AsyncClient | None = None, **options: Any) -> None:
        if "sleep" in options:
            raise TypeError("'sleep' is the event loop's on an asyncio connection")
        super().__init__(key, secret, url, sleep=self._asleep, **options)
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) \
                or max_concurrency < 1:
            raise ValueError(f"'max_concurrency' must be an int >= 1, got {max_concurrency!r}")
        if not isinstance(http2, bool):
            raise TypeError(f"'http2' must be a bool, got {type(http2).__name__}")
        if http2 and importlib.util.find_spec("h2") is None:
            raise ImportError("http2=True needs the 'h2' package: pip install 'httpx[http2]'")
        if client is not None and not isinstance(client, httpx.AsyncClient):
            raise TypeError(f"'client' must be an httpx.AsyncClient, got "
                            f"{type(client).__name__}")
        self.max_concurrency = max_concurrency
        self.http2 = http2
        self._client = client
        self._own_client = client is None
        self._client_key: tuple[Any, ...] | None = None
        self._limit: asyncio.Semaphore | None = None
        self._limit_size = max_concurrency
        self._closing: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.hub = JobHub(self)

    def __repr__(self) -> str:
        return f"<AsyncCloudStackConnection url={self.url!r} key={self.key[:6]}...>"

    # -- what the job hub uses ------------------------------------------------------------------

    def clock(self) -> float:
        """The monotonic clock job deadlines are measured with."""
        return self._clock()

    @property
    def jobs(self) -> JobWaiter:
        """The sync job-polling logic the hub runs its rounds with."""
        return self._jobs

    # -- the transport ------------------------------------------------------------------------

    def _asleep(self, seconds: float) -> None:
        await_(asyncio.sleep(seconds))

    def _tls(self) -> ssl.SSLContext:
        """The TLS context of ``verify``, made once per value and process (loading the CA
        certificates costs tens of milliseconds, and httpx would load them even for an
        ``http://`` endpoint)."""
        verify = self.verify
        context = _TLS_CONTEXTS.get(verify)
        if context is None:
            if verify is False:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            elif isinstance(verify, str) and os.path.isdir(verify):  # hashed certificates
                context = ssl.create_default_context(capath=verify)
            elif isinstance(verify, str):  # a CA bundle
                context = ssl.create_default_context(cafile=verify)
            else:
                context = ssl.create_default_context()
            _TLS_CONTEXTS[verify] = context
        return context

    def _http(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        """The client and the concurrency bound, made on first use on the running loop (and
        again when ``verify`` or ``max_concurrency`` changed)."""
        loop = asyncio.get_running_loop()
        if self._loop is not None and self._loop is not loop:
            raise RuntimeError("this asyncio connection is in use on another event loop; "
                               "make one driver per loop, or aclose() it first")
        proxy = self.session.proxies.get("https") or self.session.proxies.get("http")
        key = (self.verify, self.max_concurrency, self.http2, proxy)
        if self._client is None or (self._own_client and key != self._client_key):
            if self._client is not None:  # settings changed: the old pool closes aside
                self._closing.add(loop.create_task(self._client.aclose()))
            limits = httpx.Limits(max_connections=self.max_concurrency,
                                  max_keepalive_connections=self.max_concurrency)
            self._client = httpx.AsyncClient(verify=self._tls(), limits=limits,
                                             http2=self.http2, proxy=proxy, trust_env=True)
            self._client_key = key
        if self._limit is None or self._limit_size != self.max_concurrency:
            self._limit = asyncio.Semaphore(self.max_concurrency)
            self._limit_size = self.max_concurrency
        self._loop = loop
        return self._client, self._limit

    async def _send(self, method: str, query: str, timeout: float) -> httpx.Response:
        client, limit = self._http()
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        async with limit:
            try:
                if method == "GET":
                    return await client.get(f"{self.url}?{query}", headers=headers,
                                            timeout=timeout)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                return await client.post(self.url, content=query.encode("ascii"),
                                         headers=headers, timeout=timeout)
            except httpx.HTTPError as exc:
                failure = translate_error(exc)  # its cause: the OS or TLS error, not httpx's
        raise failure

    def _exchange(self, command: str, signed: Mapping[str, str], method: str,
                  timeout: float) -> Answer:
        return await_(self._send(method, self._query(signed), timeout))

    # -- the public calls, awaitable from outside -----------------------------------------------

    @dual
    def request(self, command: str, *, wait: bool = True, job_timeout: float | None = None,
                method: str | None = None, **params: Any) -> dict[str, Any]:
        return super().request(command, wait=wait, job_timeout=job_timeout, method=method,
                               **params)

    request.__doc__ = CloudStackConnection.request.__doc__

    @dual
    def list(self, command: str, **params: Any) -> builtins.list[dict[str, Any]]:
        """As the sync connection's; pages are fetched one after the other."""
        return paging.list_all(self._call, command, params, self.page_size, prefetch=False)

    @dual
    def list_mapped(self, command: str, convert: Callable[[dict[str, Any]], _T],
                    **params: Any) -> builtins.list[_T]:
        """As the sync connection's; each page is converted as it arrives (no worker
        thread: the next page is requested when the rows of this one are converted)."""
        return paging.list_all(self._call, command, params, self.page_size, convert=convert,
                               pause_gc=self.pause_gc, prefetch=False)

    @dual
    def wait_for_job(self, jobid: str, *, timeout: float | None = None,
                     command: str | None = None) -> dict[str, Any]:
        """As the sync connection's, polled by the shared job hub (one ``listAsyncJobs``
        per round for every job waited on)."""
        return await_(self.hub.wait(str(jobid), self._job_limit(timeout), command))

    @dual
    def wait_for_jobs(self, jobids: Iterable[str], *, timeout: float | None = None
                      ) -> dict[str, dict[str, Any] | errors.LibcloudError]:
        """As the sync connection's, polled by the shared job hub."""
        return await_(self.hub.wait_all(self._job_ids(jobids), self._job_limit(timeout)))

    # -- closing ----------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Stop the job hub and close the HTTP client (when this connection made it)."""
        await self.hub.aclose()
        if self._closing:
            await asyncio.wait(self._closing)
            self._closing.clear()
        client, self._client = self._client, None
        if client is not None and self._own_client:
            await client.aclose()
        elif client is not None:
            self._client = client
        self._limit = None
        self._loop = None
        super().close()

    async def __aenter__(self) -> AsyncCloudStackConnection:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
