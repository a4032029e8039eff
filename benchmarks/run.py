"""The fleet-scale benchmark (issue 12): measure, print one table, check the targets.

Run from the repository root::

    .venv/bin/python -m benchmarks            # the full run (a few minutes)
    .venv/bin/python -m benchmarks --check    # the same; exit status 1 when a target is missed
    .venv/bin/python -m benchmarks --quick    # tiny sizes, seconds (what the smoke test runs)

Every number is measured in the same run, against the bundled simulator served from a child
process (``_server.py``), next to its *floor*: the least any client could do for the same
answer. The floors:

* ``list_locations()``: a reused ``requests.Session`` fetching the very URL the driver signed
  (captured from the driver's own request) and decoding the JSON.
* ``list_nodes()``: the same session fetching, one after the other, the ``listVirtualMachines``
  pages the driver fetched (their signed URLs, captured) and decoding them. The driver also
  sends the three lookups libcloud's ``list_nodes`` sends (public addresses, port and IP
  forwarding rules); they are counted against it.
* memory: the peak ``tracemalloc`` sees while the floor fetches and decodes every page and
  keeps the rows, against the peak while ``list_nodes()`` runs; the difference per node.
* creates: one job's duration (the simulator's ``job_duration``), the least time any wait
  can take. Requests are counted in this process (``http.client``), for every client alike.
* import: a bare interpreter (``python -c pass``) in a subprocess, all interpreters reading
  one private bytecode cache (as an installed package does; a checkout run with
  ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every start). The
  target is on ``import cloudstack_driver``; the row below it adds the first driver, which
  loads the driver and ``requests``.

Targets (issue 12, item 6) are printed per row as met or NOT MET; ``--check`` exits 1 when
one is missed. "Growth linear" is judged against the floor, whose own time per row grows with
the simulator's table: the ratio to the floor at the largest size may be at most 1.10 times
the ratio at the smallest.

Third-party rows (libcloud, cs) appear when those packages are installed. Neither waits on
many jobs at once: their creates are timed over a few sequential ones and scaled to the
bulk count (the row says so). libcloud's ``list_nodes`` reads one page; its row is compared
with the floor of that page.

Timings are medians of interleaved rounds (the floor and each client take turns, so a busy
moment of a shared machine falls on all of them). Ratios are what the targets bound: the
machines these run on are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent

#: The seeded cloud's Basic zone, template and service offering (the simulator's seed).
BASIC_ZONE_ID = "1128bd56-b4d9-4ac6-a7b9-c715b187ce11"
TINY_LINUX_ID = "13ccff62-132b-4caf-b456-e8ef20cbff0e"
TINY_OFFERING = "tinyOffering"

#: Modules ``import cloudstack_driver`` must not load (issue 12, item 4).
HEAVY_MODULES = ("cloudstack_driver.simulator", "werkzeug", "paramiko",
                 "cloudstack_driver.deploy", "cloudstack_driver.ssh", "requests")

# -- the targets of issue 12, item 6 ----------------------------------------------------------
LOCATIONS_MAX_RATIO = 1.10
LISTING_MAX_RATIO = 1.15
#: "growth linear": the ratio to the floor at the largest size within this factor of the
#: ratio at the smallest (the floor's own time per row grows with the simulator's table)
LINEAR_MAX_GROWTH = 1.10
CREATES_MAX_RATIO = 1.5
CREATES_MAX_REQUESTS = 140
IMPORT_MAX_MS = 60.0
MEMORY_MAX_BYTES_PER_NODE = 2048

#: the ``page_concurrency`` of the extra listing row (the default, measured first, is 1)
CONCURRENT_PAGES = 4


@dataclass
class Row:
    """One line of the table. ``met`` is None for a row without a target."""

    what: str
    client: str
    result: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Settings:
    sizes: list[int] = field(default_factory=lambda: [10_000, 50_000])
    page_size: int = 500
    rounds: int = 7
    big_rounds: int = 5
    location_rounds: int = 200
    creates: int = 100
    job_duration: float = 2.0
    third_party_creates: int = 5
    import_runs: int = 15
    third_party: bool = True


@dataclass(frozen=True)
class Endpoint:
    url: str
    api_key: str
    secret_key: str


# -- plumbing ---------------------------------------------------------------------------------
@contextlib.contextmanager
def simulator(vms: int = 0, page_size: int = 500, job_duration: float = 0.2
              ) -> Iterator[Endpoint]:
    """The simulator, served by a child process until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "_server.py"), str(vms), str(page_size), str(job_duration)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the simulator did not start (exit status {proc.wait()})")
        info = json.loads(line)
        yield Endpoint(info["url"], info["api_key"], info["secret_key"])
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class RequestCounter:
    """Counts the HTTP requests this process sends while active. Every client measured here
    (this library, libcloud, cs: all over ``requests``/``urllib3``) sends through
    ``http.client.HTTPConnection.putrequest``; the simulator runs in another process."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        self._original: Any = None

    def __enter__(self) -> RequestCounter:
        self._original = original = http.client.HTTPConnection.putrequest
        counter = self

        def putrequest(conn: Any, *args: Any, **kwargs: Any) -> Any:
            with counter._lock:
                counter.count += 1
            return original(conn, *args, **kwargs)

        http.client.HTTPConnection.putrequest = putrequest  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        http.client.HTTPConnection.putrequest = self._original  # type: ignore[method-assign]


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(calls: dict[str, Callable[[], Any]], rounds: int, warmup: int = 1
                ) -> dict[str, float]:
    """Median seconds per call of each function, taking turns round after round."""
    for fn in calls.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            samples[name].append(timed(fn))
    return {name: statistics.median(values) for name, values in samples.items()}


def traced_peak(fn: Callable[[], Any]) -> tuple[int, Any]:
    """The peak of traced Python memory while ``fn`` runs (its result kept), and the result."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}x" if floor > 0 else "-"


