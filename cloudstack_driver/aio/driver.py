"""``AsyncCloudStackNodeDriver``: every public method of the sync driver, awaitable.

::

    async with AsyncCloudStackNodeDriver(key, secret, url=url) as driver:
        nodes = await asyncio.gather(*(driver.create_node(f"web-{i}", size, image)
                                       for i in range(100)))

It is the sync :class:`~cloudstack_driver.cloudstack.driver.CloudStackNodeDriver` (a subclass:
same names, arguments, models and errors) on an :class:`~.transport.AsyncCloudStackConnection`.
Each public method returns a coroutine when called from your code and runs the sync method's
own code in a greenlet (:mod:`._bridge`); where that code waits for HTTP, a retry pause or a
job, the event loop runs other coroutines. Models it returns carry this driver, so
``await node.reboot()`` works too.

Jobs of all coroutines share one poller (:mod:`.hub`): a hundred ``create_node`` calls gathered
at once cost a hundred ``deployVirtualMachine`` requests and one ``listAsyncJobs`` per poll
round. At most ``max_concurrency`` requests are in flight at once per driver.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from cloudstack_driver.aio._bridge import await_, awaitable_methods, in_bridge, spawn
from cloudstack_driver.aio.transport import DEFAULT_MAX_CONCURRENCY, AsyncCloudStackConnection
from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.http.connection import CloudStackConnection

__all__ = ["AsyncApi", "AsyncCloudStackNodeDriver"]


class AsyncApi:
    """``await driver.api.<command>(**params)``: :class:`~cloudstack_driver.discovery.Api`
    (checked against the server's ``listApis``), awaitable."""

    def __init__(self, api: Any) -> None:
        self._api = api

    async def call(self, command: str, **params: Any) -> Any:
        """Check ``command`` and ``params`` against ``listApis`` (fetched once), then send it;
        see :meth:`Api.call <cloudstack_driver.discovery.Api.call>`."""
        return await spawn(self._api.call, command, **params)

    async def load(self) -> Any:
        """The server's command catalog (``listApis``, or the cache), fetched on first use."""
        return await spawn(lambda: self._api.catalog)

    async def refresh(self) -> Any:
        """Fetch ``listApis`` again."""
        return await spawn(self._api.refresh)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return functools.partial(self.call, name)

    def __repr__(self) -> str:
        return f"<AsyncApi of {self._api!r}>"


def _sleep(seconds: float) -> None:
    """Pauses of ``wait_until_running`` and the SSH retries: on the event loop inside a
    coroutine of the driver, plain ``time.sleep`` on a worker thread."""
    if in_bridge():
        await_(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


class AsyncCloudStackNodeDriver(CloudStackNodeDriver):
    """The CloudStack driver for asyncio: ``CloudStackNodeDriver``'s constructor, plus

    :param max_concurrency: HTTP requests in flight at once (default 32)
    :param http2: use HTTP/2 when the server offers it (needs ``h2``)

    Every public method is a coroutine function with the sync method's name, arguments,
    return value and errors (see :class:`~cloudstack_driver.cloudstack.driver.
    CloudStackNodeDriver`). Close it with ``await driver.aclose()`` or ``async with``.
    """

    connectionCls: ClassVar[type[CloudStackConnection]] = AsyncCloudStackConnection
    connection: AsyncCloudStackConnection
    _sleep = staticmethod(_sleep)

    def __init__(self, key: str, secret: str | None = None, secure: bool = True,
                 host: str | None = None, path: str | None = None,
                 port: int | str | None = None, url: str | None = None, *,
                 max_concurrency: int = DEFAULT_MAX_CONCURRENCY, http2: bool = False,
                 **options: Any) -> None:
        self._transport_options = {"max_concurrency": max_concurrency, "http2": http2}
        self._zone_flight: asyncio.Future[list[dict[str, Any]]] | None = None
        super().__init__(key, secret, secure, host, path, port, url, **options)

    def _zones_cached(self, refresh: bool = False) -> list[dict[str, Any]]:
        """The sync driver's zone cache, filled by one ``listZones`` however many coroutines
        need it at once (a hundred gathered ``create_node`` calls on a new driver)."""
        if self._zones is not None and not refresh:
            return self._zones
        flight = self._zone_flight
        if flight is None or flight.done():
            flight = asyncio.ensure_future(spawn(super()._zones_cached, True))
            self._zone_flight = flight
        # shielded: a waiter cancelled does not cancel the listing the others wait for
        return await_(asyncio.shield(flight))

    def _connection_options(self) -> dict[str, Any]:
        return dict(self._transport_options)

    @functools.cached_property
    def api(self) -> AsyncApi:  # type: ignore[override]
        """``await driver.api.<command>(**params)``: any command, checked against the
        server's ``listApis``. Sends no command until awaited."""
        from cloudstack_driver.discovery import Api
        return AsyncApi(Api(self))

    # -- closing -------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Stop job polling and close the HTTP client. The driver may be used again after
        (a new client is made on first use)."""
        flight, self._zone_flight = self._zone_flight, None
        if flight is not None and not flight.done():
            flight.cancel()
            await asyncio.wait([flight])
        await self.connection.aclose()

    async def __aenter__(self) -> AsyncCloudStackNodeDriver:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- what runs elsewhere than the sync code says -------------------------------------

    def _ssh_connect(self, client: Any, timeout: float, *, password_only: bool) -> None:
        """SSH (paramiko) blocks: it runs on a worker thread, the loop going on meanwhile."""
        connect = super()._ssh_connect
        await_(asyncio.to_thread(connect, client, timeout, password_only=password_only))

    def _run_deployment(self, deploy: Any, node: Any, client: Any, max_tries: int) -> Any:
        """The deployment's SSH steps run on a worker thread."""
        run = super()._run_deployment
        return await_(asyncio.to_thread(run, deploy, node, client, max_tries))

    async def create_nodes(self, specs: Iterable[Mapping[str, Any]], *,  # type: ignore[override]
                           timeout: float | None = None) -> list[Any]:
        """As the sync ``create_nodes`` (``deployVirtualMachine`` per spec, then one wait for
        all jobs), the deploys sent concurrently (at most ``max_concurrency`` at once)."""
        checked = await spawn(self._checked_specs, specs)
        handles = await asyncio.gather(*(spawn(self._submit_deploy, params)
                                         for params in checked))
        return await spawn(self._finish_nodes, handles, timeout)


awaitable_methods(AsyncCloudStackNodeDriver, CloudStackNodeDriver)

