"""Tab completion for the command line: subcommands, options, regions, and - from the cached
``listApis`` - command names and their parameters.

``cloudstack-driver complete -- call listZ`` prints ``listZones`` (one candidate a line, a
space after a whole word, none after ``name=``), for bash::

    _cloudstack_driver() {
        local IFS=$'\\n'
        COMPREPLY=($(cloudstack-driver complete -- "${COMP_WORDS[@]:1:COMP_CWORD}"))
    }
    complete -o nospace -F _cloudstack_driver cloudstack-driver
"""

from __future__ import annotations

import argparse
from typing import Any

from cloudstack_driver._inifile import config_paths, sections
from cloudstack_driver.cli.parser import build_parser

__all__ = ["completions"]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> tuple[list[str], set[str]]:
    """Every option string, and those that take a value."""
    names: list[str] = []
    valued: set[str] = set()
    for action in parser._actions:
        names += action.option_strings
        if action.option_strings and action.nargs != 0:
            valued.update(action.option_strings)
    return names, valued


def _regions(config: str | None) -> list[str]:
    return sections(config_paths(config))


def _catalog(before: list[str]) -> Any:
    from cloudstack_driver.cli.session import Session

    def value(option: str) -> str | None:
        return before[before.index(option) + 1] if option in before[:-1] else None

    args = argparse.Namespace(region=value("--region"), config=value("--config"),
                              simulator="--simulator" in before, refresh=False)
    with Session(args) as session:
        return session.catalog()


def _positionals(words: list[str], valued: set[str]) -> tuple[list[str], set[str]]:
    """Positional words, and the parameter names already given (``name=x`` or, as bash
    splits at ``=``, ``name`` ``=`` ``x``)."""
    positional: list[str] = []
    used: set[str] = set()
    skip = False
    for index, word in enumerate(words):
        if skip or word == "=":
            skip = False
            continue
        if word.startswith("-"):
            skip = word in valued
            continue
        if "=" in word:
            used.add(word.split("=", 1)[0])
        elif index + 1 < len(words) and words[index + 1] == "=":
            used.add(word)
            skip = True
        else:
            positional.append(word)
    return positional, used


def completions(words: list[str]) -> list[str]:
    """Candidates for the last of ``words`` (the command line after the program name)."""
    words = words or [""]
    current, before = words[-1], words[:-1]
    parser = build_parser()
    subs = _subparsers(parser)
    if not before:
        pool = [*subs, "--help", "--version"] if current.startswith("-") or not current \
            else list(subs)
        return [f"{c} " for c in pool if c.startswith(current)]
    sub = subs.get(before[0])
    if sub is None:
        return []
    names, valued = _options(sub)
    if before[-1] in ("-o", "--output"):
        return [f"{c} " for c in ("json", "table") if c.startswith(current)]
    if before[-1] == "--region":
        config = before[before.index("--config") + 1] if "--config" in before[:-1] else None
        return [f"{c} " for c in _regions(config) if c.startswith(current)]
    if before[-1] in valued:
        return []
    if current.startswith("-"):
        return [f"{c} " for c in names if c.startswith(current)]
    if before[0] not in ("call", "describe"):
        return []
    positional, used = _positionals(before[1:], valued)
    catalog = _catalog(before)
    if not positional:
        return [f"{c} " for c in catalog.complete(current)]
    if before[0] != "call" or positional[0] not in catalog:
        return []
    spec = catalog.commands[positional[0]]
    return [f"{p.name}=" for p in sorted(spec.params, key=lambda p: (not p.required, p.name))
            if p.name.startswith(current) and p.name not in used]
