"""Security groups: exact wire parameters, rule checks before any request, dict-compatible models,
exact-name duplicate check (D7), bool from delete (D36), egress pair; user data read-back."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import LibcloudError, Node, NodeImage, NodeSize
from cloudstack_driver.cloudstack.sgmodels import (
    CloudStackSecurityGroup,
    CloudStackSecurityGroupRule,
    SecurityGroupRuleError,
)
from cloudstack_driver.errors import InvalidParameterError, MalformedResponseError

RULE = {"ruleid": "r1", "protocol": "tcp", "startport": 22, "endport": 22,
        "cidr": "0.0.0.0/0"}
GROUP = {"id": "sg1", "name": "webserver", "description": "web", "account": "admin",
         "domainid": "d1", "ingressrule": [RULE], "egressrule": [],
         "tags": [{"key": "env", "value": "prod"}], "virtualmachineids": ["vm1"]}


# -- models -----------------------------------------------------------------------------------

def test_group_is_a_dict_with_typed_attributes() -> None:
    sg = CloudStackSecurityGroup(GROUP)
    assert isinstance(sg, dict)
    assert sg["name"] == "webserver" and sg["id"] == "sg1"
    assert (sg.id, sg.name, sg.description, sg.account, sg.domain_id) == (
        "sg1", "webserver", "web", "admin", "d1")
    assert sg.tags == {"env": "prod"} and sg.virtual_machine_ids == ["vm1"]
    [rule] = sg.ingress_rules
    assert rule is sg["ingressrule"][0]
    assert isinstance(rule, CloudStackSecurityGroupRule) and rule["ruleid"] == "r1"
    assert (rule.id, rule.protocol, rule.start_port, rule.end_port, rule.cidr,
            rule.direction) == ("r1", "tcp", 22, 22, "0.0.0.0/0", "ingress")
    assert sg.egress_rules == []
    assert repr(sg).startswith("{'id': 'sg1'")


def test_group_reads_odd_records_without_failing() -> None:
    sg = CloudStackSecurityGroup({"id": 7, "ingressrule": "garbage",
                                  "egressrule": [{"ruleid": 1, "startport": "80",
                                                  "icmptype": "x"}, "junk"]})
    assert sg.id == "7" and sg.name is None and sg.ingress_rules == []
    [rule] = sg.egress_rules
    assert (rule.id, rule.start_port, rule.icmp_type, rule.direction) == ("1", 80, None,
                                                                           "egress")
    assert sg.tags == {} and sg.virtual_machine_ids == []


def test_rule_error_is_both_value_error_and_libcloud_error() -> None:
    assert issubclass(SecurityGroupRuleError, ValueError)
    assert issubclass(SecurityGroupRuleError, LibcloudError)


# -- list -------------------------------------------------------------------------------------

def test_list_sends_filters_and_tags_as_a_map(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listSecurityGroups", {"count": 1, "securitygroup": [GROUP]})
    [sg] = driver.ex_list_security_groups(projectid="p1", listall=True, tags={"env": "prod"})
    assert wire(cs_sent("listSecurityGroups")[0]) == {
        "projectid": "p1", "listall": "true", "tags[0].key": "env", "tags[0].value": "prod"}
    assert isinstance(sg, CloudStackSecurityGroup) and sg.driver is driver


def test_list_empty_answer_is_an_empty_list(driver: Any, cs_answer: Any) -> None:
    cs_answer("listSecurityGroups", {})
    assert driver.ex_list_security_groups() == []


def test_list_refuses_unknown_filters(driver: Any, refused: Any) -> None:
    with refused(TypeError, match=r"ex_list_security_groups.*colour"):
        driver.ex_list_security_groups(colour="red")


# -- create -----------------------------------------------------------------------------------

def test_create_allows_a_name_contained_in_another(driver: Any, cs_answer: Any,
                                                   cs_sent: Any) -> None:
    cs_answer("listSecurityGroups", {"count": 1, "securitygroup": [GROUP]})
    cs_answer("createSecurityGroup", {"securitygroup": {"id": "sg2", "name": "web"}})
    sg = driver.ex_create_security_group("web", description="front", projectid="p1")
    assert wire(cs_sent("listSecurityGroups")[0]) == {"securitygroupname": "web",
                                                      "projectid": "p1"}
    assert wire(cs_sent("createSecurityGroup")[0]) == {"name": "web", "description": "front",
                                                       "projectid": "p1"}
    assert (sg.id, sg["name"]) == ("sg2", "web")


def test_create_refuses_an_exact_duplicate(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listSecurityGroups", {"count": 1, "securitygroup": [GROUP]})
    with pytest.raises(LibcloudError, match="'webserver' already exists") as info:
        driver.ex_create_security_group("webserver")
    assert info.value.driver is driver
    assert cs_sent("createSecurityGroup") == []


def test_create_checks_arguments_first(driver: Any, refused: Any) -> None:
    with refused(ValueError, match="'name' must not be empty"):
        driver.ex_create_security_group("  ")
    with refused(TypeError, match="colour"):
        driver.ex_create_security_group("x", colour="red")


# -- delete -----------------------------------------------------------------------------------

def test_delete_by_name_or_object_returns_bool(driver: Any, cs_answer: Any,
                                               cs_sent: Any) -> None:
    """libcloud sends ``deleteSecurityGroup(name)`` and nothing else; a listed group sends
    its id."""
    cs_answer("deleteSecurityGroup", {"success": "true"})
    assert driver.ex_delete_security_group("web") is True
    assert driver.ex_delete_security_group(CloudStackSecurityGroup({"id": 7, "name": "x"}),
                                           projectid="p1") is True
    assert [wire(c) for c in cs_sent("deleteSecurityGroup")] == [
        {"name": "web"}, {"id": "7", "projectid": "p1"}]
    assert cs_sent("listSecurityGroups") == []


def test_delete_of_a_group_the_server_does_not_know(driver: Any, cs_answer: Any,
                                                    cs_sent: Any) -> None:
    """Nothing is listed first: the server's own answer (431) reaches the caller."""
    cs_answer("deleteSecurityGroup", {"errorcode": 431, "cserrorcode": 4350,
                                      "errortext": "Unable to find security group web"},
              status=431)
    with pytest.raises(InvalidParameterError, match="Unable to find security group web"):
        driver.ex_delete_security_group("web")
    assert cs_sent("listSecurityGroups") == []


