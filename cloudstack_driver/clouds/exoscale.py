"""Exoscale (``Provider.EXOSCALE``): a basic-zone CloudStack cloud - whose CloudStack API is gone.

.. warning::

   Exoscale closed its CloudStack-compatible "API v1" in 2024 (deprecated from 1 May 2024;
   calls now get HTTP 403 "This API is deprecated"). The class stays so that libcloud scripts
   still import; constructing it against Exoscale's own endpoint emits
   :class:`ExoscaleAPIClosedWarning`. Pointed at another endpoint (``url=``), it is a plain
   CloudStack driver and does not warn.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.types import Provider

__all__ = ["ExoscaleAPIClosedWarning", "ExoscaleNodeDriver"]

EXOSCALE_HOST = "api.exoscale.com"


class ExoscaleAPIClosedWarning(UserWarning):
    """The driver points at Exoscale's CloudStack API, which Exoscale closed in 2024."""


class ExoscaleNodeDriver(CloudStackNodeDriver):
    """Exoscale's CloudStack endpoint (``https://api.exoscale.com/compute``), basic zones.

    Same constructor as :class:`~cloudstack_driver.CloudStackNodeDriver`; host and path default
    to Exoscale's. Warns :class:`ExoscaleAPIClosedWarning` when that endpoint is used.
    """

    type: ClassVar[Provider | str | None] = Provider.EXOSCALE
    name: ClassVar[str] = "Exoscale"
    website: ClassVar[str] = "https://www.exoscale.com/"
    host = EXOSCALE_HOST
    path = "/compute"

    def __init__(self, key: str, secret: str | None = None, secure: bool = True,
                 host: str | None = None, path: str | None = None,
                 port: int | str | None = None, url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(key, secret, secure, host, path, port, url, **kwargs)
        if self.host == EXOSCALE_HOST or str(self.host).endswith("." + EXOSCALE_HOST):
            warnings.warn(
                "Exoscale closed its CloudStack-compatible API (v1) in 2024: requests to "
                f"{self.url} get HTTP 403 'This API is deprecated'. Use Exoscale's own API.",
                ExoscaleAPIClosedWarning,
                stacklevel=2,
            )