def capture_urls(driver: Any, command: str) -> list[str]:
    """A list that collects the URL of every ``command`` request ``driver`` sends."""
    seen: list[str] = []
    needle = f"command={command}&"

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        url = response.request.url or ""
        if needle in url:
            seen.append(url)

    driver.connection.session.hooks["response"].append(hook)
    return seen


# -- the clients ------------------------------------------------------------------------------
def our_driver(ep: Endpoint, **kwargs: Any) -> Any:
    from cloudstack_driver import Provider, get_driver

    return get_driver(Provider.CLOUDSTACK)(ep.api_key, ep.secret_key, url=ep.url, **kwargs)


def libcloud_driver(ep: Endpoint) -> Any:
    try:
        from libcloud.compute.providers import get_driver
        from libcloud.compute.types import Provider
    except ImportError:
        return None
    return get_driver(Provider.CLOUDSTACK)(ep.api_key, ep.secret_key, secure=False, url=ep.url)


def cs_client(ep: Endpoint, **kwargs: Any) -> Any:
    try:
        from cs import CloudStack
    except ImportError:
        return None
    return CloudStack(endpoint=ep.url, key=ep.api_key, secret=ep.secret_key, timeout=60,
                      **kwargs)


def third_party_names(settings: Settings) -> list[str]:
    names = []
    if settings.third_party:
        for name, module in (("libcloud", "libcloud"), ("cs", "cs")):
            with contextlib.suppress(ImportError):
                __import__(module)
                names.append(name)
    return names


# -- the measurements -------------------------------------------------------------------------
def bench_locations(settings: Settings) -> list[Row]:
    what = "list_locations()"
    with simulator() as ep:
        driver = our_driver(ep)
        urls = capture_urls(driver, "listZones")
        driver.list_locations()
        session = requests.Session()
        url = urls[-1]
        calls: dict[str, Callable[[], Any]] = {
            "floor": lambda: session.get(url).json(),
            "cloudstack_driver": driver.list_locations,
        }
        others = third_party_names(settings)
        if "libcloud" in others:
            calls["libcloud"] = libcloud_driver(ep).list_locations
        if "cs" in others:
            client = cs_client(ep)
            calls["cs"] = lambda: client.listZones(fetch_list=True)
        times = interleaved(calls, settings.location_rounds, warmup=3)
    floor = times.pop("floor")
    rows = [Row(what, "floor (bare requests.Session)", ms(floor))]
    for client, seconds in times.items():
        ours = client == "cloudstack_driver"
        rows.append(Row(what, client, ms(seconds), ms(floor), ratio(seconds, floor),
                        f"<= {LOCATIONS_MAX_RATIO:.2f}x" if ours else "",
                        seconds / floor <= LOCATIONS_MAX_RATIO if ours else None))
    return rows


