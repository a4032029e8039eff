"""Provider names and the state enums (libcloud's names and values).

A member equals, and hashes like, its lower-case value (``NodeState.RUNNING == "running"``);
``str()`` and ``repr()`` give the value; ``tostring(member)`` gives it upper-cased and
``fromstring("RUNNING")`` gives the member (or None).
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "NodeState",
    "Provider",
    "StorageVolumeState",
    "VolumeSnapshotState",
]


class _StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return str(self.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self.value) == other
        return NotImplemented

    @classmethod
    def tostring(cls, value: _StrEnum | str) -> str:
        """The upper-case name of a member (``"RUNNING"``)."""
        return str(value).upper()

    @classmethod
    def fromstring(cls, value: str) -> _StrEnum | None:
        """The member whose name or value is ``value`` (any case), or None."""
        wanted = str(value).lower()
        for member in cls:
            if member.value == wanted:
                return member
        return None


class Provider(_StrEnum):
    """The drivers ``get_driver`` knows. Values are libcloud's type strings."""

    CLOUDSTACK = "cloudstack"
    EXOSCALE = "exoscale"
    IKOULA = "ikoula"
    AURORACOMPUTE = "aurora_compute"
    KTUCLOUD = "ktucloud"


class NodeState(_StrEnum):
    """The state of a node, provider-neutral."""

    RUNNING = "running"
    STARTING = "starting"
    REBOOTING = "rebooting"
    TERMINATED = "terminated"
    PENDING = "pending"
    UNKNOWN = "unknown"
    STOPPING = "stopping"
    STOPPED = "stopped"
    SUSPENDED = "suspended"
    ERROR = "error"
    PAUSED = "paused"
    RECONFIGURING = "reconfiguring"
    MIGRATING = "migrating"
    NORMAL = "normal"
    UPDATING = "updating"


class StorageVolumeState(_StrEnum):
    """The state of a storage volume, provider-neutral."""

    AVAILABLE = "available"
    ERROR = "error"
    INUSE = "inuse"
    CREATING = "creating"
    DELETING = "deleting"
    DELETED = "deleted"
    BACKUP = "backup"
    ATTACHING = "attaching"
    UNKNOWN = "unknown"
    MIGRATING = "migrating"
    UPDATING = "updating"


class VolumeSnapshotState(_StrEnum):
    """The state of a volume snapshot, provider-neutral."""

    AVAILABLE = "available"
    ERROR = "error"
    CREATING = "creating"
    DELETING = "deleting"
    RESTORING = "restoring"
    UNKNOWN = "unknown"
    UPDATING = "updating"
