"""``NodeDriver``: the provider-neutral contract, as in libcloud's ``compute/base.py``.

It knows no HTTP. Every method a driver may implement is declared here and raises
``NotImplementedError`` until a driver overrides it, so ``hasattr`` checks and ``help()`` read the
same as with libcloud. ``deploy_node`` and ``wait_until_running`` come from ``DeployMixin``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from cloudstack_driver.deploy import DeployMixin

if TYPE_CHECKING:
    from cloudstack_driver.models import (
        KeyPair,
        Node,
        NodeImage,
        NodeLocation,
        NodeSize,
        StorageVolume,
        VolumeSnapshot,
    )
    from cloudstack_driver.types import Provider

__all__ = ["NodeDriver"]


def _missing(driver: NodeDriver, method: str) -> NotImplementedError:
    return NotImplementedError(f"{type(driver).__name__} does not implement {method}()")


class NodeDriver(DeployMixin):
    """Base of every compute driver.

    :cvar name: human-readable provider name (used in model reprs)
    :cvar website: the provider's web site
    :cvar type: the :class:`~cloudstack_driver.types.Provider` member
    :cvar features: optional behaviours, e.g. ``{"create_node": ["generates_password"]}``
    """

    name: ClassVar[str] = "NodeDriver"
    website: ClassVar[str] = ""
    type: ClassVar[Provider | str | None] = None
    features: ClassVar[dict[str, list[str]]] = {"create_node": []}

    # -- nodes -------------------------------------------------------------------------------
    def list_nodes(self, *args: Any, **kwargs: Any) -> Sequence[Node]:
        """Every node the account can see."""
        raise _missing(self, "list_nodes")

    def create_node(self, *args: Any, **kwargs: Any) -> Node:
        """Create a node: ``create_node(name, size, image, location=None, ...)``."""
        raise _missing(self, "create_node")

    def reboot_node(self, node: Node) -> bool:
        """Reboot ``node``."""
        raise _missing(self, "reboot_node")

    def start_node(self, node: Node) -> bool:
        """Start a stopped ``node``."""
        raise _missing(self, "start_node")

    def stop_node(self, *args: Any, **kwargs: Any) -> bool:
        """Stop a running ``node``: ``stop_node(node)``."""
        raise _missing(self, "stop_node")

    def destroy_node(self, *args: Any, **kwargs: Any) -> bool:
        """Destroy ``node``: ``destroy_node(node)``."""
        raise _missing(self, "destroy_node")

    # -- images, sizes, locations -----------------------------------------------------------
    def list_images(self, *args: Any, **kwargs: Any) -> list[NodeImage]:
        """Images nodes can boot from: ``list_images(location=None)``."""
        raise _missing(self, "list_images")

    def get_image(self, image_id: str) -> NodeImage:
        """The image with id ``image_id``."""
        raise _missing(self, "get_image")

    def create_image(self, *args: Any, **kwargs: Any) -> NodeImage:
        """Create an image from a node. Not offered by the CloudStack driver (libcloud's did not
        either): raises ``NotImplementedError`` and sends no command (``createTemplate`` is
        reachable as ``ex_create_snapshot_template`` or ``connection.request``)."""
        raise _missing(self, "create_image")

    def delete_image(self, *args: Any, **kwargs: Any) -> bool:
        """Delete an image. Not offered by the CloudStack driver: raises
        ``NotImplementedError`` and sends no command (use
        ``connection.request("deleteTemplate", id=...)``)."""
        raise _missing(self, "delete_image")

    def copy_image(self, *args: Any, **kwargs: Any) -> NodeImage:
        """Copy an image to another region. Not offered by the CloudStack driver: raises
        ``NotImplementedError`` and sends no command (use
        ``connection.request("copyTemplate", ...)``)."""
        raise _missing(self, "copy_image")

    def list_sizes(self, *args: Any, **kwargs: Any) -> list[NodeSize]:
        """Instance types: ``list_sizes(location=None)``."""
        raise _missing(self, "list_sizes")

    def list_locations(self) -> list[NodeLocation]:
        """Where nodes can run."""
        raise _missing(self, "list_locations")

    # -- volumes and snapshots ---------------------------------------------------------------
    def list_volumes(self, *args: Any, **kwargs: Any) -> list[StorageVolume]:
        """Every volume the account can see."""
        raise _missing(self, "list_volumes")

    def create_volume(self, *args: Any, **kwargs: Any) -> StorageVolume:
        """Create a volume: ``create_volume(size, name, location=None, snapshot=None)``."""
        raise _missing(self, "create_volume")

    def destroy_volume(self, volume: StorageVolume) -> bool:
        """Delete ``volume``."""
        raise _missing(self, "destroy_volume")

    def attach_volume(self, *args: Any, **kwargs: Any) -> bool:
        """Attach a volume: ``attach_volume(node, volume, device=None)``."""
        raise _missing(self, "attach_volume")

    def detach_volume(self, volume: StorageVolume) -> bool:
        """Detach ``volume`` from its node."""
        raise _missing(self, "detach_volume")

    def list_volume_snapshots(self, volume: StorageVolume) -> list[VolumeSnapshot]:
        """Snapshots of ``volume``."""
        raise _missing(self, "list_volume_snapshots")

    def create_volume_snapshot(self, *args: Any, **kwargs: Any) -> VolumeSnapshot:
        """Snapshot a volume: ``create_volume_snapshot(volume, name=None)``."""
        raise _missing(self, "create_volume_snapshot")

    def destroy_volume_snapshot(self, snapshot: VolumeSnapshot) -> bool:
        """Delete ``snapshot``."""
        raise _missing(self, "destroy_volume_snapshot")

    # -- key pairs ---------------------------------------------------------------------------
    def list_key_pairs(self, *args: Any, **kwargs: Any) -> list[KeyPair]:
        """Every key pair."""
        raise _missing(self, "list_key_pairs")

    def get_key_pair(self, name: str) -> KeyPair:
        """The key pair called ``name``."""
        raise _missing(self, "get_key_pair")

    def create_key_pair(self, *args: Any, **kwargs: Any) -> KeyPair:
        """Create a key pair: ``create_key_pair(name)``; the private key is returned once."""
        raise _missing(self, "create_key_pair")

    def import_key_pair_from_string(self, name: str, key_material: str) -> KeyPair:
        """Register a public key given as text."""
        raise _missing(self, "import_key_pair_from_string")

    def import_key_pair_from_file(self, name: str, key_file_path: str) -> KeyPair:
        """Register the public key stored in ``key_file_path``."""
        raise _missing(self, "import_key_pair_from_file")

    def delete_key_pair(self, *args: Any, **kwargs: Any) -> bool:
        """Delete a key pair: ``delete_key_pair(key_pair)``."""
        raise _missing(self, "delete_key_pair")
