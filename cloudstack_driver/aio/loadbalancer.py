"""``AsyncCloudStackLBDriver``: the load-balancer driver for asyncio, and its ``get_driver``.

::

    from cloudstack_driver.aio.loadbalancer import Provider, get_driver

    async with get_driver(Provider.CLOUDSTACK)(key, secret, url=url) as lb:
        balancers = await lb.list_balancers()

The sync :class:`~cloudstack_driver.loadbalancer.driver.CloudStackLBDriver` on the asyncio
compute driver's connection: every public method awaitable, same arguments, models and errors.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cloudstack_driver.aio._bridge import awaitable_methods
from cloudstack_driver.aio.driver import AsyncCloudStackNodeDriver
from cloudstack_driver.aio.transport import AsyncCloudStackConnection
from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.loadbalancer.driver import CloudStackLBDriver
from cloudstack_driver.loadbalancer.types import Provider

__all__ = ["AsyncCloudStackLBDriver", "Provider", "get_driver"]


class AsyncCloudStackLBDriver(CloudStackLBDriver):
    """``CloudStackLBDriver``'s constructor (and ``max_concurrency``, ``http2``); every public
    method a coroutine function. ``AsyncCloudStackLBDriver.ex_from_node_driver(driver)``
    shares an ``AsyncCloudStackNodeDriver``'s connection. Close with ``aclose()`` or
    ``async with`` (a driver made by ``ex_from_node_driver`` closes that driver's
    connection)."""

    _node_driver_class: ClassVar[type[CloudStackNodeDriver]] = AsyncCloudStackNodeDriver
    connection: AsyncCloudStackConnection

    async def aclose(self) -> None:
        """Stop job polling and close the HTTP client of the connection."""
        await self.connection.aclose()

    async def __aenter__(self) -> AsyncCloudStackLBDriver:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


awaitable_methods(AsyncCloudStackLBDriver, CloudStackLBDriver)


def get_driver(provider: Provider | str) -> Any:
    """The asyncio load-balancer driver class for ``provider``: ``Provider.CLOUDSTACK`` (or
    ``"cloudstack"``) gives :class:`AsyncCloudStackLBDriver`; ``LibcloudError`` naming any
    other."""
    key = provider.value if isinstance(provider, Provider) else provider
    if key == Provider.CLOUDSTACK.value:
        return AsyncCloudStackLBDriver
    raise LibcloudError(f"no asyncio load-balancer driver for provider {provider!r}; there is "
                        f"one for {Provider.CLOUDSTACK.value!r}")
