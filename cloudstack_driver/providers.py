"""``get_driver`` / ``set_driver``: a lazy table from provider name to ``"module:Class"``.

Modules are imported on first use, so importing the package does not import every preset.
``set_driver(provider, module, klass)`` registers a third-party driver under a new name, with
libcloud's signature.
"""

from __future__ import annotations

import importlib
from typing import Any

from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.types import Provider

__all__ = ["DRIVERS", "get_driver", "set_driver"]

DRIVERS: dict[str, tuple[str, str]] = {
    Provider.CLOUDSTACK.value: ("cloudstack_driver.cloudstack.driver", "CloudStackNodeDriver"),
    Provider.EXOSCALE.value: ("cloudstack_driver.clouds.exoscale", "ExoscaleNodeDriver"),
    Provider.IKOULA.value: ("cloudstack_driver.clouds.ikoula", "IkoulaNodeDriver"),
    Provider.AURORACOMPUTE.value: (
        "cloudstack_driver.clouds.auroracompute",
        "AuroraComputeNodeDriver",
    ),
    Provider.KTUCLOUD.value: ("cloudstack_driver.clouds.ktucloud", "KTUCloudNodeDriver"),
}


def _key(provider: object) -> str:
    if isinstance(provider, Provider):
        return provider.value
    if isinstance(provider, str) and provider:
        return provider
    raise TypeError(f"provider must be a Provider member or a str, got {type(provider).__name__}")


def _load(provider: str, module_name: str, class_name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LibcloudError(
            f"driver for provider {provider!r} cannot be loaded: module {module_name!r} "
            f"failed to import ({exc})"
        ) from exc
    try:
        return getattr(module, class_name)
    except AttributeError as exc:
        raise LibcloudError(
            f"driver for provider {provider!r} cannot be loaded: module {module_name!r} "
            f"has no class {class_name!r}"
        ) from exc


def get_driver(provider: Provider | str) -> Any:
    """The driver class for ``provider`` (a :class:`Provider` member or its value).

    Raises :class:`~cloudstack_driver.errors.LibcloudError` naming the provider when it is
    unknown or its module cannot be loaded.
    """
    key = _key(provider)
    try:
        module_name, class_name = DRIVERS[key]
    except KeyError:
        known = ", ".join(sorted(DRIVERS))
        raise LibcloudError(f"unknown provider {key!r}; known providers: {known}") from None
    return _load(key, module_name, class_name)


def set_driver(provider: Provider | str, module: str, klass: str) -> Any:
    """Register ``module.klass`` as the driver of ``provider`` and return the class.

    Raises :class:`~cloudstack_driver.errors.LibcloudError` when ``provider`` is already
    registered, or when the class cannot be loaded (then nothing is registered).
    """
    key = _key(provider)
    if not isinstance(module, str) or not module:
        raise TypeError("set_driver(): 'module' must be a non-empty module path")
    if not isinstance(klass, str) or not klass:
        raise TypeError("set_driver(): 'klass' must be a non-empty class name")
    if key in DRIVERS:
        raise LibcloudError(f"provider {key!r} is already registered")
    driver = _load(key, module, klass)
    DRIVERS[key] = (module, klass)
    return driver
