"""PCextreme AuroraCompute (``Provider.AURORACOMPUTE``): one CloudStack endpoint per region.

::

    from cloudstack_driver.clouds.auroracompute import AuroraComputeNodeDriver, AuroraComputeRegion

    driver = AuroraComputeNodeDriver(KEY, SECRET, region=AuroraComputeRegion.MIA)
    # -> https://api.auroracompute.eu/mia

``region`` picks the path (default Amsterdam). ``path``, ``host`` and ``url`` override it; unlike
libcloud, ``url`` is honoured (D21) and an unknown region is an error instead of Amsterdam.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.types import Provider

__all__ = ["REGION_ENDPOINT_MAP", "AuroraComputeNodeDriver", "AuroraComputeRegion"]


class AuroraComputeRegion:
    """AuroraCompute regions (libcloud's constants: the region's city name)."""

    AMS = "Amsterdam"
    RTD = "Rotterdam"
    MIA = "Miami"
    LAX = "Los Angeles"
    TYO = "Tokyo"
    BCN = "Barcelona"


#: Region -> API path on ``api.auroracompute.eu``.
REGION_ENDPOINT_MAP: dict[str, str] = {
    AuroraComputeRegion.AMS: "/ams",
    AuroraComputeRegion.RTD: "/rtd",
    AuroraComputeRegion.MIA: "/mia",
    AuroraComputeRegion.LAX: "/lax",
    AuroraComputeRegion.TYO: "/tyo",
    AuroraComputeRegion.BCN: "/bcn",
}


def region_path(region: object) -> str:
    """The API path of ``region``: a constant (``"Miami"``), its code (``"MIA"``) or path
    (``"mia"``), any case. ``ValueError`` naming the choices otherwise."""
    if region is None:
        return REGION_ENDPOINT_MAP[AuroraComputeRegion.AMS]
    if isinstance(region, str):
        wanted = region.strip().lower()
        for name, path in REGION_ENDPOINT_MAP.items():
            if wanted in (name.lower(), path.strip("/")):
                return path
    choices = ", ".join(f"AuroraComputeRegion.{path.strip('/').upper()} ({name!r})"
                        for name, path in REGION_ENDPOINT_MAP.items())
    raise ValueError(f"'region' must be one of {choices}; got {region!r}")


class AuroraComputeNodeDriver(CloudStackNodeDriver):
    """``AuroraComputeNodeDriver(key, secret, path=None, host=None, url=None, region=None,
    **kwargs)`` - libcloud's argument order; ``kwargs`` are the base driver's keyword options
    (``timeout``, ``job_timeout`` ...). TLS unless ``url`` says ``http``."""

    type: ClassVar[Provider | str | None] = Provider.AURORACOMPUTE
    name: ClassVar[str] = "PCextreme AuroraCompute"
    website: ClassVar[str] = "https://www.pcextreme.com/aurora/compute"
    host = "api.auroracompute.eu"

    def __init__(self, key: str, secret: str | None = None, path: str | None = None,
                 host: str | None = None, url: str | None = None, region: str | None = None,
                 **kwargs: Any) -> None:
        self.region = region if region is not None else AuroraComputeRegion.AMS
        chosen_path = path if path is not None else region_path(region)
        super().__init__(key, secret, True, host, chosen_path, None, url, **kwargs)
