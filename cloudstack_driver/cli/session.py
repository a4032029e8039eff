"""One command line run's cloud: a driver from the configuration, or a fresh simulator."""

from __future__ import annotations

import argparse
import sys
from types import TracebackType
from typing import Any

from cloudstack_driver.config import ConfigurationError, Settings, driver_from_settings, load
from cloudstack_driver.discovery import Api, Catalog

__all__ = ["SIMULATOR_JOB_SECONDS", "Session", "redact"]

#: How long the ``--simulator``'s async jobs run: long enough to show a waiting line.
SIMULATOR_JOB_SECONDS = 0.5

_SECRETS: set[str] = set()


def redact(text: str) -> str:
    """``text`` without any secret this process has used (belt and braces: no message the
    library builds holds one)."""
    for secret in _SECRETS:
        if len(secret) >= 8:  # a test's "s" would blank every "s"; real secrets are long
            text = text.replace(secret, "***")
    return text


class Session:
    """``with Session(args) as session: session.driver ...``; stops the simulator after."""

    def __init__(self, args: argparse.Namespace, *, connect: bool = True) -> None:
        self.args = args
        self.connect = connect
        self.sim: Any = None
        self.driver: Any = None
        self.settings: Settings | None = None
        self._api: Api | None = None

    def __enter__(self) -> Session:
        from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver

        if self.args.simulator:
            try:
                from cloudstack_driver.simulator import Simulator
            except ImportError as exc:
                raise ConfigurationError(
                    f"--simulator needs werkzeug ({exc}): pip install "
                    "'cloudstack-driver[simulator]'") from None
            self.sim = Simulator(job_duration=SIMULATOR_JOB_SECONDS).start()
            _SECRETS.add(self.sim.secret_key)
            self.driver = CloudStackNodeDriver(self.sim.api_key, self.sim.secret_key,
                                               url=self.sim.url, poll_interval=0.05)
            # A simulator is new every run: its listApis is not worth a cache file.
            self.driver.__dict__["api"] = Api(self.driver, cache=False)
        else:
            self.settings = load(self.args.region, self.args.config)
            if secret := self.settings.values.get("secret"):
                _SECRETS.add(secret)
            if self.connect:
                self.driver = driver_from_settings(CloudStackNodeDriver, self.settings)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.driver is not None:
            self.driver.connection.close()
        if self.sim is not None:
            self.sim.stop()

    @property
    def api(self) -> Api:
        """``driver.api``, refreshed first when ``--refresh`` was given."""
        if self._api is None:
            self._api = self.driver.api
            if getattr(self.args, "refresh", False):
                self._api.refresh()
        return self._api

    def catalog(self) -> Catalog:
        return self.api.catalog

    def output(self) -> str:
        chosen: str | None = getattr(self.args, "output", None)
        return chosen or ("table" if sys.stdout.isatty() else "json")

    def fields(self) -> list[str] | None:
        text: str | None = getattr(self.args, "fields", None)
        return [f.strip() for f in text.split(",") if f.strip()] if text else None
