"""http.envelope: unwrap answers, raise the right error, find list items (WIRE.md 4, 5)."""

from __future__ import annotations

import json

import pytest

from cloudstack_driver import errors
from cloudstack_driver.http.envelope import list_items, unwrap


def test_unwrap_returns_the_inner_dict() -> None:
    body = json.dumps({"listzonesresponse": {"count": 1, "zone": [{"id": "z1"}]}})
    assert unwrap("listZones", body, 200) == {"count": 1, "zone": [{"id": "z1"}]}


def test_unwrap_accepts_bytes_and_parsed_json() -> None:
    assert unwrap("listZones", b'{"listzonesresponse": {}}', 200) == {}
    assert unwrap("listZones", {"listzonesresponse": {"a": 1}}, 200) == {"a": 1}


def test_unwrap_accepts_the_one_odd_response_key() -> None:
    body = json.dumps({"restorevmresponse": {"jobid": "j1"}})
    assert unwrap("restoreVirtualMachine", body, 200) == {"jobid": "j1"}


def test_error_body_raises_the_class_of_its_code_with_every_field() -> None:
    body = json.dumps({"deployvirtualmachineresponse": {
        "uuidList": [], "errorcode": 431, "cserrorcode": 4350, "errortext": "bad zoneid"}})
    with pytest.raises(errors.InvalidParameterError) as info:
        unwrap("deployVirtualMachine", body, 431)
    err = info.value
    assert (err.command, err.http_status, err.errorcode, err.cserrorcode, err.errortext) == (
        "deployVirtualMachine", 431, 431, 4350, "bad zoneid")
    assert err.http_code == 431
    assert "bad zoneid" in str(err) and "deployVirtualMachine" in str(err)


def test_errorresponse_of_an_unknown_command() -> None:
    body = json.dumps({"errorresponse": {"errorcode": 432, "cserrorcode": 9999,
                                         "errortext": "The given command does not exist"}})
    with pytest.raises(errors.UnsupportedCommandError) as info:
        unwrap("fooBar", body, 432)
    assert info.value.errorcode == 432
    assert info.value.command == "fooBar"


def test_error_code_in_a_200_answer_still_raises() -> None:
    body = json.dumps({"listzonesresponse": {"errorcode": "530", "errortext": "boom"}})
    with pytest.raises(errors.ServerError) as info:
        unwrap("listZones", body, 200)
    assert info.value.errorcode == 530
    assert info.value.http_status == 200


def test_error_status_with_envelope_but_no_errorcode_uses_the_status() -> None:
    body = json.dumps({"listzonesresponse": {"errortext": "no"}})
    with pytest.raises(errors.PermissionDeniedError) as info:
        unwrap("listZones", body, 531)
    assert info.value.errorcode is None
    assert info.value.http_status == 531
    assert info.value.errortext == "no"


def test_401_is_invalid_creds() -> None:
    body = json.dumps({"listzonesresponse": {
        "errorcode": 401, "errortext": "unable to verify user credentials and/or request signature"}})
    with pytest.raises(errors.InvalidCredsError) as info:
        unwrap("listZones", body, 401)
    assert isinstance(info.value, errors.ProviderError)
    assert info.value.http_code == 401


@pytest.mark.parametrize("body", ["", b"", None, "   "])
def test_empty_body_on_error_is_still_a_proper_error(body: str | bytes | None) -> None:
    with pytest.raises(errors.InvalidParameterError) as info:
        unwrap("createVolume", body, 431)
    assert info.value.http_status == 431
    assert info.value.command == "createVolume"
    assert "empty body" in info.value.errortext


def test_html_error_page_is_classed_by_status() -> None:
    page = "<html><body><h1>503 Service Unavailable</h1></body></html>"
    with pytest.raises(errors.CloudStackError) as info:
        unwrap("listZones", page, 503)
    assert type(info.value) is errors.CloudStackError
    assert info.value.http_status == 503
    assert "503 Service Unavailable" in info.value.errortext


def test_html_page_with_a_cloudstack_status_gets_its_class() -> None:
    with pytest.raises(errors.ResourceUnavailableError) as info:
        unwrap("listZones", "<html>shutting down</html>", 534)
    assert info.value.http_status == 534


def test_non_json_success_is_malformed() -> None:
    with pytest.raises(errors.MalformedResponseError) as info:
        unwrap("listZones", "<xml/>", 200)
    assert info.value.body == "<xml/>"
    assert "not JSON" in str(info.value)


def test_json_without_envelope_is_malformed() -> None:
    with pytest.raises(errors.MalformedResponseError, match="listzonesresponse"):
        unwrap("listZones", '{"something": {}}', 200)
    with pytest.raises(errors.MalformedResponseError):
        unwrap("listZones", '{"listzonesresponse": "oops"}', 200)


def test_list_items_takes_the_one_key_that_is_not_count() -> None:
    inner = {"count": 2, "affinityGroupType": [{"type": "host anti-affinity"}, {"type": "x"}]}
    assert list_items(inner) == (2, inner["affinityGroupType"])


def test_list_items_of_empty_and_count_only_pages() -> None:
    assert list_items({}) == (None, [])
    assert list_items({"count": 3}) == (3, [])
    assert list_items({"count": "7", "zone": []}) == (7, [])


def test_list_items_refuses_ambiguous_answers() -> None:
    with pytest.raises(errors.MalformedResponseError):
        list_items({"count": 1, "a": [], "b": []})
    with pytest.raises(errors.MalformedResponseError):
        list_items({"count": 1, "a": {"id": 1}})


def test_envelope_without_response_suffix_from_old_servers() -> None:
    from cloudstack_driver.http.envelope import unwrap

    body = '{"revokesecuritygroupingress": {"jobid": "j1"}}'
    assert unwrap("revokeSecurityGroupIngress", body, 200) == {"jobid": "j1"}
