"""What mapping needs beyond one record: finding the object in a command's answer, and the
address a rule points to. Each model reads its own record (``Model.from_record``, declared
once in its class, :mod:`cloudstack_driver._schema`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudstack_driver._schema import ident
from cloudstack_driver.cloudstack.netmodels import CloudStackAddress

__all__ = ["address_of_rule", "addresses_by_id", "entity"]


def entity(result: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The object a command or job answered: ``result[key]``, else the only dict inside it."""
    found = result.get(key)
    if isinstance(found, Mapping):
        return dict(found)
    dicts = [v for v in result.values() if isinstance(v, Mapping)]
    if len(dicts) == 1:
        return dict(dicts[0])
    return dict(result)


def addresses_by_id(driver: Any, records: list[dict[str, Any]]) -> dict[str, CloudStackAddress]:
    """``listPublicIpAddresses`` records as addresses keyed by their (``str``) id."""
    found = (CloudStackAddress.from_record(driver, r) for r in records)
    return {address.id: address for address in found if address.id is not None}


def address_of_rule(driver: Any, rule: Mapping[str, Any],
                    known: Mapping[Any, CloudStackAddress]) -> CloudStackAddress:
    """The loaded address a rule points to (by ``ipaddressid``, compared as ``str``), else one
    built from the rule's own ``ipaddressid``/``ipaddress`` (D9, D10)."""
    found = known.get(ident(rule.get("ipaddressid")))
    if found is not None:
        return found
    return CloudStackAddress(rule.get("ipaddressid"), rule.get("ipaddress"), driver)
