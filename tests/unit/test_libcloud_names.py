"""libcloud's public names beyond the API methods: ``secret``, ``region``, ``api_version``,
the connection's ``ASYNC_*`` states and ``request_method``, and the ``_sync_request`` /
``_async_request`` escape hatches libcloud scripts call (exact wire parameters)."""

from __future__ import annotations

from typing import Any

import pytest

from cloudstack_driver import AsyncJobError, CloudStackNodeDriver
from cloudstack_driver.loadbalancer import CloudStackLBDriver
from tests.unit._wire import wire


def test_attributes_as_libcloud_has_them() -> None:
    driver = CloudStackNodeDriver("KEY", "SECRET", url="http://cs.test/client/api")
    balancer = CloudStackLBDriver("KEY", "SECRET", url="http://cs.test/client/api")
    for made in (driver, balancer):
        assert (made.secret, made.region, made.api_version) == ("SECRET", None, None)
        assert "SECRET" not in repr(made) and "SECRET" not in repr(made.connection)
    connection = driver.connection
    assert (connection.ASYNC_PENDING, connection.ASYNC_SUCCESS, connection.ASYNC_FAILURE) == (
        0, 1, 2)
    assert connection.request_method == "_sync_request"
    # libcloud scripts make a second driver from the first one's keys
    again = CloudStackNodeDriver(driver.key, driver.secret, url=driver.url)
    assert again.connection.secret == "SECRET"


def test_sync_request_sends_the_params_and_returns_the_inner_answer(
        driver: Any, cs_answer: Any, cs_sent: Any, mock_driver: Any) -> None:
    cs_answer("listZones", {"count": 1, "zone": [{"id": "z1", "name": "one"}]})
    answer = driver._sync_request("listZones", params={"available": True, "name": "one"})
    assert answer == {"count": 1, "zone": [{"id": "z1", "name": "one"}]}
    assert wire(cs_sent("listZones")[0]) == {"available": "true", "name": "one"}
    assert mock_driver[1].request_history[-1].method == "GET"


def test_sync_request_of_an_async_command_returns_the_jobid_without_waiting(
        driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    jobid = cs_answer_async("rebootVirtualMachine", {"virtualmachine": {"id": "vm-1"}})
    assert driver._sync_request("rebootVirtualMachine", params={"id": "vm-1"}) == {
        "jobid": jobid}
    assert cs_sent("queryAsyncJobResult") == []


def test_method_post_forces_a_post(driver: Any, cs_answer: Any, mock_driver: Any) -> None:
    cs_answer("listZones", {"count": 0, "zone": []})
    driver._sync_request("listZones", method="POST")
    assert mock_driver[1].request_history[-1].method == "POST"


def test_async_request_waits_and_returns_the_jobresult(
        driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("deployVirtualMachine", {"virtualmachine": {"id": "vm-9", "name": "x"}})
    result = driver._async_request("deployVirtualMachine",
                                   params={"zoneid": "z1", "templateid": "t1",
                                           "serviceofferingid": "s1", "name": "x"})
    assert result == {"virtualmachine": {"id": "vm-9", "name": "x"}}
    assert wire(cs_sent("deployVirtualMachine")[0]) == {
        "zoneid": "z1", "templateid": "t1", "serviceofferingid": "s1", "name": "x"}
    assert len(cs_sent("queryAsyncJobResult")) == 1


def test_async_request_raises_the_jobs_error(driver: Any, cs_router: Any) -> None:
    jobid = "job-failing"
    cs_router.answer("startVirtualMachine", {"jobid": jobid})
    cs_router.answer("queryAsyncJobResult", {
        "jobid": jobid, "jobstatus": 2, "jobresultcode": 530,
        "jobresult": {"errorcode": 530, "errortext": "no capacity"}})
    with pytest.raises(AsyncJobError) as caught:
        driver._async_request("startVirtualMachine", params={"id": "vm-1"})
    assert (caught.value.jobid, caught.value.errorcode) == (jobid, 530)
    assert "no capacity" in str(caught.value)


def test_bad_arguments_are_refused_before_sending(driver: Any, mock_driver: Any) -> None:
    with pytest.raises(ValueError, match="'listZones' is not an async command"):
        driver._async_request("listZones")
    with pytest.raises(TypeError, match="'data' is not supported"):
        driver._sync_request("listZones", data="a=b")
    with pytest.raises(TypeError, match="'headers' is not supported"):
        driver._sync_request("listZones", headers={"X": "1"})
    with pytest.raises(ValueError, match="'method' must be 'GET' or 'POST', got 'PUT'"):
        driver._sync_request("listZones", method="PUT")
    assert mock_driver[1].request_history == []
