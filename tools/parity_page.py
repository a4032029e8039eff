"""Generate docs/parity.rst: libcloud's CloudStack drivers next to ours, found by introspection.

Usage::

    python tools/parity_page.py            # (re)write docs/parity.rst
    python tools/parity_page.py --check    # exit 1 if docs/parity.rst is not what it would write
    python tools/parity_page.py --output PATH

Two pairs are compared: libcloud's ``CloudStackNodeDriver`` with
``cloudstack_driver.cloudstack.CloudStackNodeDriver``, and libcloud's ``CloudStackLBDriver``
with ``cloudstack_driver.loadbalancer.CloudStackLBDriver``.

Which of libcloud's methods count (the same rule for both libraries and both drivers):

* every public callable of the class (its name has no leading underscore; classes such as
  ``connectionCls`` are attributes, not methods), wherever in the class's MRO it is defined,
  plus the constructor;
* except a method whose body, after its docstring, is nothing but a ``raise`` statement: that
  is the base class's "not implemented" stub (``NodeDriver.start_node``,
  ``Driver.update_balancer`` ...), not a CloudStack feature. Those get a table of their own.

For each counted method the page shows libcloud's arguments, ours, the CloudStack commands ours
sends (the double-backticked names of the 4.18 API in its docstring; none when the docstring
says it sends no command or request) and a status: ``present`` when ours exists and takes
libcloud's arguments (the positional ones at the same positions under the same names, the
keyword-only ones by name, ``**kwargs`` when libcloud takes them, except on the constructor,
whose extra arguments libcloud drops), else ``MISSING`` (also when ours is only a stub that
raises) or ``ARGUMENTS DIFFER``. Then the
methods only ours has, and the public attributes: the class's, an instance's (a driver built
with an endpoint, sending no request) and those of libcloud's connection class.

The output is sorted and contains nothing that changes between runs (no addresses, no dates);
it changes with the installed libcloud version (named in the page) and with either driver.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import importlib
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "parity.rst"
SPEC = ROOT / "cloudstack_driver" / "simulator" / "data" / "cloudstack-api-4.18.json.gz"

#: The endpoint both libraries' drivers are built with to read their instance attributes.
_ENDPOINT: dict[str, str] = {"host": "cloud.example.com", "path": "/client/api"}

_NO_COMMAND = re.compile(r"sends no (?:command|request)", re.IGNORECASE)
_LITERAL = re.compile(r"``([^`]+)``")

PRESENT = "present"
MISSING = "MISSING"
DIFFER = "ARGUMENTS DIFFER"


@dataclass(frozen=True)
class Pair:
    """A libcloud driver class and ours, by ``module:Class`` path."""

    title: str
    libcloud: str
    ours: str


PAIRS: tuple[Pair, ...] = (
    Pair("Compute", "libcloud.compute.drivers.cloudstack:CloudStackNodeDriver",
         "cloudstack_driver.cloudstack:CloudStackNodeDriver"),
    Pair("Load balancer", "libcloud.loadbalancer.drivers.cloudstack:CloudStackLBDriver",
         "cloudstack_driver.loadbalancer:CloudStackLBDriver"),
)


@dataclass(frozen=True)
class MethodRow:
    """One method: its arguments on both sides, the commands ours sends, and a status."""

    name: str
    libcloud_args: str | None
    our_args: str | None
    commands: str
    status: str


@dataclass(frozen=True)
class AttributeRow:
    """One public attribute libcloud has: where it lives, both values, and a status."""

    name: str
    kind: str
    libcloud_value: str
    our_value: str
    status: str


@dataclass
class Comparison:
    """Everything the page says about one pair of drivers."""

    title: str
    libcloud_name: str
    our_name: str
    methods: list[MethodRow] = field(default_factory=list)
    unimplemented: list[MethodRow] = field(default_factory=list)
    ours_only: list[MethodRow] = field(default_factory=list)
    attributes: list[AttributeRow] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """libcloud methods that ours lacks or whose arguments differ."""
        return [row.name for row in self.methods if row.status != PRESENT]

    @property
    def missing_attributes(self) -> list[str]:
        return [f"{row.kind} {row.name}" for row in self.attributes if row.status == MISSING]

    def summary(self) -> str:
        total = len(self.methods)
        return (f"{total - len(self.missing)} of {total} libcloud methods present, "
                f"{len(self.missing)} missing")

    def attribute_summary(self) -> str:
        total = len(self.attributes)
        gaps = self.missing_attributes
        text = (f"{total - len(gaps)} of {total} libcloud attributes present, "
                f"{len(gaps)} missing")
        return f"{text}: {', '.join(gaps)}" if gaps else text


# -- introspection ---------------------------------------------------------------------------

def load(path: str) -> type:
    """The class named by ``module:Class``."""
    module, _, name = path.partition(":")
    found = getattr(importlib.import_module(module), name)
    if not inspect.isclass(found):
        raise TypeError(f"{path} is not a class")
    return found


def _defining_class(cls: type, name: str) -> type | None:
    return next((klass for klass in cls.__mro__ if name in vars(klass)), None)


def public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    """Public callables of ``cls`` (classes excluded), with ``__init__``, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for name in dir(cls):
        if name.startswith("_") and name != "__init__":
            continue
        value = getattr(cls, name, None)
        if value is None or inspect.isclass(value) or not callable(value):
            continue
        if name == "__init__" and _defining_class(cls, name) is object:
            continue
        found[name] = value
    return found


