"""How the examples reach a cloud: CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET."""

from __future__ import annotations

import os
import sys

from cloudstack_driver import CloudStackNodeDriver, Provider, get_driver


def connect() -> CloudStackNodeDriver:
    """A driver for the cloud named by CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET."""
    try:
        url = os.environ["CLOUDSTACK_ENDPOINT"]
        key = os.environ["CLOUDSTACK_KEY"]
        secret = os.environ["CLOUDSTACK_SECRET"]
    except KeyError as missing:
        sys.exit(f"set {missing.args[0]} (and CLOUDSTACK_ENDPOINT/KEY/SECRET)")
    Driver = get_driver(Provider.CLOUDSTACK)
    driver: CloudStackNodeDriver = Driver(key=key, secret=secret, url=url)
    return driver
