"""A fleet at once with the asyncio driver: 20 nodes created concurrently, listed, destroyed.

Every ``create_node`` coroutine sends its ``deployVirtualMachine``; their jobs are polled
together (one ``listAsyncJobs`` per round), so the whole fleet takes about one job's time.
"""

from __future__ import annotations

import asyncio
import os
import time

from cloudstack_driver.aio import Provider, get_driver


async def main() -> None:
    Driver = get_driver(Provider.CLOUDSTACK)
    async with Driver(os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"],
                      url=os.environ["CLOUDSTACK_ENDPOINT"], max_concurrency=16) as driver:
        location = (await driver.list_locations())[0]
        size = (await driver.list_sizes(location))[0]
        image = (await driver.list_images(location))[0]

        started = time.monotonic()
        nodes = await asyncio.gather(*(
            driver.create_node(f"fleet-{i:02d}", size, image, location) for i in range(20)))
        print(f"{len(nodes)} nodes running in {time.monotonic() - started:.1f} s")

        listed = [n for n in await driver.list_nodes() if n.name.startswith("fleet-")]
        print(sorted(n.name for n in listed)[:3], "...")

        print("destroyed:", all(await asyncio.gather(*(node.destroy() for node in nodes))))


if __name__ == "__main__":
    asyncio.run(main())
