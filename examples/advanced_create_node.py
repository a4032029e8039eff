"""Advanced zone example 2: create a node on a guest network.

In an advanced zone a node is deployed on a guest network (the seed's
``create_node(..., networks=[nets[0]])``). The node gets a private IP in that network, and no
public IP and no rule until you add them (see advanced_allocate_ip.py and
advanced_port_forwarding.py).

    CLOUDSTACK_ENDPOINT=... CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \
        python examples/advanced_create_node.py
"""

from __future__ import annotations

from pprint import pprint
from typing import Any

from _connect import connect


def create_node_on_guest_network(driver: Any) -> Any:
    """The seed's walk-through, pinned to the first advanced zone (a cloud may also have basic
    zones, and a network belongs to one zone)."""
    zone = next(z for z in driver.list_locations() if z.extra["network_type"] == "Advanced")

    # This returns a list of CloudStackNetwork objects
    nets = [n for n in driver.ex_list_networks() if n.zoneid == zone.id]

    # List the images/templates available: a list of NodeImage objects
    images = driver.list_images(location=zone)

    # List the instance types: a list of NodeSize objects
    sizes = driver.list_sizes()

    # Create the node: this returns a CloudStackNode
    node = driver.create_node(name="libcloud", image=images[0], size=sizes[0],
                              networks=[nets[0]], location=zone)

    # The node has a private IP in the guest network used, no public IP and no rules
    pprint(node.extra)
    pprint(node.private_ips)
    return node


def main() -> None:
    node = create_node_on_guest_network(connect())
    print(f"created node {node.name} ({node.id}) private_ips={node.private_ips} "
          f"public_ips={node.public_ips}")


if __name__ == "__main__":
    main()
