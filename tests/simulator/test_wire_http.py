"""Bad input over real HTTP (issue 3): methods, bodies, repeated names, raw bytes, sizes.

Each test speaks raw HTTP to a started simulator where the client library would hide the
defect (a missing ``Content-Length``, a HEAD, raw bytes in a URL).
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from sim_helpers import KEY, Api, body, sign, signed

from cloudstack_driver.simulator import Simulator

AUTH_FAILED = "unable to verify user credentials and/or request signature"


def exchange(sim: Simulator, raw: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send ``raw`` on a fresh connection; (status, headers, body) of the answer, read until the
    server closes. A server that waits for bytes that never come fails with a socket timeout."""
    parts = urlsplit(sim.url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=timeout) as conn:
        conn.sendall(raw)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, payload


def request(method: str, target: str, *, headers: str = "", payload: bytes = b"") -> bytes:
    return (f"{method} {target} HTTP/1.1\r\nHost: sim\r\n{headers}\r\n").encode() + payload


def query(command: str, **params: Any) -> str:
    return urlencode(signed(command, **params))


def test_head_gives_the_get_headers_and_no_body(sim: Simulator) -> None:
    status, headers, payload = exchange(sim, request("HEAD", f"/client/api?{query('listZones')}"))
    assert status == 200 and payload == b""
    assert headers["content-type"].startswith("application/json")
    got = requests.get(sim.url, params=signed("listZones"), timeout=10)
    assert int(headers["content-length"]) == len(got.content)


def test_put_and_delete_are_405_and_change_nothing(sim: Simulator, api: Api) -> None:
    deploy = query("createSSHKeyPair", name="via-put")
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, payload = exchange(sim, request(method, f"/client/api?{deploy}",
                                                         headers="Content-Length: 0\r\n"))
        assert status == 405, method
        assert headers["allow"] == "GET, HEAD, POST, OPTIONS"
        assert b"Traceback" not in payload and f"HTTP method {method}".encode() in payload
    status, headers, payload = exchange(sim, request("OPTIONS", "/client/api"))
    assert (status, headers["allow"], payload) == (200, "GET, HEAD, POST, OPTIONS", b"")
    assert body(api("listSSHKeyPairs")) == {}


def test_post_without_content_length_is_answered_not_awaited(sim: Simulator) -> None:
    """HTTP/1.1: no Content-Length and no chunking means an empty body. The connection stays
    open, so a server that reads to the end of the stream never answers."""
    target = f"/client/api?{query('listZones')}"
    form = "Content-Type: application/x-www-form-urlencoded\r\n"
    status, _, payload = exchange(sim, request("POST", target, headers=form))
    assert status == 200 and b'"count": 2' in payload
    for bad in ("-5", "abc"):
        status, _, payload = exchange(sim, request(
            "POST", target, headers=f"{form}Content-Length: {bad}\r\n", payload=b"x=1"))
        assert status == 430, bad
        assert b'"errorcode": 430' in payload


def test_chunked_form_body_is_read(sim: Simulator) -> None:
    form = query("listZones").encode()
    chunked = f"{len(form):x}\r\n".encode() + form + b"\r\n0\r\n\r\n"
    status, _, payload = exchange(sim, request(
        "POST", "/client/api", payload=chunked,
        headers="Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"))
    assert status == 200 and b'"count": 2' in payload


def test_a_body_that_is_not_a_form_is_not_read(sim: Simulator) -> None:
    """Jetty reads parameters from a body only when it is a form: a JSON body carrying a
    signed call leaves the request without a command, which verifyRequest refuses."""
    for ctype in ("application/json", "text/plain", None):
        response = requests.post(sim.url, data=query("listZones"), timeout=10,
                                 headers={"Content-Type": ctype} if ctype else {})
        assert response.status_code == 401, ctype
        assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><errorresponse')


