"""Advanced zone example 1: an interactive shell on an advanced-zone cloud.

The seed starts an IPython shell on Ikoula; this one works on any CloudStack endpoint. It
connects, shows what an advanced zone offers (zones, guest networks, public IPs), then opens a
Python shell with ``conn`` ready, unless ``--no-shell`` is given or stdin is not a terminal.

    export CLOUDSTACK_ENDPOINT=https://cloud.example.com/client/api
    export CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=...
    python examples/advanced_interactive_shell.py
"""

from __future__ import annotations

import code
import sys
from typing import Any

from _connect import connect


def explore(conn: Any) -> dict[str, Any]:
    """Print what an advanced-zone user looks at first; return it for the shell."""
    zones = [z for z in conn.list_locations() if z.extra["network_type"] == "Advanced"]
    print("advanced zones:", [z.name for z in zones])
    nets = conn.ex_list_networks()
    for net in nets:
        print(f"network {net.name} ({net.extra['type']}) zone={net.extra['zone_name']} "
              f"cidr={net.extra['cidr']}")
    ips = conn.ex_list_public_ips()
    print("public IPs:", [str(ip) for ip in ips])
    print("network offerings:", [o.name for o in conn.ex_list_network_offerings()])
    return {"conn": conn, "zones": zones, "nets": nets, "ips": ips}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    conn = connect()
    names = explore(conn)
    if "--no-shell" not in args and sys.stdin.isatty():
        code.interact(banner="Hello from the cloudstack_driver shell: try conn.list_nodes()",
                      local=names)


if __name__ == "__main__":
    main()
