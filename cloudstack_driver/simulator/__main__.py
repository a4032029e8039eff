"""``python -m cloudstack_driver.simulator``: serve a simulated cloud until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sim = Simulator(host=args.host, port=int(args.port), api_key=args.api_key,
                    secret_key=args.secret_key, job_duration=args.job_duration,
                    page_size=int(args.page_size), vms=int(args.vms),
                    ssh_address=args.ssh_address)
    try:
        sim.start()
    except OSError as err:  # port taken, address not local: a message, not a traceback
        print(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}",
              file=sys.stderr)
        return 1
    print(f"CloudStack simulator at {sim.url}", flush=True)
    print(f"api key:    {sim.api_key}", flush=True)
    print(f"secret key: {sim.secret_key}", flush=True)
    try:
        sim.wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
