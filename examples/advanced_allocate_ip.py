"""Advanced zone example 3: allocate a public IP, see it listed, release it.

    CLOUDSTACK_ENDPOINT=... CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \
        python examples/advanced_allocate_ip.py
"""

from __future__ import annotations

from typing import Any

from _connect import connect


def allocate_and_release(driver: Any) -> Any:
    """Allocate an IP in the first advanced zone (public IPs do not exist in basic zones),
    show it among the account's IPs, and release it."""
    zone = next(z for z in driver.list_locations() if z.extra["network_type"] == "Advanced")

    # Allocate a public IP: this returns a CloudStackAddress
    ip = driver.ex_allocate_public_ip(location=zone)
    print(f"allocated {ip} (id {ip.id}) on network {ip.associated_network_id}")

    # You can now see this address when listing public IPs
    ips = driver.ex_list_public_ips()
    print("public IPs:", [str(a) for a in ips])
    assert ip in ips

    # Give it back
    ip.release()
    print(f"released {ip}")
    return ip


def main() -> None:
    allocate_and_release(connect())


if __name__ == "__main__":
    main()
