"""Public clouds that run CloudStack, as small presets of ``CloudStackNodeDriver``.

====================  =========================  =======================================
Provider              Class                      Endpoint
====================  =========================  =======================================
``EXOSCALE``          ``ExoscaleNodeDriver``     ``https://api.exoscale.com/compute``
                                                 (closed in 2024, see its module)
``IKOULA``            ``IkoulaNodeDriver``       ``https://cloudstack.ikoula.com/client/api``
``AURORACOMPUTE``     ``AuroraComputeNodeDriver``  ``https://api.auroracompute.eu/<region>``
``KTUCLOUD``          ``KTUCloudNodeDriver``     none: pass ``host`` or ``url``
====================  =========================  =======================================

Each is loaded lazily by :func:`cloudstack_driver.get_driver`; import the module directly to
use the class (``from cloudstack_driver.clouds.ikoula import IkoulaNodeDriver``).
"""

from __future__ import annotations

__all__: list[str] = []
