"""How the examples reach a cloud: CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET."""

from __future__ import annotations

import os
import sys
from typing import Any

from cloudstack_driver import CloudStackNodeDriver, Provider, get_driver


def _credentials() -> tuple[str, str, str]:
    """(url, key, secret) from the environment; exits naming what is missing."""
    try:
        return (os.environ["CLOUDSTACK_ENDPOINT"], os.environ["CLOUDSTACK_KEY"],
                os.environ["CLOUDSTACK_SECRET"])
    except KeyError as missing:
        sys.exit(f"set {missing.args[0]} (and CLOUDSTACK_ENDPOINT/KEY/SECRET)")


def connect() -> CloudStackNodeDriver:
    """A driver for the cloud named by CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET."""
    url, key, secret = _credentials()
    Driver = get_driver(Provider.CLOUDSTACK)
    driver: CloudStackNodeDriver = Driver(key=key, secret=secret, url=url)
    return driver


def connect_load_balancer() -> Any:
    """A load-balancer driver for the same cloud (``cloudstack_driver.loadbalancer``, in the
    shape of libcloud's ``libcloud.loadbalancer.providers.get_driver``)."""
    from cloudstack_driver.loadbalancer import Provider as LBProvider
    from cloudstack_driver.loadbalancer import get_driver as get_lb_driver

    url, key, secret = _credentials()
    Driver = get_lb_driver(LBProvider.CLOUDSTACK)
    return Driver(key=key, secret=secret, url=url)
