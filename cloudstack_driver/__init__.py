"""Drive Apache CloudStack clouds the way Apache Libcloud's compute drivers do.

::

    from cloudstack_driver import Provider, get_driver

    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls("API_KEY", "SECRET_KEY", url="https://cloud.example.com/client/api")
    driver.list_nodes()

Everything a libcloud script imports from ``libcloud.compute.*`` and ``libcloud.common.types``
is importable from here; deployment steps live in :mod:`cloudstack_driver.deployment`.
"""

from __future__ import annotations

import logging

from cloudstack_driver.base import NodeDriver
from cloudstack_driver.cloudstack import *  # noqa: F403
from cloudstack_driver.cloudstack import __all__ as _cloudstack_all
from cloudstack_driver.errors import *  # noqa: F403
from cloudstack_driver.errors import __all__ as _errors_all
from cloudstack_driver.models import (
    KeyPair,
    Node,
    NodeAuthPassword,
    NodeAuthSSHKey,
    NodeImage,
    NodeLocation,
    NodeSize,
    StorageVolume,
    VolumeSnapshot,
)
from cloudstack_driver.providers import get_driver, set_driver
from cloudstack_driver.types import NodeState, Provider, StorageVolumeState, VolumeSnapshotState

# A library logs and lets the application decide where records go (the logging HOWTO): with
# no configuration nothing is printed, not even warnings through the last-resort handler.
logging.getLogger("cloudstack_driver").addHandler(logging.NullHandler())

__version__ = "0.1.0"

__all__ = [
    "KeyPair",
    "Node",
    "NodeAuthPassword",
    "NodeAuthSSHKey",
    "NodeDriver",
    "NodeImage",
    "NodeLocation",
    "NodeSize",
    "NodeState",
    "Provider",
    "StorageVolume",
    "StorageVolumeState",
    "VolumeSnapshot",
    "VolumeSnapshotState",
    "__version__",
    "get_driver",
    "set_driver",
    *_cloudstack_all,
    *_errors_all,
]
