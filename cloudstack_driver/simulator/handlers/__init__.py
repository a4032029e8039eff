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
    loadbalancer,
    misc,
    networks,
    nics,
    offerings,
    private_gateways,
    projects,
    remote_vpn,
    routers,
    security_groups,
    vms,
    volumes,
    vpc,
    vpn,
)

__all__ = ["addresses", "apis", "deploy", "firewall", "forwarding", "infra", "keypairs",
           "loadbalancer", "misc", "networks", "nics", "offerings", "private_gateways",
           "projects", "remote_vpn", "routers", "security_groups", "vms", "volumes", "vpc",
           "vpn"]
