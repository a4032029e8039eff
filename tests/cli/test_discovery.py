"""driver.api against the simulator's listApis: checks before sending, one fetch per endpoint
and key (cached on disk, never with the secret), help and completion from the server."""

from __future__ import annotations

import inspect
import json
import rlcompleter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.discovery import (
    Api,
    ApiCommand,
    MissingParameterError,
    UnknownCommandError,
    UnknownParameterError,
    cache_file,
)
from cloudstack_driver.shell import namespace
from cloudstack_driver.simulator import Simulator

BASIC_ZONE = "1128bd56-b4d9-4ac6-a7b9-c715b187ce11"
TEMPLATE = "13ccff62-132b-4caf-b456-e8ef20cbff0e"
OFFERING = "ef2537ad-c70f-11e1-821b-0800277e749c"


class Sent:
    """The CloudStack commands a driver sends (a requests response hook)."""

    def __init__(self, driver: CloudStackNodeDriver) -> None:
        self.commands: list[str] = []
        driver.connection.session.hooks["response"].append(self._record)

    def _record(self, response: Any, *args: Any, **kwargs: Any) -> None:
        request = response.request
        params = dict(parse_qsl(urlsplit(request.url).query))
        if request.body:
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            params.update(parse_qsl(body))
        self.commands.append(params.get("command", ""))


def _driver(sim: Simulator, key: str | None = None) -> CloudStackNodeDriver:
    return CloudStackNodeDriver(key or sim.api_key, sim.secret_key, url=sim.url,
                                poll_interval=0.02, max_retries=0)


@pytest.fixture
def driver(home: Path, sim: Simulator) -> Iterator[CloudStackNodeDriver]:
    made = _driver(sim)
    yield made
    made.connection.close()


def test_commands_run_through_api(driver: CloudStackNodeDriver) -> None:
    zones = driver.api.listZones()
    assert [z["name"] for z in zones] == ["CH-GV2", "DE-FRA1"]
    assert driver.api.listZones(name="DE-FRA1")[0]["networktype"] == "Advanced"
    made = driver.api.deployVirtualMachine(zoneid=BASIC_ZONE, templateid=TEMPLATE,
                                           serviceofferingid=OFFERING, name="api-vm")
    assert made["virtualmachine"]["name"] == "api-vm"
    assert made["virtualmachine"]["state"] == "Running"
    started = driver.api.stopVirtualMachine(id=made["virtualmachine"]["id"], wait=False)
    assert set(started) >= {"jobid"}
    assert driver.api is driver.api  # one Api per driver


def test_unknown_command_suggests_and_is_an_attribute_error(driver: CloudStackNodeDriver
                                                            ) -> None:
    sent = Sent(driver)
    with pytest.raises(UnknownCommandError) as caught:
        driver.api.listZone()
    assert str(caught.value) == "the server lists no command 'listZone'; did you mean listZones?"
    assert caught.value.suggestions == ("listZones",)
    assert isinstance(caught.value, AttributeError) and isinstance(caught.value, ValueError)
    assert not hasattr(driver.api, "listzones")
    with pytest.raises(UnknownCommandError, match="did you mean listZones"):
        driver.api.call("listzones")
    assert sent.commands == ["listApis"]  # the check itself: nothing else was sent


def test_unknown_parameter_and_missing_ones_before_sending(driver: CloudStackNodeDriver
                                                           ) -> None:
    sent = Sent(driver)
    with pytest.raises(UnknownParameterError) as caught:
        driver.api.listZones(nmae="CH-GV2")
    assert str(caught.value) == "listZones takes no parameter 'nmae'; did you mean name?"
    assert (caught.value.parameter, caught.value.suggestions) == ("nmae", ("name",))
    with pytest.raises(MissingParameterError) as missing:
        driver.api.deployVirtualMachine(zoneid=BASIC_ZONE, templateid=None)
    assert missing.value.missing == ("templateid", "serviceofferingid")
    assert str(missing.value) == ("deployVirtualMachine needs templateid, serviceofferingid "
                                  "(required by the server's listApis)")
    assert sent.commands == ["listApis"]
    # a map written flat counts as its parameter
    assert driver.api.listZones(**{"tags[0].key": "k", "tags[0].value": "v"}) == []


def test_listapis_is_fetched_once_and_cached_per_endpoint_and_key(home: Path, sim: Simulator
                                                                  ) -> None:
    first = _driver(sim)
    sent = Sent(first)
    first.api.listZones()
    first.api.listZones()
    assert sent.commands == ["listApis", "listZones", "listZones"]
    path = cache_file(sim.url, sim.api_key)
    assert path.parent == home / ".cache" / "cloudstack_driver"
    text = path.read_text()
    assert sim.secret_key not in text and sim.api_key not in text
    assert json.loads(text)["endpoint"] == sim.url

    second = _driver(sim)  # a new driver, a new process: the cache answers
    sent2 = Sent(second)
    assert second.api.listZones()[0]["name"] == "CH-GV2"
    assert second.api.catalog.source == str(path)
    assert sent2.commands == ["listZones"]
    second.api.refresh()
    assert sent2.commands == ["listZones", "listApis"]
    assert cache_file(sim.url, "another key") != path


def test_a_command_missing_from_the_cache_is_fetched_again(home: Path, sim: Simulator) -> None:
    path = cache_file(sim.url, sim.api_key)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": 1, "endpoint": sim.url, "apis": [
        {"name": "listZones", "params": []}]}))
    driver = _driver(sim)
    sent = Sent(driver)
    assert driver.api.listVirtualMachines() == []
    assert sent.commands == ["listApis", "listVirtualMachines"]
    assert any(a["name"] == "listVirtualMachines" for a in json.loads(path.read_text())["apis"])


def test_a_corrupt_cache_is_replaced(home: Path, sim: Simulator) -> None:
    path = cache_file(sim.url, sim.api_key)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    driver = _driver(sim)
    assert len(driver.api.listZones()) == 2
    assert json.loads(path.read_text())["format"] == 1


def test_no_cache_file_when_asked(home: Path, sim: Simulator) -> None:
    api = Api(_driver(sim), cache=False)
    assert api.listZones()
    assert not (home / ".cache").exists()


def test_help_signature_and_completion(driver: CloudStackNodeDriver) -> None:
    command = driver.api.listZones
    assert isinstance(command, ApiCommand)
    doc = command.__doc__ or ""
    assert doc.startswith("CloudStack command listZones (a list command: every row, all "
                          "pages).")
    assert "    name (string): the name of the zone" in doc
    deploy = inspect.signature(driver.api.deployVirtualMachine)
    assert list(deploy.parameters)[:3] == ["serviceofferingid", "templateid", "zoneid"]
    assert deploy.parameters["wait"].default is True
    assert "name" in inspect.signature(command).parameters
    assert repr(command) == "<api.listZones: Lists zones>"
    assert len(repr(driver.api)) < 80 and "commands" in repr(driver.api)
    assert "listZones" in dir(driver.api) and "refresh" in dir(driver.api)
    assert driver.api.catalog.complete("listz") == ["listZones"]

    names = namespace(driver)
    completer = rlcompleter.Completer(names)
    found = {completer.complete("driver.ex_list_", i) for i in range(200)} - {None}
    assert "driver.ex_list_networks(" in found and "driver.ex_list_keypairs(" in found
    assert completer.complete("api.listZon", 0) == "api.listZones("
