"""Affinity groups: list their types, list, create and delete groups."""

from __future__ import annotations

from cloudstack_driver._validate import check_name, check_optional_instance
from cloudstack_driver.cloudstack.ext._args import id_of
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackAffinityGroup,
    CloudStackAffinityGroupType,
)
from cloudstack_driver.errors import LibcloudError

__all__ = ["AffinityMixin"]


class AffinityMixin(DriverHost):
    """``ex_list_affinity_groups``, ``ex_list_affinity_group_types``,
    ``ex_create_affinity_group``, ``ex_delete_affinity_group``."""

    def ex_list_affinity_groups(self, *, list_all: bool | None = None
                                ) -> list[CloudStackAffinityGroup]:
        """Affinity groups: ``listAffinityGroups(listall?)``, all pages. No job. ``[]`` when
        the cloud answers ``{}`` or ``count`` 0 (D5)."""
        listall = check_optional_instance("ex_list_affinity_groups", "list_all", list_all, bool)
        return [CloudStackAffinityGroup.from_record(self, r)
                for r in self.connection.list("listAffinityGroups", listall=listall)]

    def ex_list_affinity_group_types(self) -> list[CloudStackAffinityGroupType]:
        """Affinity group types: ``listAffinityGroupTypes`` (item key ``affinityGroupType``),
        all pages. No job."""
        return [CloudStackAffinityGroupType.from_record(None, r)
                for r in self.connection.list("listAffinityGroupTypes")]

    def ex_create_affinity_group(self, name: str,
                                 group_type: CloudStackAffinityGroupType | str | int
                                 ) -> CloudStackAffinityGroup:
        """Create an affinity group: ``listAffinityGroups(name)`` first (a group with exactly
        this name raises ``LibcloudError``; ``web`` does not clash with ``webserver``), then
        ``createAffinityGroup(name, type)``; waits for the job. ``group_type`` is a
        ``CloudStackAffinityGroupType`` or its type text (``"host anti-affinity"``). Returns the
        group as the server reports it."""
        m = "ex_create_affinity_group"
        check_name(m, "name", name)
        if isinstance(group_type, CloudStackAffinityGroupType):
            kind = check_name(m, "group_type.type", group_type.type)
        elif isinstance(group_type, str):
            kind = check_name(m, "group_type", group_type)
        else:
            raise TypeError(f"{m}(): 'group_type' must be a CloudStackAffinityGroupType or a "
                            f"type string, got {type(group_type).__name__} {group_type!r}"[:200])
        existing = self.connection.list("listAffinityGroups", name=name)
        if any(r.get("name") == name for r in existing):
            raise LibcloudError(f"{m}(): an affinity group named {name!r} already exists",
                                driver=self)
        result = self.connection.request("createAffinityGroup", name=name, type=kind)
        return CloudStackAffinityGroup.from_record(self, entity(result, "affinitygroup"))

    def ex_delete_affinity_group(self, affinity_group: CloudStackAffinityGroup | str | int) -> bool:
        """Delete an affinity group: ``deleteAffinityGroup(id)``; waits for the job. True.
        The server refuses (``ResourceInUseError``) while VMs are in the group."""
        ident = id_of("ex_delete_affinity_group", "affinity_group", affinity_group,
                      CloudStackAffinityGroup)
        result = self.connection.request("deleteAffinityGroup", id=ident)
        return result.get("success", True) not in (False, "false")
