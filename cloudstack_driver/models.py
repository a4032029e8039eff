"""The provider-neutral models: libcloud's constructors, attributes and ``repr`` formats.

Each model is declared once (:mod:`cloudstack_driver._schema`): every attribute names the
CloudStack key it is read from, and the constructor (libcloud's positional order, so
``NodeSize(id, name, ram, disk, bandwidth, price, driver)`` written for libcloud keeps working),
``from_record``, ``__slots__`` and ``repr`` follow from that. Ids are ``str`` whatever the
server sent; other values are the server's, as sent (libcloud's types). Equality is identity
(as in libcloud). Models that delegate (``node.reboot()``, ``volume.attach(node)``) call their
driver with the keyword names libcloud uses. No ``repr`` prints a secret: a node's password and a
key pair's private key live in attributes that ``repr`` leaves out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cloudstack_driver._awaitable import then
from cloudstack_driver._convert import (
    flag,
    gib,
    node_state,
    parse_date,
    snapshot_state,
    tags_of,
    text,
    to_int,
    volume_state,
)
from cloudstack_driver._schema import RAW, Extra, Schema, field, new_dict
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


def _new_list(value: Any) -> list[Any]:
    return list(value) if value else []


def _zero(_record: Any) -> int:
    return 0


def _tags_if_any(record: Mapping[str, Any], extra: dict[str, Any]) -> None:
    if record.get("tags"):
        extra["tags"] = tags_of(record)


class UuidMixin:
    """``get_uuid()``: SHA-1 hex digest of ``"<id>:<driver.type>"``, computed once."""

    __slots__ = ("_uuid",)

    id: Any
    driver: Any

    def get_uuid(self) -> str:
        """The stable identifier libcloud gives this object (used to match nodes)."""
        try:
            return self._uuid
        except AttributeError:
            driver_type = getattr(self.driver, "type", None)
            self._uuid: str = hashlib.sha1(f"{self.id}:{driver_type}".encode()).hexdigest()
            return self._uuid

    @property
    def uuid(self) -> str:
        """Same as :meth:`get_uuid`."""
        return self.get_uuid()


class Node(Schema, UuidMixin):
    """A virtual machine.

    :ivar id: the CloudStack id (a string; None when the cloud gave none)
    :ivar state: a :class:`~cloudstack_driver.types.NodeState`
    :ivar public_ips: routable addresses (IPv4 first, then global IPv6)
    :ivar private_ips: private addresses (RFC 1918, shared 100.64/10, link-local, ULA ...)
    :ivar extra: everything else the cloud reported (keys listed per driver)
    :ivar created_at: creation time (a timezone-aware ``datetime``) when known
    """

    id: str | None = field("id")
    name: str | None = field("name")
    state: NodeState | str = field("state", node_state)
    public_ips: list[str] = field(coerce=_new_list)
    private_ips: list[str] = field(coerce=_new_list)
    driver: Any = field()
    size: NodeSize | None = field(default=None)
    image: NodeImage | None = field(default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)
    created_at: datetime | None = field("created", parse_date, default=None)

    def reboot(self) -> bool:
        """Reboot this node (``driver.reboot_node(node=self)``)."""
        return then(self.driver.reboot_node(node=self), bool)

    def start(self) -> bool:
        """Start this node (``driver.start_node(node=self)``)."""
        return then(self.driver.start_node(node=self), bool)

    def stop_node(self) -> bool:
        """Stop this node (``driver.stop_node(node=self)``)."""
        return then(self.driver.stop_node(node=self), bool)

    stop = stop_node

    def destroy(self) -> bool:
        """Destroy this node (``driver.destroy_node(node=self)``)."""
        return then(self.driver.destroy_node(node=self), bool)

    def __repr__(self) -> str:
        return (
            f"<Node: uuid={self.uuid}, name={self.name}, "
            f"state={NodeState.tostring(self.state)}, public_ips={self.public_ips}, "
            f"private_ips={self.private_ips}, provider={driver_name(self.driver)} ...>"
        )


class NodeSize(Schema, UuidMixin):
    """An instance type (a CloudStack service offering): ``ram`` in MB, ``disk`` in GB (0: the
    template's disk)."""

    id: str | None = field("id")
    name: str | None = field("name")
    ram: int | None = field("memory")
    disk: int | None = field(read=_zero)
    bandwidth: int | None = field(read=_zero)
    price: float | None = field(read=_zero)
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("cpu", "cpunumber"),
        Extra("cpu_speed", "cpuspeed"),
        Extra("display_text", "displaytext"),
        Extra("is_customized", "iscustomized", flag),
    )
    REPR_FORMAT = ("<NodeSize: id={id}, name={name}, ram={ram} disk={disk} "
                   "bandwidth={bandwidth} price={price} driver={driver} ...>")


class NodeImage(Schema, UuidMixin):
    """An image to boot from (a CloudStack template); ``extra["size"]`` only when reported."""

    id: str | None = field("id")
    name: str | None = field("name")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("hypervisor"),
        Extra("format"),
        Extra("os", "ostypename"),
        Extra("displaytext"),
        Extra("os_type_id", "ostypeid"),
        Extra("zone_id", "zoneid"),
        Extra("password_enabled", "passwordenabled", flag),
        Extra("is_ready", "isready", flag),
    )
    REPR_FORMAT = "<NodeImage: id={id}, name={name}, driver={driver}  ...>"

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        if record.get("size") is not None:
            self.extra["size"] = record.get("size")
        return self