@dataclass
class Listing:
    size: int
    ours: float
    floor: float


def bench_listing(size: int, settings: Settings, rounds: int) -> tuple[list[Row], Listing]:
    what = f"list_nodes() {size:,} VMs"
    rows: list[Row] = []
    with simulator(vms=size, page_size=settings.page_size) as ep:
        driver = our_driver(ep, page_size=settings.page_size)
        urls = capture_urls(driver, "listVirtualMachines")
        pages: list[str] = []
        session = requests.Session()

        def listing() -> list[Any]:
            urls.clear()
            nodes = driver.list_nodes()
            if len(nodes) != size:
                raise AssertionError(f"list_nodes() gave {len(nodes)} nodes, not {size}")
            pages[:] = urls
            return list(nodes)

        def floor() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = []
            for url in sorted(pages, key=_page_number):
                answer = session.get(url).json()["listvirtualmachinesresponse"]
                found.extend(answer.get("virtualmachine", []))
            return found

        calls: dict[str, Callable[[], Any]] = {"cloudstack_driver": listing, "floor": floor}
        if hasattr(driver.connection, "page_concurrency"):
            several = our_driver(ep, page_size=settings.page_size)
            several.connection.page_concurrency = CONCURRENT_PAGES
            calls[f"cloudstack_driver, page_concurrency={CONCURRENT_PAGES}"] = several.list_nodes
        others = third_party_names(settings)
        first_page: list[str] = []
        if "cs" in others:
            client = cs_client(ep)
            calls["cs"] = lambda: client.listVirtualMachines(fetch_list=True,
                                                            pagesize=settings.page_size)
        if "libcloud" in others:
            lc = libcloud_driver(ep)
            calls["libcloud"] = lc.list_nodes
            calls["floor, first page only"] = lambda: session.get(first_page[0]).json()
            listing()
            first_page[:] = sorted(pages, key=_page_number)[:1]
        with RequestCounter() as counter:
            listing()
        our_requests = counter.count
        times = interleaved(calls, rounds)
        with RequestCounter() as counter:
            lc_count = len(calls["libcloud"]()) if "libcloud" in calls else 0
        lc_requests = counter.count

        floor_peak, kept = traced_peak(floor)
        del kept
        our_peak, nodes = traced_peak(listing)
        del nodes
    base = times.pop("floor")
    rows.append(Row(what, "floor (bare requests.Session)", secs(base),
                    reference=f"{len(pages)} requests"))
    ours = times.pop("cloudstack_driver")
    rows.append(Row(what, "cloudstack_driver", secs(ours), secs(base), ratio(ours, base),
                    f"<= {LISTING_MAX_RATIO:.2f}x", ours / base <= LISTING_MAX_RATIO))
    rows.append(Row(f"{what}: requests", "cloudstack_driver", str(our_requests),
                    f"{len(pages)} (floor)", "", "3 lookups as libcloud"))
    several = times.pop(f"cloudstack_driver, page_concurrency={CONCURRENT_PAGES}", None)
    if several is not None:
        rows.append(Row(what, f"cloudstack_driver, page_concurrency={CONCURRENT_PAGES}",
                        secs(several), secs(base), ratio(several, base)))
    if "cs" in times:
        cs_time = times.pop("cs")
        rows.append(Row(what, "cs (rows as dicts)", secs(cs_time), secs(base),
                        ratio(cs_time, base)))
    if "libcloud" in times:
        one = times.pop("floor, first page only")
        lc = times.pop("libcloud")
        rows.append(Row(what, f"libcloud ({lc_count:,} nodes: one page; {lc_requests} requests)",
                        secs(lc), f"{secs(one)} (floor, that page)", ratio(lc, one)))
    extra = (our_peak - floor_peak) / size
    rows.append(Row(f"{what}: peak memory per node beyond the JSON", "cloudstack_driver",
                    f"{extra:,.0f} B", f"JSON {floor_peak / size:,.0f} B/node", "",
                    f"<= {MEMORY_MAX_BYTES_PER_NODE:,} B",
                    extra <= MEMORY_MAX_BYTES_PER_NODE))
    return rows, Listing(size, ours, base)


