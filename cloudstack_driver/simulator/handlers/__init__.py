"""Every command handler module; importing this package registers all commands."""

from __future__ import annotations

from . import (
    addresses,
    apis,
    deploy,
    firewall,
    forwarding,
    infra,
    keypairs,
    misc,
    networks,
    nics,
    offerings,
    security_groups,
    vms,
    volumes,
    vpc,
    vpn,
)

__all__ = ["addresses", "apis", "deploy", "firewall", "forwarding", "infra", "keypairs", "misc",
           "networks", "nics", "offerings", "security_groups", "vms", "volumes", "vpc", "vpn"]
