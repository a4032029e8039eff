"""Volumes, volume snapshots and disk offerings (part of the core driver).

``StorageVolume.size`` is in GiB everywhere (libcloud mixed GB and bytes, D22); the bytes the
server reported are in ``extra["size_bytes"]``.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import (
    check_id,
    check_int,
    check_model_id,
    check_name,
    check_optional_instance,
)
from cloudstack_driver.cloudstack.bulk import BulkMixin
from cloudstack_driver.cloudstack.models import CloudStackDiskOffering, CloudStackProject
from cloudstack_driver.errors import InvalidParameterError, LibcloudError, VolumeNotFoundError
from cloudstack_driver.models import (
    Node,
    NodeLocation,
    StorageVolume,
    VolumeSnapshot,
)

__all__ = ["VolumesMixin", "pick_disk_offering"]


def _describe(offerings: list[CloudStackDiskOffering]) -> str:
    if not offerings:
        return "none"
    return ", ".join(
        f"{o.name!r} ({'custom size' if o.customizable else f'{o.size} GB'})" for o in offerings
    )


def pick_disk_offering(offerings: list[CloudStackDiskOffering], size: int | None,
                       volume_type: str | None) -> tuple[CloudStackDiskOffering, bool]:
    """The offering for a new volume and whether ``size`` must be sent with it.

    By name when ``volume_type`` is given; else a fixed offering of exactly ``size`` GB first,
    then a customizable one. ``ValueError`` listing the offerings when none fits (D24).
    """
    if volume_type is not None:
        named = [o for o in offerings if o.name == volume_type]
        if not named:
            raise ValueError(f"create_volume(): no disk offering named {volume_type!r}; "
                             f"offerings: {_describe(offerings)}")
        chosen = named[0]
        if chosen.customizable:
            if size is None:
                raise ValueError(f"create_volume(): 'size' is required: disk offering "
                                 f"{volume_type!r} has a custom size")
            return chosen, True
        if size is not None and chosen.size != size:
            raise ValueError(f"create_volume(): disk offering {volume_type!r} is "
                             f"{chosen.size} GB, but size={size} was asked for")
        return chosen, False
    for offering in offerings:
        if not offering.customizable and offering.size == size:
            return offering, False
    for offering in offerings:
        if offering.customizable:
            return offering, True
    raise ValueError(f"create_volume(): no disk offering of {size} GB and none with a custom "
                     f"size; offerings: {_describe(offerings)}")


def _true(_result: dict[str, Any]) -> bool:
    return True


class VolumesMixin(BulkMixin):
    """Volumes, snapshots, disk offerings; also the argument helpers the core shares."""

    def _project_id(self, method: str, project: object, arg: str = "project") -> str | None:
        found = check_optional_instance(method, arg, project, CloudStackProject)
        return None if found is None else str(found.id)

    def _node_id(self, method: str, node: object) -> str:
        return check_model_id(method, "node", node, Node)

    def _volume_id(self, method: str, volume: object) -> str:
        return check_model_id(method, "volume", volume, StorageVolume)

    def _one(self, command: str, missing: type[LibcloudError], message: str,
             **params: Any) -> dict[str, Any]:
        """The first record of the list ``command``; ``missing(message)`` when there is none
        or the server calls the asked-for id invalid."""
        try:
            records = self.connection.list(command, **params)
        except InvalidParameterError as exc:
            raise missing(message, driver=self) from exc
        if not records:
            raise missing(message, driver=self)
        return records[0]

    # -- volumes -----------------------------------------------------------------------------
    def list_volumes(self, node: Node | None = None, *,
                     ex_project: CloudStackProject | None = None,
                     ex_listall: bool | None = None) -> list[StorageVolume]:
        """Volumes (of ``node`` when given): ``listVolumes(virtualmachineid?, projectid?,
        listall?)``, all pages. No job. Sizes in GiB."""
        node_id = self._node_id("list_volumes", node) if node is not None else None
        records = self.connection.list(
            "listVolumes", virtualmachineid=node_id,
            projectid=self._project_id("list_volumes", ex_project, "ex_project"),
            listall=check_optional_instance("list_volumes", "ex_listall", ex_listall, bool))
        return [StorageVolume.from_record(self, v) for v in records]

    def ex_get_volume(self, volume_id: str | int, project: CloudStackProject | None = None
                      ) -> StorageVolume:
        """``listVolumes(id, projectid?)``. No job. ``VolumeNotFoundError`` when absent."""
        volume_id = check_id("ex_get_volume", "volume_id", volume_id)
        projectid = self._project_id("ex_get_volume", project)
        record = self._one("listVolumes", VolumeNotFoundError, f"no volume with id {volume_id!r}",
                           id=volume_id, projectid=projectid)
        return StorageVolume.from_record(self, record)

    def create_volume(
        self,
        size: int | None,
        name: str,
        location: NodeLocation | None = None,
        snapshot: VolumeSnapshot | None = None,
        ex_volume_type: str | None = None,
        *,
        ex_project: CloudStackProject | None = None,
        ex_wait: bool = True,
    ) -> Any:
        """Create a volume of ``size`` GB; waits for the ``createVolume`` job
        (``ex_wait=False``: a ``JobHandle`` at once). Returns a ``StorageVolume``.

        Calls ``listDiskOfferings`` to choose the offering (``ex_volume_type`` by name, else a
        fixed offering of exactly ``size`` GB, else a customizable one, sending ``size``), and
        ``listZones`` when ``location`` is None (except for a volume made from ``snapshot``,
        sent as ``snapshotid``, where ``size`` may be None).
        """
        m = "create_volume"
        check_name(m, "name", name)
        where = check_optional_instance(m, "location", location, NodeLocation)
        snap = check_optional_instance(m, "snapshot", snapshot, VolumeSnapshot)
        if size is not None or snap is None:
            size = check_int(m, "size", size, minimum=1)
        if ex_volume_type is not None:
            check_name(m, "ex_volume_type", ex_volume_type)
        params: dict[str, Any] = {
            "name": name,
            "projectid": self._project_id(m, ex_project, "ex_project"),
            "snapshotid": snap.id if snap is not None else None,
        }
        if size is not None or ex_volume_type is not None:
            offering, send_size = pick_disk_offering(self.ex_list_disk_offerings(), size,
                                                     ex_volume_type)
            params["diskofferingid"] = offering.id
            params["size"] = size if send_size else None
        if where is not None:
            params["zoneid"] = where.id
        elif snap is None:
            params["zoneid"] = self._zone_of(None).get("id")

        def made(result: dict[str, Any]) -> StorageVolume:
            volume = StorageVolume.from_record(self, result.get("volume") or {"name": name})
            if volume.size is None:
                volume.size = size
            return volume

        return self._job("createVolume", params, made, ex_wait)

    def attach_volume(self, node: Node, volume: StorageVolume,
                      device: int | str | None = None, *, ex_wait: bool = True) -> Any:
        """``attachVolume(id, virtualmachineid, deviceid?)``; waits for the job
        (``ex_wait=False``: a ``JobHandle``). True."""
        node_id = self._node_id("attach_volume", node)
        volume_id = self._volume_id("attach_volume", volume)
        deviceid = check_int("attach_volume", "device", device, minimum=0) \
            if device is not None else None
        return self._job("attachVolume",
                         {"id": volume_id, "virtualmachineid": node_id, "deviceid": deviceid},
                         _true, ex_wait)

    def detach_volume(self, volume: StorageVolume, *, ex_wait: bool = True) -> Any:
        """``detachVolume(id)``; waits for the job (``ex_wait=False``: a ``JobHandle``).
        True."""
        return self._job("detachVolume", {"id": self._volume_id("detach_volume", volume)},
                         _true, ex_wait)

    def destroy_volume(self, volume: StorageVolume) -> bool:
        """``deleteVolume(id)`` (synchronous). True."""
        self.connection.request("deleteVolume", id=self._volume_id("destroy_volume", volume))
        return True

    # -- snapshots ---------------------------------------------------------------------------
    def list_volume_snapshots(self, volume: StorageVolume) -> list[VolumeSnapshot]:
        """Snapshots of ``volume``: ``listSnapshots(volumeid)``, all pages. No job."""
        volume_id = self._volume_id("list_volume_snapshots", volume)
        records = self.connection.list("listSnapshots", volumeid=volume_id)
        return [VolumeSnapshot.from_record(self, s) for s in records]

    def list_snapshots(self, *, ex_listall: bool | None = None) -> list[VolumeSnapshot]:
        """Every snapshot: ``listSnapshots(listall?)``, all pages. No job."""
        listall = check_optional_instance("list_snapshots", "ex_listall", ex_listall, bool)
        return [VolumeSnapshot.from_record(self, s)
                for s in self.connection.list("listSnapshots", listall=listall)]

    def create_volume_snapshot(self, volume: StorageVolume, name: str | None = None, *,
                               ex_wait: bool = True) -> Any:
        """``createSnapshot(volumeid, name?)``; waits for the job (``ex_wait=False``: a
        ``JobHandle``). Returns a ``VolumeSnapshot``."""
        volume_id = self._volume_id("create_volume_snapshot", volume)
        if name is not None:
            check_name("create_volume_snapshot", "name", name)
        return self._job("createSnapshot", {"volumeid": volume_id, "name": name},
                         lambda r: VolumeSnapshot.from_record(self, r.get("snapshot") or {}),
                         ex_wait)

    def destroy_volume_snapshot(self, snapshot: VolumeSnapshot) -> bool:
        """``deleteSnapshot(id)``; waits for the job. True."""
        ident = check_model_id("destroy_volume_snapshot", "snapshot", snapshot, VolumeSnapshot)
        self.connection.request("deleteSnapshot", id=ident)
        return True

    # -- disk offerings ----------------------------------------------------------------------
    def ex_list_disk_offerings(self) -> list[CloudStackDiskOffering]:
        """Disk offerings: ``listDiskOfferings``, all pages. No job."""
        return [CloudStackDiskOffering.from_record(self, o) for o in self.connection.list("listDiskOfferings")]
