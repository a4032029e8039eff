"""User data: read back what ``create_node(ex_userdata=...)`` stored on a VM.

``create_node`` sends ``userdata`` base64-encoded, by POST (``deployVirtualMachine`` is not a
read-only command), so user data up to the server's ``vm.userdata.max.length`` (32 KB by
default) works - libcloud's GET-only driver failed above about 4 KB (D17).
"""

from __future__ import annotations

import base64
import binascii

from cloudstack_driver.cloudstack.ext._args import id_of
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.errors import MalformedResponseError
from cloudstack_driver.models import Node

__all__ = ["UserDataMixin"]


class UserDataMixin(DriverHost):
    """``ex_get_node_userdata``."""

    def ex_get_node_userdata(self, node: Node | str) -> bytes:
        """The user data of ``node`` (a ``Node`` or its id), decoded from base64:
        ``getVirtualMachineUserData(virtualmachineid)``. No job. ``b""`` when the VM has
        none."""
        m = "ex_get_node_userdata"
        node_id = id_of(m, "node", node, Node)
        result = self.connection.request("getVirtualMachineUserData", virtualmachineid=node_id)
        data = result.get("virtualmachineuserdata")
        record = data if isinstance(data, dict) else result
        encoded = record.get("userdata")
        if not encoded:
            return b""
        try:
            return base64.b64decode(str(encoded), validate=True)
        except (binascii.Error, ValueError):
            raise MalformedResponseError(
                f"{m}(): the server's userdata is not base64", body=result, driver=self
            ) from None
