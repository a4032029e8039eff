"""Command discovery: what the server says it can do (``listApis``), fetched once and cached.

::

    driver.api.listZones(available=True)          # every row, all pages
    driver.api.deployVirtualMachine(zoneid=...)   # MissingParameterError before sending
    driver.api.listZone()                         # UnknownCommandError: did you mean listZones?
    help(driver.api.createNetwork)                # its description and parameters

``driver.api`` is an :class:`Api`. Before anything is sent, the command and its parameters are
checked against the server's ``listApis`` answer: an unknown command or parameter raises with a
"did you mean ..." suggestion, a missing required parameter is named. ``list*`` commands that
page return every row (``connection.list``); other commands (and the few unpaged ``list*``
ones, such as ``listCapabilities``) return the answer (``connection.request``), async ones
after waiting for their job (``wait=False``: the job id at once).

The answer is cached per endpoint and API key (never the secret) in
``$XDG_CACHE_HOME/cloudstack_driver/`` (default ``~/.cache/cloudstack_driver/``), as cmk's
``sync`` does; :meth:`Api.refresh` (the command line's ``sync``) fetches it again. A command the
cached answer does not know makes one fresh fetch before it is refused.

``driver.connection.request(command, **params)`` stays the raw, unchecked escape hatch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudstack_driver.catalog import (
    Catalog,
    CommandSpec,
    DiscoveryError,
    MissingParameterError,
    ParamSpec,
    UnknownCommandError,
    UnknownParameterError,
    cache_file,
    load_catalog,
)

__all__ = ["Api", "ApiCommand", "Catalog", "CommandSpec", "DiscoveryError",
           "MissingParameterError", "ParamSpec", "UnknownCommandError", "UnknownParameterError",
           "cache_file", "load_catalog"]


class ApiCommand:
    """``api.<command>``: calls :meth:`Api.call`; its ``__doc__`` (``help()``) and
    ``__signature__`` (completion of parameter names) come from ``listApis``."""

    def __init__(self, api: Api, spec: CommandSpec) -> None:
        self.spec = spec
        self.__name__ = self.__qualname__ = spec.name
        self.__doc__ = spec.doc()
        self.__signature__ = spec.signature()
        self._api = api

    def __call__(self, **params: Any) -> Any:
        return self._api.call(self.spec.name, **params)

    def __repr__(self) -> str:
        kind = " (async)" if self.spec.isasync else ""
        return f"<api.{self.spec.name}{kind}: {self.spec.description[:60]}>"


class Api:
    """``api.<command>(**params)`` for every command the server lists, checked first.

    :param target: a driver (its ``connection`` is used) or a ``CloudStackConnection``
    :param catalog: a :class:`Catalog` to check against (default: :func:`load_catalog`)
    :param cache: read and write the ``listApis`` cache file
    """

    def __init__(self, target: Any, *, catalog: Catalog | None = None,
                 cache: bool = True) -> None:
        self._connection = getattr(target, "connection", target)
        self._catalog = catalog
        self._cache = cache
        self._functions: dict[str, Callable[..., Any]] = {}

    @property
    def catalog(self) -> Catalog:
        """The server's commands (fetched, or read from the cache, on first use)."""
        if self._catalog is None:
            self._catalog = load_catalog(self._connection, cache=self._cache)
        return self._catalog

    def refresh(self) -> Catalog:
        """Fetch ``listApis`` again (and rewrite the cache)."""
        self._catalog = load_catalog(self._connection, refresh=True, cache=self._cache)
        self._functions.clear()
        return self._catalog

    def spec(self, command: str) -> CommandSpec:
        """The command's spec; a command a cached catalog lacks makes one fresh fetch."""
        catalog = self.catalog
        if command not in catalog and catalog.source != "server":
            catalog = self.refresh()
        return catalog.get(command)

    def call(self, command: str, *, wait: bool = True, job_timeout: float | None = None,
             **params: Any) -> Any:
        """Check ``command`` and ``params`` against ``listApis``, then send it: a list of
        rows for ``list*`` commands, else the answer (an async one's ``jobresult``)."""
        spec = self.spec(command)
        spec.check(params)
        if spec.is_list:
            return self._connection.list(command, **params)
        return self._connection.request(command, wait=wait, job_timeout=job_timeout, **params)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._functions.get(name)
        if found is None:
            spec = self.spec(name)
            found = self._functions[name] = self._function(spec)
        return found

    def _function(self, spec: CommandSpec) -> Callable[..., Any]:
        return ApiCommand(self, spec)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.catalog.names()})

    def __repr__(self) -> str:
        known = f"{len(self._catalog.commands)} commands" if self._catalog else "not loaded"
        return f"<Api {self._connection.url} ({known})>"
