"""The wire: GET and POST, envelopes, errors 401/430/431/432, paging, malformed input."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests
from sim_helpers import Api, body, signed

from cloudstack_driver.simulator import Simulator
from cloudstack_driver.simulator.seed import TINY_LINUX_ID


def test_get_and_post_answer_alike(api: Api) -> None:
    by_get = api("listServiceOfferings")
    by_post = api("listServiceOfferings", post=True)
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json()
    names = [o["name"] for o in body(by_get)["serviceoffering"]]
    assert names == ["tinyOffering", "Small Instance", "Medium Instance"]


def test_seeded_templates_in_both_zones(api: Api) -> None:
    templates = body(api("listTemplates", templatefilter="executable"))["template"]
    tiny = [t for t in templates if t["id"] == TINY_LINUX_ID]
    assert len(tiny) == 2
    assert {t["zoneid"] for t in tiny} == {z["id"] for z in body(api("listZones"))["zone"]}
    assert tiny[0]["passwordenabled"] is False
    assert any(t["passwordenabled"] for t in templates)


def test_zones_basic_and_advanced(api: Api) -> None:
    zones = {z["networktype"]: z for z in body(api("listZones"))["zone"]}
    assert zones["Basic"]["securitygroupsenabled"] is True
    assert zones["Advanced"]["securitygroupsenabled"] is False


def test_unknown_command_is_401_errorresponse(api: Api) -> None:
    """verifyRequest refuses a command no API class serves before it checks the signature."""
    response = api("launchRocket")
    assert response.status_code == 401
    assert response.json() == {"errorresponse": {
        "uuidList": [], "errorcode": 401,
        "errortext": "unable to verify user credentials and/or request signature"}}


def test_spec_command_the_simulator_lacks_is_432_errorresponse(api: Api) -> None:
    """A 4.18 command the simulator does not implement answers like one the caller's role may
    not use: 432 in ``errorresponse``."""
    response = api("listHosts")
    assert response.status_code == 432
    inner = response.json()["errorresponse"]
    assert inner["errorcode"] == 432
    assert inner["uuidList"] == []


def test_missing_required_parameter_is_431(api: Api) -> None:
    response = api("listTemplates")
    assert response.status_code == 431
    inner = response.json()["listtemplatesresponse"]
    assert inner["errorcode"] == 431
    assert inner["cserrorcode"] == 9999  # ParamProcessWorker: a ServerApiException, no cause
    assert inner["errortext"] == ("Unable to execute API command listtemplates due to missing "
                                  "parameter templatefilter")


def test_unknown_id_is_431(api: Api) -> None:
    response = api("startVirtualMachine", id="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 431
    assert "Invalid parameter id value=00000000" in body(response)["errortext"]


def test_empty_list_is_empty_object(api: Api) -> None:
    assert body(api("listVirtualMachines")) == {}


def test_page_and_pagesize_must_come_together(api: Api) -> None:
    assert api("listZones", page=1).status_code == 431
    assert api("listZones", pagesize=1).status_code == 431
    assert api("listZones", page=1, pagesize=501).status_code == 431
    assert api("listZones", page=0, pagesize=1).status_code == 431
    assert api("listZones", page="x", pagesize=1).status_code == 431


def test_paging_counts_total(api: Api) -> None:
    first = body(api("listZones", page=1, pagesize=1))
    second = body(api("listZones", page=2, pagesize=1))
    past = body(api("listZones", page=3, pagesize=1))
    assert first["count"] == second["count"] == 2
    assert len(first["zone"]) == len(second["zone"]) == 1
    assert first["zone"][0]["id"] != second["zone"][0]["id"]
    assert past == {"count": 2}


def test_ten_thousand_vms_page_through() -> None:
    with Simulator(api_key="KEY", secret_key="SECRET", vms=10_000) as sim, \
            requests.Session() as session:
        unpaged = session.get(sim.url, params=signed("listVirtualMachines"), timeout=60).json()
        assert unpaged["listvirtualmachinesresponse"]["count"] == 10_000
        assert len(unpaged["listvirtualmachinesresponse"]["virtualmachine"]) == 500
        seen: set[str] = set()
        page = 1
        while True:
            inner = session.get(sim.url, params=signed("listVirtualMachines", page=page,
                                                       pagesize=500),
                                timeout=60).json()["listvirtualmachinesresponse"]
            items = inner.get("virtualmachine", [])
            if not items:
                break
            seen.update(vm["id"] for vm in items)
            page += 1
        assert len(seen) == 10_000
        assert page == 21


def test_xml_when_json_not_asked(sim: Simulator) -> None:
    params = signed("listZones")
    del params["response"]
    from sim_helpers import sign

    params.pop("signature")
    params["signature"] = sign(params)
    response = requests.get(sim.url, params=params, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><listzonesresponse')
    assert "<networktype>Basic</networktype>" in response.text


def _vm_count(api: Api) -> int:
    return int(body(api("listVirtualMachines")).get("count", 0))


def test_invalid_utf8_escape_is_430_not_500(sim: Simulator, api: Api) -> None:
    url = f"{sim.url}?command=listZones&response=json&keyword=%C3%28"
    response = requests.get(url, timeout=10)
    assert response.status_code == 430
    assert response.json()["errorresponse"]["errorcode"] == 430
    assert api("listZones").status_code == 200


def test_broken_percent_escape_is_430(sim: Simulator) -> None:
    parts = urlsplit(sim.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    conn.request("GET", f"{parts.path}?command=listZones&response=json&x=%zz")
    answer = conn.getresponse()
    assert answer.status == 430
    assert json.loads(answer.read())["errorresponse"]["errorcode"] == 430
    conn.close()


def test_broken_form_body_is_client_error(sim: Simulator, api: Api) -> None:
    for raw in (b"%%%&&==", b"\xff\xfe\x00garbage", b"command=listZones&=x"):
        response = requests.post(sim.url, data=raw, timeout=10, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= response.status_code < 500, raw
        assert next(iter(response.json().values()))["errorcode"] == response.status_code
    assert body(api("listZones"))["count"] == 2


def test_no_command_is_401(sim: Simulator) -> None:
    """verifyRequest returns false without a command; the error names no command class, so
    the server's serializer writes the envelope name as ``null``."""
    response = requests.get(sim.url, params={"response": "json"}, timeout=10)
    assert response.status_code == 401
    assert response.json() == {"null": {
        "uuidList": [], "errorcode": 401,
        "errortext": "unable to verify user credentials and/or request signature"}}
    bare = requests.get(sim.url, timeout=10)  # no parameters at all: "errorresponse", XML
    assert bare.status_code == 401
    assert bare.text.startswith('<?xml version="1.0" encoding="UTF-8"?><errorresponse')


