"""Configuration from the environment and from the ini file other CloudStack tools use.

``CloudStackNodeDriver.from_env()`` and ``CloudStackNodeDriver.from_config()`` delegate here;
the command line (:mod:`cloudstack_driver.cli`) uses :func:`load` the same way.

The ini file is ``cs``'s: one section per region, ``[cloudstack]`` by default::

    [cloudstack]
    endpoint = https://cloud.example.com/client/api
    key = API_KEY
    secret = SECRET_KEY
    timeout = 30
    verify = true

Files read, later ones winning key by key: ``~/.cloudstack.ini``, ``./cloudstack.ini``, then
``$CLOUDSTACK_CONFIG`` (or only the ``path`` given). The section is ``region``, else
``$CLOUDSTACK_REGION``, else ``cloudstack``. Environment variables (``CLOUDSTACK_ENDPOINT``,
``CLOUDSTACK_KEY``, ``CLOUDSTACK_SECRET``, ``CLOUDSTACK_TIMEOUT``, ...) win over the file.
The secret is never part of a message, a ``repr`` or an error.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cloudstack_driver._inifile import IniFileError, config_paths, read_file
from cloudstack_driver.errors import LibcloudError

__all__ = ["DEFAULT_REGION", "SETTINGS", "ConfigurationError", "Settings", "config_paths",
           "driver_from_config", "driver_from_env", "driver_from_settings", "load",
           "require"]

DEFAULT_REGION = "cloudstack"
D = TypeVar("D")


class ConfigurationError(LibcloudError, ValueError):
    """The configuration is missing, unreadable or invalid.

    :ivar missing: the settings that were needed and not found (``("key", "secret")``)
    :ivar looked_in: where they were looked for (environment variables, files)
    """

    def __init__(self, value: str, *, missing: tuple[str, ...] = (),
                 looked_in: tuple[str, ...] = ()) -> None:
        super().__init__(value)
        self.missing = missing
        self.looked_in = looked_in


def _flag(text: str) -> bool | None:
    return {"true": True, "yes": True, "on": True, "1": True,
            "false": False, "no": False, "off": False, "0": False}.get(text.strip().lower())


def _number(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("must be > 0")
    return value


def _verify(text: str) -> bool | str:
    flag = _flag(text)
    if flag is not None:
        return flag
    path = os.path.expanduser(text.strip())
    if not os.path.exists(path):
        raise ValueError("is neither true/false nor an existing CA bundle file")
    return path


def _signature_version(text: str) -> int:
    if text.strip() not in ("2", "3"):
        raise ValueError("must be 2 or 3")
    return int(text)


def _no_verify(text: str) -> bool:
    flag = _flag(text)
    if flag is None:
        raise ValueError("must be true or false")
    return flag


def _text(text: str) -> str:
    return text.strip()


#: setting -> (parser, environment variable). The ini key is the setting's name.
SETTINGS: dict[str, tuple[Callable[[str], Any], str]] = {
    "endpoint": (_text, "CLOUDSTACK_ENDPOINT"),
    "key": (_text, "CLOUDSTACK_KEY"),
    "secret": (_text, "CLOUDSTACK_SECRET"),
    "timeout": (_number, "CLOUDSTACK_TIMEOUT"),
    "verify": (_verify, "CLOUDSTACK_VERIFY"),
    "dangerous_no_tls_verify": (_no_verify, "CLOUDSTACK_DANGEROUS_NO_TLS_VERIFY"),
    "signature_version": (_signature_version, "CLOUDSTACK_SIGNATURE_VERSION"),
    "job_timeout": (_number, "CLOUDSTACK_JOB_TIMEOUT"),
    "poll_interval": (_number, "CLOUDSTACK_POLL_INTERVAL"),
    "provider": (_text, "CLOUDSTACK_PROVIDER"),
}
#: Keys of ``cs``'s file that mean nothing here (its output theme, its GET/POST choice...).
IGNORED_KEYS = frozenset({"method", "retry", "retry_backoff", "theme", "trace", "expiration",
                          "name"})
_CONNECT = ("endpoint", "key", "secret")


@dataclass
class Settings:
    """The resolved configuration: values, and where each one came from.

    ``repr`` never shows the secret; ``sources`` maps a setting to ``CLOUDSTACK_KEY`` or
    ``/home/me/.cloudstack.ini [prod]``.
    """

    region: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    looked_in: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shown = {k: ("***" if k == "secret" else v) for k, v in self.values.items()}
        return f"<Settings region={self.region!r} {shown}>"

    @property
    def endpoint(self) -> str | None:
        return self.values.get("endpoint")

    @property
    def key(self) -> str | None:
        return self.values.get("key")

    @property
    def provider(self) -> str | None:
        return self.values.get("provider")

    def driver_kwargs(self) -> dict[str, Any]:
        """The driver constructor's keyword arguments for these settings."""
        values = dict(self.values)
        kwargs: dict[str, Any] = {"key": values.pop("key", None),
                                  "secret": values.pop("secret", None)}
        if (url := values.pop("endpoint", None)) is not None:
            kwargs["url"] = url
        if values.pop("dangerous_no_tls_verify", False) and "verify" not in values:
            kwargs["verify"] = False
        values.pop("provider", None)
        kwargs.update(values)
        return kwargs


