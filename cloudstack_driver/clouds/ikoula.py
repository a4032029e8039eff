"""Ikoula (``Provider.IKOULA``): a CloudStack public cloud with advanced zones."""

from __future__ import annotations

from typing import ClassVar

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.types import Provider

__all__ = ["IkoulaNodeDriver"]


class IkoulaNodeDriver(CloudStackNodeDriver):
    """Ikoula's CloudStack endpoint (``https://cloudstack.ikoula.com/client/api``).

    Same constructor as :class:`~cloudstack_driver.CloudStackNodeDriver`. Its zones are
    advanced zones: pass ``networks`` to ``create_node`` and use port forwarding or static NAT
    to reach nodes.
    """

    type: ClassVar[Provider | str | None] = Provider.IKOULA
    name: ClassVar[str] = "Ikoula"
    website: ClassVar[str] = "http://express.ikoula.co.uk/cloudstack"
    host = "cloudstack.ikoula.com"
    path = "/client/api"
