"""One declaration per model: each attribute is declared once, with the CloudStack key it is
read from, and everything else follows from that declaration.

::

    class CloudStackVPCOffering(Model):
        name: str | None = field("name")
        display_text: str | None = field("displaytext")
        id: str | None = field("id")
        driver: Any = field()
        extra: dict[str, Any] = field(default=None, coerce=new_dict)

        EXTRA = (Extra("state"), Extra("is_default", "isdefault", to_bool))
        REPR = ("name", "display_text", "id", "driver")

From the declarations, in their order, the metaclass builds:

* the constructor: positional parameters in declaration order (libcloud's order), keyword-only
  ones after ``kw_only=True``; a field's ``alias`` is its parameter name (``rule_id`` -> ``id``);
* ``from_record(driver, record, **context)``: reads each keyed field from a CloudStack record
  through its ``read`` converter, takes unkeyed fields (``node``, ``address``) from ``context``
  (else their default), and builds ``extra`` from the ``EXTRA`` table;
* ``__slots__`` (no per-instance ``__dict__``), ``__repr__`` from ``REPR`` or ``REPR_FORMAT``.

The constructor and ``from_record`` are generated source, compiled the first time the class
uses (or anyone looks up) them: compiling them all would be most of the cost of importing the
package, for models most programs never build.

**The id rule** lives here, once: a field or ``extra`` key named ``id`` or ending in ``_id``
(``zone_id``) is read and constructed through
:func:`ident`, so ids are ``str`` whatever the server (or the caller) gave - older servers answer
``"id": 34000``. Every other value is the server's, as sent, unless its declaration names a
converter (a field keeping CloudStack's spelling, such as libcloud's ``zoneid``, names
:func:`ident` as its converter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

__all__ = [
    "RAW",
    "Extra",
    "Field",
    "Schema",
    "field",
    "ident",
    "idents",
    "new_dict",
]

Reader = Callable[[Any], Any]

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    def dataclass_transform(**_options: Any) -> Callable[[Any], Any]:
        """Typing-only marker (PEP 681); a no-op at run time."""
        return lambda cls: cls

_MISSING: Any = object()
S = TypeVar("S", bound="Schema")


def RAW(value: Any) -> Any:
    """Marker converter: the value as sent, even for an id-named field (a device number)."""
    return value


def _reader(read: Reader | None) -> Reader | None:
    return None if read is RAW else read


def ident(value: Any) -> str | None:
    """An id as ``str``: numbers (older servers) become their decimal text; None and ``""``
    become None."""
    if value is None or value == "":
        return None
    return value if type(value) is str else str(value)


def idents(value: Any) -> list[str]:
    """A list of ids as ``str`` (empty for anything but a list)."""
    if not isinstance(value, list):
        return []
    return [text for text in map(ident, value) if text is not None]


def new_dict(value: Any) -> dict[str, Any]:
    """The given dict, kept; a new empty one for None."""
    return value if value is not None else {}


def _is_id_name(name: str) -> bool:
    """``id`` or a ``..._id`` name (``zone_id``). A field keeping CloudStack's spelling
    (``zoneid``) names :func:`ident` itself: a name merely ending in "id" (``valid``) is no
    id."""
    return name == "id" or name.endswith("_id")


class Field:
    """The declaration of one model attribute (made by :func:`field`)."""

    __slots__ = ("alias", "coerce", "default", "init", "key", "kw_only", "name", "read")

    def __init__(self, key: str | None, read: Reader | None, default: Any, kw_only: bool,
                 alias: str | None, init: bool, coerce: Reader | None) -> None:
        self.key = key
        self.read = read
        self.default = default
        self.kw_only = kw_only
        self.alias = alias
        self.init = init
        self.coerce = coerce
        self.name = ""

    def bind(self, name: str) -> None:
        """Take the attribute name; an id-named field defaults to :func:`ident`."""
        self.name = name
        if _is_id_name(name) and self.read is not RAW:
            if self.read is None and self.key is not None:
                self.read = ident
            if self.coerce is None:
                self.coerce = ident
        elif self.read is ident and self.coerce is None:
            self.coerce = ident
        self.read = _reader(self.read)

    @property
    def param(self) -> str:
        """The constructor's parameter name."""
        return self.alias or self.name