def _page_number(url: str) -> int:
    for part in url.split("&"):
        if part.startswith("page="):
            return int(part[5:])
    return 0


def growth_row(listings: list[Listing]) -> Row:
    """Linear growth, judged against the floor: the simulator's own time per row grows with
    its table (it scans every VM for each page), so the client's share is what must stay
    flat - its ratio to the floor at the largest size over that at the smallest."""
    small, big = listings[0], listings[-1]
    per_small, per_big = small.ours / small.size, big.ours / big.size
    floor_growth = (big.floor / big.size) / (small.floor / small.size)
    grown = (big.ours / big.floor) / (small.ours / small.floor)
    return Row(f"list_nodes() growth, {small.size:,} -> {big.size:,} VMs",
               "cloudstack_driver", f"{per_small * 1e6:.1f} -> {per_big * 1e6:.1f} us/node",
               f"floor {floor_growth:.2f}x per node", f"{grown:.2f}x",
               f"ratio to floor grows <= {LINEAR_MAX_GROWTH:.2f}x", grown <= LINEAR_MAX_GROWTH)


def _pick(driver: Any) -> tuple[Any, Any, Any]:
    location = next(loc for loc in driver.list_locations() if str(loc.id) == BASIC_ZONE_ID)
    size = next(s for s in driver.list_sizes() if s.name == TINY_OFFERING)
    image = next(i for i in driver.list_images(location) if str(i.id) == TINY_LINUX_ID)
    return location, size, image


def bench_creates(settings: Settings) -> list[Row]:
    n, job = settings.creates, settings.job_duration
    what = f"{n} creates, {job:g} s jobs"
    one = f"one create, {job:g} s job: time beyond the job"
    rows: list[Row] = []
    with simulator(job_duration=job) as ep:
        driver = our_driver(ep)
        location, size, image = _pick(driver)
        specs = [{"name": f"bulk-{i}", "size": size, "image": image, "location": location}
                 for i in range(n)]
        with RequestCounter() as counter:
            started = time.perf_counter()
            if hasattr(driver, "create_nodes"):
                api = "driver.create_nodes"
                results = driver.create_nodes(specs)
            else:
                api = "connection.request(wait=False) + wait_for_jobs"
                results = _create_through_connection(driver, specs)
            elapsed = time.perf_counter() - started
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            raise AssertionError(f"{len(failed)} of {n} creates failed: {failed[0]!r}")
        rows.append(Row(what, f"cloudstack_driver ({api})", secs(elapsed), secs(job),
                        ratio(elapsed, job), f"<= {CREATES_MAX_RATIO:.1f}x",
                        elapsed / job <= CREATES_MAX_RATIO))
        rows.append(Row(f"{what}: requests", f"cloudstack_driver ({api})", str(counter.count),
                        "", "", f"<= {CREATES_MAX_REQUESTS}",
                        counter.count <= CREATES_MAX_REQUESTS))
        rows += _async_rows(ep, what, n, job)
        with RequestCounter() as counter:
            single = timed(lambda: driver.create_node("single", size, image, location))
        rows.append(Row(one, "cloudstack_driver", ms(single - job), secs(job),
                        ratio(single, job), "", None))
        rows.append(Row(f"one create, {job:g} s job: requests", "cloudstack_driver",
                        str(counter.count)))
        others = third_party_names(settings)
        k = settings.third_party_creates
        if "libcloud" in others and k:
            lc = libcloud_driver(ep)
            where = next(loc for loc in lc.list_locations() if str(loc.id) == BASIC_ZONE_ID)
            lsize = next(s for s in lc.list_sizes() if s.name == TINY_OFFERING)
            limage = next(i for i in lc.list_images(where) if str(i.id) == TINY_LINUX_ID)
            rows += _sequential_rows(
                "libcloud", what, one, job, k,
                lambda i: lc.create_node(name=f"lc-{i}", size=lsize, image=limage,
                                         location=where))
        if "cs" in others and k:
            client = cs_client(ep, fetch_result=True)
            params = {"zoneid": BASIC_ZONE_ID, "templateid": TINY_LINUX_ID,
                      "serviceofferingid": size.id}
            rows += _sequential_rows(
                "cs (fetch_result=True)", what, one, job, k,
                lambda i: client.deployVirtualMachine(name=f"cs-{i}", **params))
    return rows


