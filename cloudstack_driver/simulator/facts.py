"""What a real cloud has behind its API objects and the simulator only names: each zone's
physical network, pod, cluster, host, primary storage and image store; the system VM template
and the virtual routers' offering; the usage figures a running VM reports.

Records carry these as ordinary fields, computed once when the record is made (or changes
state), so that listing thousands of VMs costs no more than before. Ids are stable: derived
from the zone's id, the same in every run.
"""

from __future__ import annotations

import uuid
from typing import Any

__all__ = ["HOST_FIELDS", "MTU", "ROUTER_OFFERING", "SYSTEM_TEMPLATE", "derived_id", "usage",
           "zone_infra"]

Record = dict[str, Any]

_NAMESPACE = uuid.UUID("5d1f5a4e-3c0b-4f43-9a5e-0c1d2b3a4f50")
MTU = 1500  # vr.public/private.interface.max.mtu defaults; networks and VPCs keep 1500

#: the fields naming the host a VM (or router) runs on, as root admins see them
HOST_FIELDS = ("hostid", "hostname", "hostcontrolstate")

SYSTEM_TEMPLATE: Record = {"templateid": "8f9f3c1e-0a4b-4b8e-9d62-5a1c0e7b2d10",
                           "templatename": "SystemVM Template (KVM)"}
ROUTER_OFFERING: Record = {"serviceofferingid": "b2d4f6a8-1c3e-4a5b-8d7f-9e0a1b2c3d40",
                           "serviceofferingname": "System Offering For Software Router"}


def derived_id(base: str, what: str) -> str:
    """A stable UUID for ``what`` belonging to ``base`` (a zone's or an offering's id)."""
    return str(uuid.uuid5(_NAMESPACE, f"{base}/{what}"))


def zone_infra(zone: Record) -> Record:
    """The zone's infrastructure (kept in its private ``_infra``, made on first use)."""
    infra: Record | None = zone.get("_infra")
    if infra is None:
        zid, name = zone["id"], zone["name"]
        infra = {
            "physicalnetworkid": derived_id(zid, "physical-network"),
            "podid": derived_id(zid, "pod"), "podname": f"{name}-pod1",
            "clusterid": derived_id(zid, "cluster"), "clustername": f"{name}-cluster1",
            "storageid": derived_id(zid, "primary-storage"), "storage": f"{name}-primary1",
            "imagestore": f"nfs://10.0.0.5/export/secondary/{name.lower()}",
            "host": {"hostid": derived_id(zid, "host"), "hostname": f"{name.lower()}-kvm1",
                     "hostcontrolstate": "Enabled"},
        }
        zone["_infra"] = infra
    return infra


def _percent(value: float) -> str:
    """Java's ``DecimalFormat("#.##")`` of ``value`` and a percent sign, as the server shows
    ``cpuused``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def usage(number: int, memory_mb: int) -> Record:
    """The statistics VM number ``number`` with ``memory_mb`` of RAM reports (as listed with
    the default ``details=all``): small, varied, fixed."""
    kib = int(memory_mb) * 1024
    return {
        "cpuused": _percent((number * 37 % 1000) / 100), "networkkbsread": number * 13 % 4096,
        "networkkbswrite": number * 7 % 2048, "diskkbsread": number * 29 % 8192,
        "diskkbswrite": number * 17 % 8192, "diskioread": number * 3 % 512,
        "diskiowrite": number * 5 % 512, "memorykbs": kib, "memoryintfreekbs": kib // 3,
        "memorytargetkbs": kib, "receivedbytes": number * 1024 % 65536,
        "sentbytes": number * 512 % 65536,
    }
