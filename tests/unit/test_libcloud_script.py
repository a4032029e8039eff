"""A script written for libcloud's CloudStack driver, run unchanged against an older server
whose ids are numbers (issue 10, "Done when").

The same script text runs twice against the same recorded answers: once with
``apache-libcloud``'s driver (proving the script is an ordinary libcloud script that libcloud
runs) and once with ours after changing only the imports; both must finish, and ours must
send every id back as text.
"""

from __future__ import annotations

import textwrap
from typing import Any

import requests_mock
from _oldserver import answer_all
from _wire import wire

API_URL = "http://cs.test/client/api"

SCRIPT = textwrap.dedent('''
    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls(key="KEY", secret="SECRET", url=URL)
    tune(driver)

    location = driver.list_locations()[0]
    image = driver.list_images()[0]
    size = driver.list_sizes()[0]
    network = driver.ex_list_networks()[0]
    address = driver.ex_list_public_ips()[0]
    node = driver.list_nodes()[0]

    rule = driver.ex_create_firewall_rule(address, "0.0.0.0/0", "tcp", start_port=80,
                                          end_port=80)
    for listed in driver.ex_list_firewall_rules():
        driver.ex_delete_firewall_rule(listed)
    forward = driver.ex_create_port_forwarding_rule(node, address, 22, 2200, "tcp")
    for listed in driver.ex_list_port_forwarding_rules():
        driver.ex_delete_port_forwarding_rule(listed.node, listed)
    egress = driver.ex_create_egress_firewall_rule(network.id, "10.0.0.0/8", "tcp",
                                                   start_port=443, end_port=443)
    new = driver.create_node(name="web2", size=size, image=image, location=location,
                             networks=[network])
    driver.ex_release_public_ip(address)
    again = driver.ex_get_node(node.id)
    result = {
        "rule_port": rule.start_port, "forward_port": forward.public_port,
        "egress_network": egress.network_id, "new": new.name, "again": again.name,
        "forward_node": forward.node.name,
    }
''')


def _tune_ours(driver: Any) -> None:
    driver.connection.poll_interval = 0


def _tune_libcloud(driver: Any) -> None:
    driver.connection.poll_interval = 0


def _run(namespace: dict[str, Any]) -> dict[str, Any]:
    exec(compile(SCRIPT, "<libcloud script>", "exec"), namespace)
    result: dict[str, Any] = namespace["result"]
    return result


def test_the_script_runs_on_libcloud_itself(cs_mock: Any, cs_router: Any, cs_answer: Any,
                                            cs_answer_async: Any) -> None:
    from libcloud.compute import providers as libcloud_providers
    from libcloud.compute import types as libcloud_types

    # libcloud sends an http:// url over TLS (PARITY D39): answer there too
    cs_mock.register_uri(requests_mock.ANY, API_URL.replace("http:", "https:"),
                         json=cs_router)
    answer_all(cs_answer, cs_answer_async)
    result = _run({"get_driver": libcloud_providers.get_driver,
                   "Provider": libcloud_types.Provider, "URL": API_URL,
                   "tune": _tune_libcloud})
    # libcloud keeps the server's number (5); ours gives every id as text ("5")
    assert result == {"rule_port": 80, "forward_port": 2200, "egress_network": 5,
                      "new": "web2", "again": "vm1", "forward_node": "vm1"}


def test_the_script_runs_unchanged_on_ours(cs_mock: Any, cs_answer: Any,
                                           cs_answer_async: Any, cs_sent: Any) -> None:
    from cloudstack_driver import Provider, get_driver

    answer_all(cs_answer, cs_answer_async)
    result = _run({"get_driver": get_driver, "Provider": Provider, "URL": API_URL,
                   "tune": _tune_ours})
    assert result == {"rule_port": 80, "forward_port": 2200, "egress_network": "5",
                      "new": "web2", "again": "vm1", "forward_node": "vm1"}
    assert wire(cs_sent("createFirewallRule")[0])["ipaddressid"] == "34000"
    assert [wire(p) for p in cs_sent("deleteFirewallRule")] == [{"id": "700"}]
    assert wire(cs_sent("createPortForwardingRule")[0])["virtualmachineid"] == "2600"
    assert [wire(p) for p in cs_sent("deletePortForwardingRule")] == [{"id": "900"}]
    assert wire(cs_sent("createEgressFirewallRule")[0])["networkid"] == "5"
    deploy = wire(cs_sent("deployVirtualMachine")[0])
    assert (deploy["networkids"], deploy["zoneid"], deploy["templateid"]) == ("5", "1", "204")
    assert wire(cs_sent("disassociateIpAddress")[0]) == {"id": "34000"}