def only_raises(func: Callable[..., Any]) -> bool:
    """True when the body of ``func`` (its docstring aside) is a single ``raise``."""
    target = inspect.unwrap(getattr(func, "__func__", func))
    try:
        source = textwrap.dedent(inspect.getsource(target))
    except (OSError, TypeError):
        return False
    tree = ast.parse(source)
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Raise)


def parameters(cls: type, name: str) -> list[inspect.Parameter]:
    """The parameters of ``cls.name`` without ``self``/``cls``."""
    raw = inspect.getattr_static(cls, name)
    params = list(inspect.signature(getattr(cls, name)).parameters.values())
    if isinstance(raw, (classmethod, staticmethod)):
        return params
    return params[1:]


def _default_text(value: Any) -> str:
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    text = repr(value)
    return f"<{type(value).__name__}>" if " at 0x" in text else text


def arguments_text(params: Sequence[inspect.Parameter]) -> str:
    """``name, size, location=None, *, ex_wait=True, **kwargs``: names and defaults only."""
    parts: list[str] = []
    star = False
    for param in params:
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            parts.append(f"*{param.name}")
            star = True
            continue
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            parts.append(f"**{param.name}")
            continue
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        text = param.name
        if param.default is not inspect.Parameter.empty:
            text += f"={_default_text(param.default)}"
        parts.append(text)
    return ", ".join(parts)


def argument_problems(theirs: Sequence[inspect.Parameter], ours: Sequence[inspect.Parameter],
                      *, constructor: bool = False) -> list[str]:
    """How ``ours`` fails to take a call written for ``theirs`` (empty when it takes it)."""
    kinds = inspect.Parameter
    problems: list[str] = []
    positional = [p for p in theirs if p.kind is kinds.POSITIONAL_OR_KEYWORD]
    for index, param in enumerate(positional):
        if index >= len(ours):
            problems.append(f"no parameter {index} ({param.name})")
            continue
        got = ours[index]
        if got.name != param.name or got.kind is not kinds.POSITIONAL_OR_KEYWORD:
            problems.append(f"parameter {index} is {got.name}, libcloud's is {param.name}")
    by_name = {p.name: p for p in ours}
    for param in theirs:
        if param.kind is kinds.KEYWORD_ONLY and (
                param.name not in by_name
                or by_name[param.name].kind is kinds.POSITIONAL_ONLY):
            problems.append(f"no keyword {param.name}")
    wants_kwargs = any(p.kind is kinds.VAR_KEYWORD for p in theirs)
    if wants_kwargs and not constructor and not any(p.kind is kinds.VAR_KEYWORD for p in ours):
        problems.append("no **kwargs")
    return problems