def test_delete_false_when_server_says_so(driver: Any, cs_answer: Any) -> None:
    cs_answer("listSecurityGroups", {"count": 1, "securitygroup": [GROUP]})
    cs_answer("deleteSecurityGroup", {"success": False})
    assert driver.ex_delete_security_group("webserver") is False


# -- authorize / revoke -----------------------------------------------------------------------

def test_authorize_ingress_tcp_waits_and_returns_the_group(driver: Any, cs_answer_async: Any,
                                                           cs_sent: Any) -> None:
    cs_answer_async("authorizeSecurityGroupIngress", {"securitygroup": GROUP})
    sg = driver.ex_authorize_security_group_ingress(
        securitygroupname="webserver", protocol="TCP", startport="22", cidrlist="0.0.0.0/0")
    assert wire(cs_sent("authorizeSecurityGroupIngress")[0]) == {
        "securitygroupname": "webserver", "protocol": "tcp", "cidrlist": "0.0.0.0/0",
        "startport": "22", "endport": "22"}
    assert cs_sent("queryAsyncJobResult")
    assert isinstance(sg, CloudStackSecurityGroup) and sg.ingress_rules[0].id == "r1"


def test_authorize_ingress_icmp_defaults_and_cidr_list(driver: Any, cs_answer_async: Any,
                                                       cs_sent: Any) -> None:
    cs_answer_async("authorizeSecurityGroupIngress", {"securitygroup": GROUP})
    driver.ex_authorize_security_group_ingress("webserver", "icmp", ["10.0.0.0/8", "::/0"],
                                               projectid="p1")
    assert wire(cs_sent("authorizeSecurityGroupIngress")[0]) == {
        "securitygroupname": "webserver", "protocol": "icmp", "cidrlist": "10.0.0.0/8,::/0",
        "icmptype": "-1", "icmpcode": "-1", "projectid": "p1"}


