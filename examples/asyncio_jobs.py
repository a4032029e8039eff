"""Start jobs without waiting, bound the wait, and see what each job became.

``ex_wait=False`` returns a ``JobHandle`` at once; ``wait_for_jobs`` waits on all of them and
returns each one's result or the error its job ended with (nothing is raised for one job).
A coroutine cancelled by a timeout stops waiting; the server's job goes on, and its handle can
be waited on again.
"""

from __future__ import annotations

import asyncio
import os

from cloudstack_driver import AsyncJobTimeoutError, LibcloudError
from cloudstack_driver.aio import AsyncCloudStackNodeDriver


async def main() -> None:
    async with AsyncCloudStackNodeDriver(os.environ["CLOUDSTACK_KEY"],
                                         os.environ["CLOUDSTACK_SECRET"],
                                         url=os.environ["CLOUDSTACK_ENDPOINT"]) as driver:
        location = (await driver.list_locations())[0]
        size = (await driver.list_sizes(location))[0]
        image = (await driver.list_images(location))[0]

        handles = await asyncio.gather(*(
            driver.create_node(f"batch-{i}", size, image, location, ex_wait=False)
            for i in range(5)))
        print("started:", len(handles), "jobs")

        try:  # an impatient caller: give up waiting after a moment
            await asyncio.wait_for(driver.wait_for_jobs(handles), timeout=0.01)
        except asyncio.TimeoutError:
            print("still running after 0.01 s; waiting again")

        for outcome in await driver.wait_for_jobs(handles, timeout=120):
            if isinstance(outcome, AsyncJobTimeoutError):
                print("job", outcome.jobid, "still running")
            elif isinstance(outcome, LibcloudError):
                print("failed:", outcome)
            else:
                print(outcome.name, outcome.state)

        volume = await driver.create_volume(1, "scratch", location=location)
        print("volume", volume.name, volume.size, "GiB")
        print("destroyed:", await volume.destroy())


if __name__ == "__main__":
    asyncio.run(main())
