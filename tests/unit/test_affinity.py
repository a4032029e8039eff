"""Affinity groups: exact parameters, the exact-name duplicate check, models, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import LibcloudError
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackAffinityGroup,
    CloudStackAffinityGroupType,
)

GROUP = {"id": "ag-1", "name": "webserver", "type": "host anti-affinity",
         "description": "spread", "account": "admin", "domain": "ROOT", "domainid": "d-1",
         "virtualmachineIds": ["vm-1", "vm-2"]}


def test_list_affinity_groups_maps_fields(driver: Any, cs_answer: Any) -> None:
    cs_answer("listAffinityGroups", {"count": 1, "affinitygroup": [GROUP]})
    [group] = driver.ex_list_affinity_groups()
    assert isinstance(group, CloudStackAffinityGroup)
    assert (group.id, group.name, group.account, group.description, group.domain,
            group.domainid) == ("ag-1", "webserver", "admin", "spread", "ROOT", "d-1")
    assert group.type == CloudStackAffinityGroupType("host anti-affinity")
    assert group.virtualmachine_ids == ["vm-1", "vm-2"]
    assert repr(group) == ("<CloudStackAffinityGroup: id=ag-1, name=webserver, "
                           "type=<CloudStackAffinityGroupType: type=host anti-affinity>>")


@pytest.mark.parametrize("answer", [{}, {"count": 0}])
def test_empty_answers_are_empty_lists(driver: Any, cs_answer: Any, answer: Any) -> None:
    cs_answer("listAffinityGroups", answer)
    cs_answer("listAffinityGroupTypes", answer)
    assert driver.ex_list_affinity_groups() == []
    assert driver.ex_list_affinity_group_types() == []


def test_group_without_optional_fields(driver: Any, cs_answer: Any) -> None:
    cs_answer("listAffinityGroups", {"count": 1, "affinitygroup": [{"id": "ag-2"}]})
    [group] = driver.ex_list_affinity_groups()
    assert (group.name, group.type, group.virtualmachine_ids) == (None, None, [])


def test_list_types_reads_camel_case_key(driver: Any, cs_answer: Any) -> None:
    cs_answer("listAffinityGroupTypes", {"count": 2, "affinityGroupType": [
        {"type": "host anti-affinity"}, {"type": "host affinity"}]})
    types = driver.ex_list_affinity_group_types()
    assert [t.type for t in types] == ["host anti-affinity", "host affinity"]
    assert repr(types[1]) == "<CloudStackAffinityGroupType: type=host affinity>"


def test_create_sends_name_and_type_and_waits(driver: Any, cs_answer: Any,
                                              cs_answer_async: Any, cs_sent: Any) -> None:
    # "web" is contained in "webserver" but is not a duplicate
    cs_answer("listAffinityGroups", {"count": 1, "affinitygroup": [GROUP]})
    cs_answer_async("createAffinityGroup", {"affinitygroup": {**GROUP, "id": "ag-9",
                                                              "name": "web"}})
    group = driver.ex_create_affinity_group("web",
                                            CloudStackAffinityGroupType("host anti-affinity"))
    assert wire(cs_sent("listAffinityGroups")[0]) == {"name": "web"}
    assert wire(cs_sent("createAffinityGroup")[0]) == {"name": "web",
                                                       "type": "host anti-affinity"}
    assert len(cs_sent("queryAsyncJobResult")) == 1
    assert (group.id, group.name) == ("ag-9", "web")


def test_create_refuses_exact_duplicate(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listAffinityGroups", {"count": 1, "affinitygroup": [GROUP]})
    with pytest.raises(LibcloudError, match="'webserver' already exists"):
        driver.ex_create_affinity_group("webserver", "host anti-affinity")
    assert cs_sent("createAffinityGroup") == []


def test_delete_sends_id(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("deleteAffinityGroup", {"success": True})
    group = CloudStackAffinityGroup("ag-1", None, None, None, None, "g", None, [],
                                    driver=driver)
    assert group.delete() is True
    assert wire(cs_sent("deleteAffinityGroup")[0]) == {"id": "ag-1"}


def test_eq_by_id_and_hashable() -> None:
    a = CloudStackAffinityGroup("x", None, None, None, None, "a", None, [])
    b = CloudStackAffinityGroup("x", None, None, None, None, "b", None, [])
    assert a == b and len({a, b}) == 1
    assert a != CloudStackAffinityGroup("y", None, None, None, None, "a", None, [])


@pytest.mark.parametrize(("call", "error", "arg"), [
    (lambda d: d.ex_create_affinity_group(None, "host affinity"), TypeError, "'name'"),
    (lambda d: d.ex_create_affinity_group("  ", "host affinity"), ValueError, "'name'"),
    (lambda d: d.ex_create_affinity_group("g", 3), TypeError, "'group_type'"),
    (lambda d: d.ex_create_affinity_group("g", ""), ValueError, "'group_type'"),
    (lambda d: d.ex_delete_affinity_group(None), TypeError, "'affinity_group'"),
    (lambda d: d.ex_delete_affinity_group(CloudStackAffinityGroupType("x")), TypeError,
     "'affinity_group'"),
])
def test_bad_input_before_any_request(driver: Any, refused: Any, call: Any, error: type,
                                      arg: str) -> None:
    with refused(error, match=arg):
        call(driver)