def test_authorize_egress_uses_the_egress_command(driver: Any, cs_answer_async: Any,
                                                  cs_sent: Any) -> None:
    cs_answer_async("authorizeSecurityGroupEgress", {"securitygroup": GROUP})
    driver.ex_authorize_security_group_egress("webserver", "udp", "0.0.0.0/0", 53, 54)
    assert wire(cs_sent("authorizeSecurityGroupEgress")[0]) == {
        "securitygroupname": "webserver", "protocol": "udp", "cidrlist": "0.0.0.0/0",
        "startport": "53", "endport": "54"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"protocol": "tcp"}, "'startport' is required"),
    ({"protocol": "tcp", "startport": 22, "icmptype": 8}, "'icmptype' applies to ICMP"),
    ({"protocol": "tcp", "startport": 80, "endport": 22}, "'endport' \\(22\\) must not be"),
    ({"protocol": "tcp", "startport": 70000}, "'startport' must be <= 65535"),
    ({"protocol": "udp", "startport": "ssh"}, "'startport' must be an int"),
    ({"protocol": "icmp", "startport": 22}, "'startport' applies to TCP and UDP"),
    ({"protocol": "icmp", "icmptype": 300}, "'icmptype' must be <= 255"),
    ({"protocol": "all", "endport": 5}, "'endport' does not apply to protocol 'all'"),
    ({"protocol": "gre"}, "'protocol' must be tcp, udp, icmp, all"),
    ({"protocol": "tcp", "startport": 22, "cidrlist": "10.0.0.300/8"}, "'cidrlist' holds"),
    ({"protocol": "tcp", "startport": 22, "cidrlist": []}, "'cidrlist' must be a CIDR"),
])
def test_bad_rules_raise_before_any_request(driver: Any, refused: Any, kwargs: dict[str, Any],
                                            message: str) -> None:
    args = {"securitygroupname": "web", "cidrlist": "0.0.0.0/0", **kwargs}
    for method in (driver.ex_authorize_security_group_ingress,
                   driver.ex_authorize_security_group_egress):
        with refused(SecurityGroupRuleError, match=message):
            method(**args)


def test_protocol_number_is_accepted(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("authorizeSecurityGroupIngress", {"securitygroup": GROUP})
    driver.ex_authorize_security_group_ingress("webserver", 47, "0.0.0.0/0")
    assert wire(cs_sent("authorizeSecurityGroupIngress")[0])["protocol"] == "47"


def test_authorize_refuses_unknown_kwargs(driver: Any, refused: Any) -> None:
    with refused(TypeError, match="colour"):
        driver.ex_authorize_security_group_ingress("web", "tcp", "0.0.0.0/0", 22, colour=1)


def test_revoke_ingress_and_egress(driver: Any, cs_answer_async: Any, cs_sent: Any) -> None:
    cs_answer_async("revokeSecurityGroupIngress", {"success": True})
    cs_answer_async("revokeSecurityGroupEgress", {"success": True})
    rule = CloudStackSecurityGroupRule({"ruleid": "r9"}, "egress")
    assert driver.ex_revoke_security_group_ingress("r1") is True
    assert driver.ex_revoke_security_group_egress(rule) is True
    assert wire(cs_sent("revokeSecurityGroupIngress")[0]) == {"id": "r1"}
    assert wire(cs_sent("revokeSecurityGroupEgress")[0]) == {"id": "r9"}


def test_revoke_checks_rule_id(driver: Any, refused: Any) -> None:
    with refused(TypeError, match="'rule_id' must be an id"):
        driver.ex_revoke_security_group_ingress(5.0)


# -- user data --------------------------------------------------------------------------------

def test_get_node_userdata_decodes_base64(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    payload = bytes(range(256)) * 4
    cs_answer("getVirtualMachineUserData", {"virtualmachineuserdata": {
        "virtualmachineid": "vm1", "userdata": base64.b64encode(payload).decode()}})
    node = Node("vm1", "n", "running", [], [], driver)
    assert driver.ex_get_node_userdata(node) == payload
    assert wire(cs_sent("getVirtualMachineUserData")[0]) == {"virtualmachineid": "vm1"}


def test_get_node_userdata_empty_and_malformed(driver: Any, cs_answer: Any) -> None:
    cs_answer("getVirtualMachineUserData", [
        {"virtualmachineuserdata": {"virtualmachineid": "vm1"}},
        {"virtualmachineuserdata": {"userdata": "not base64!"}}])
    assert driver.ex_get_node_userdata("vm1") == b""
    with pytest.raises(MalformedResponseError, match="not base64"):
        driver.ex_get_node_userdata("vm1")


def test_create_node_sends_32k_userdata_by_post(mock_driver: Any, cs_answer: Any,
                                                cs_answer_async: Any, cs_sent: Any) -> None:
    driver, mocker = mock_driver
    cs_answer("listZones", {"count": 1, "zone": [{"id": "z1", "name": "Z"}]})
    cs_answer_async("deployVirtualMachine", {"virtualmachine": {"id": "vm1", "name": "n"}})
    userdata = "#!/bin/sh\n" + "x" * (32 * 1024 - 10)
    driver.create_node("n", NodeSize("s", "s", 1, 0, 0, 0, driver),
                       NodeImage("t", "t", driver), ex_userdata=userdata)
    deploy = [r for r in mocker.request_history if "deployVirtualMachine" in (r.text or "")
              or "deployVirtualMachine" in r.url]
    assert deploy[0].method == "POST" and "userdata" not in deploy[0].url
    sent = cs_sent("deployVirtualMachine")[0]["userdata"]
    assert base64.b64decode(sent).decode() == userdata
