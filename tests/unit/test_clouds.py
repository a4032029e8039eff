"""Public-cloud presets (PARITY 6.3): endpoints, names, the Exoscale warning, AuroraCompute
regions and url (D21), KTUCloud's endpoint check and product types (D40)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import requests_mock
from _wire import wire

from cloudstack_driver import (
    CloudStackNodeDriver,
    Node,
    NodeImage,
    NodeLocation,
    NodeSize,
    Provider,
    get_driver,
)
from cloudstack_driver.clouds.auroracompute import (
    REGION_ENDPOINT_MAP,
    AuroraComputeNodeDriver,
    AuroraComputeRegion,
)
from cloudstack_driver.clouds.exoscale import ExoscaleAPIClosedWarning, ExoscaleNodeDriver
from cloudstack_driver.clouds.ikoula import IkoulaNodeDriver
from cloudstack_driver.clouds.ktucloud import KTUCloudNodeDriver


@pytest.mark.parametrize(("provider", "cls", "name"), [
    (Provider.EXOSCALE, ExoscaleNodeDriver, "Exoscale"),
    (Provider.IKOULA, IkoulaNodeDriver, "Ikoula"),
    (Provider.AURORACOMPUTE, AuroraComputeNodeDriver, "PCextreme AuroraCompute"),
    (Provider.KTUCLOUD, KTUCloudNodeDriver, "KTUCloud"),
])
def test_get_driver_returns_each_preset(provider: Provider, cls: type, name: str) -> None:
    assert get_driver(provider) is cls
    assert issubclass(cls, CloudStackNodeDriver)
    assert cls.type == provider and cls.name == name


def test_exoscale_warns_that_its_api_is_closed() -> None:
    with pytest.warns(ExoscaleAPIClosedWarning, match="closed its CloudStack-compatible API"):
        driver = ExoscaleNodeDriver("key", "secret")
    assert driver.url == "https://api.exoscale.com/compute"


def test_exoscale_pointed_elsewhere_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        driver = ExoscaleNodeDriver("key", "secret", url="http://127.0.0.1:8080/client/api")
    assert driver.url == "http://127.0.0.1:8080/client/api"


def test_ikoula_endpoint() -> None:
    assert IkoulaNodeDriver("k", "s").url == "https://cloudstack.ikoula.com/client/api"


@pytest.mark.parametrize(("region", "path"), [
    (None, "/ams"), (AuroraComputeRegion.MIA, "/mia"), (AuroraComputeRegion.LAX, "/lax"),
    ("TYO", "/tyo"), ("bcn", "/bcn"), ("rotterdam", "/rtd"),
])
def test_aurora_regions(region: str | None, path: str) -> None:
    driver = AuroraComputeNodeDriver("k", "s", region=region)
    assert driver.url == f"https://api.auroracompute.eu{path}"


def test_aurora_region_table_matches_libcloud() -> None:
    assert REGION_ENDPOINT_MAP == {"Amsterdam": "/ams", "Rotterdam": "/rtd", "Miami": "/mia",
                                   "Los Angeles": "/lax", "Tokyo": "/tyo", "Barcelona": "/bcn"}


def test_aurora_unknown_region_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"'region' must be one of .*got 'Paris'"):
        AuroraComputeNodeDriver("k", "s", region="Paris")


def test_aurora_honours_url_path_and_kwargs() -> None:
    driver = AuroraComputeNodeDriver("k", "s", url="http://127.0.0.1:9000/client/api",
                                     job_timeout=5)
    assert driver.url == "http://127.0.0.1:9000/client/api"
    assert driver.connection.job_timeout == 5
    assert AuroraComputeNodeDriver("k", "s", "/custom").url == \
        "https://api.auroracompute.eu/custom"


def test_ktucloud_needs_an_endpoint() -> None:
    with pytest.raises(ValueError, match="KTUCloudNodeDriver needs an endpoint"):
        KTUCloudNodeDriver("k", "s")


PRODUCTS = {"count": 2, "producttypes": [
    {"serviceofferingid": "so1", "serviceofferingdesc": "1 vCore", "templateid": "t1",
     "templatedesc": "CentOS 7", "zoneid": "z1", "diskofferingid": "do1",
     "diskofferingdesc": "100GB"},
    {"serviceofferingid": "so2", "serviceofferingdesc": "2 vCore", "templateid": "t2",
     "templatedesc": "Ubuntu", "zoneid": "z1", "diskofferingdesc": "none"},
]}


@pytest.fixture
def ktu(cs_router: Any) -> Any:
    router = cs_router
    with requests_mock.Mocker() as mocker:
        mocker.register_uri(requests_mock.ANY, "https://ktu.test/client/api", json=router)
        driver = KTUCloudNodeDriver("k", "s", host="ktu.test", poll_interval=0, max_retries=0)
        yield driver, router


def test_ktucloud_images_and_sizes_from_product_types(ktu: Any) -> None:
    driver, router = ktu
    router.answer("listAvailableProductTypes", PRODUCTS)
    images = driver.list_images(location=NodeLocation("z1", "Zone", "KR", driver))
    assert [(i.id, i.name, i.extra["templateid"], i.extra["os"]) for i in images] == [
        ("so1", "1 vCore", "t1", "CentOS 7"), ("so2", "2 vCore", "t2", "Ubuntu")]
    assert wire(router.sent("listAvailableProductTypes")[0], keep_paging=True) == {"zoneid": "z1"}
    sizes = driver.list_sizes()
    assert [(s.id, s.name) for s in sizes] == [("do1", "100GB"), ("0", "none")]
    assert wire(router.sent("listAvailableProductTypes")[1], keep_paging=True) == {}


def test_ktucloud_create_node(ktu: Any) -> None:
    driver, router = ktu
    router.answer_async("deployVirtualMachine", {"virtualmachine": {
        "id": "vm1", "displayname": "web", "state": "Running"}})
    image = NodeImage("so1", "1 vCore", driver, {"templateid": "t1", "zoneid": "z1"})
    node = driver.create_node("web", NodeSize("0", "none", 0, 0, 0, 0, driver), image)
    assert wire(router.sent("deployVirtualMachine")[0], keep_paging=True) == {
        "displayname": "web", "serviceofferingid": "so1", "templateid": "t1", "zoneid": "z1",
        "usageplantype": "hourly"}
    assert type(node) is Node and (node.id, node.name, node.state) == ("vm1", "web", "running")
    driver.create_node("db", NodeSize("do1", "100GB", 0, 0, 0, 0, driver), image,
                       ex_usageplantype="monthly")
    sent = wire(router.sent("deployVirtualMachine")[1], keep_paging=True)
    assert sent["diskofferingid"] == "do1" and sent["usageplantype"] == "monthly"


def test_ktucloud_create_node_libcloud_positional_order(ktu: Any) -> None:
    """libcloud: create_node(name, size, image, location=None, ex_usageplantype="hourly")."""
    driver, router = ktu
    router.answer_async("deployVirtualMachine", {"virtualmachine": {"id": "vm1"}})
    image = NodeImage("so1", "1 vCore", driver, {"templateid": "t1", "zoneid": "z1"})
    where = NodeLocation("z2", "Zone2", "KR", driver)
    driver.create_node("web", NodeSize("0", "none", 0, 0, 0, 0, driver), image, where,
                       "monthly")
    sent = wire(router.sent("deployVirtualMachine")[0], keep_paging=True)
    assert (sent["zoneid"], sent["usageplantype"]) == ("z2", "monthly")


def test_ktucloud_create_node_needs_a_listed_image(ktu: Any) -> None:
    driver, router = ktu
    with pytest.raises(ValueError, match="'image' must come from list_images"):
        driver.create_node("web", NodeSize("0", "n", 0, 0, 0, 0, driver),
                           NodeImage("so1", "x", driver))
    assert router.calls == []
