"""``Simulator``: a simulated CloudStack cloud served over HTTP on a background thread."""

from __future__ import annotations

import secrets
import socket
import ssl
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from . import handlers  # noqa: F401  (registers every command)
from .app import SimulatorApp
from .faults import Fault, Faults
from .seed import populate_vms, seed
from .state import Cloud

__all__ = ["MAX_HEADER", "Simulator"]

MAX_HEADER = 8192  # bytes of request line and headers (Jetty's requestHeaderSize)


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr (tests run many requests); the query string as it came.

    werkzeug re-encodes the query string (each byte read as Latin-1, then UTF-8 encoded), so
    raw UTF-8 bytes in a URL would reach the application garbled; Jetty decodes them as UTF-8.
    ``QUERY_STRING`` here is the raw bytes as Latin-1 text, as PEP 3333 has it.
    """

    timeout = 30  # Jetty's idle timeout in CloudStack's ServerDaemon: a stalled client is dropped

    def parse_request(self) -> bool:
        """Jetty's ``requestHeaderSize`` of 8192 bytes (CloudStack's ServerDaemon): a longer
        request line is 414, longer headers 431; both before the API sees the request."""
        if len(self.raw_requestline) > MAX_HEADER:
            self.requestline = ""
            self.request_version = "HTTP/1.1"
            self.command = ""
            self.send_error(414, "URI Too Long")
            return False
        if not super().parse_request():
            return False
        size = sum(len(k) + len(v) + 4 for k, v in self.headers.items())
        if len(self.raw_requestline) + size > MAX_HEADER:
            self.send_error(431, "Request Header Fields Too Large")
            return False
        return True

    def make_environ(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().make_environ()
        environ["QUERY_STRING"] = urlsplit(self.path).query
        if isinstance(self.connection, ssl.SSLSocket):
            environ["wsgi.url_scheme"] = "https"
        return environ

    def handle(self) -> None:
        """The TLS handshake here, in the request's own thread (bounded by ``timeout``), so a
        slow or failing client never holds up the others; a failed handshake or a TLS error
        mid-request closes the connection quietly, as a client going away does."""
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (OSError, ValueError):  # ssl.SSLError is an OSError
                self.close_connection = True
                return
        try:
            super().handle()
        except ssl.SSLError:
            self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error":
            super().log(type, message, *args)


class _Server(ThreadedWSGIServer):
    """werkzeug's threaded server, counting connections, with TLS set up per connection."""

    def __init__(self, host: str, port: int, app: SimulatorApp, *, fd: int,
                 tls: ssl.SSLContext | None) -> None:
        super().__init__(host, port, app, handler=_QuietHandler, fd=fd)
        self.tls = tls
        self.connections = 0
        self._count_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        with self._count_lock:
            self.connections += 1
        if self.tls is None:
            return sock, address
        try:  # no I/O yet: the handshake happens in the request's thread
            return self.tls.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False), address
        except (OSError, ValueError):
            sock.close()
            raise OSError("the TLS connection could not be set up") from None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that go away (resets, TLS failures, time-outs) are not errors to print."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)


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
    ``faults`` are :class:`~.faults.Fault` objects to inject (more can be added at run time
    with ``sim.faults.add``); ``ssl_context`` (a server-side ``ssl.SSLContext`` holding the
    certificate) serves HTTPS, and ``sim.url`` then starts with ``https://``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None,
                 secret_key: str | None = None, job_duration: float = 0.2,
                 page_size: int = 500, vms: int = 0, ssh_address: str | None = None,
                 faults: Iterable[Fault] = (), ssl_context: ssl.SSLContext | None = None
                 ) -> None:
        if ssl_context is not None:
            if not isinstance(ssl_context, ssl.SSLContext):
                raise TypeError(f"ssl_context: must be an ssl.SSLContext, got "
                                f"{type(ssl_context).__name__}")
            if ssl_context.protocol == ssl.PROTOCOL_TLS_CLIENT:
                raise ValueError("ssl_context: a client context (PROTOCOL_TLS_CLIENT) cannot "
                                 "serve; make it with ssl.PROTOCOL_TLS_SERVER")
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self.cloud = Cloud(api_key=api_key or _random_key(),
                           secret_key=secret_key or _random_key(),
                           job_duration=job_duration, page_size=page_size)
        self.cloud.ssh_address = ssh_address
        seed(self.cloud)
        if vms:
            populate_vms(self.cloud, vms)
        self.app = SimulatorApp(self.cloud, Faults(faults))
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections = 0  # of servers stopped before

    @property
    def api_key(self) -> str:
        return self.cloud.api_key

    @property
    def secret_key(self) -> str:
        return self.cloud.secret_key

    @property
    def faults(self) -> Faults:
        """The faults to inject: ``add``, ``clear``, and the ``fired`` record."""
        return self.app.faults

    @property
    def requests_served(self) -> int:
        """HTTP requests that reached the API application (a failed TLS handshake is none)."""
        return self.app.requests_served

    @property
    def connections(self) -> int:
        """TCP connections the server accepted (each TLS handshake, failed or not, is one)."""
        server = self._server
        return self._connections + (server.connections if server is not None else 0)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        scheme = "http" if self.ssl_context is None else "https"
        return f"{scheme}://{host}:{self._server.server_address[1]}/client/api"

    def start(self) -> Simulator:
        """Serve on a background thread (OSError when the address cannot be bound)."""
        if self._server is not None:
            return self
        # Bind here: werkzeug, binding itself, prints to stderr and calls sys.exit(1) when the
        # port is taken; a library raises OSError instead.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.create_server((self.host, self.port), family=family)
        try:
            self._server = _Server(self.host, listener.getsockname()[1], self.app,
                                   fd=listener.fileno(), tls=self.ssl_context)
        finally:
            listener.close()  # the server holds its own duplicate
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="cloudstack-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
            self._connections += server.connections
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wait(self) -> None:
        """Block until :meth:`stop` (from another thread) or Ctrl-C."""
        while (thread := self._thread) is not None and thread.is_alive():
            thread.join(0.5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
