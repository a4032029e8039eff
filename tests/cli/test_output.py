"""Printing models (slots, declared fields) and answers as JSON and tables."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

from cloudstack_driver import Node, NodeImage, NodeSize, NodeState
from cloudstack_driver.cli.output import render, table, to_data, unwrap_answer
from cloudstack_driver.cloudstack.netmodels import CloudStackPortForwardingRule


def _node() -> Node:
    return Node("n1", "web", NodeState.RUNNING, ["185.19.28.2"], ["10.0.0.5"], driver=object(),
                size=NodeSize("s1", "small", 512, 0, 0, 0, driver=None),
                extra={"zone_id": "z1", "created": b"\x00\x01"},
                created_at=datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc))


def test_models_are_read_through_their_declared_fields() -> None:
    data = to_data(_node())
    assert list(data) == ["id", "name", "state", "public_ips", "private_ips", "size", "image",
                          "extra", "created_at"]  # every field but driver, in order
    assert data["state"] == "running" and data["created_at"] == "2024-05-01T12:00:00+00:00"
    assert data["size"] == {"id": "s1", "name": "small", "ram": 512, "disk": 0,
                            "bandwidth": 0, "price": 0, "extra": {}}
    assert data["extra"] == {"zone_id": "z1", "created": "AAE="}
    json.dumps(data)


def test_a_model_met_again_prints_as_its_id() -> None:
    node = _node()
    rule = CloudStackPortForwardingRule(node, "r1", None, "TCP", 22, 22)
    node.extra["port_forwarding_rules"] = [rule]
    data = to_data(node)
    assert data["extra"]["port_forwarding_rules"][0]["node"] == "n1"


def test_model_tables_show_every_field_but_extra() -> None:
    text = table(to_data([_node()]), models=True)
    header, rule, row = text.splitlines()
    assert header.split() == ["id", "name", "state", "public_ips", "private_ips", "size",
                              "image", "created_at"]
    assert set(rule) <= {"-", " "}
    assert row.split()[:6] == ["n1", "web", "running", "185.19.28.2", "10.0.0.5", "small"]


def test_raw_rows_prefer_the_usual_columns_and_cut_long_cells() -> None:
    rows = [{"id": "1", "name": "a", "description": "x" * 100, "tags": [], "dns1": "8.8.8.8"}]
    lines = table(rows).splitlines()
    assert lines[0].split() == ["id", "name", "description"]
    assert lines[2].endswith("x" * 57 + "...")
    assert table([{"a": 1, "b": {"c": 2}}]).splitlines()[0].split() == ["a"]
    assert table([]) == ""


def test_answers_unwrap_to_their_record_or_rows() -> None:
    assert unwrap_answer({"virtualmachine": {"id": "v"}}) == {"id": "v"}
    assert unwrap_answer({"count": 1, "zone": [{"id": "z"}]}) == [{"id": "z"}]
    assert unwrap_answer({"success": True}) == {"success": True}
    out = io.StringIO()
    render({"virtualmachine": {"id": "v", "state": "Running", "nic": [{"id": "n"}]}}, "table",
           out)
    assert out.getvalue().splitlines()[2:] == ["id     v", "state  Running", "nic    n"]


def test_fields_pick_and_reach_into_nested_values() -> None:
    out = io.StringIO()
    render([_node()], "json", out, ["name", "extra.zone_id", "size.ram"], models=True)
    assert json.loads(out.getvalue()) == [{"name": "web", "extra.zone_id": "z1",
                                           "size.ram": 512}]
    out = io.StringIO()
    render({"virtualmachine": {"id": "v", "name": "n"}}, "json", out, ["name"])
    assert json.loads(out.getvalue()) == {"name": "n"}
    out = io.StringIO()
    render([NodeImage("i1", "tiny", None)], "table", out, ["name", "id"], models=True)
    assert out.getvalue().splitlines()[2].split() == ["tiny", "i1"]
