"""Value converters and CloudStack's state tables, shared by the model declarations.

Nothing here knows a model; :mod:`cloudstack_driver._schema` and the models use these to read
CloudStack records. Every reader takes whatever the server sent and never raises (D6): a value
it cannot read gives None.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

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


def flag(value: Any) -> Any:
    """A CloudStack flag as ``bool``: a bool stays, ``"true"``/``"false"`` (any case, as some
    servers and proxies send them) become one, anything else is kept as sent (never a
    truthy string where a script tests ``if extra["is_default"]:``)."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    return value


def gib(size_bytes: Any) -> int | None:
    """Bytes -> whole GiB, rounded up (CloudStack sizes are whole GiB in practice)."""
    size = to_int(size_bytes)
    if size is None:
        return None
    return math.ceil(size / GIB)


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


def node_state(raw: Any) -> NodeState:
    """A CloudStack VM state as a ``NodeState`` (UNKNOWN for anything unlisted)."""
    return NODE_STATE_MAP.get(str(raw), NodeState.UNKNOWN) if raw else NodeState.UNKNOWN


def volume_state(raw: Any, attached: bool) -> StorageVolumeState:
    """A CloudStack volume state (INUSE for an attached available volume)."""
    state = VOLUME_STATE_MAP.get(str(raw), StorageVolumeState.UNKNOWN)
    if state is StorageVolumeState.AVAILABLE and attached:
        return StorageVolumeState.INUSE
    return state


def snapshot_state(raw: Any) -> VolumeSnapshotState:
    """A CloudStack snapshot state as a ``VolumeSnapshotState`` (UNKNOWN for anything else)."""
    return SNAPSHOT_STATE_MAP.get(str(raw), VolumeSnapshotState.UNKNOWN)


def text(value: Any) -> str | None:
    """A value as ``str`` (None stays None)."""
    return None if value is None else str(value)
