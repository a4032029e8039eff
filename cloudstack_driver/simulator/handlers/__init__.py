"""Every command handler module; importing this package registers all commands."""

from __future__ import annotations

from . import (
    addresses,
    firewall,
    forwarding,
    infra,
    keypairs,
    misc,
    networks,
    security_groups,
    vms,
    volumes,
    vpc,
    vpn,
)

__all__ = ["addresses", "firewall", "forwarding", "infra", "keypairs", "misc", "networks",
           "security_groups", "vms", "volumes", "vpc", "vpn"]