def test_giant_body_is_431_and_state_intact(sim: Simulator, api: Api) -> None:
    data = signed("listZones")
    data["keyword"] = "x" * (1024 * 1024)  # with the rest, over request.content.size (1 MiB)
    response = requests.post(sim.url, data=data, timeout=30)
    assert response.status_code == 431
    assert body(response)["errorcode"] == 431
    assert body(api("listZones"))["count"] == 2


def test_userdata_too_long_is_431(api: Api) -> None:
    zones = {z["networktype"]: z["id"] for z in body(api("listZones"))["zone"]}
    response = api("deployVirtualMachine", post=True, zoneid=zones["Basic"],
                   templateid=TINY_LINUX_ID, serviceofferingid="ef2537ad-c70f-11e1-821b-0800277e749c",
                   userdata="QUFB" * 9000)
    assert response.status_code == 431
    assert body(response)["errortext"] == "User data is too long for an http POST request"
    assert _vm_count(api) == 0


def test_http_status_equals_errorcode_for_job_less_errors(api: Api) -> None:
    response = api("deleteVolume", id="nope")
    assert response.status_code == body(response)["errorcode"] == 431


def test_concurrent_creates_of_one_name_make_exactly_one(api: Api) -> None:
    """The server is threaded: a check-then-create under load still honours uniqueness."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: api("createSSHKeyPair", post=True, name="race").status_code,
                              range(16)))
    assert sorted(codes) == [200] + [431] * 15
    listing = body(api("listSSHKeyPairs", name="race"))
    assert listing["count"] == 1
