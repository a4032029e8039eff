"""Drive Apache CloudStack clouds the way Apache Libcloud's compute drivers do.

::

    from cloudstack_driver import Provider, get_driver

    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls("API_KEY", "SECRET_KEY", url="https://cloud.example.com/client/api")
    driver.list_nodes()

Everything a libcloud script imports from ``libcloud.compute.*`` and ``libcloud.common.types``
is importable from here; deployment steps live in :mod:`cloudstack_driver.deployment`.

Importing the package loads the errors, the enums and ``get_driver`` only. The driver, the
models and the HTTP stack (``requests``) load when a name that needs them is first used
(:pep:`562`): ``from cloudstack_driver import CloudStackNodeDriver`` loads the driver, and so
does ``get_driver(Provider.CLOUDSTACK)``. Nothing loads the simulator, ``werkzeug`` or
``paramiko`` but using them.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from cloudstack_driver.cloudstack import __all__ as _cloudstack_all
from cloudstack_driver.errors import *  # noqa: F403
from cloudstack_driver.errors import __all__ as _errors_all
from cloudstack_driver.providers import get_driver, set_driver
from cloudstack_driver.types import NodeState, Provider, StorageVolumeState, VolumeSnapshotState

if TYPE_CHECKING:  # what the lazy names below are, for type checkers
    from cloudstack_driver.base import NodeDriver
    from cloudstack_driver.cloudstack import *  # noqa: F403
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

# A library logs and lets the application decide where records go (the logging HOWTO): with
# no configuration nothing is printed, not even warnings through the last-resort handler.
logging.getLogger("cloudstack_driver").addHandler(logging.NullHandler())

__version__ = "0.1.0"

#: Public names loaded on first use, and the module each one lives in.
_LAZY: dict[str, str] = {
    "NodeDriver": "cloudstack_driver.base",
    **dict.fromkeys(("KeyPair", "Node", "NodeAuthPassword", "NodeAuthSSHKey", "NodeImage",
                     "NodeLocation", "NodeSize", "StorageVolume", "VolumeSnapshot"),
                    "cloudstack_driver.models"),
    **dict.fromkeys(_cloudstack_all, "cloudstack_driver.cloudstack"),
}

#: Submodules an ``import cloudstack_driver`` used to load (they were attributes of the
#: package right away); reached as attributes, they still import on first access.
_SUBMODULES = frozenset({"_convert", "_schema", "_validate", "base", "cloudstack", "deploy",
                         "deployment", "http", "models", "security", "ssh"})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