class NodeLocation(Schema):
    """Where nodes run (a CloudStack zone). CloudStack reports no country: ``"Unknown"``.
    ``extra["security_groups_enabled"]`` is None when the zone record does not say."""

    id: str | None = field("id")
    name: str | None = field("name")
    country: str | None = field(read=lambda _record: "Unknown")
    driver: Any = field()
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("network_type", "networktype"),
        Extra("security_groups_enabled", "securitygroupsenabled", flag),
    )
    REPR_FORMAT = "<NodeLocation: id={id}, name={name}, country={country}, driver={driver}>"


def _volume_state(record: Mapping[str, Any]) -> StorageVolumeState:
    return volume_state(record.get("state"), bool(record.get("virtualmachineid")))


class StorageVolume(Schema, UuidMixin):
    """A disk volume. ``size`` is in GB (GiB) everywhere; raw bytes are in
    ``extra["size_bytes"]`` when the cloud reported them.

    As in libcloud, ``extra`` is not defaulted by the constructor.
    """

    id: str | None = field("id")
    name: str | None = field("name")
    size: int | None = field("size", gib)
    driver: Any = field()
    state: StorageVolumeState | str | None = field(read=_volume_state, default=None)
    extra: dict[str, Any] | None = field(default=None)

    EXTRA = (
        Extra("created"),
        Extra("instance_id", "virtualmachineid"),
        Extra("serviceoffering_id", "serviceofferingid"),
        Extra("disk_offering_id", "diskofferingid"),
        Extra("state"),
        Extra("volume_type", "type"),
        Extra("zone_id", "zoneid"),
        Extra("zone_name", "zonename"),
        Extra("project_id", "projectid"),
        Extra("size_bytes", "size", to_int),
        Extra("device_id", "deviceid", RAW),
    )

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        if self.extra is not None:
            _tags_if_any(record, self.extra)
        return self

    def list_snapshots(self) -> list[VolumeSnapshot]:
        """``driver.list_volume_snapshots(volume=self)``."""
        result: list[VolumeSnapshot] = self.driver.list_volume_snapshots(volume=self)
        return result

    def attach(self, node: Node, device: str | int | None = None) -> bool:
        """``driver.attach_volume(node=node, volume=self, device=device)``."""
        return then(self.driver.attach_volume(node=node, volume=self, device=device), bool)

    def detach(self) -> bool:
        """``driver.detach_volume(volume=self)``."""
        return then(self.driver.detach_volume(volume=self), bool)

    def snapshot(self, name: str | None) -> VolumeSnapshot:
        """``driver.create_volume_snapshot(volume=self, name=name)``."""
        result: VolumeSnapshot = self.driver.create_volume_snapshot(volume=self, name=name)
        return result

    def destroy(self) -> bool:
        """``driver.destroy_volume(volume=self)``."""
        return then(self.driver.destroy_volume(volume=self), bool)

    REPR_FORMAT = "<StorageVolume id={id} size={size} driver={driver}>"


def _snapshot_bytes(record: Mapping[str, Any]) -> Any:
    size = record.get("virtualsize")
    return record.get("physicalsize") if size is None else size


class VolumeSnapshot(Schema):
    """A snapshot of a volume. ``size`` in GB when known (from ``virtualsize``, else
    ``physicalsize``); ``created`` a ``datetime``."""

    id: str | None = field("id")
    driver: Any = field()
    size: int | None = field(read=lambda record: gib(_snapshot_bytes(record)), default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)
    created: datetime | None = field("created", parse_date, default=None)
    state: VolumeSnapshotState | str | None = field("state", snapshot_state, default=None)
    name: str | None = field("name", default=None)

    EXTRA = (
        Extra("tags", read=tags_of, record=True),
        Extra("name"),
        Extra("volume_id", "volumeid"),
        Extra("volume_name", "volumename"),
        Extra("volume_type", "volumetype"),
        Extra("snapshot_type", "snapshottype"),
        Extra("state"),
        Extra("zone_id", "zoneid"),
        Extra("project_id", "projectid"),
        Extra("size_bytes", read=lambda record: to_int(_snapshot_bytes(record)), record=True),
    )
    REPR_FORMAT = ('<VolumeSnapshot "{name}" id={id} size={size} driver={driver} '
                   "state={state}>")

    def destroy(self) -> bool:
        """``driver.destroy_volume_snapshot(snapshot=self)``."""
        return then(self.driver.destroy_volume_snapshot(snapshot=self), bool)


class KeyPair(Schema):
    """An SSH key pair registered with the cloud. ``private_key`` is set only by
    ``create_key_pair`` and never shown by ``repr``."""

    name: str = field("name", text)
    public_key: str | None = field("publickey")
    fingerprint: str | None = field("fingerprint")
    driver: Any = field()
    private_key: str | None = field("privatekey", default=None)
    extra: dict[str, Any] = field(default=None, coerce=new_dict)

    EXTRA = (
        Extra("id"),
        Extra("account"),
        Extra("domain"),
        Extra("domain_id", "domainid"),
        Extra("project_id", "projectid"),
    )
    REPR_FORMAT = "<KeyPair name={name} fingerprint={fingerprint} driver={driver}>"

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        if not self.public_key:
            self.public_key = context.get("public_key")
        return self


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