def _suggest(word: str, choices: list[str]) -> str:
    close = [repr(c) for c in difflib.get_close_matches(word, choices, n=3)]
    if not close:
        return ""
    head = ", ".join(close[:-1])
    return f"; did you mean {head + ' or ' if head else ''}{close[-1]}?"


def _parse(name: str, raw: str, where: str) -> Any:
    parse = SETTINGS[name][0]
    try:
        return parse(raw)
    except ValueError as exc:
        shown = "" if name == "secret" else f" {raw.strip()!r}"
        reason = str(exc) if str(exc) and "could not convert" not in str(exc) else "not a number"
        raise ConfigurationError(f"{name}{shown} in {where}: {reason}") from None


def _from_files(settings: Settings, paths: list[Any], explicit: bool) -> None:
    looked: list[str] = []
    sections: set[str] = set()
    found = False
    for path in paths:
        if not path.is_file():
            looked.append(f"{path} (not found)")
            continue
        try:
            parser = read_file(path)
        except IniFileError as exc:
            raise ConfigurationError(str(exc)) from None
        sections.update(parser.sections())
        if not parser.has_section(settings.region):
            looked.append(f"{path} (no section [{settings.region}])")
            continue
        found = True
        looked.append(f"{path} [{settings.region}]")
        where = f"{path} [{settings.region}]"
        for name, raw in parser.items(settings.region):
            if name in IGNORED_KEYS or name.startswith("header_") or not raw.strip():
                continue
            if name not in SETTINGS:
                raise ConfigurationError(f"unknown key {name!r} in {where}"
                                         + _suggest(name, list(SETTINGS)))
            settings.values[name] = _parse(name, raw, where)
            settings.sources[name] = where
    settings.looked_in += tuple(looked)
    if explicit and not found:
        if not any(path.is_file() for path in paths):
            text = (f"region [{settings.region}] asked for, but there is no configuration "
                    f"file (looked in: {'; '.join(looked)})")
        else:
            text = (f"no region [{settings.region}] in the configuration"
                    + _suggest(settings.region, sorted(sections))
                    + f" (regions found: {', '.join(sorted(sections)) or 'none'}; looked in: "
                    + "; ".join(looked) + ")")
        raise ConfigurationError(text, missing=("region",), looked_in=tuple(looked))


def _from_env(settings: Settings, environ: Mapping[str, str]) -> None:
    for name, (_parse_fn, var) in SETTINGS.items():
        raw = environ.get(var)
        if raw is not None and raw.strip():
            settings.values[name] = _parse(name, raw, f"${var}")
            settings.sources[name] = var
    settings.looked_in = ("environment (" + ", ".join(SETTINGS[n][1] for n in _CONNECT) + ")",
                          *settings.looked_in)


