"""Placeholder: ``deploy_node`` and ``wait_until_running`` arrive with the deployment work."""

from __future__ import annotations

__all__ = ["DeployMixin"]


class DeployMixin:
    """``deploy_node`` / ``wait_until_running`` (filled in by the deployment module's owner)."""
