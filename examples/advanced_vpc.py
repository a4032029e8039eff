"""Advanced zone example 5: a VPC with two tiers, an ACL, a public IP and SSH forwarding.

Builds, in the first advanced zone:

- a VPC (10.10.0.0/16) from the default VPC offering;
- a network ACL list ``web-acl`` with one rule: allow TCP 22 in from anywhere;
- two tiers: ``web`` (10.10.1.0/24, under ``web-acl``) and ``db`` (10.10.2.0/24);
- a node in the ``web`` tier;
- a public IP of the VPC, with port 2222 forwarded to the node's port 22;

then tears everything down in reverse order and checks that nothing is left.

    CLOUDSTACK_ENDPOINT=... CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \
        python examples/advanced_vpc.py
"""

from __future__ import annotations

import sys
from typing import Any

from _connect import connect


def build(conn: Any) -> dict[str, Any]:
    """Create the VPC and everything in it; return what was made."""
    zone = next(z for z in conn.list_locations() if z.extra["network_type"] == "Advanced")
    vpc_offering = conn.ex_list_vpc_offerings()[0]
    tier_offering = next(o for o in conn.ex_list_network_offerings()
                         if o.for_vpc and o.guest_ip_type == "Isolated")

    # createVPC is asynchronous: ex_create_vpc waits for it and returns the server's VPC
    vpc = conn.ex_create_vpc("10.10.0.0/16", "Example VPC", "example-vpc", vpc_offering,
                             zone.id)
    print(f"VPC {vpc.name} {vpc.cidr} state={vpc.extra['state']}")

    acl_list = conn.ex_create_network_acllist("web-acl", vpc.id, description="SSH in")
    ssh_in = conn.ex_create_network_acl("tcp", acl_list.id, "0.0.0.0/0", 22, 22,
                                        action="Allow", traffic_type="Ingress")
    print(f"ACL list {acl_list.name}: {ssh_in.action} {ssh_in.protocol} {ssh_in.start_port}")

    web = conn.ex_create_network("Web tier", "web", tier_offering, zone,
                                 gateway="10.10.1.1", netmask="255.255.255.0",
                                 vpc_id=vpc.id, ex_acl_id=acl_list.id)
    db = conn.ex_create_network("DB tier", "db", tier_offering, zone,
                                gateway="10.10.2.1", netmask="255.255.255.0", vpc_id=vpc.id)
    print(f"tiers: {web.name} ({web.extra['cidr']}), {db.name} ({db.extra['cidr']})")

    images = conn.list_images(location=zone)
    sizes = conn.list_sizes()
    node = conn.create_node(name="web1", image=images[0], size=sizes[0], networks=[web],
                            location=zone)
    print(f"node {node.name} private_ips={node.private_ips}")

    ip = conn.ex_allocate_public_ip(vpc_id=vpc.id)
    # In a VPC the ACL decides what comes in: no firewall rule is opened (openfirewall=False)
    rule = conn.ex_create_port_forwarding_rule(node, ip, 22, 2222, "TCP", openfirewall=False,
                                               network_id=web.id)
    print(f"ssh -p {rule.public_port} root@{ip}  ->  {node.private_ips[0]}:{rule.private_port}")

    seen = conn.ex_get_node(node.id)
    assert [r.id for r in seen.extra["port_forwarding_rules"]] == [rule.id]
    assert str(ip) in seen.public_ips
    return {"vpc": vpc, "acl_list": acl_list, "acl": ssh_in, "tiers": [web, db],
            "node": node, "ip": ip, "rule": rule}


def tear_down(conn: Any, made: dict[str, Any]) -> None:
    """Delete everything ``build`` made, in reverse order."""
    made["rule"].delete()
    made["ip"].release()
    conn.destroy_node(made["node"], ex_expunge=True)
    for tier in made["tiers"]:
        conn.ex_delete_network(tier)
    conn.ex_delete_network_acl(made["acl"])
    conn.ex_delete_network_acllist(made["acl_list"])
    conn.ex_delete_vpc(made["vpc"])


def leftovers(conn: Any, made: dict[str, Any]) -> list[str]:
    """What is still there of ``made`` (empty when the teardown was complete)."""
    left = [f"VPC {v.id}" for v in conn.ex_list_vpcs() if v.id == made["vpc"].id]
    tiers = {t.id for t in made["tiers"]}
    left += [f"network {n.name}" for n in conn.ex_list_networks() if n.id in tiers]
    left += [f"ACL list {a.name}" for a in conn.ex_list_network_acllists()
             if a.id == made["acl_list"].id]
    left += [f"ACL {a.id}" for a in conn.ex_list_network_acl() if a.id == made["acl"].id]
    left += [f"IP {ip}" for ip in conn.ex_list_public_ips() if ip.vpc_id == made["vpc"].id]
    left += [f"rule {r.id}" for r in conn.ex_list_port_forwarding_rules()
             if r.id == made["rule"].id]
    left += [f"node {n.name}" for n in conn.list_nodes() if n.id == made["node"].id]
    left += [f"router {r.name}" for r in conn.ex_list_routers(vpc_id=made["vpc"].id)]
    return left


def main() -> None:
    conn = connect()
    made = build(conn)
    tear_down(conn, made)
    left = leftovers(conn, made)
    if left:
        sys.exit(f"left behind: {', '.join(left)}")
    print("torn down: nothing left behind")


if __name__ == "__main__":
    main()