@cache
def spec_commands() -> dict[str, bool]:
    """CloudStack 4.18's commands, each with whether it is async."""
    apis = json.loads(gzip.decompress(SPEC.read_bytes()))["apis"]
    if isinstance(apis, dict):
        apis = list(apis.values())
    return {api["name"]: bool(api.get("isasync")) for api in apis}


def docstring_commands(func: Callable[..., Any],
                       commands: Mapping[str, bool] | None = None) -> list[str] | None:
    """The commands ``func``'s docstring names in double backticks, in order; ``[]`` when it
    says it sends no command or request; None when it names none."""
    known = spec_commands() if commands is None else commands
    doc = inspect.getdoc(func) or ""
    if _NO_COMMAND.search(doc):
        return []
    found: list[str] = []
    for literal in _LITERAL.findall(doc):
        match = re.match(r"[A-Za-z]+", literal)
        if match and match.group(0) in known and match.group(0) not in found:
            found.append(match.group(0))
    return found or None


def commands_text(names: list[str] | None, commands: Mapping[str, bool] | None = None) -> str:
    known = spec_commands() if commands is None else commands
    if names is None:
        return "(not named in the docstring)"
    if not names:
        return "none"
    return ", ".join(f"``{n}`` (async)" if known.get(n) else f"``{n}``" for n in names)


def _instance(cls: type) -> Any:
    """A driver of ``cls`` with a made-up endpoint (constructors send no request)."""
    return cls("KEY", "SECRET", **_ENDPOINT)


def _value_text(value: Any) -> str:
    if inspect.isclass(value):
        return f"``{value.__module__}.{value.__qualname__}``"
    if isinstance(value, Enum):
        return f"``{value.value!r}``"
    if isinstance(value, Mapping):
        shown = repr(dict(value))
        if len(shown) <= 48 and "<" not in shown:
            return f"``{shown}``"
        return f"dict, {len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if value is None or isinstance(value, (str, int, float, bool)):
        return f"``{value!r}``"
    return f"``{type(value).__name__}``"


def _type_text(value: Any) -> str:
    return "``None``" if value is None else f"``{type(value).__name__}``"


