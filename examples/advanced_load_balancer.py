"""Advanced zone example 6: balance a public port over two nodes.

Uses the node of advanced_create_node.py and a second node it creates on the same guest
network, then:

- creates a load balancer: a new public IP whose port 80 is balanced (round robin) over port
  8080 of both nodes;
- adds a health check (HTTP ``/health``) and cookie stickiness;
- lists the balancer's members, detaches one, and tears everything down (the balancer, its IP,
  the second node).

A libcloud script gets its driver the same way: ``get_driver(Provider.CLOUDSTACK)`` from
``cloudstack_driver.loadbalancer`` instead of ``libcloud.loadbalancer.providers``.

Run advanced_create_node.py first.

    CLOUDSTACK_ENDPOINT=... CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \
        python examples/advanced_load_balancer.py
"""

from __future__ import annotations

import sys
from typing import Any

from _connect import connect, connect_load_balancer

from cloudstack_driver.loadbalancer import Algorithm, Member


def balance(conn: Any, lb: Any) -> None:
    zone = next(z for z in conn.list_locations() if z.extra["network_type"] == "Advanced")
    nodes = conn.list_nodes(location=zone)
    if not nodes:
        sys.exit("no node in the advanced zone: run examples/advanced_create_node.py first")
    node = nodes[0]
    network = next(n for n in conn.ex_list_networks()
                   if n.id == node.extra["nics"][0]["networkid"])

    # A second node on the same network, to have something to balance over
    second = conn.create_node(name="libcloud-2", image=conn.list_images(location=zone)[0],
                              size=conn.list_sizes()[0], networks=[network], location=zone)

    # Members are the nodes' ids (a Member or the node itself); the driver allocates a public
    # IP on the network, creates the rule and adds both members, waiting for each job
    balancer = lb.create_balancer(name="web", members=[Member(node.id, None, None), second],
                                  protocol="tcp", port=80, private_port=8080,
                                  algorithm=Algorithm.ROUND_ROBIN, network_id=network.id)
    print(balancer)
    print(f"http://{balancer.ip}:{balancer.port}/ -> port {balancer.ex_private_port} of "
          f"{len(balancer.list_members())} members")

    # What CloudStack adds: a health check and session stickiness
    check = lb.ex_create_lb_health_check_policy(balancer, ping_path="/health", interval=10)
    print(f"health check {check.ping_path} every {check.interval}s")
    sticky = lb.ex_create_lb_stickiness_policy(balancer, "sticky", "LbCookie",
                                               params={"cookie-name": "SRV"})
    print(f"stickiness {sticky.method} {sticky.params}")

    for member in balancer.list_members():
        print(f"member {member.extra['name']} {member.ip}:{member.port}")

    # Take the second node out, then remove the balancer (and its IP) and the node
    balancer.detach_member(Member(second.id, None, None))
    print("members left:", [m.extra["name"] for m in balancer.list_members()])
    balancer.destroy()
    conn.destroy_node(second, ex_expunge=True)
    print("balancers left:", lb.list_balancers())


def main() -> None:
    balance(connect(), connect_load_balancer())


if __name__ == "__main__":
    main()
