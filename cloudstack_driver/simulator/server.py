"""``Simulator``: a simulated CloudStack cloud served over HTTP on a background thread."""

from __future__ import annotations

import secrets
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from . import handlers  # noqa: F401  (registers every command)
from .app import SimulatorApp
from .seed import populate_vms, seed
from .state import Cloud

__all__ = ["Simulator"]


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr (tests run many requests)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error":
            super().log(type, message, *args)


def _random_key() -> str:
    return secrets.token_urlsafe(64)[:86]


class Simulator:
    """A CloudStack API server for tests and demos.

    ::

        with Simulator() as sim:
            driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url)

    ``job_duration`` is how long each async job runs (seconds); ``page_size`` is the server's
    ``default.page.size``; ``vms`` pre-populates that many running VMs; ``ssh_address`` is the
    address VMs deployed in the Basic zone get, so that SSH to a node reaches a local sshd.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None,
                 secret_key: str | None = None, job_duration: float = 0.2,
                 page_size: int = 500, vms: int = 0, ssh_address: str | None = None) -> None:
        self.host = host
        self.port = port
        self.cloud = Cloud(api_key=api_key or _random_key(),
                           secret_key=secret_key or _random_key(),
                           job_duration=job_duration, page_size=page_size)
        if ssh_address is not None:
            self.cloud.ssh_endpoint = (ssh_address, 22)
        seed(self.cloud)
        if vms:
            populate_vms(self.cloud, vms)
        self.app = SimulatorApp(self.cloud)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def api_key(self) -> str:
        return self.cloud.api_key

    @property
    def secret_key(self) -> str:
        return self.cloud.secret_key

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self._server.server_port}/client/api"

    def start(self) -> Simulator:
        if self._server is not None:
            return self
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="cloudstack-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
