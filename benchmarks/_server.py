"""Serve the bundled simulator from a child process, for the benchmark.

The simulator answers in Python, under its own interpreter lock: served from the benchmark's
process, its work and the client's would queue for the same lock and the timings would measure
both at once. A real management server runs elsewhere; so does this one.

Run by :mod:`benchmarks.run`: ``python _server.py VMS PAGE_SIZE JOB_DURATION`` prints one JSON
line (``url``, ``api_key``, ``secret_key``, ``seconds`` it took to build the cloud) and serves
until its standard input closes.
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> int:
    vms, page_size, job_duration = int(argv[0]), int(argv[1]), float(argv[2])
    from cloudstack_driver.simulator import Simulator

    started = time.perf_counter()
    with Simulator(vms=vms, page_size=page_size, job_duration=job_duration) as sim:
        print(json.dumps({"url": sim.url, "api_key": sim.api_key,
                          "secret_key": sim.secret_key,
                          "seconds": time.perf_counter() - started}), flush=True)
        sys.stdin.read()  # until the benchmark closes the pipe (or exits)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