def load(region: str | None = None, path: str | os.PathLike[str] | None = None, *,
         environ: Mapping[str, str] | None = None, use_file: bool = True) -> Settings:
    """Resolve the settings: the ini file's ``region`` section (unless ``use_file`` is False),
    then the environment over it. Checks values, not completeness (see :func:`require`)."""
    env = os.environ if environ is None else environ
    explicit = region is not None or bool(env.get("CLOUDSTACK_REGION")) or path is not None
    chosen = region or env.get("CLOUDSTACK_REGION") or DEFAULT_REGION
    settings = Settings(region=chosen)
    if use_file:
        _from_files(settings, config_paths(path, env), explicit)
    _from_env(settings, env)
    return settings


def _and(words: tuple[str, ...]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def require(settings: Settings, default_host: str | None, use_file: bool = True) -> None:
    """``ConfigurationError`` naming every missing setting and where it was looked for."""
    needed = _CONNECT if default_host is None else ("key", "secret")
    missing = tuple(name for name in needed if not settings.values.get(name))
    if not missing:
        return
    variables = ", ".join(SETTINGS[name][1] for name in missing)
    how = f"set {variables}"
    if use_file:
        keys = ", ".join(f"{name} =" for name in missing)
        how += f", or write {keys} in section [{settings.region}] of ~/.cloudstack.ini"
        how += " (or of $CLOUDSTACK_CONFIG)"
    raise ConfigurationError(
        f"CloudStack {_and(missing)} not configured: {how} (looked in: "
        + "; ".join(settings.looked_in) + ")", missing=missing, looked_in=settings.looked_in)


def _preset(cls: type[D], provider: str | None) -> type[D]:
    if not provider:
        return cls
    from cloudstack_driver.providers import DRIVERS, get_driver
    from cloudstack_driver.types import Provider

    wanted = provider.strip().lower()
    names = {m.name.lower(): m.value for m in Provider} | {k.lower(): k for k in DRIVERS}
    if wanted not in names:
        raise ConfigurationError(f"unknown provider {provider!r}"
                                 + _suggest(wanted, sorted(names))
                                 + f" (known: {', '.join(sorted(DRIVERS))})")
    found: type[Any] = get_driver(names[wanted])
    if issubclass(found, cls):
        return found
    if issubclass(cls, found):
        return cls
    raise ConfigurationError(f"the configuration names provider {provider!r} "
                             f"({found.__name__}), not {cls.__name__}")


def _build(cls: type[D], settings: Settings, use_file: bool, options: dict[str, Any]) -> D:
    target = _preset(cls, settings.provider)
    require(settings, getattr(target, "host", None), use_file)
    kwargs = settings.driver_kwargs()
    kwargs.update(options)
    secret = str(kwargs.get("secret") or "")
    try:
        return target(**kwargs)
    except (TypeError, ValueError) as exc:
        text = str(exc).replace(secret, "***") if secret else str(exc)
        where = "; ".join(sorted(set(settings.sources.values()))) or "no configuration"
        raise ConfigurationError(f"{text} (configured by: {where})") from None


def driver_from_settings(cls: type[D], settings: Settings, **options: Any) -> D:
    """``cls`` (or the preset ``settings`` names) built from :func:`load`'s result."""
    return _build(cls, settings, True, options)


def driver_from_env(cls: type[D], *, environ: Mapping[str, str] | None = None,
                    **options: Any) -> D:
    """``cls`` configured by ``CLOUDSTACK_*`` variables only (no file); ``options`` are
    constructor keyword arguments that win over them."""
    return _build(cls, load(environ=environ, use_file=False), False, options)


def driver_from_config(cls: type[D], region: str | None = None,
                       path: str | os.PathLike[str] | None = None, *,
                       environ: Mapping[str, str] | None = None, **options: Any) -> D:
    """``cls`` configured by the ini file's ``region`` and the environment over it."""
    return _build(cls, load(region, path, environ=environ), True, options)
