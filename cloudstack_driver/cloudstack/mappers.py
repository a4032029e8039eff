"""Raw CloudStack records -> models. State tables are data; each CloudStack field is named once,
next to the ``extra`` key it fills.

Every optional field is read with a default, so one odd record never breaks a list (D6).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cloudstack_driver.cloudstack.models import (
    CloudStackDiskOffering,
    CloudStackNode,
    CloudStackProject,
)
from cloudstack_driver.models import (
    KeyPair,
    NodeImage,
    NodeLocation,
    NodeSize,
    StorageVolume,
    VolumeSnapshot,
)
from cloudstack_driver.types import NodeState, StorageVolumeState, VolumeSnapshotState

Record = Mapping[str, Any]

GIB = 1024**3

#: CloudStack VM state -> NodeState (PARITY 3.6, "Recommended"); anything else is UNKNOWN.
NODE_STATE_MAP: dict[str, NodeState] = {
    "Running": NodeState.RUNNING,
    "Starting": NodeState.STARTING,
    "Stopping": NodeState.STOPPING,
    "Stopped": NodeState.STOPPED,
    "Shutdown": NodeState.STOPPED,
    "Destroyed": NodeState.TERMINATED,
    "Expunging": NodeState.TERMINATED,
    "Migrating": NodeState.MIGRATING,
    "Error": NodeState.ERROR,
    "Unknown": NodeState.UNKNOWN,
}

#: CloudStack volume state -> StorageVolumeState (PARITY 3.7); AVAILABLE becomes INUSE when
#: the volume is attached. Anything else is UNKNOWN.
VOLUME_STATE_MAP: dict[str, StorageVolumeState] = {
    "Allocated": StorageVolumeState.AVAILABLE,
    "Ready": StorageVolumeState.AVAILABLE,
    "Uploaded": StorageVolumeState.AVAILABLE,
    "Creating": StorageVolumeState.CREATING,
    "UploadOp": StorageVolumeState.CREATING,
    "NotUploaded": StorageVolumeState.CREATING,
    "UploadInProgress": StorageVolumeState.CREATING,
    "Copying": StorageVolumeState.CREATING,
    "Migrating": StorageVolumeState.MIGRATING,
    "Snapshotting": StorageVolumeState.BACKUP,
    "Destroy": StorageVolumeState.DELETED,
    "Expunged": StorageVolumeState.DELETED,
    "Destroying": StorageVolumeState.DELETING,
    "Expunging": StorageVolumeState.DELETING,
    "UploadError": StorageVolumeState.ERROR,
    "UploadAbandoned": StorageVolumeState.ERROR,
    "Attaching": StorageVolumeState.ATTACHING,
    "Resizing": StorageVolumeState.UPDATING,
    "RevertSnapshotting": StorageVolumeState.UPDATING,
}

#: CloudStack snapshot state -> VolumeSnapshotState; anything else is UNKNOWN.
SNAPSHOT_STATE_MAP: dict[str, VolumeSnapshotState] = {
    "Allocated": VolumeSnapshotState.CREATING,
    "Creating": VolumeSnapshotState.CREATING,
    "CreatedOnPrimary": VolumeSnapshotState.CREATING,
    "BackingUp": VolumeSnapshotState.CREATING,
    "Copying": VolumeSnapshotState.CREATING,
    "BackedUp": VolumeSnapshotState.AVAILABLE,
    "Destroying": VolumeSnapshotState.DELETING,
    "Error": VolumeSnapshotState.ERROR,
}

#: Ranges a node's address is private in (D32): RFC 1918, RFC 6598 shared address space,
#: link-local, IPv6 unique-local and link-local. Every other address counts as public - also
#: loopback, which no real NIC carries but a simulated VM may (so deploy_node can reach it).
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "fc00::/7", "fe80::/10",
))


def parse_date(value: Any) -> datetime | None:
    """``2026-07-29T11:18:10+0000`` -> an aware ``datetime``; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def to_int(value: Any) -> int | None:
    """An int from an int or a numeric string; ``"Unlimited"`` -> -1; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "unlimited":
            return -1
        try:
            return int(float(text))
        except ValueError:
            return None
    return None


def to_bool(value: Any) -> bool | None:
    """A bool from a bool or ``"true"``/``"false"``; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def gib(size_bytes: Any) -> int | None:
    """Bytes -> whole GiB, rounded up (CloudStack sizes are whole GiB in practice)."""
    size = to_int(size_bytes)
    if size is None:
        return None
    return math.ceil(size / GIB)


