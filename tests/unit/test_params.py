"""http.params.flatten: Python values -> CloudStack parameters (WIRE.md section 3)."""

from __future__ import annotations

import base64
import enum
import re
from dataclasses import dataclass
from typing import Any

import pytest

from cloudstack_driver.http.params import flatten


@dataclass
class Thing:
    id: str


class Color(enum.Enum):
    RED = "red"


def test_none_is_dropped_and_scalars_become_text() -> None:
    assert flatten({"a": None, "b": "x", "c": 3, "d": 1.5, "e": 0}) == {
        "b": "x", "c": "3", "d": "1.5", "e": "0",
    }


def test_booleans_are_lower_case_words() -> None:
    assert flatten({"startvm": True, "forced": False}) == {"startvm": "true", "forced": "false"}


def test_lists_are_comma_joined_and_objects_give_their_id() -> None:
    assert flatten({"networkids": [Thing("n1"), "n2"], "ports": (22, 80)}) == {
        "networkids": "n1,n2", "ports": "22,80",
    }


def test_object_with_id_gives_its_id() -> None:
    assert flatten({"projectid": Thing("p-1")}) == {"projectid": "p-1"}


def test_list_of_dicts_is_indexed() -> None:
    tags = [{"key": "env", "value": "prod"}, {"key": "team", "value": True}]
    assert flatten({"tags": tags}) == {
        "tags[0].key": "env",
        "tags[0].value": "prod",
        "tags[1].key": "team",
        "tags[1].value": "true",
    }


def test_dict_is_entry_zero_and_keys_keep_their_case() -> None:
    assert flatten({"details": {"cpuNumber": 2, "memory": None, "cpuSpeed": 1000}}) == {
        "details[0].cpuNumber": "2",
        "details[0].cpuSpeed": "1000",
    }


def test_names_keep_their_case() -> None:
    assert flatten({"zoneid": "z", "someName": "v"}) == {"zoneid": "z", "someName": "v"}


def test_bytes_are_base64() -> None:
    data = b"#!/bin/sh\necho \xff\n"
    assert flatten({"userdata": data}) == {"userdata": base64.b64encode(data).decode()}


def test_enum_gives_its_value() -> None:
    assert flatten({"state": Color.RED}) == {"state": "red"}


def test_empty_containers_are_dropped() -> None:
    assert flatten({"a": [], "b": {}, "c": ()}) == {}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"zoneid": object()}, "'zoneid'"),
        ({"ids": {1, 2}}, "'ids'"),
        ({"networkids": ["a", None]}, "'networkids[1]'"),
        ({"networkids": [["a"]]}, "'networkids[0]'"),
        ({"tags": [{"key": "a"}, "b"]}, "'tags'"),
        ({"details": {"x": [1]}}, "'details[0].x'"),
        ({"details": {1: "x"}}, "'details'"),
    ],
)
def test_unsupported_values_raise_type_error_naming_the_parameter(
    params: dict[str, object], named: str
) -> None:
    with pytest.raises(TypeError, match=named.replace("[", r"\[").replace("]", r"\]")):
        flatten(params)


@pytest.mark.parametrize("char", ["\t", "\x00", "\x1f", "\x7f", "\x0b", "\x0c"])
def test_control_characters_the_server_refuses_are_refused_naming_the_parameter(
        char: str) -> None:
    with pytest.raises(ValueError, match=r"parameter 'displaytext': holds the control "
                                         rf"character {re.escape(repr(char))}"):
        flatten({"displaytext": f"a{char}b"})
    with pytest.raises(ValueError, match=r"parameter 'tags\[0\]\.value'"):
        flatten({"tags": [{"key": "k", "value": f"v{char}"}]})
    with pytest.raises(ValueError, match=r"parameter 'ids\[1\]'"):
        flatten({"ids": ["a", f"b{char}"]})


def test_line_feed_carriage_return_and_non_ascii_pass() -> None:
    text = "line one\r\nline two é 日本 \xa0 ~"
    assert flatten({"description": text}) == {"description": text}


def test_a_driver_method_refuses_a_control_character_before_any_request(
        driver: Any, refused: Any) -> None:
    with refused(ValueError, match="parameter 'name': holds the control character '\\\\t'"):
        driver.create_key_pair("tab\tname")