def _attribute_rows(libcloud_cls: type, our_cls: type) -> list[AttributeRow]:
    rows: list[AttributeRow] = []
    ours = _instance(our_cls)
    theirs = _instance(libcloud_cls)
    for name in sorted(n for n in dir(libcloud_cls) if not n.startswith("_")):
        value = getattr(libcloud_cls, name)
        if callable(value) and not inspect.isclass(value):
            continue
        if hasattr(our_cls, name):
            status, ours_text = PRESENT, _value_text(getattr(our_cls, name))
        elif hasattr(ours, name):
            status, ours_text = "on instances", _value_text(getattr(ours, name))
        else:
            status, ours_text = MISSING, ""
        rows.append(AttributeRow(name, "class", _value_text(value), ours_text, status))
    class_names = {row.name for row in rows}
    for name in sorted(n for n in vars(theirs) if not n.startswith("_")):
        if name in class_names:
            continue
        present = hasattr(ours, name)
        rows.append(AttributeRow(name, "instance", _type_text(getattr(theirs, name)),
                                 _type_text(getattr(ours, name)) if present else "",
                                 PRESENT if present else MISSING))
    connection_cls = type(theirs.connection)
    for name in sorted(vars(connection_cls)):
        value = vars(connection_cls)[name]
        if name.startswith("_") or callable(value) or isinstance(value, (classmethod,
                                                                         staticmethod)):
            continue
        present = hasattr(ours.connection, name)
        rows.append(AttributeRow(name, "connection", _value_text(value),
                                 _value_text(getattr(ours.connection, name)) if present else "",
                                 PRESENT if present else MISSING))
    return rows


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def compare(libcloud_cls: type, our_cls: type, title: str = "",
            commands: Mapping[str, bool] | None = None, *,
            names: tuple[str, str] | None = None) -> Comparison:
    """The rows of the page for one pair of driver classes (``names``: how the page names
    them, default their defining modules)."""
    known = spec_commands() if commands is None else commands
    libcloud_name, our_name = names or (_dotted(libcloud_cls), _dotted(our_cls))
    result = Comparison(title, libcloud_name, our_name)
    theirs = public_methods(libcloud_cls)
    ours = public_methods(our_cls)

    def our_side(name: str) -> tuple[str | None, str]:
        if name not in ours:
            return None, ""
        if name == "__init__":
            return arguments_text(parameters(our_cls, name)), "none"
        if only_raises(ours[name]):
            return arguments_text(parameters(our_cls, name)), "none (raises NotImplementedError)"
        return (arguments_text(parameters(our_cls, name)),
                commands_text(docstring_commands(ours[name], known), known))

    for name in sorted(theirs):
        their_params = parameters(libcloud_cls, name)
        our_args, our_commands = our_side(name)
        if only_raises(theirs[name]):
            if name not in ours:
                status = "absent here too"
            elif only_raises(ours[name]):
                status = "NotImplementedError here too"
            else:
                status = "implemented here"
            result.unimplemented.append(MethodRow(name, arguments_text(their_params), our_args,
                                                  our_commands, status))
            continue
        if name not in ours:
            status = MISSING
        elif name != "__init__" and only_raises(ours[name]):
            status = f"{MISSING} (only a stub that raises)"
        else:
            problems = argument_problems(their_params, parameters(our_cls, name),
                                         constructor=name == "__init__")
            status = f"{DIFFER}: {'; '.join(problems)}" if problems else PRESENT
        result.methods.append(MethodRow(name, arguments_text(their_params), our_args,
                                        our_commands, status))
    for name in sorted(set(ours) - set(theirs)):
        our_args, our_commands = our_side(name)
        result.ours_only.append(MethodRow(name, None, our_args, our_commands, "ours only"))
    result.attributes = _attribute_rows(libcloud_cls, our_cls)
    return result


def comparisons() -> list[Comparison]:
    return [compare(load(pair.libcloud), load(pair.ours), pair.title,
                    names=(pair.libcloud.replace(":", "."), pair.ours.replace(":", ".")))
            for pair in PAIRS]


# -- rendering -------------------------------------------------------------------------------

def _literal(text: str | None) -> str:
    if text is None:
        return ""
    return f"``{text}``" if text else "(none)"


