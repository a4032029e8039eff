"""``python -m cloudstack_driver.simulator``: serve a simulated cloud until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

from .server import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloudstack_driver.simulator",
                                     description="Serve a simulated CloudStack API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--secret-key", default=None)
    parser.add_argument("--job-duration", type=float, default=1.0,
                        help="seconds each async job takes (default 1)")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--vms", type=int, default=0, help="pre-populate this many VMs")
    parser.add_argument("--ssh-address", default=None,
                        help="address VMs in the Basic zone get (e.g. a local sshd)")
    args = parser.parse_args(argv)
    sim = Simulator(host=args.host, port=args.port, api_key=args.api_key,
                    secret_key=args.secret_key, job_duration=args.job_duration,
                    page_size=args.page_size, vms=args.vms, ssh_address=args.ssh_address)
    sim.start()
    print(f"CloudStack simulator at {sim.url}", flush=True)
    print(f"api key:    {sim.api_key}", flush=True)
    print(f"secret key: {sim.secret_key}", flush=True)
    try:
        assert sim._thread is not None
        while sim._thread.is_alive():
            sim._thread.join(0.5)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
