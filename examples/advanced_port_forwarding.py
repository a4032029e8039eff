"""Advanced zone example 4: list, create and delete a port-forwarding rule.

To reach a node by SSH through NAT, forward a port of a public IP to it.

Note the argument order: libcloud's documentation prints
``conn.ex_create_port_forwarding_rule(ip, 22, 22, 'TCP', node)``, the order of libcloud
before 2013, which libcloud itself no longer accepts. The order is
``ex_create_port_forwarding_rule(node, address, private_port, public_port, protocol, ...)``,
as used below (or ``node.ex_create_port_forwarding_rule(ip, 22, 22, 'TCP')``).

Run advanced_create_node.py first (this example uses the first node of the advanced zone).

    CLOUDSTACK_ENDPOINT=... CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \
        python examples/advanced_port_forwarding.py
"""

from __future__ import annotations

import sys
from pprint import pprint
from typing import Any

from _connect import connect


def manage_port_forwarding(conn: Any) -> None:
    zone = next(z for z in conn.list_locations() if z.extra["network_type"] == "Advanced")

    # Get the first node of the advanced zone
    nodes = conn.list_nodes(location=zone)
    if not nodes:
        sys.exit("no node in the advanced zone: run examples/advanced_create_node.py first")
    node = nodes[0]

    # Allocate a public IP in the node's network: this returns a CloudStackAddress
    network_id = node.extra["nics"][0]["networkid"]
    ip = conn.ex_allocate_public_ip(network_id=network_id)

    # You can now see this address when listing public IPs
    print("public IPs:", [str(a) for a in conn.ex_list_public_ips()])

    # Create a port forwarding rule for the node: a CloudStackPortForwardingRule.
    # (NOT conn.ex_create_port_forwarding_rule(ip, 22, 22, 'TCP', node): that is the
    # pre-2013 order libcloud's docs still print; the node comes first.)
    rule = conn.ex_create_port_forwarding_rule(node, ip, 22, 22, "TCP")
    pprint(rule)

    # The rule is listed, and the node now shows it and the public IP
    print("rules:", conn.ex_list_port_forwarding_rules())
    node = conn.ex_get_node(node.id)
    print("node public_ips:", node.public_ips)
    print("node rules:", node.extra["port_forwarding_rules"])

    # Delete that rule, and release the IP
    rule.delete()
    ip.release()
    print("rules left:", conn.ex_list_port_forwarding_rules())


def main() -> None:
    manage_port_forwarding(connect())


if __name__ == "__main__":
    main()
