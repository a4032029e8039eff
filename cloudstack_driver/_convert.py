"""Value converters and CloudStack's state tables, shared by the model declarations.

Nothing here knows a model; :mod:`cloudstack_driver._schema` and the models use these to read
CloudStack records. Every reader takes whatever the server sent and never raises (D6): a value
it cannot read gives None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import ipaddress

#: The ranges of :data:`PRIVATE_NETWORKS`, as text (the networks are built on first use, so
#: importing the package does not import :mod:`ipaddress`).
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                  "169.254.0.0/16", "fc00::/7", "fe80::/10")

#: CloudStack's own date form (``2026-07-29T11:18:10+0000``), read without ``strptime``.
_STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d)([0-5]\d)\Z",
                    re.ASCII)
_ZONES: dict[str, timezone] = {"+0000": timezone.utc, "-0000": timezone.utc}


def __getattr__(name: str) -> Any:
    if name == "PRIVATE_NETWORKS":
        return _private_networks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _private_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Ranges a node's address is private in (D32): RFC 1918, RFC 6598 shared address space,
    link-local, IPv6 unique-local and link-local. Every other address counts as public - also
    loopback, which no real NIC carries but a simulated VM may (so deploy_node can reach it).
    Also the module attribute ``PRIVATE_NETWORKS``."""
    import ipaddress

    return tuple(ipaddress.ip_network(n) for n in PRIVATE_RANGES)


def _zone(sign: str, hours: str, minutes: str) -> timezone:
    key = f"{sign}{hours}{minutes}"
    zone = _ZONES.get(key)
    if zone is None:
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        zone = timezone(-offset if sign == "-" else offset)
        if len(_ZONES) < 256:
            _ZONES[key] = zone
    return zone


def parse_date(value: Any) -> datetime | None:
    """``2026-07-29T11:18:10+0000`` -> an aware ``datetime``; None when absent or unreadable.

    CloudStack's form is read field by field; any other text goes to ``strptime`` with
    ``%Y-%m-%dT%H:%M:%S%z``, which decides what else is readable (the same result both ways).
    """
    if not isinstance(value, str) or not value:
        return None
    match = _STAMP.match(value)
    if match is not None:
        year, month, day, hour, minute, second, sign, zh, zm = match.groups()
        try:
            return datetime(int(year), int(month), int(day), int(hour), int(minute),
                            int(second), tzinfo=_zone(sign, zh, zm))
        except ValueError:
            pass  # out of range: strptime gives its own verdict
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


#: The text of every IPv4 octet as :mod:`ipaddress` reads it (decimal, no leading zero).
_OCTETS = {str(value): value for value in range(256)}


def _private_v4(octets: list[str]) -> bool | None:
    """The verdict for a dotted IPv4 address split at its dots, by integer range checks;
    None when the text is not four octets written the plain way (``010.0.0.1``: left to
    :mod:`ipaddress`, which refuses it)."""
    a = _OCTETS.get(octets[0])
    b = _OCTETS.get(octets[1])
    if a is None or b is None or octets[2] not in _OCTETS or octets[3] not in _OCTETS:
        return None
    return (a == 10 or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168)
            or (a == 100 and 64 <= b <= 127) or (a == 169 and b == 254))


def _private_parsed(address: Any) -> bool:
    """:func:`is_private_ip` through :mod:`ipaddress` (IPv6, and any IPv4 text the fast path
    leaves to it)."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in _private_networks())


#: :func:`_private_parsed` remembered for the last addresses it classified.
_private_cached = lru_cache(maxsize=4096)(_private_parsed)


def is_private_ip(address: object) -> bool:
    """True for addresses in :data:`PRIVATE_NETWORKS` (RFC 1918, 100.64/10, link-local, IPv6
    ULA and link-local); False for anything else, including loopback and unparsable text.

    Dotted IPv4 text is classified by integer range checks; everything else by
    :mod:`ipaddress` (remembered for the last 4,096 addresses)."""
    if not isinstance(address, str):
        return _private_parsed(address)  # ipaddress reads ints and packed bytes too
    octets = address.split(".")
    if len(octets) == 4:
        verdict = _private_v4(octets)
        if verdict is not None:
            return verdict
    return _private_cached(address)


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
