"""No secret in any log record, repr, str or exception message (issue 11, item 5).

A full scenario runs against the simulator with the root logger at DEBUG (urllib3's records
included). The secrets it meets are collected as they appear - the secret key, every request
signature (read off the wire), a key pair's private key, a VM's password, an IPsec pre-shared
key - and then searched for in every record, in the ``repr`` and ``str`` of every object the
driver returned, and in every exception raised.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from cloudstack_driver import CloudStackNodeDriver, LibcloudError
from cloudstack_driver.simulator import Simulator
from tests.integration.conftest import Everything, record_texts


def _signatures_of(driver: CloudStackNodeDriver, found: set[str]) -> None:
    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        request = response.request
        params = dict(parse_qsl(urlsplit(request.url).query))
        if request.body:
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            params.update(parse_qsl(body))
        if params.get("signature"):
            found.add(params["signature"])

    driver.connection.session.hooks["response"].append(hook)


def test_no_secret_anywhere(every_record: Everything) -> None:
    signatures: set[str] = set()
    returned: list[Any] = []
    raised: list[BaseException] = []
    with Simulator(job_duration=0.01) as sim:
        driver = CloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                      poll_interval=0.01, max_retries=1, retry_delay=0)
        try:
            _signatures_of(driver, signatures)
            zones = driver.list_locations()
            basic = next(z for z in zones if z.extra["network_type"] == "Basic")
            image = next(i for i in driver.list_images() if i.extra["password_enabled"])
            size = driver.list_sizes()[0]
            pair = driver.create_key_pair("secrets-test")
            node = driver.create_node("secrets-node", size, image, basic)
            gateway = driver.ex_create_vpn_customer_gateway(
                "192.168.0.0/24", "aes128-sha1", "198.51.100.1", "aes128-sha1",
                "pre-shared-s3cret")
            returned += [*zones, image, size, pair, node, gateway, *driver.list_nodes(),
                         *driver.list_key_pairs(), *driver.ex_list_vpn_customer_gateways()]
            for call in (lambda: driver.ex_get_node("no-such-node"),
                         lambda: driver.connection.request("deployVirtualMachine",
                                                           zoneid="bad")):
                try:
                    call()
                except LibcloudError as exc:
                    raised.append(exc)
            driver.destroy_node(node)
        finally:
            driver.connection.close()

    secrets = {"secret key": sim.secret_key, "private key": pair.private_key,
               "VM password": node.extra["password"], "pre-shared key": "pre-shared-s3cret"}
    assert all(secrets.values()), secrets
    assert len(signatures) > 10 and len(raised) == 2
    for label, value in list(secrets.items()):
        secrets[label] = value.splitlines()[1] if label == "private key" else value
    hidden = {**secrets, **{f"signature {i}": s for i, s in enumerate(sorted(signatures))}}
    hidden.update({f"{k} (url-encoded)": quote(v, safe="") for k, v in list(hidden.items())
                   if k.startswith("signature")})
    assert any(r.name.startswith("urllib3") for r in every_record.records)
    assert any(r.name.startswith("cloudstack_driver") for r in every_record.records)
    for record in every_record.records:
        for text in record_texts(record):
            for label, value in hidden.items():
                assert value not in text and unquote(value) not in text, (
                    f"{label} in a {record.name} record: {text[:200]}")
    for obj in returned:
        for text in (repr(obj), str(obj)):
            for label, value in secrets.items():
                if label == "secret key":
                    continue
                assert value not in text, f"{label} in repr/str of {type(obj).__name__}"
    for exc in raised:
        for text in (str(exc), repr(exc), *map(str, exc.args)):
            for label, value in hidden.items():
                assert value not in text, f"{label} in {type(exc).__name__}: {text[:200]}"
