"""Issue 2's done-when, over real HTTP: 1,200 VMs in three pages of 500 become 1,200 Nodes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cloudstack_driver import CloudStackNode, NodeState, Provider, get_driver
from cloudstack_driver.simulator import Simulator


def test_list_nodes_pages_1200_vms_from_the_simulator() -> None:
    with Simulator(vms=1200, page_size=500) as sim:
        driver = get_driver(Provider.CLOUDSTACK)(sim.api_key, sim.secret_key, url=sim.url)
        pages: list[dict[str, Any]] = []
        send = driver.connection.session.send

        def spy(request: Any, **kwargs: Any) -> Any:
            response = send(request, **kwargs)
            if "command=listVirtualMachines" in (request.url or ""):
                pages.append(response.json()["listvirtualmachinesresponse"])
            return response

        driver.connection.session.send = spy  # type: ignore[method-assign]
        nodes = driver.list_nodes()

    assert len(nodes) == 1200
    assert all(isinstance(n, CloudStackNode) for n in nodes)
    assert len({n.id for n in nodes}) == 1200
    assert [len(p["virtualmachine"]) for p in pages] == [500, 500, 200]
    assert {p["count"] for p in pages} == {1200}
    assert Counter(n.state for n in nodes)[NodeState.RUNNING] == 1200