def field(key: str | None = None, read: Reader | None = None, *, default: Any = _MISSING,
          kw_only: bool = False, alias: str | None = None, init: bool = True,
          coerce: Reader | None = None) -> Any:
    """Declare a model attribute.

    :param key: the CloudStack record key it is read from (None: given by the caller, as
        ``driver``, or through ``from_record``'s ``context``, as a rule's ``node``)
    :param read: converter applied to the record's value (default: the value as sent; ids:
        :func:`ident`); with no ``key``, a function of the whole record
    :param default: constructor default (none: a required parameter)
    :param kw_only: a keyword-only constructor parameter
    :param alias: the constructor's parameter name when it differs (libcloud's ``rule_id``)
    :param init: False for an attribute the constructor does not take (set to ``default``)
    :param coerce: converter applied to the constructor's argument (ids: :func:`ident`)
    """
    return Field(key, read, default, kw_only, alias, init, coerce)


class Extra:
    """One ``extra`` key and the CloudStack key it is read from (the same name when omitted),
    with an optional converter; id-named keys default to :func:`ident`. With ``record=True``
    the converter is given the whole record (a value built from several keys)."""

    __slots__ = ("key", "name", "read", "whole")

    def __init__(self, name: str, key: str | None = None, read: Reader | None = None, *,
                 record: bool = False) -> None:
        self.name = name
        self.key = key if key is not None else name
        self.read = _reader(read) if read is not None else (
            ident if _is_id_name(name) else None)
        self.whole = record
        if record and read is None:
            raise ValueError(f"Extra({name!r}, record=True) needs a read function")


def _compile(source: str, namespace: dict[str, Any], name: str) -> Any:
    exec(compile(source, f"<schema {name}>", "exec"), namespace)
    return namespace[name]


def _make_init(cls_name: str, fields: list[Field], post_init: bool) -> Any:
    """A constructor with the fields' parameters, in declaration order (then
    ``self._post_init()`` when the class defines it)."""
    namespace: dict[str, Any] = {}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for index, spec in enumerate(fields):
        value = spec.param
        if not spec.init:
            namespace[f"d{index}"] = spec.default if spec.default is not _MISSING else None
            value = f"d{index}"
        else:
            param = spec.param
            if spec.default is not _MISSING:
                namespace[f"d{index}"] = spec.default
                param += f"=d{index}"
            (keyword if spec.kw_only else positional).append(param)
        if spec.coerce is not None:
            namespace[f"c{index}"] = spec.coerce
            value = f"c{index}({value})"
        body.append(f"    self.{spec.name} = {value}")
    if post_init:
        body.append("    self._post_init()")
    params = ["self", *positional] + (["*", *keyword] if keyword else [])
    source = f"def __init__({', '.join(params)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    init = _compile(source, namespace, "__init__")
    init.__qualname__ = f"{cls_name}.__init__"
    return init


def _value(spec_read: Reader | None, key: str | None, namespace: dict[str, Any],
           tag: str) -> str:
    """Source text reading ``key`` through ``spec_read``; the whole record when no key."""
    if spec_read is None:
        return f"get({key!r})"
    namespace[tag] = spec_read
    return f"{tag}(record)" if key is None else f"{tag}(get({key!r}))"


def _make_reader(cls_name: str, fields: list[Field], extras: tuple[Extra, ...] | None) -> Any:
    """``from_record(cls, driver, record, **context)`` for the fields and ``EXTRA`` table."""
    namespace: dict[str, Any] = {"new": object.__new__}
    body = ["    self = new(cls)", "    get = record.get"]
    for index, spec in enumerate(fields):
        if spec.name == "driver":
            value = "driver"
        elif spec.name == "extra" and extras is not None:
            items = ", ".join(
                f"{x.name!r}: {_value(x.read, None if x.whole else x.key, namespace, f'x{i}')}"
                for i, x in enumerate(extras))
            value = "{" + items + "}"
        elif spec.key is not None or spec.read is not None:
            value = _value(spec.read, spec.key, namespace, f"r{index}")
        else:
            default = spec.default if spec.default is not _MISSING else None
            namespace[f"d{index}"] = default
            value = f"context.get({spec.name!r}, d{index})"
            if spec.coerce is not None:
                namespace[f"c{index}"] = spec.coerce
                value = f"c{index}({value})"
        body.append(f"    self.{spec.name} = {value}")
    body.append("    return self._finish(record, context)")
    source = "def from_record(cls, driver, record, **context):\n" + "\n".join(body) + "\n"
    reader = _compile(source, namespace, "from_record")
    reader.__qualname__ = f"{cls_name}.from_record"
    reader.__doc__ = (f"A ``{cls_name}`` from a CloudStack record: each field read from its "
                      "declared key; ``context`` gives the unkeyed ones (see "
                      ":mod:`cloudstack_driver._schema`).")
    return classmethod(reader)


