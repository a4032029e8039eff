"""One driver shared by 32 threads, and the simulator serving 50 clients at once (issue 11,
item 7): no error, no lost or duplicated resource. Waits are on futures, never on time."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.simulator import Simulator


def _driver(sim: Simulator) -> CloudStackNodeDriver:
    return CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url, poll_interval=0.01,
                                job_timeout=120, max_retries=0)


def test_one_driver_shared_by_32_threads() -> None:
    with Simulator(job_duration=0.02) as sim:
        driver = _driver(sim)
        try:
            zone = next(z for z in driver.list_locations()
                        if z.extra["network_type"] == "Basic")
            image = driver.list_images()[0]
            size = driver.list_sizes()[0]

            def work(i: int) -> tuple[str, str, int]:
                node = driver.create_node(f"shared-{i:02d}", size, image, zone)
                volume = driver.create_volume(1, f"vol-{i:02d}", location=zone)
                assert driver.attach_volume(node, volume) is True
                seen = len(driver.list_nodes())
                assert driver.ex_get_node(node.id).name == node.name
                driver.list_images()
                assert driver.detach_volume(volume) is True
                assert driver.destroy_volume(volume) is True
                return str(node.id), str(node.name), seen

            with ThreadPoolExecutor(max_workers=32) as pool:
                results = list(pool.map(work, range(32)))
            ids = Counter(r[0] for r in results)
            assert len(ids) == 32 and max(ids.values()) == 1
            names = Counter(n.name for n in driver.list_nodes())
            assert all(names[f"shared-{i:02d}"] == 1 for i in range(32))
            assert not [v for v in driver.list_volumes() if str(v.name).startswith("vol-")]
            with ThreadPoolExecutor(max_workers=32) as pool:
                done = list(pool.map(lambda r: driver.destroy_node(driver.ex_get_node(r[0])),
                                     results))
            assert done == [True] * 32
        finally:
            driver.connection.close()


def test_the_simulator_serves_50_clients_at_once() -> None:
    with Simulator(job_duration=0.02) as sim:
        drivers = [_driver(sim) for _ in range(50)]
        try:
            def work(pair: tuple[int, CloudStackNodeDriver]) -> Any:
                i, driver = pair
                key = driver.create_key_pair(f"client-{i:02d}")
                zones = driver.list_locations()
                address_zone = next(z for z in zones if z.extra["network_type"] == "Advanced")
                address = driver.ex_allocate_public_ip(location=address_zone)
                assert driver.ex_release_public_ip(address) is True
                return key.name

            with ThreadPoolExecutor(max_workers=50) as pool:
                made = list(pool.map(work, enumerate(drivers)))
            assert sorted(made) == [f"client-{i:02d}" for i in range(50)]
            listed = Counter(k.name for k in drivers[0].list_key_pairs())
            assert all(listed[f"client-{i:02d}"] == 1 for i in range(50))
        finally:
            for driver in drivers:
                driver.connection.close()