def _async_rows(ep: Endpoint, what: str, n: int, job: float) -> list[Row]:
    """The asyncio driver: ``n`` ``create_node`` coroutines gathered at once (requests counted
    at its transport: httpx does not use ``http.client``)."""
    try:
        from cloudstack_driver.aio import AsyncCloudStackNodeDriver
    except ImportError:  # the aio extra is not installed
        return []
    import asyncio

    async def run() -> tuple[float, int, list[Any]]:
        async with AsyncCloudStackNodeDriver(ep.api_key, ep.secret_key, url=ep.url) as driver:
            location = next(loc for loc in await driver.list_locations()
                            if str(loc.id) == BASIC_ZONE_ID)
            size = next(s for s in await driver.list_sizes() if s.name == TINY_OFFERING)
            image = next(i for i in await driver.list_images(location)
                         if str(i.id) == TINY_LINUX_ID)
            connection = driver.connection
            sent = [0]
            send = connection._send

            async def counted(*args: Any, **kwargs: Any) -> Any:
                sent[0] += 1
                return await send(*args, **kwargs)

            connection._send = counted  # type: ignore[method-assign]
            started = time.perf_counter()
            nodes = await asyncio.gather(*(driver.create_node(f"aio-{i}", size, image, location)
                                           for i in range(n)), return_exceptions=True)
            return time.perf_counter() - started, sent[0], nodes

    elapsed, count, results = asyncio.run(run())
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise AssertionError(f"{len(failed)} of {n} async creates failed: {failed[0]!r}")
    client = "cloudstack_driver.aio (gather of create_node)"
    return [
        Row(what, client, secs(elapsed), secs(job), ratio(elapsed, job),
            f"<= {CREATES_MAX_RATIO:.1f}x", elapsed / job <= CREATES_MAX_RATIO),
        Row(f"{what}: requests", client, str(count), "", "", f"<= {CREATES_MAX_REQUESTS}",
            count <= CREATES_MAX_REQUESTS),
    ]


def _sequential_rows(client: str, what: str, one: str, job: float, k: int,
                     create: Callable[[int], Any]) -> list[Row]:
    """A client without bulk waiting: ``k`` creates one after the other, scaled to ``n``."""
    times: list[float] = []
    with RequestCounter() as counter:
        for i in range(k):
            times.append(timed(lambda i=i: create(i)))  # type: ignore[misc]
    n = int(what.split()[0])
    total = sum(times) * n / k
    return [
        Row(what, f"{client}: {k} sequential, scaled to {n}", secs(total), secs(job),
            ratio(total, job)),
        Row(f"{what}: requests", f"{client}: {k} sequential, scaled to {n}",
            str(round(counter.count * n / k))),
        Row(one, client, ms(statistics.median(times) - job), secs(job),
            ratio(statistics.median(times), job)),
    ]


def _create_through_connection(driver: Any, specs: list[dict[str, Any]]) -> list[Any]:
    connection = driver.connection
    jobids = []
    for spec in specs:
        answer = connection.request("deployVirtualMachine", wait=False, name=spec["name"],
                                    serviceofferingid=spec["size"].id,
                                    templateid=spec["image"].id, zoneid=spec["location"].id)
        jobids.append(str(answer["jobid"]))
    outcomes = connection.wait_for_jobs(jobids)
    return [outcomes[j] for j in jobids]


