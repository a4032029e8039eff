"""Holding one list item to ``list_field_rules``: ``check_item`` lists what is wrong with it
(keys the spec lacks, at any depth; spec fields missing that no rule omits; fields a rule omits
that are present), for ``test_list_item_fields``."""

from __future__ import annotations

from typing import Any

from list_field_rules import (
    GENERAL,
    NESTED_CHECKED,
    NESTED_OMIT,
    NESTED_WHEN,
    OMIT,
    OWNERLESS,
    WHEN,
    Ctx,
    Item,
)

from cloudstack_driver.simulator import spec

__all__ = ["check_item"]

OWNER = frozenset({"account", "project", "projectid"})


def _omitted(command: str, item: Item, ctx: Ctx, fields: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    if command != "listAsyncJobs":
        for group, _reason in GENERAL:
            out |= group
    for group, _reason in OMIT.get(command, []):
        out |= group
    for _reason, applies, group in WHEN.get(command, []):
        if applies(item, ctx):
            out |= group
    return out | _not_owner(item, fields, OWNERLESS.get(command), ctx)


def _not_owner(item: Item, fields: dict[str, Any], ownerless: Any, ctx: Ctx) -> set[str]:
    """The owner fields the item must not have (see the rules' docstring)."""
    if not set(fields) >= OWNER:
        return set()
    if ownerless is not None and ownerless(item, ctx):
        return set(OWNER)
    return {"account"} if "projectid" in item else {"project", "projectid"}


def _nested_omitted(key: tuple[str, str], obj: Item, ctx: Ctx,
                    fields: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for group, _reason in [*GENERAL, *NESTED_OMIT.get(key, [])]:
        out |= group
    for _reason, applies, group in NESTED_WHEN.get(key, []):
        if applies(obj, ctx):
            out |= group
    return out | _not_owner(obj, fields, None, ctx)


def _problems(where: str, obj: Item, fields: dict[str, Any], omitted: set[str] | None
              ) -> list[str]:
    """What is wrong with ``obj``: keys the spec lacks; with ``omitted`` given, spec fields
    missing but not omitted and omitted fields present."""
    out = []
    keys = set(obj)
    if extra := keys - set(fields):
        out.append(f"{where}: not in the spec: {sorted(extra)}")
    if omitted is not None:
        if missing := set(fields) - omitted - keys:
            out.append(f"{where}: missing: {sorted(missing)}")
        if present := keys & omitted:
            out.append(f"{where}: present though a rule omits them: {sorted(present)}")
    return out


def _nested(command: str, where: str, obj: Item, fields: dict[str, Any], ctx: Ctx
            ) -> list[str]:
    """The problems of ``obj``'s nested lists (and theirs), held to the nested fields."""
    out: list[str] = []
    for key, sub in fields.items():
        value = obj.get(key)
        if not sub or value is None:
            continue
        for index, inner in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(inner, dict):
                continue
            here = f"{where}.{key}[{index}]"
            checked = (command, key) in NESTED_CHECKED
            omitted = _nested_omitted((command, key), inner, ctx, sub) if checked else None
            out += _problems(here, inner, sub, omitted)
            out += _nested(command, here, inner, sub, ctx)
    return out


def check_item(command: str, item: Item, ctx: Ctx, label: str) -> list[str]:
    """Every problem of one list item of ``command``."""
    fields = spec.response_fields(command)
    where = f"{label}[{item.get('id', item.get('name', '?'))}]"
    omitted = _omitted(command, item, ctx, fields)
    return _problems(where, item, fields, omitted) + _nested(command, where, item, fields, ctx)
