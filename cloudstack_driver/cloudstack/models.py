"""CloudStack-only models of the core: nodes, disk offerings, projects.

``CloudStackNode`` helpers delegate to the driver with keyword arguments, so the driver's
argument order can never be mixed up again (libcloud's ``ex_allocate_public_ip`` passed the node
as ``vpc_id``).
"""

from __future__ import annotations

from typing import Any

from cloudstack_driver.cloudstack._modelbase import Bound, EqByKey, describe
from cloudstack_driver.models import Node

__all__ = ["CloudStackDiskOffering", "CloudStackNode", "CloudStackProject"]


class CloudStackNode(Node):
    """A CloudStack virtual machine, with libcloud's node helpers."""

    def ex_allocate_public_ip(self, **kwargs: Any) -> Any:
        """``driver.ex_allocate_public_ip(**kwargs)`` (``vpc_id``, ``network_id``, ``location``)."""
        return self.driver.ex_allocate_public_ip(**kwargs)

    def ex_release_public_ip(self, address: Any) -> bool:
        """``driver.ex_release_public_ip(address=address)``."""
        return bool(self.driver.ex_release_public_ip(address=address))

    def ex_create_ip_forwarding_rule(self, address: Any, protocol: str, start_port: int,
                                     end_port: int | None = None) -> Any:
        """``driver.ex_create_ip_forwarding_rule(node=self, ...)``."""
        return self.driver.ex_create_ip_forwarding_rule(
            node=self, address=address, protocol=protocol, start_port=start_port,
            end_port=end_port,
        )

    def ex_create_port_forwarding_rule(
        self,
        address: Any,
        private_port: int,
        public_port: int,
        protocol: str,
        public_end_port: int | None = None,
        private_end_port: int | None = None,
        openfirewall: bool = True,
        network_id: str | None = None,
    ) -> Any:
        """``driver.ex_create_port_forwarding_rule(node=self, ...)``."""
        return self.driver.ex_create_port_forwarding_rule(
            node=self, address=address, private_port=private_port, public_port=public_port,
            protocol=protocol, public_end_port=public_end_port,
            private_end_port=private_end_port, openfirewall=openfirewall,
            network_id=network_id,
        )

    def ex_delete_ip_forwarding_rule(self, rule: Any) -> bool:
        """``driver.ex_delete_ip_forwarding_rule(node=self, rule=rule)``."""
        return bool(self.driver.ex_delete_ip_forwarding_rule(node=self, rule=rule))

    def ex_delete_port_forwarding_rule(self, rule: Any) -> bool:
        """``driver.ex_delete_port_forwarding_rule(node=self, rule=rule)``."""
        return bool(self.driver.ex_delete_port_forwarding_rule(node=self, rule=rule))

    def ex_start(self) -> str:
        """``driver.ex_start(node=self)``: the new CloudStack state."""
        return str(self.driver.ex_start(node=self))

    def ex_stop(self) -> str:
        """``driver.ex_stop(node=self)``: the new CloudStack state."""
        return str(self.driver.ex_stop(node=self))

    def ex_restore(self, template: Any = None) -> str:
        """``driver.ex_restore(node=self, template=template)``: the template id now used."""
        return str(self.driver.ex_restore(node=self, template=template))

    def ex_change_node_size(self, offering: Any) -> str:
        """``driver.ex_change_node_size(node=self, offering=offering)``: the new offering id."""
        return str(self.driver.ex_change_node_size(node=self, offering=offering))


class CloudStackDiskOffering(EqByKey):
    """A disk offering: ``size`` in GB (0 for a customizable one), ``customizable`` bool."""

    def __init__(self, id: Any, name: str | None, size: int | None, customizable: bool,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.name = name
        self.size = size
        self.customizable = customizable
        self.extra: dict[str, Any] = extra if extra is not None else {}

    def __repr__(self) -> str:
        return describe("CloudStackDiskOffering", self, "id", "name", "size", "customizable")


class CloudStackProject(Bound):
    """A CloudStack project; pass it as ``project`` to the methods that take one."""

    def __init__(self, id: Any, name: str | None, display_text: str | None, driver: Any,
                 extra: dict[str, Any] | None = None) -> None:
        self.id = id
        self.name = name
        self.display_text = display_text
        self._bind(driver, extra)

    def __repr__(self) -> str:
        return describe("CloudStackProject", self, "id", "name", "display_text", "driver")