def import_seconds(code: str, env: dict[str, str]) -> float:
    """Wall time of ``python -c code`` in a fresh interpreter."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - started


def bench_import(settings: Settings) -> list[Row]:
    # Installed packages import from cached bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module from source each time. Give every
    # interpreter the same private bytecode cache, filled by a first run of each import.
    cache = tempfile.TemporaryDirectory(prefix="cloudstack-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache.name
    with cache:
        return _import_rows(settings, env)


def _import_rows(settings: Settings, env: dict[str, str]) -> list[Row]:
    codes = {
        "bare": "pass",
        "cloudstack_driver": "import cloudstack_driver",
        "cloudstack_driver + first driver": (
            "import cloudstack_driver as c; "
            "c.get_driver(c.Provider.CLOUDSTACK)('k', 's', url='http://127.0.0.1:9/client/api')"),
    }
    others = third_party_names(settings)
    if "libcloud" in others:
        codes["libcloud"] = "import libcloud.compute.drivers.cloudstack"
    if "cs" in others:
        codes["cs"] = "import cs"
    for code in codes.values():
        import_seconds(code, env)  # fills the bytecode cache
    runs = max(settings.import_runs, 1)
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(runs):  # interleaved, as the other timings
        for name, code in codes.items():
            samples[name].append(import_seconds(code, env))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    bare = medians.pop("bare")
    rows = [Row("import, over a bare interpreter", "bare interpreter", ms(bare))]
    for name, seconds in medians.items():
        ours = name == "cloudstack_driver"
        rows.append(Row("import, over a bare interpreter", name, ms(seconds - bare), ms(bare),
                        "", f"<= {IMPORT_MAX_MS:.0f} ms" if ours else "",
                        (seconds - bare) * 1000 <= IMPORT_MAX_MS if ours else None))
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, cloudstack_driver; "
         f"print(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"],
        check=True, capture_output=True, text=True, env=env).stdout.split()
    rows.append(Row("import: heavy modules loaded", "cloudstack_driver",
                    ", ".join(loaded) or "none", "simulator, werkzeug, paramiko, deploy ...",
                    "", "none",
                    not loaded))
    return rows


# -- the table --------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}")


HEADERS = ("measurement", "client", "result", "reference", "ratio", "target", "met")


def render(rows: list[Row]) -> str:
    cells = [HEADERS] + [
        (r.what, r.client, r.result, r.reference, r.ratio, r.target,
         "" if r.met is None else ("met" if r.met else "NOT MET")) for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    rule = "  ".join("-" * w for w in widths)
    out = [rule]
    for i, line in enumerate(cells):
        out.append("  ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            out.append(rule)
    out.append(rule)
    return "\n".join(out)


def parse(argv: list[str] | None) -> tuple[Settings, bool]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when a target is not met")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and one round (seconds; for the smoke test)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        help="VM counts to list, comma-separated (default 10000,50000)")
    parser.add_argument("--rounds", type=int, help="rounds of each listing timing")
    parser.add_argument("--creates", type=int, help="creates in the bulk row (default 100)")
    parser.add_argument("--job-duration", type=float, help="seconds per job (default 2)")
    parser.add_argument("--no-third-party", action="store_true",
                        help="leave out libcloud's and cs's rows")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.quick:
        settings = Settings(sizes=[300, 600], page_size=100, rounds=1, big_rounds=1,
                            location_rounds=3, creates=5, job_duration=0.3,
                            third_party_creates=1, import_runs=1)
    if args.sizes:
        settings.sizes = args.sizes
    if args.rounds:
        settings.rounds = settings.big_rounds = args.rounds
    if args.creates is not None:
        settings.creates = args.creates
    if args.job_duration is not None:
        settings.job_duration = args.job_duration
    settings.third_party = not args.no_third_party
    return settings, args.check


def main(argv: list[str] | None = None) -> int:
    settings, check = parse(argv)
    print(f"machine: {machine()}")
    print(f"sizes: {', '.join(f'{s:,}' for s in settings.sizes)} VMs, page size "
          f"{settings.page_size}; {settings.creates} creates with {settings.job_duration:g} s "
          f"jobs; third-party clients: {', '.join(third_party_names(settings)) or 'none'}",
          flush=True)
    rows: list[Row] = []
    rows += bench_locations(settings)
    listings: list[Listing] = []
    for i, size in enumerate(settings.sizes):
        found, listing = bench_listing(size, settings,
                                       settings.rounds if i == 0 else settings.big_rounds)
        rows += found
        listings.append(listing)
    if len(listings) > 1:
        rows.append(growth_row(listings))
    rows += bench_creates(settings)
    rows += bench_import(settings)
    print(render(rows))
    missed = [r for r in rows if r.met is False]
    print(f"targets: {sum(r.met is True for r in rows)} met, {len(missed)} not met")
    return 1 if check and missed else 0