class _Compiled:
    """A generated method, compiled on first lookup: then it replaces itself on its class,
    so later calls go straight to the compiled function (and ``inspect``, ``help`` and Sphinx
    only ever see that function)."""

    __slots__ = ("build", "name", "owner")

    def __init__(self, owner: type, name: str, build: Callable[[], Any]) -> None:
        self.owner = owner
        self.name = name
        self.build = build

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        # Two threads may both compile; each installs an equal method, either one is kept.
        method = self.build()
        setattr(self.owner, self.name, method)
        return method.__get__(obj, cls if cls is not None else type(obj))


@dataclass_transform(field_specifiers=(field,))
class SchemaMeta(type):
    """Builds ``__slots__``, the constructor and ``from_record`` from :func:`field`
    declarations (see the module docstring)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any],
                **kwargs: Any) -> SchemaMeta:
        own = {key: value for key, value in namespace.items() if isinstance(value, Field)}
        inherited: dict[str, Field] = {}
        for base in reversed(bases):
            for spec in getattr(base, "_fields", ()):
                inherited[spec.name] = spec
        for key, spec in own.items():
            del namespace[key]
            spec.bind(key)
        fields = {**inherited, **own}
        taken = {slot for base in bases for klass in base.__mro__
                 for slot in getattr(klass, "__slots__", ())}
        extra_slots = tuple(namespace.get("__slots__", ()))
        namespace["__slots__"] = tuple(k for k in own if k not in taken) + extra_slots
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        specs = list(fields.values())
        cls._fields = tuple(specs)  # type: ignore[attr-defined]
        if specs:
            if "__init__" not in namespace:
                post_init = hasattr(cls, "_post_init")
                type.__setattr__(cls, "__init__", _Compiled(
                    cls, "__init__", lambda: _make_init(name, specs, post_init)))
            if "from_record" not in namespace:
                extras = namespace.get("EXTRA", getattr(cls, "EXTRA", None))
                type.__setattr__(cls, "from_record", _Compiled(
                    cls, "from_record", lambda: _make_reader(name, specs, extras)))
        return cls


class Schema(metaclass=SchemaMeta):
    """Base of the declared models: ``__repr__`` from ``REPR`` (``<Class: field=value, ...>``;
    ``driver`` shows the driver's name, ``REPR_SECRET`` fields ``***``) or ``REPR_FORMAT``
    (a ``str.format`` template over the attributes, ``{driver}`` the driver's name)."""

    __slots__ = ()

    _fields: ClassVar[tuple[Field, ...]] = ()
    #: ``extra`` keys read from the record (None: the model builds no ``extra`` this way).
    EXTRA: ClassVar[tuple[Extra, ...] | None] = None
    REPR: ClassVar[tuple[str, ...]] = ()
    REPR_SECRET: ClassVar[tuple[str, ...]] = ()
    REPR_FORMAT: ClassVar[str | None] = None

    if TYPE_CHECKING:
        @classmethod
        def from_record(cls: type[S], driver: Any, record: Mapping[str, Any],
                        **context: Any) -> S:
            """Generated per class by :class:`SchemaMeta` (typing stub)."""
            ...

    def _finish(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
        """Called last by ``from_record``: fill what needs more than one key; returns self."""
        return self

    def _given(self: S, **values: Any) -> S:
        """Keep the values a caller passed to the call that created this object, as libcloud
        builds created objects from the arguments: each value that is not None replaces the
        answer's (through the field's constructor converter). Returns self."""
        specs = {spec.name: spec for spec in self._fields}
        for name, value in values.items():
            if value is not None:
                coerce = specs[name].coerce
                setattr(self, name, coerce(value) if coerce is not None else value)
        return self

    def __repr__(self) -> str:
        driver = getattr(getattr(self, "driver", None), "name", None)
        if self.REPR_FORMAT is not None:
            values = {spec.name: getattr(self, spec.name) for spec in self._fields}
            values["driver"] = driver
            return self.REPR_FORMAT.format(**values)
        parts = []
        for name in self.REPR:
            if name in self.REPR_SECRET:
                value: Any = "***"
            elif name == "driver":
                value = driver
            else:
                value = getattr(self, name)
            parts.append(f"{name}={value}")
        return f"<{type(self).__name__}: {', '.join(parts)}>"
