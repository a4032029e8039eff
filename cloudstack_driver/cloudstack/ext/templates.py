"""Templates from snapshots, ISO registration, and a node's affinity groups (PARITY 4.1, 4.2).

``ex_create_snapshot_template``, ``ex_register_iso`` and ``ex_update_node_affinity_group``
keep libcloud's names and argument order.
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver._validate import (
    check_id,
    check_instance,
    check_item_ids,
    check_model_id,
    check_name,
    check_no_unknown,
    check_optional_instance,
)
from cloudstack_driver.cloudstack.ext._args import node_id
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.models import CloudStackNode
from cloudstack_driver.errors import LibcloudError
from cloudstack_driver.models import NodeImage, NodeLocation, VolumeSnapshot

__all__ = ["IsoArgumentError", "TemplatesMixin"]

#: ``registerIso`` parameters ``ex_register_iso`` takes as keyword arguments.
ISO_OPTIONS = ("bootable", "ostypeid", "displaytext", "ispublic", "isfeatured",
               "isextractable", "checksum", "account", "domainid", "projectid")
_ISO_FLAGS = ("bootable", "ispublic", "isfeatured", "isextractable")


class IsoArgumentError(LibcloudError, ValueError):
    """A bad ``ex_register_iso`` argument (raised before any request). Both a ``ValueError``
    and the ``LibcloudError`` libcloud raised for a bootable ISO without ``ostypeid``."""


class TemplatesMixin(DriverHost):
    """``ex_create_snapshot_template``, ``ex_register_iso``, ``ex_update_node_affinity_group``."""

    def ex_create_snapshot_template(self, snapshot: VolumeSnapshot, name: str,
                                    ostypeid: str | int,
                                    displaytext: str | None = None) -> NodeImage:
        """A template made from a volume snapshot: ``createTemplate(snapshotid, name,
        displaytext, ostypeid)``; waits for the job. ``displaytext`` defaults to ``name``.
        Returns the new template as a ``NodeImage``."""
        m = "ex_create_snapshot_template"
        snapshotid = check_model_id(m, "snapshot", snapshot, VolumeSnapshot)
        check_name(m, "name", name)
        ostypeid = check_id(m, "ostypeid", ostypeid)
        text = name if displaytext is None else check_name(m, "displaytext", displaytext)
        result = self.connection.request("createTemplate", snapshotid=snapshotid, name=name,
                                         displaytext=text, ostypeid=ostypeid)
        record = result.get("template") or {}
        return NodeImage.from_record(self, record if isinstance(record, dict) else {})

    def ex_register_iso(self, name: str, url: str, location: NodeLocation | None = None,
                        **kwargs: Any) -> dict[str, Any]:
        """Register an ISO from ``url``: ``registerIso(name, displaytext, url, zoneid,
        bootable, ostypeid?, ...)`` (synchronous; the download continues on the server).
        ``listZones`` first when ``location`` is None (the first zone is used).

        ``kwargs``: ``bootable`` (default False; a bootable ISO needs ``ostypeid``, else
        :class:`IsoArgumentError`), ``ostypeid``, ``displaytext`` (default ``name``),
        ``ispublic``, ``isfeatured``, ``isextractable``, ``checksum``, ``account``,
        ``domainid``, ``projectid``. Returns the raw answer (``{"count": 1, "iso": [...]}``),
        as libcloud did.
        """
        m = "ex_register_iso"
        check_name(m, "name", name)
        check_name(m, "url", url)
        check_optional_instance(m, "location", location, NodeLocation)
        check_no_unknown(m, kwargs, ISO_OPTIONS)
        options = dict(kwargs)
        options.setdefault("bootable", False)
        options.setdefault("displaytext", name)
        for flag in _ISO_FLAGS:
            if options.get(flag) is not None:
                check_instance(m, flag, options[flag], bool)
        for arg in ("ostypeid", "displaytext", "checksum", "account", "domainid", "projectid"):
            if options.get(arg) is not None:
                check_name(m, arg, options[arg])
        if options["bootable"] and not options.get("ostypeid"):
            raise IsoArgumentError(f"{m}(): a bootable ISO needs 'ostypeid'", driver=self)
        zoneid = self._zone_of(location).get("id")
        return self.connection.request("registerIso", name=name, url=url, zoneid=zoneid,
                                       **options)

    def ex_update_node_affinity_group(self, node: CloudStackNode,
                                      affinity_group_list: list[Any]) -> CloudStackNode:
        """Replace the affinity groups of a stopped node:
        ``updateVMAffinityGroup(id, affinitygroupids)``; waits for the job.
        ``affinity_group_list``: affinity-group objects with an ``id`` (an empty list removes
        every group). Returns the updated node."""
        m = "ex_update_node_affinity_group"
        vm = node_id(m, node)
        ids = check_item_ids(m, "affinity_group_list", affinity_group_list)
        # Joined here: flatten() leaves an empty list out, and "" is what clears the groups.
        result = self.connection.request("updateVMAffinityGroup", id=vm,
                                         affinitygroupids=",".join(ids))
        return CloudStackNode.from_record(self, result.get("virtualmachine") or {"id": vm})