def extra_of(record: Record, fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """``{extra key: record[CloudStack field]}`` over a table of ``(key, field)`` pairs, in
    table order; a field the record lacks gives None."""
    return {key: record.get(field) for key, field in fields}


def tags_of(record: Record) -> dict[str, Any]:
    """The ``tags`` list of a resource as a ``{key: value}`` dict."""
    tags = record.get("tags") or []
    return {str(t.get("key")): t.get("value") for t in tags
            if isinstance(t, Mapping) and t.get("key") is not None}


def is_private_ip(address: str) -> bool:
    """True for addresses in :data:`PRIVATE_NETWORKS` (RFC 1918, 100.64/10, link-local, IPv6
    ULA and link-local); False for anything else, including loopback and unparsable text."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in PRIVATE_NETWORKS)


# -- nodes ------------------------------------------------------------------------------------

#: ``extra`` key <- CloudStack field; always present, None when the field is absent.
NODE_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("haenable", "haenable"),
    ("zone_id", "zoneid"),
    ("zone_name", "zonename"),
    ("password", "password"),
    ("image_id", "templateid"),
    ("image_name", "templatename"),
    ("template_display_text", "templatedisplaytext"),
    ("password_enabled", "passwordenabled"),
    ("size_id", "serviceofferingid"),
    ("size_name", "serviceofferingname"),
    ("root_device_id", "rootdeviceid"),
    ("root_device_type", "rootdevicetype"),
    ("hypervisor", "hypervisor"),
    ("project", "project"),
    ("project_id", "projectid"),
    ("state", "state"),
    ("display_name", "displayname"),
    ("cpu_number", "cpunumber"),
    ("memory", "memory"),
    ("public_ip", "publicip"),
    ("public_ip_id", "publicipid"),
)


def node_state(raw: Any) -> NodeState:
    """A CloudStack VM state as a ``NodeState`` (UNKNOWN for anything unlisted)."""
    return NODE_STATE_MAP.get(str(raw), NodeState.UNKNOWN) if raw else NodeState.UNKNOWN


def _add(target: list[str], address: Any) -> None:
    if isinstance(address, str) and address and address not in target:
        target.append(address)


def to_node(driver: Any, vm: Record) -> CloudStackNode:
    """A ``listVirtualMachines`` / ``deployVirtualMachine`` record -> ``CloudStackNode``."""
    public: list[str] = []
    private: list[str] = []
    ipv6: list[str] = []
    nics = [n for n in (vm.get("nic") or []) if isinstance(n, Mapping)]
    for nic in nics:
        address = nic.get("ipaddress")
        if isinstance(address, str) and address:
            _add(private if is_private_ip(address) else public, address)
    for nic in nics:
        address6 = nic.get("ip6address")
        if isinstance(address6, str) and address6:
            _add(ipv6, address6)
            _add(private if is_private_ip(address6) else public, address6)
    _add(public, vm.get("publicip"))

    extra = extra_of(vm, NODE_EXTRA_FIELDS)
    extra["key_name"] = vm.get("keypair") if vm.get("keypair") is not None else vm.get("keypairs")
    extra["nics"] = list(nics)
    extra["nics:"] = extra["nics"]
    extra["security_group"] = [
        g.get("name") for g in (vm.get("securitygroup") or []) if isinstance(g, Mapping)
    ]
    extra["affinity_group"] = [
        g.get("id") for g in (vm.get("affinitygroup") or []) if isinstance(g, Mapping)
    ]
    extra["ip_addresses"] = []
    extra["ip_forwarding_rules"] = []
    extra["port_forwarding_rules"] = []
    extra["ipv6_addresses"] = ipv6
    extra["created"] = vm.get("created") or False
    if vm.get("tags"):
        extra["tags"] = tags_of(vm)

    return CloudStackNode(
        id=vm.get("id"),
        name=vm.get("name"),
        state=node_state(vm.get("state")),
        public_ips=public,
        private_ips=private,
        driver=driver,
        extra=extra,
        created_at=parse_date(vm.get("created")),
    )


# -- images, sizes, locations -----------------------------------------------------------------


def to_image(driver: Any, template: Record) -> NodeImage:
    """A ``listTemplates`` record -> ``NodeImage``."""
    extra: dict[str, Any] = {
        "hypervisor": template.get("hypervisor"),
        "format": template.get("format"),
        "os": template.get("ostypename"),
        "displaytext": template.get("displaytext"),
        "os_type_id": template.get("ostypeid"),
        "zone_id": template.get("zoneid"),
        "password_enabled": template.get("passwordenabled"),
        "is_ready": template.get("isready"),
    }
    if template.get("size") is not None:
        extra["size"] = template.get("size")
    return NodeImage(id=template.get("id"), name=template.get("name"), driver=driver, extra=extra)


def to_size(driver: Any, offering: Record) -> NodeSize:
    """A ``listServiceOfferings`` record -> ``NodeSize`` (``ram`` in MB, ``disk`` 0)."""
    extra = {
        "cpu": offering.get("cpunumber"),
        "cpu_speed": offering.get("cpuspeed"),
        "display_text": offering.get("displaytext"),
        "is_customized": offering.get("iscustomized"),
    }
    return NodeSize(
        id=offering.get("id"), name=offering.get("name"), ram=to_int(offering.get("memory")),
        disk=0, bandwidth=0, price=0, driver=driver, extra=extra,
    )


def to_location(driver: Any, zone: Record) -> NodeLocation:
    """A ``listZones`` record -> ``NodeLocation`` (country ``"Unknown"``)."""
    extra = {
        "network_type": zone.get("networktype"),
        "security_groups_enabled": to_bool(zone.get("securitygroupsenabled")) or False,
    }
    return NodeLocation(id=zone.get("id"), name=zone.get("name"), country="Unknown",
                        driver=driver, extra=extra)


# -- volumes and snapshots --------------------------------------------------------------------

VOLUME_EXTRA_FIELDS: tuple[tuple[str, str], ...] = (
    ("created", "created"),
    ("instance_id", "virtualmachineid"),
    ("serviceoffering_id", "serviceofferingid"),
    ("disk_offering_id", "diskofferingid"),
    ("state", "state"),
    ("volume_type", "type"),
    ("zone_id", "zoneid"),
    ("zone_name", "zonename"),
    ("project_id", "projectid"),
    ("size_bytes", "size"),
)


def volume_state(raw: Any, attached: bool) -> StorageVolumeState:
    """A CloudStack volume state (INUSE for an attached available volume)."""
    state = VOLUME_STATE_MAP.get(str(raw), StorageVolumeState.UNKNOWN)
    if state is StorageVolumeState.AVAILABLE and attached:
        return StorageVolumeState.INUSE
    return state


def to_volume(driver: Any, volume: Record) -> StorageVolume:
    """A ``listVolumes`` / ``createVolume`` record -> ``StorageVolume`` (``size`` in GiB)."""
    extra = extra_of(volume, VOLUME_EXTRA_FIELDS)
    extra["device_id"] = to_int(volume.get("deviceid"))
    extra["size_bytes"] = to_int(volume.get("size"))
    if volume.get("tags"):
        extra["tags"] = tags_of(volume)
    return StorageVolume(
        id=volume.get("id"), name=volume.get("name"), size=gib(volume.get("size")),
        driver=driver,
        state=volume_state(volume.get("state"), bool(volume.get("virtualmachineid"))),
        extra=extra,
    )


def to_snapshot(driver: Any, snapshot: Record) -> VolumeSnapshot:
    """A ``listSnapshots`` / ``createSnapshot`` record -> ``VolumeSnapshot`` (``size`` in GiB
    from ``virtualsize``, else ``physicalsize``)."""
    size_bytes = snapshot.get("virtualsize")
    if size_bytes is None:
        size_bytes = snapshot.get("physicalsize")
    extra = {
        "tags": tags_of(snapshot),
        "name": snapshot.get("name"),
        "volume_id": snapshot.get("volumeid"),
        "volume_name": snapshot.get("volumename"),
        "volume_type": snapshot.get("volumetype"),
        "snapshot_type": snapshot.get("snapshottype"),
        "state": snapshot.get("state"),
        "zone_id": snapshot.get("zoneid"),
        "project_id": snapshot.get("projectid"),
        "size_bytes": to_int(size_bytes),
    }
    raw_state = snapshot.get("state")
    return VolumeSnapshot(
        id=snapshot.get("id"), driver=driver, size=gib(size_bytes), extra=extra,
        created=parse_date(snapshot.get("created")),
        state=SNAPSHOT_STATE_MAP.get(str(raw_state), VolumeSnapshotState.UNKNOWN),
        name=snapshot.get("name"),
    )


def to_disk_offering(offering: Record) -> CloudStackDiskOffering:
    """A ``listDiskOfferings`` record -> ``CloudStackDiskOffering`` (``size`` in GB)."""
    return CloudStackDiskOffering(
        id=offering.get("id"), name=offering.get("name"),
        size=to_int(offering.get("disksize")) or 0,
        customizable=bool(to_bool(offering.get("iscustomized"))),
        extra={"display_text": offering.get("displaytext"), "zone_id": offering.get("zoneid")},
    )


# -- projects and key pairs -------------------------------------------------------------------

_PROJECT_RESOURCES = ("cpu", "ip", "memory", "network", "primarystorage", "secondarystorage",
                      "snapshot", "template", "vm", "volume", "vpc")


def to_project(driver: Any, project: Record) -> CloudStackProject:
    """A ``listProjects`` record -> ``CloudStackProject`` (limits as ints, unlimited = -1)."""
    extra: dict[str, Any] = {
        "account": project.get("account"),
        "domain": project.get("domain"),
        "domainid": project.get("domainid"),
        "state": project.get("state"),
        "tags": tags_of(project),
        "vmrunning": to_int(project.get("vmrunning")),
    }
    for resource in _PROJECT_RESOURCES:
        for suffix in ("available", "limit", "total"):
            extra[f"{resource}{suffix}"] = to_int(project.get(f"{resource}{suffix}"))
    return CloudStackProject(id=project.get("id"), name=project.get("name"),
                             display_text=project.get("displaytext"), driver=driver, extra=extra)


def to_key_pair(driver: Any, record: Record, public_key: str | None = None) -> KeyPair:
    """A ``listSSHKeyPairs`` / ``createSSHKeyPair`` / ``registerSSHKeyPair`` record."""
    extra = {
        "id": record.get("id"),
        "account": record.get("account"),
        "domain": record.get("domain"),
        "domain_id": record.get("domainid"),
        "project_id": record.get("projectid"),
    }
    return KeyPair(
        name=str(record.get("name")), public_key=record.get("publickey") or public_key,
        fingerprint=record.get("fingerprint"), driver=driver,
        private_key=record.get("privatekey"), extra=extra,
    )
