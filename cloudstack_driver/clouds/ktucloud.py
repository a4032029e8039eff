"""KT ucloud biz (``Provider.KTUCLOUD``): CloudStack with KT's product-type catalogue.

KTUCloud has no default endpoint here: pass ``host=`` or ``url=`` (libcloud had none either,
and failed later with an obscure error, D40). Images and sizes come from KT's
``listAvailableProductTypes``: an image is a product (its id is a service offering id), a size
is a disk offering (``"0"`` for none).
"""

from __future__ import annotations

from typing import Any, ClassVar

from cloudstack_driver._convert import node_state
from cloudstack_driver._validate import check_instance, check_name, check_optional_instance
from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.models import Node, NodeImage, NodeLocation, NodeSize
from cloudstack_driver.types import Provider

__all__ = ["KTUCloudNodeDriver"]


class KTUCloudNodeDriver(CloudStackNodeDriver):
    """KTUCloud: ``KTUCloudNodeDriver(key, secret, host=... or url=...)``.

    ``ValueError`` when neither ``host`` nor ``url`` is given.
    """

    EMPTY_DISKOFFERINGID = "0"
    type: ClassVar[Provider | str | None] = Provider.KTUCLOUD
    name: ClassVar[str] = "KTUCloud"
    website: ClassVar[str] = "https://ucloudbiz.olleh.com/"

    def __init__(self, key: str, secret: str | None = None, secure: bool = True,
                 host: str | None = None, path: str | None = None,
                 port: int | str | None = None, url: str | None = None,
                 **kwargs: Any) -> None:
        if not host and not url:
            raise ValueError(
                "KTUCloudNodeDriver needs an endpoint: pass url='https://HOST/PATH' or host= "
                "(and path=); there is no default KTUCloud endpoint"
            )
        super().__init__(key, secret, secure, host, path, port, url, **kwargs)

    def _product_types(self, location: NodeLocation | None, method: str) -> list[dict[str, Any]]:
        where = check_optional_instance(method, "location", location, NodeLocation)
        result = self.connection.request("listAvailableProductTypes",
                                         zoneid=where.id if where else None)
        products = result.get("producttypes") or []
        return [p for p in products if isinstance(p, dict)]

    def list_images(self, location: NodeLocation | None = None,  # type: ignore[override]
                    ) -> list[NodeImage]:
        """Products as images: ``listAvailableProductTypes(zoneid?)``. No job. Image id =
        ``serviceofferingid``, name = ``serviceofferingdesc``; extra ``templateid``,
        ``zoneid``, ``os``."""
        return [
            NodeImage(p.get("serviceofferingid"), p.get("serviceofferingdesc"), self, {
                "hypervisor": "", "format": "", "os": p.get("templatedesc"),
                "templateid": p.get("templateid"), "zoneid": p.get("zoneid"),
            })
            for p in self._product_types(location, "list_images")
        ]

    def list_sizes(self, location: NodeLocation | None = None) -> list[NodeSize]:
        """Disk offerings as sizes: ``listAvailableProductTypes(zoneid?)``. No job. Size id =
        ``diskofferingid`` (``"0"`` when none), name = ``diskofferingdesc``."""
        return [
            NodeSize(p.get("diskofferingid") or self.EMPTY_DISKOFFERINGID,
                     p.get("diskofferingdesc"), 0, 0, 0, 0, self)
            for p in self._product_types(location, "list_sizes")
        ]

    def create_node(self, name: str, size: NodeSize, image: NodeImage,  # type: ignore[override]
                    location: NodeLocation | None = None,
                    ex_usageplantype: str | None = "hourly", *, auth: Any = None) -> Node:
        """``deployVirtualMachine(displayname, serviceofferingid=image.id, templateid,
        zoneid, usageplantype, diskofferingid?)``; waits for the job. Returns a ``Node``.
        ``location`` overrides the image's zone; ``auth`` is not supported (None only)."""
        m = "create_node"
        check_name(m, "name", name)
        size = check_instance(m, "size", size, NodeSize)
        image = check_instance(m, "image", image, NodeImage)
        where = check_optional_instance(m, "location", location, NodeLocation)
        if auth is not None:
            raise ValueError("create_node(): 'auth' is not supported by KTUCloud")
        templateid = image.extra.get("templateid")
        zoneid = where.id if where else image.extra.get("zoneid")
        if not templateid or not zoneid:
            raise ValueError("create_node(): 'image' must come from list_images() (it needs "
                             "extra['templateid'] and extra['zoneid'])")
        plan = "hourly" if ex_usageplantype is None else check_name(m, "ex_usageplantype",
                                                                    ex_usageplantype)
        result = self.connection.request(
            "deployVirtualMachine", displayname=name, serviceofferingid=image.id,
            templateid=str(templateid), zoneid=str(zoneid), usageplantype=plan,
            diskofferingid=None if size.id == self.EMPTY_DISKOFFERINGID else size.id)
        vm = result.get("virtualmachine") or {}
        return Node(
            id=vm.get("id"), name=vm.get("displayname") or name,
            state=node_state(vm.get("state")), public_ips=[], private_ips=[],
            driver=self,
            extra={"zoneid": zoneid, "ip_addresses": [], "forwarding_rules": []},
        )
