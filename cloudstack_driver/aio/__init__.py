"""The asyncio driver: ``AsyncCloudStackNodeDriver`` and its ``get_driver`` lookup.

::

    from cloudstack_driver.aio import get_driver, Provider

    Driver = get_driver(Provider.CLOUDSTACK)
    async with Driver(key, secret, url="http://127.0.0.1:8080/client/api") as driver:
        zones = await driver.list_locations()

Load balancers: ``cloudstack_driver.aio.loadbalancer.get_driver(Provider.CLOUDSTACK)`` gives
:class:`AsyncCloudStackLBDriver`.

Needs the ``aio`` extra (``pip install cloudstack-driver[aio]``: httpx and greenlet). See
:doc:`/asyncio`.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver.aio.driver import AsyncApi, AsyncCloudStackNodeDriver
from cloudstack_driver.aio.loadbalancer import AsyncCloudStackLBDriver
from cloudstack_driver.aio.transport import AsyncCloudStackConnection
from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.types import Provider

__all__ = ["AsyncApi", "AsyncCloudStackConnection", "AsyncCloudStackLBDriver",
           "AsyncCloudStackNodeDriver", "Provider", "get_driver"]


def get_driver(provider: Provider | str) -> Any:
    """The asyncio driver class for ``provider``: ``Provider.CLOUDSTACK`` (or
    ``"cloudstack"``) gives :class:`AsyncCloudStackNodeDriver`. Raises ``LibcloudError``
    naming any other provider."""
    key = provider.value if isinstance(provider, Provider) else provider
    if key == Provider.CLOUDSTACK.value:
        return AsyncCloudStackNodeDriver
    raise LibcloudError(f"no asyncio driver for provider {provider!r}; there is one for "
                        f"{Provider.CLOUDSTACK.value!r}")
