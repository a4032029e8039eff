"""Tags and resource limits: exact parameters, results, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire


def test_create_tags_sends_indexed_pairs(driver: Any, cs_answer_async: Any,
                                         cs_sent: Any) -> None:
    cs_answer_async("createTags", {"success": True})
    assert driver.ex_create_tags(["vm-1", "vm-2"], "UserVm",
                                 {"env": "prod", "team": "web"}) is True
    assert wire(cs_sent("createTags")[0]) == {
        "resourcetype": "UserVm", "resourceids": "vm-1,vm-2",
        "tags[0].key": "env", "tags[0].value": "prod",
        "tags[1].key": "team", "tags[1].value": "web"}
    assert len(cs_sent("queryAsyncJobResult")) == 1


def test_create_tags_takes_one_id_string(driver: Any, cs_answer_async: Any,
                                         cs_sent: Any) -> None:
    cs_answer_async("createTags", {"success": True})
    driver.ex_create_tags("vol-1", "Volume", {"n": 3})
    assert wire(cs_sent("createTags")[0]) == {
        "resourcetype": "Volume", "resourceids": "vol-1", "tags[0].key": "n",
        "tags[0].value": "3"}


def test_delete_tags_sends_keys_only(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("deleteTags", {"success": True})
    assert driver.ex_delete_tags(["net-1"], "Network", ["env", "team"]) is True
    assert wire(cs_sent("deleteTags")[0]) == {
        "resourcetype": "Network", "resourceids": "net-1", "tags[0].key": "env",
        "tags[1].key": "team"}


def test_limits_by_resource_type(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    rows = [{"resourcetype": str(i), "max": m} for i, m in
            enumerate([20, 5, -1, 100, "Unlimited", 3, 10, 2, 40, 81920, 500, 1000])]
    rows.append({"resourcetype": "12", "max": 7})  # not a libcloud key: skipped
    rows.append({"resourcetype": "0"})  # no max: skipped, keeps the first row
    cs_answer("listResourceLimits", {"count": len(rows), "resourcelimit": rows})
    assert driver.ex_limits() == {
        "max_instances": 20, "max_public_ips": 5, "max_volumes": -1, "max_snapshots": 100,
        "max_images": -1, "max_projects": 3, "max_networks": 10, "max_vpc": 2, "max_cpu": 40,
        "max_memory": 81920, "max_primary_storage": 500, "max_secondary_storage": 1000}
    assert wire(cs_sent("listResourceLimits")[0]) == {}


@pytest.mark.parametrize("answer", [{}, {"count": 0}])
def test_limits_empty(driver: Any, cs_answer: Any, answer: Any) -> None:
    cs_answer("listResourceLimits", answer)
    assert driver.ex_limits() == {}


@pytest.mark.parametrize(("call", "error", "arg"), [
    (lambda d: d.ex_create_tags(None, "UserVm", {"a": "b"}), TypeError, "'resource_ids'"),
    (lambda d: d.ex_create_tags([], "UserVm", {"a": "b"}), ValueError, "'resource_ids'"),
    (lambda d: d.ex_create_tags([3.0], "UserVm", {"a": "b"}), TypeError,
     r"'resource_ids\[0\]'"),
    (lambda d: d.ex_create_tags(["x", ""], "UserVm", {"a": "b"}), ValueError,
     r"'resource_ids\[1\]'"),
    (lambda d: d.ex_create_tags(["x"], None, {"a": "b"}), TypeError, "'resource_type'"),
    (lambda d: d.ex_create_tags(["x"], "UserVm", [("a", "b")]), TypeError, "'tags'"),
    (lambda d: d.ex_create_tags(["x"], "UserVm", {}), ValueError, "'tags'"),
    (lambda d: d.ex_create_tags(["x"], "UserVm", {"": "b"}), ValueError, "'tags key'"),
    (lambda d: d.ex_create_tags(["x"], "UserVm", {"a": None}), TypeError, "'tags' value"),
    (lambda d: d.ex_delete_tags(["x"], "UserVm", "env"), TypeError, "'tag_keys'"),
    (lambda d: d.ex_delete_tags(["x"], "UserVm", []), ValueError, "'tag_keys'"),
    (lambda d: d.ex_delete_tags(["x"], "UserVm", ["ok", 1]), TypeError, r"'tag_keys\[1\]'"),
])
def test_bad_input_before_any_request(driver: Any, refused: Any, call: Any, error: type,
                                      arg: str) -> None:
    with refused(error, match=arg):
        call(driver)
