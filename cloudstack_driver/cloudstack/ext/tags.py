"""Resource tags (``createTags``/``deleteTags``) and the account's resource limits.

Tags are read back from the ``tags`` field of nodes, volumes, networks and projects, as a dict
in their ``extra``; there is no ``listTags`` wrapper (as in libcloud).
"""

from __future__ import annotations

from collections.abc import Mapping

from cloudstack_driver._convert import to_int
from cloudstack_driver._validate import check_id, check_item_ids, check_name
from cloudstack_driver.cloudstack.host import DriverHost

__all__ = ["LIMIT_KEYS", "TagsMixin"]

#: ``listResourceLimits`` ``resourcetype`` -> ``ex_limits`` key (PARITY 4.12).
LIMIT_KEYS: dict[int, str] = {
    0: "max_instances", 1: "max_public_ips", 2: "max_volumes", 3: "max_snapshots",
    4: "max_images", 5: "max_projects", 6: "max_networks", 7: "max_vpc", 8: "max_cpu",
    9: "max_memory", 10: "max_primary_storage", 11: "max_secondary_storage",
}


def _resource_ids(method: str, value: object) -> list[str]:
    """Resource ids: a list or tuple of ids (``str`` or ``int``) or of objects carrying one,
    or one id."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [check_id(method, "resource_ids", value)]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{method}(): 'resource_ids' must be a list of ids, got "
                        f"{type(value).__name__} {value!r}"[:200])
    if not value:
        raise ValueError(f"{method}(): 'resource_ids' must not be empty")
    return check_item_ids(method, "resource_ids", value)


def _tag_keys(method: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{method}(): 'tag_keys' must be a list of str, got "
                        f"{type(value).__name__} {value!r}"[:200])
    if not value:
        raise ValueError(f"{method}(): 'tag_keys' must not be empty")
    return [check_name(method, f"tag_keys[{i}]", k) for i, k in enumerate(value)]


def _tag_pairs(method: str, tags: object) -> list[dict[str, str]]:
    if not isinstance(tags, Mapping):
        raise TypeError(f"{method}(): 'tags' must be a dict of key -> value, got "
                        f"{type(tags).__name__} {tags!r}"[:200])
    if not tags:
        raise ValueError(f"{method}(): 'tags' must not be empty")
    pairs = []
    for key, value in tags.items():
        check_name(method, "tags key", key)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise TypeError(f"{method}(): 'tags' value of {key!r} must be a str, got "
                            f"{type(value).__name__} {value!r}"[:200])
        pairs.append({"key": key, "value": str(value)})
    return pairs


class TagsMixin(DriverHost):
    """``ex_create_tags``, ``ex_delete_tags`` and ``ex_limits``."""

    def ex_create_tags(self, resource_ids: list[str] | str, resource_type: str,
                       tags: Mapping[str, str]) -> bool:
        """Tag resources: ``createTags(resourcetype, resourceids, tags[i].key,
        tags[i].value)`` with the ids comma-joined; waits for the job. True.
        ``resource_type`` is CloudStack's name (``UserVm``, ``Volume``, ``Network`` ...)."""
        m = "ex_create_tags"
        ids = _resource_ids(m, resource_ids)
        kind = check_name(m, "resource_type", resource_type)
        pairs = _tag_pairs(m, tags)
        self.connection.request("createTags", resourcetype=kind, resourceids=ids, tags=pairs)
        return True

    def ex_delete_tags(self, resource_ids: list[str] | str, resource_type: str,
                       tag_keys: list[str]) -> bool:
        """Remove tags by key: ``deleteTags(resourcetype, resourceids, tags[i].key)``; waits
        for the job. True."""
        m = "ex_delete_tags"
        ids = _resource_ids(m, resource_ids)
        kind = check_name(m, "resource_type", resource_type)
        keys = [{"key": k} for k in _tag_keys(m, tag_keys)]
        self.connection.request("deleteTags", resourcetype=kind, resourceids=ids, tags=keys)
        return True

    def ex_limits(self) -> dict[str, int]:
        """The account's limits: ``listResourceLimits``, all pages. No job. A dict such as
        ``{"max_instances": 20, "max_cpu": -1, ...}`` (-1: unlimited), keyed by resource
        type 0..11; other types are skipped, and so are rows without a readable ``max``."""
        limits: dict[str, int] = {}
        for row in self.connection.list("listResourceLimits"):
            kind = to_int(row.get("resourcetype"))
            key = None if kind is None else LIMIT_KEYS.get(kind)
            value = to_int(row.get("max"))
            if key is None or value is None or key in limits:
                continue
            limits[key] = value
        return limits
