"""get_driver / set_driver: the lazy provider table."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from cloudstack_driver import (
    CloudStackNodeDriver,
    LibcloudError,
    Provider,
    get_driver,
    set_driver,
)
from cloudstack_driver import providers as providers_module


@pytest.fixture
def clean_table() -> Iterator[None]:
    saved = dict(providers_module.DRIVERS)
    yield
    providers_module.DRIVERS.clear()
    providers_module.DRIVERS.update(saved)


def test_cloudstack_by_member_and_by_value() -> None:
    assert get_driver(Provider.CLOUDSTACK) is CloudStackNodeDriver
    assert get_driver("cloudstack") is CloudStackNodeDriver


def test_presets_point_at_their_modules() -> None:
    assert providers_module.DRIVERS["exoscale"] == (
        "cloudstack_driver.clouds.exoscale", "ExoscaleNodeDriver")
    assert providers_module.DRIVERS["ikoula"] == (
        "cloudstack_driver.clouds.ikoula", "IkoulaNodeDriver")
    assert providers_module.DRIVERS["aurora_compute"] == (
        "cloudstack_driver.clouds.auroracompute", "AuroraComputeNodeDriver")
    assert providers_module.DRIVERS["ktucloud"] == (
        "cloudstack_driver.clouds.ktucloud", "KTUCloudNodeDriver")


def test_unknown_provider_is_a_clear_error() -> None:
    with pytest.raises(LibcloudError, match=r"unknown provider 'nimbus'.*cloudstack"):
        get_driver("nimbus")


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="provider"):
        get_driver(42)  # type: ignore[arg-type]


def test_unloadable_module_names_the_provider(clean_table: None) -> None:
    providers_module.DRIVERS["broken"] = ("cloudstack_driver.no_such_module", "X")
    with pytest.raises(LibcloudError, match=r"provider 'broken'.*no_such_module") as info:
        get_driver("broken")
    assert isinstance(info.value.__cause__, ImportError)


def test_missing_class_names_the_provider(clean_table: None) -> None:
    providers_module.DRIVERS["noclass"] = ("cloudstack_driver.models", "NoSuchDriver")
    with pytest.raises(LibcloudError, match=r"provider 'noclass'.*NoSuchDriver"):
        get_driver("noclass")


def test_set_driver_registers_a_third_party_driver(
        clean_table: None, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("thirdparty_cloud")

    class ThirdPartyDriver(CloudStackNodeDriver):
        name = "Third"

    module.ThirdPartyDriver = ThirdPartyDriver  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "thirdparty_cloud", module)
    assert set_driver("third", "thirdparty_cloud", "ThirdPartyDriver") is ThirdPartyDriver
    assert get_driver("third") is ThirdPartyDriver
    with pytest.raises(LibcloudError, match="already registered"):
        set_driver("third", "thirdparty_cloud", "ThirdPartyDriver")


def test_set_driver_registers_nothing_when_loading_fails(clean_table: None) -> None:
    with pytest.raises(LibcloudError, match="provider 'ghost'"):
        set_driver("ghost", "cloudstack_driver.nope", "Ghost")
    assert "ghost" not in providers_module.DRIVERS
