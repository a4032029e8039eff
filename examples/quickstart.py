"""The seed's interactive session, as a script.

With CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY and CLOUDSTACK_SECRET set, it runs against that cloud;
otherwise it starts the bundled CloudStack simulator on loopback and runs against it.

    python examples/quickstart.py
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from cloudstack_driver import Provider, get_driver


@contextlib.contextmanager
def endpoint() -> Iterator[tuple[str, str, str]]:
    """(url, key, secret) of the cloud to use: yours, or a simulator started here."""
    url = os.environ.get("CLOUDSTACK_ENDPOINT")
    if url:
        key, secret = os.environ.get("CLOUDSTACK_KEY"), os.environ.get("CLOUDSTACK_SECRET")
        if not key or not secret:
            sys.exit("CLOUDSTACK_ENDPOINT is set: set CLOUDSTACK_KEY and CLOUDSTACK_SECRET too")
        print(f"Using the cloud at {url}")
        yield url, key, secret
        return
    from cloudstack_driver.simulator import Simulator

    with Simulator() as sim:
        print(f"Started a CloudStack simulator at {sim.url}")
        yield sim.url, sim.api_key, sim.secret_key


def main() -> None:
    with endpoint() as (url, key, secret):
        Driver = get_driver(Provider.CLOUDSTACK)
        conn = Driver(key=key, secret=secret, url=url)

        print("\n>>> conn.list_locations()")
        locations = conn.list_locations()
        for location in locations:
            print("   ", location, "-", location.extra.get("network_type", ""))
        zone = locations[0]

        # CloudStack lists a template once per zone it is in: ask for those of one zone.
        print(f"\n>>> conn.list_images(location=zone)    # zone {zone.name}")
        images = conn.list_images(location=zone)
        for image in images:
            print("   ", image)

        print("\n>>> conn.list_sizes(location=zone)")
        offerings = conn.list_sizes(location=zone)
        for size in offerings:
            print("   ", size)

        print("\n>>> node = conn.create_node(name='toto', image=images[0], size=offerings[0],"
              " location=zone)")
        node = conn.create_node(name="toto", image=images[0], size=offerings[0], location=zone)
        print("   ", node)
        print(">>> node.get_uuid()")
        print("   ", repr(node.get_uuid()))
        print(">>> node.name")
        print("   ", repr(node.name))

        print("\n>>> node.ex_stop()")
        print("    state:", node.ex_stop())
        print(">>> node.ex_start()")
        print("    state:", node.ex_start())

        print("\n>>> volume = conn.create_volume(size=10, name='toto-data', location=zone)")
        volume = conn.create_volume(size=10, name="toto-data", location=zone)
        print("   ", volume)
        print(">>> conn.attach_volume(node, volume)")
        print("   ", conn.attach_volume(node, volume))
        for vol in conn.list_volumes(node=node):
            print("    attached:", vol, vol.extra.get("volume_type"), vol.state)
        print(">>> conn.detach_volume(volume); conn.destroy_volume(volume)")
        print("   ", conn.detach_volume(volume), conn.destroy_volume(volume))

        print("\n>>> node.destroy()")
        print("   ", node.destroy())
        print("\nDone: listed images and sizes, created, stopped, started and destroyed 'toto'.")


if __name__ == "__main__":
    main()
