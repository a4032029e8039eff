"""``get_driver`` / ``set_driver`` for load balancers, in the shape of libcloud's
``libcloud.loadbalancer.providers``: a lazy table from provider name to ``(module, class)``.

``get_driver(Provider.CLOUDSTACK)`` gives :class:`~cloudstack_driver.loadbalancer.driver.
CloudStackLBDriver`; the module is imported on first use. The compute ``Provider.CLOUDSTACK``
and the plain string ``"cloudstack"`` name it too.
"""

from __future__ import annotations

import importlib
from typing import Any

from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.loadbalancer.types import Provider

__all__ = ["DRIVERS", "Provider", "get_driver", "set_driver"]

DRIVERS: dict[str, tuple[str, str]] = {
    Provider.CLOUDSTACK.value: ("cloudstack_driver.loadbalancer.driver", "CloudStackLBDriver"),
}


def _key(provider: object) -> str:
    value = getattr(provider, "value", provider)  # any str enum member: its value
    if isinstance(value, str) and value:
        return value
    raise TypeError(f"provider must be a Provider member or a str, got {type(provider).__name__}")


def _load(provider: str, module_name: str, class_name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LibcloudError(f"load-balancer driver for provider {provider!r} cannot be loaded: "
                            f"module {module_name!r} failed to import ({exc})") from exc
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise LibcloudError(f"load-balancer driver for provider {provider!r} cannot be loaded: "
                            f"module {module_name!r} has no class {class_name!r}") from None


def get_driver(provider: Provider | str) -> Any:
    """The load-balancer driver class for ``provider``.

    Raises :class:`~cloudstack_driver.errors.LibcloudError` naming the provider when it is
    unknown or its module cannot be loaded (sends no request).
    """
    key = _key(provider)
    try:
        module_name, class_name = DRIVERS[key]
    except KeyError:
        raise LibcloudError(f"unknown load-balancer provider {key!r}; known providers: "
                            f"{', '.join(sorted(DRIVERS))}") from None
    return _load(key, module_name, class_name)


def set_driver(provider: Provider | str, module: str, klass: str) -> Any:
    """Register ``module.klass`` as the load-balancer driver of ``provider`` and return the
    class (libcloud's signature). ``LibcloudError`` when ``provider`` is taken or the class
    cannot be loaded (then nothing is registered)."""
    key = _key(provider)
    for arg, value in (("module", module), ("klass", klass)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"set_driver(): {arg!r} must be a non-empty str")
    if key in DRIVERS:
        raise LibcloudError(f"load-balancer provider {key!r} is already registered")
    driver = _load(key, module, klass)
    DRIVERS[key] = (module, klass)
    return driver