def test_repeated_names_resolve_as_the_servlet_does(sim: Simulator) -> None:
    """In the query string the last value wins (the servlet's utf8Fixup re-puts each pair);
    a query-string value beats a body value; in a body the first value wins."""
    params = signed("listZones", name="CH-GV2")
    first = urlencode([*params.items(), ("name", "DE-FRA1")])
    assert requests.get(f"{sim.url}?{first}", timeout=10).status_code == 401  # signed CH-GV2
    last = urlencode([("name", "DE-FRA1"), *params.items()])
    zones = body(requests.get(f"{sim.url}?{last}", timeout=10))["zone"]
    assert [z["name"] for z in zones] == ["CH-GV2"]
    over = requests.post(f"{sim.url}?{urlencode({'name': 'CH-GV2'})}", timeout=10,
                         data=[("name", "DE-FRA1"), *params.items()])
    assert [z["name"] for z in body(over)["zone"]] == ["CH-GV2"]
    in_body = requests.post(sim.url, data=[*params.items(), ("name", "DE-FRA1")], timeout=10)
    assert [z["name"] for z in body(in_body)["zone"]] == ["CH-GV2"]


def test_raw_utf8_bytes_in_the_url_are_decoded_as_utf8(sim: Simulator) -> None:
    """Jetty decodes unescaped UTF-8 bytes of a query string as UTF-8; werkzeug's environ
    garbled them, so a correctly signed call failed with 401."""
    params = {"command": "listZones", "response": "json", "apiKey": KEY, "keyword": "日本"}
    params["signature"] = sign(params)
    raw = "&".join(f"{k}={v}" if k == "keyword" else urlencode({k: v})
                   for k, v in params.items())
    status, _, payload = exchange(sim, b"GET /client/api?" + raw.encode("utf-8") +
                                  b" HTTP/1.1\r\nHost: sim\r\n\r\n")
    assert (status, payload) == (200, b'{"listzonesresponse": {}}')


def test_control_characters_are_refused_after_the_signature(api: Api) -> None:
    """ApiServer.checkCharacterInkParams: ASCII controls but line feed and carriage return."""
    refused = api("listZones", keyword="a\x01b")
    assert refused.status_code == 431
    assert body(refused) == {
        "uuidList": [], "errorcode": 431, "cserrorcode": 9999,
        "errortext": "Received value containing illegal ASCII non-printable characters for "
                     "parameter keyword"}
    assert api("listZones", keyword="a\tb").status_code == 431
    assert api("listZones", keyword="a\r\nb").status_code == 200


def test_response_values_other_than_json_answer_xml(sim: Simulator) -> None:
    for value, xml in (("json", False), ("JSON", False), ("xml", True), ("yaml", True),
                       ("", True)):
        response = requests.get(sim.url, params=signed("listZones", response=value), timeout=10)
        assert response.status_code == 200, value
        assert response.text.startswith("<?xml") is xml, value
        bad = requests.get(sim.url, params=signed("listZones", "WRONG", response=value),
                           timeout=10)
        assert bad.status_code == 401
        assert bad.text.startswith("<?xml") is xml, value


def test_request_line_over_8k_is_414_and_the_server_keeps_serving(sim: Simulator,
                                                                  api: Api) -> None:
    """CloudStack's Jetty takes 8192 bytes of request line and headers (ServerDaemon)."""
    def padded(count: int) -> dict[str, Any]:  # parameters the command does not know
        return {f"pad{i}": "a" * 50 for i in range(count)}

    short = requests.get(sim.url, params=signed("listZones", **padded(120)), timeout=10)
    assert short.status_code == 200 and len(short.request.url or "") > 6900
    status, headers, payload = exchange(sim, request(
        "GET", f"/client/api?{query('listZones', **padded(160))}"))
    assert status == 414 and b"Traceback" not in payload
    assert headers["connection"] == "close"
    status, _, _ = exchange(sim, request(
        "GET", f"/client/api?{query('listZones')}", headers=f"X-Big: {'b' * 9000}\r\n"))
    assert status == 431
    assert body(api("listZones"))["count"] == 2


def test_body_over_request_content_size_or_form_keys_is_431(sim: Simulator, api: Api) -> None:
    big = requests.post(sim.url, data={**signed("listZones"), "x": "y" * (1024 * 1024)},
                        timeout=30)
    assert big.status_code == 431 and body(big)["errorcode"] == 431
    many = requests.post(sim.url, data=[*signed("listZones").items(),
                                        *((f"k{i}", "v") for i in range(5000))], timeout=30)
    assert many.status_code == 431
    assert body(api("listZones"))["count"] == 2
