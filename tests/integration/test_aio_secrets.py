"""No secret in any log record of an asyncio scenario (issue 15: the sync driver's guarantees
kept), httpx's and httpcore's records included; nor in the repr/str of what it returned or
the errors it raised.

The root logger is at DEBUG. The secrets: the secret key, every request signature (read by
the simulator off the wire, GET query and POST body alike), a key pair's private key, a VM's
password and an IPsec pre-shared key. The scenario also goes through a retry (a 503), a lost
answer recovered (``drop_after``) and server errors, so the warning paths log too.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from cloudstack_driver import LibcloudError
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.simulator import Fault, Simulator
from tests.integration.conftest import Everything, record_texts


def _capture_signatures(sim: Simulator, found: set[str]) -> None:
    handle = sim.app.handle

    def reading(environ: dict[str, Any]) -> Any:
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            params.update(parse_qsl(body.decode("latin-1")))
        if params.get("signature"):
            found.add(params["signature"])
        return handle(environ)

    sim.app.handle = reading  # type: ignore[method-assign]


def test_no_secret_anywhere(every_record: Everything) -> None:
    signatures: set[str] = set()
    returned: list[Any] = []
    raised: list[BaseException] = []
    with Simulator(job_duration=0.05) as sim:
        _capture_signatures(sim, signatures)
        sim.faults.add(Fault("listTemplates", "http", status=503, occurrence=1),
                       Fault("createVolume", "drop_after", occurrence=1))

        async def main() -> dict[str, str]:
            async with AsyncCloudStackNodeDriver(sim.api_key, sim.secret_key, url=sim.url,
                                                 poll_interval=0.02, max_retries=1,
                                                 retry_delay=0) as d:
                zones = await d.list_locations()
                basic = next(z for z in zones if z.extra["network_type"] == "Basic")
                image = next(i for i in await d.list_images() if i.extra["password_enabled"])
                size = (await d.list_sizes())[0]
                pair, nodes = await asyncio.gather(
                    d.create_key_pair("secrets-test"),
                    asyncio.gather(*(d.create_node(f"secrets-{i}", size, image, basic)
                                     for i in range(3))))
                volume = await d.create_volume(1, "recovered", location=basic)
                gateway = await d.ex_create_vpn_customer_gateway(
                    "192.168.0.0/24", "aes128-sha1", "198.51.100.1", "aes128-sha1",
                    "pre-shared-s3cret")
                returned.extend([*zones, image, size, pair, *nodes, volume, gateway,
                                 *await d.list_nodes(), *await d.list_key_pairs(),
                                 *await d.ex_list_vpn_customer_gateways()])
                for call in (lambda: d.ex_get_node("no-such-node"),
                             lambda: d.connection.request("deployVirtualMachine",
                                                          zoneid="bad")):
                    try:
                        await call()
                    except LibcloudError as exc:
                        raised.append(exc)
                await asyncio.gather(*(n.destroy() for n in nodes))
                return {"private key": pair.private_key or "",
                        "VM password": nodes[0].extra["password"] or ""}

        found = asyncio.run(main())
        assert [f.kind for f in sim.faults.fired] == ["http", "drop_after"]

    secrets = {"secret key": sim.secret_key, **found, "pre-shared key": "pre-shared-s3cret"}
    assert all(secrets.values()), secrets
    assert len(signatures) > 15 and len(raised) == 2
    secrets["private key"] = secrets["private key"].splitlines()[1]
    hidden = {**secrets, **{f"signature {i}": s for i, s in enumerate(sorted(signatures))}}
    hidden.update({f"{k} (url-encoded)": quote(v, safe="") for k, v in list(hidden.items())
                   if k.startswith("signature")})
    names = {r.name for r in every_record.records}
    assert "httpx" in names and any(n.startswith("httpcore") for n in names), names
    assert any(n.startswith("cloudstack_driver") for n in names), names
    assert any("retry" in r.getMessage() for r in every_record.records)  # the 503
    assert any("answer lost" in r.getMessage() for r in every_record.records)  # recovered
    for record in every_record.records:
        for text in record_texts(record):
            for label, value in hidden.items():
                assert value not in text and unquote(value) not in text, (
                    f"{label} in a {record.name} record: {text[:200]}")
    for obj in returned:
        for text in (repr(obj), str(obj)):
            for label, value in secrets.items():
                if label != "secret key":
                    assert value not in text, f"{label} in repr/str of {type(obj).__name__}"
    for exc in raised:
        for text in (str(exc), repr(exc), *map(str, exc.args)):
            for label, value in hidden.items():
                assert value not in text, f"{label} in {type(exc).__name__}: {text[:200]}"