def _table(widths: Iterable[int], header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [".. list-table::", "   :header-rows: 1",
             f"   :widths: {' '.join(str(w) for w in widths)}", ""]
    for row in (header, *rows):
        for index, cell in enumerate(row):
            lines.append(f"   {'*' if index == 0 else ' '} - {cell}" if cell else
                         f"   {'*' if index == 0 else ' '} -")
    return "\n".join(lines) + "\n"


def _heading(text: str, mark: str) -> str:
    return f"{text}\n{mark * len(text)}\n"


def render(results: Sequence[Comparison], libcloud_version: str) -> str:
    """The whole page."""
    out: list[str] = [
        ".. Generated by tools/parity_page.py: do not edit. Regenerate with",
        "   ``python tools/parity_page.py``; ``python tools/parity_page.py --check`` tells",
        "   whether this file is current.",
        "",
        _heading("Parity with libcloud's CloudStack drivers", "="),
        "Every public method and attribute of libcloud's two CloudStack drivers, next to this",
        "library's, found by introspecting both (apache-libcloud "
        f"{libcloud_version}). The test suite",
        "regenerates this page and fails when it differs, or when a libcloud method listed",
        "here is missing from ours or no longer takes libcloud's arguments.",
        "",
        "* A libcloud method counts when it is public (no leading underscore) and does",
        "  something: methods inherited from libcloud's ``NodeDriver`` or ``Driver`` count",
        "  like the CloudStack driver's own, except those whose body is nothing but a",
        "  ``raise`` (the base class's ``NotImplementedError`` stubs): those are listed",
        "  apart, with what this library does about each. The constructor counts.",
        "* *present* means our method exists and a call written for libcloud binds the same",
        "  way: libcloud's positional parameters are ours at the same positions, with the",
        "  same names; its keyword-only parameters exist; ``**kwargs`` is taken where",
        "  libcloud takes it (the constructor aside: libcloud drops its extra arguments).",
        "  Defaults may differ where libcloud's was a defect (``ex_start_vm``).",
        "* The commands are those our method's docstring names (in double backticks) that",
        "  exist in CloudStack 4.18's API; *(async)* marks a command the server runs as a",
        "  job. *none*: the method sends no request.",
        "",
        _heading("Summary", "-"),
    ]
    for result in results:
        out.append(f"* {result.title}: {result.summary()}.")
    for result in results:
        out.append(f"* {result.title} attributes: {result.attribute_summary()}.")
    out.append("")
    for result in results:
        out += [
            _heading(f"{result.title} driver", "-"),
            f"libcloud's ``{result.libcloud_name}`` and ``{result.our_name}``.",
            "",
            f"**{result.summary()}.**",
            "",
            _heading(f"{result.title}: libcloud's methods", "^"),
            _table((18, 26, 30, 18, 8),
                   ("Method", "libcloud's arguments", "Our arguments", "Commands sent",
                    "Status"),
                   ((f"``{r.name}``", _literal(r.libcloud_args), _literal(r.our_args),
                     r.commands, r.status) for r in result.methods)),
        ]
        if result.unimplemented:
            out += [
                _heading(f"{result.title}: base methods libcloud's driver leaves "
                         "unimplemented", "^"),
                "libcloud's base class declares these and its CloudStack driver does not",
                "override them: calling one raises ``NotImplementedError``. They are not",
                "counted above.",
                "",
                _table((18, 26, 30, 18, 8),
                       ("Method", "libcloud's arguments", "Our arguments", "Commands sent",
                        "This library"),
                       ((f"``{r.name}``", _literal(r.libcloud_args), _literal(r.our_args),
                         r.commands, r.status) for r in result.unimplemented)),
            ]
        out += [
            _heading(f"{result.title}: methods libcloud does not have", "^"),
            _table((24, 46, 30), ("Method", "Our arguments", "Commands sent"),
                   ((f"``{r.name}``", _literal(r.our_args), r.commands)
                    for r in result.ours_only)),
            _heading(f"{result.title}: attributes", "^"),
            "libcloud's public attributes: the class's, those a driver instance sets in its",
            "constructor, and those of libcloud's connection class (``driver.connection``).",
            "Values are shown for class and connection attributes, types for instance",
            "attributes. *on instances*: set by our constructor rather than on the class.",
            "",
            f"**{result.attribute_summary()}.**",
            "",
            _table((22, 12, 28, 28, 10),
                   ("Attribute", "Where", "libcloud", "Ours", "Status"),
                   ((f"``{r.name}``", r.kind, r.libcloud_value, r.our_value, r.status)
                    for r in result.attributes)),
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def generate() -> str:
    """The page for the installed libcloud and the drivers of this checkout."""
    import libcloud

    return render(comparisons(), str(libcloud.__version__))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/parity_page.py",
        description="Write docs/parity.rst: libcloud's CloudStack compute and load-balancer "
                    "drivers next to cloudstack_driver's, method by method, by introspection.")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the page differs from what would be "
                             "written")
    parser.add_argument("--output", type=Path, default=PAGE, metavar="PATH",
                        help=f"the page to write or check (default: {PAGE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:  # run as a script: import this checkout's package
        sys.path.insert(0, str(ROOT))
    text = generate()
    target: Path = args.output
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            where = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            print(f"{where} is out of date: run python tools/parity_page.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
