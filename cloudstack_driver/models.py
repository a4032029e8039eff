"""The provider-neutral models: libcloud's constructors, attributes and ``repr`` formats.

Constructors take libcloud's positional order, so ``NodeSize(id, name, ram, disk, bandwidth,
price, driver)`` written for libcloud keeps working. Equality is identity (as in libcloud).
Models that delegate (``node.reboot()``, ``volume.attach(node)``) call their driver with the
keyword names libcloud uses. No ``repr`` prints a secret: a node's password and a key pair's
private key live in attributes that ``repr`` leaves out.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from cloudstack_driver.types import NodeState, StorageVolumeState, VolumeSnapshotState

__all__ = [
    "KeyPair",
    "Node",
    "NodeAuthPassword",
    "NodeAuthSSHKey",
    "NodeImage",
    "NodeLocation",
    "NodeSize",
    "StorageVolume",
    "UuidMixin",
    "VolumeSnapshot",
]


def driver_name(driver: Any) -> Any:
    """The ``name`` of a driver (None for none), as the reprs show it."""
    return getattr(driver, "name", None)


class UuidMixin:
    """``get_uuid()``: SHA-1 hex digest of ``"<id>:<driver.type>"``, computed once."""

    id: Any
    driver: Any
    _uuid: str | None = None

    def get_uuid(self) -> str:
        """The stable identifier libcloud gives this object (used to match nodes)."""
        if self._uuid is None:
            driver_type = getattr(self.driver, "type", None)
            self._uuid = hashlib.sha1(f"{self.id}:{driver_type}".encode()).hexdigest()
        return self._uuid

    @property
    def uuid(self) -> str:
        """Same as :meth:`get_uuid`."""
        return self.get_uuid()


class Node(UuidMixin):
    """A virtual machine.

    :ivar id: the CloudStack id (a string; None when the cloud gave none)
    :ivar state: a :class:`~cloudstack_driver.types.NodeState`
    :ivar public_ips: routable addresses (IPv4 first, then global IPv6)
    :ivar private_ips: private addresses (RFC 1918, shared 100.64/10, link-local, ULA ...)
    :ivar extra: everything else the cloud reported (keys listed per driver)
    :ivar created_at: creation time (a timezone-aware ``datetime``) when known
    """

    def __init__(
        self,
        id: Any,
        name: str | None,
        state: NodeState | str,
        public_ips: list[str] | None,
        private_ips: list[str] | None,
        driver: Any,
        size: NodeSize | None = None,
        image: NodeImage | None = None,
        extra: dict[str, Any] | None = None,
        created_at: datetime | None = None,
    ) -> None:
        self.id = str(id) if id else None
        self.name = name
        self.state = state
        self.public_ips: list[str] = list(public_ips) if public_ips else []
        self.private_ips: list[str] = list(private_ips) if private_ips else []
        self.driver = driver
        self.size = size
        self.image = image
        self.extra: dict[str, Any] = extra if extra is not None else {}
        self.created_at = created_at

    def reboot(self) -> bool:
        """Reboot this node (``driver.reboot_node(node=self)``)."""
        return bool(self.driver.reboot_node(node=self))

    def start(self) -> bool:
        """Start this node (``driver.start_node(node=self)``)."""
        return bool(self.driver.start_node(node=self))

    def stop_node(self) -> bool:
        """Stop this node (``driver.stop_node(node=self)``)."""
        return bool(self.driver.stop_node(node=self))

    stop = stop_node

    def destroy(self) -> bool:
        """Destroy this node (``driver.destroy_node(node=self)``)."""
        return bool(self.driver.destroy_node(node=self))

    def __repr__(self) -> str:
        return (
            f"<Node: uuid={self.uuid}, name={self.name}, "
            f"state={NodeState.tostring(self.state)}, public_ips={self.public_ips}, "
            f"private_ips={self.private_ips}, provider={driver_name(self.driver)} ...>"
        )


class NodeSize(UuidMixin):
    """An instance type (a CloudStack service offering): ``ram`` in MB, ``disk`` in GB."""

    def __init__(
        self,
        id: Any,
        name: str | None,
        ram: int | None,
        disk: int | None,
        bandwidth: int | None,
        price: float | None,
        driver: Any,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.id = str(id)
        self.name = name
        self.ram = ram
        self.disk = disk
        self.bandwidth = bandwidth
        self.price = price
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (
            f"<NodeSize: id={self.id}, name={self.name}, ram={self.ram} disk={self.disk} "
            f"bandwidth={self.bandwidth} price={self.price} driver={driver_name(self.driver)} ...>"
        )


class NodeImage(UuidMixin):
    """An image to boot from (a CloudStack template)."""

    def __init__(self, id: Any, name: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = str(id)
        self.name = name
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (
            f"<NodeImage: id={self.id}, name={self.name}, driver={driver_name(self.driver)}  ...>"
        )


class NodeLocation:
    """Where nodes run (a CloudStack zone). CloudStack reports no country: ``"Unknown"``."""

    def __init__(self, id: Any, name: str | None, country: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = str(id)
        self.name = name
        self.country = country
        self.driver = driver
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (
            f"<NodeLocation: id={self.id}, name={self.name}, country={self.country}, "
            f"driver={driver_name(self.driver)}>"
        )


class StorageVolume(UuidMixin):
    """A disk volume. ``size`` is in GB (GiB) everywhere; raw bytes are in
    ``extra["size_bytes"]`` when the cloud reported them.

    As in libcloud, ``id`` is kept as given and ``extra`` is not defaulted.
    """

    def __init__(
        self,
        id: Any,
        name: str | None,
        size: int | None,
        driver: Any,
        state: StorageVolumeState | str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.size = size
        self.driver = driver
        self.state = state
        self.extra = extra

    def list_snapshots(self) -> list[VolumeSnapshot]:
        """``driver.list_volume_snapshots(volume=self)``."""
        result: list[VolumeSnapshot] = self.driver.list_volume_snapshots(volume=self)
        return result

    def attach(self, node: Node, device: str | int | None = None) -> bool:
        """``driver.attach_volume(node=node, volume=self, device=device)``."""
        return bool(self.driver.attach_volume(node=node, volume=self, device=device))

    def detach(self) -> bool:
        """``driver.detach_volume(volume=self)``."""
        return bool(self.driver.detach_volume(volume=self))

    def snapshot(self, name: str | None) -> VolumeSnapshot:
        """``driver.create_volume_snapshot(volume=self, name=name)``."""
        result: VolumeSnapshot = self.driver.create_volume_snapshot(volume=self, name=name)
        return result

    def destroy(self) -> bool:
        """``driver.destroy_volume(volume=self)``."""
        return bool(self.driver.destroy_volume(volume=self))

    def __repr__(self) -> str:
        return (
            f"<StorageVolume id={self.id} size={self.size} driver={driver_name(self.driver)}>"
        )


class VolumeSnapshot:
    """A snapshot of a volume. ``size`` in GB when known; ``created`` a ``datetime``."""

    def __init__(
        self,
        id: Any,
        driver: Any,
        size: int | None = None,
        extra: dict[str, Any] | None = None,
        created: datetime | None = None,
        state: VolumeSnapshotState | str | None = None,
        name: str | None = None,
    ) -> None:
        self.id = id
        self.driver = driver
        self.size = size
        self.extra: dict[str, Any] = extra if extra is not None else {}
        self.created = created
        self.state = state
        self.name = name

    def destroy(self) -> bool:
        """``driver.destroy_volume_snapshot(snapshot=self)``."""
        return bool(self.driver.destroy_volume_snapshot(snapshot=self))

    def __repr__(self) -> str:
        return (
            f'<VolumeSnapshot "{self.name}" id={self.id} size={self.size} '
            f"driver={driver_name(self.driver)} state={self.state}>"
        )


class KeyPair:
    """An SSH key pair registered with the cloud. ``private_key`` is set only by
    ``create_key_pair`` and never shown by ``repr``."""

    def __init__(
        self,
        name: str,
        public_key: str | None,
        fingerprint: str | None,
        driver: Any,
        private_key: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.public_key = public_key
        self.fingerprint = fingerprint
        self.driver = driver
        self.private_key = private_key
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return (
            f"<KeyPair name={self.name} fingerprint={self.fingerprint} "
            f"driver={driver_name(self.driver)}>"
        )


class NodeAuthSSHKey:
    """A public key to install on a new node."""

    def __init__(self, pubkey: str) -> None:
        self.pubkey = pubkey

    def __repr__(self) -> str:
        return "<NodeAuthSSHKey>"


class NodeAuthPassword:
    """A root password for a new node (never shown by ``repr``)."""

    def __init__(self, password: str, generated: bool = False) -> None:
        self.password = password
        self.generated = generated

    def __repr__(self) -> str:
        return "<NodeAuthPassword>"
