"""``python -m cloudstack_driver.simulator``: serve a simulated cloud until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import ssl
import sys
import threading
from collections.abc import Callable
from typing import Any

from .faults import KINDS, Fault, parse_spec
from .server import Simulator

__all__ = ["build_parser", "main"]


def _at_least(low: float, kind: Callable[[str], float]) -> Callable[[str], float]:
    def check(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low:g}: {text!r}")
        return value

    return check


def _fault(text: str) -> Fault:
    try:
        return parse_spec(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


_FAULT_HELP = (
    "inject a fault, repeatable: COMMAND:OCCURRENCE:KIND[=VALUE][,NAME=VALUE...]; OCCURRENCE is "
    "N (the Nth request of COMMAND), N-M, N- (from the Nth on) or * (every one); KIND is one of "
    f"{', '.join(KINDS)}; http=STATUS (401, 429, 431, 530, 534, or 502, 503, 504 as a proxy's "
    "page), latency=SECONDS, options status=, retry_after_ms= (429's wait, default 1000), "
    "seconds=. Examples: deployVirtualMachine:2:drop_after, listZones:*:latency=0.5, "
    "deployVirtualMachine:1:http=429,retry_after_ms=2000, createVolume:1-3:job_fail")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cloudstack_driver.simulator",
                                     description="Serve a simulated CloudStack API until Ctrl-C.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_at_least(0, int), default=8080,
                        help="port to listen on; 0 picks a free one (default 8080)")
    parser.add_argument("--api-key", default=None, help="the API key (default: a random one)")
    parser.add_argument("--secret-key", default=None,
                        help="the secret key (default: a random one)")
    parser.add_argument("--job-duration", type=_at_least(0, float), default=1.0,
                        help="seconds each async job takes (default 1)")
    parser.add_argument("--page-size", type=_at_least(1, int), default=500,
                        help="the server's default.page.size (default 500)")
    parser.add_argument("--vms", type=_at_least(0, int), default=0,
                        help="pre-populate this many running VMs (default 0)")
    parser.add_argument("--ssh-address", default=None,
                        help="address VMs in the Basic zone get (e.g. a local sshd)")
    parser.add_argument("--fault", dest="faults", metavar="SPEC", type=_fault, action="append",
                        default=[], help=_FAULT_HELP)
    parser.add_argument("--certfile", default=None, metavar="PEM",
                        help="serve HTTPS with this certificate chain (PEM; it may hold the "
                             "private key too)")
    parser.add_argument("--keyfile", default=None, metavar="PEM",
                        help="the private key of --certfile, when it is in a file of its own")
    return parser


def _tls(parser: argparse.ArgumentParser, args: argparse.Namespace) -> ssl.SSLContext | None:
    if args.certfile is None:
        if args.keyfile is not None:
            parser.error("--keyfile needs --certfile")
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(args.certfile, args.keyfile)
    except ssl.SSLError as err:
        parser.error(f"cannot load the certificate {args.certfile}"
                     f"{' with key ' + args.keyfile if args.keyfile else ''}: not a PEM "
                     f"certificate chain with its private key ({err.reason or err})")
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or err
        parser.error(f"cannot load the certificate {args.certfile}"
                     f"{' with key ' + args.keyfile if args.keyfile else ''}: {reason}")
    return context


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C (SIGINT) or SIGTERM, whenever it comes: the signal only sets a flag
    (no ``KeyboardInterrupt`` landing inside a lock or a join), the server is stopped in a
    ``finally``, and a second Ctrl-C while stopping leaves at once."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        if stop.is_set():
            os._exit(130)  # the second Ctrl-C: do not wait for anything
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    sim: Simulator | None = None
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        context = _tls(parser, args)
        sim = Simulator(host=args.host, port=int(args.port), api_key=args.api_key,
                        secret_key=args.secret_key, job_duration=args.job_duration,
                        page_size=int(args.page_size), vms=int(args.vms),
                        ssh_address=args.ssh_address, faults=args.faults,
                        ssl_context=context)
        if stop.is_set():
            return 0
        try:
            sim.start()
        except OSError as err:  # port taken, address not local: a message, not a traceback
            print(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}",
                  file=sys.stderr)
            return 1
        print(f"CloudStack simulator at {sim.url}", flush=True)
        print(f"api key:    {sim.api_key}", flush=True)
        print(f"secret key: {sim.secret_key}", flush=True)
        while not stop.wait(0.2):
            pass
        print("stopping", file=sys.stderr)
    finally:
        if sim is not None:
            sim.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
