"""State under concurrent HTTP load, job timing, job listing, and VM lifecycle answers."""

from __future__ import annotations

import errno
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
import requests
from sim_helpers import Api, body, run, signed, wait_job
from test_vms import TINY, deploy, zones
from test_volumes_keys import SMALL_DISK

from cloudstack_driver.simulator import Simulator
from cloudstack_driver.simulator.seed import BASIC_ZONE_ID, TINY_LINUX_ID


def _lifecycle(api: Api, n: int) -> str:
    """Deploy a VM, create and attach a volume; every other one: detach, delete, expunge."""
    vm = run(api, "deployVirtualMachine", zoneid=BASIC_ZONE_ID, templateid=TINY_LINUX_ID,
             serviceofferingid=TINY, name=f"w{n}")["virtualmachine"]
    volume = run(api, "createVolume", zoneid=BASIC_ZONE_ID, diskofferingid=SMALL_DISK,
                 name=f"d{n}")["volume"]
    run(api, "attachVolume", id=volume["id"], virtualmachineid=vm["id"])
    if n % 2:
        run(api, "detachVolume", id=volume["id"])
        run(api, "deleteVolume", id=volume["id"])
        run(api, "destroyVirtualMachine", id=vm["id"], expunge="true")
    return str(vm["id"])


def test_twenty_threads_create_and_destroy_consistently(api: Api) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(lambda n: _lifecycle(api, n), range(40)))
    assert len(set(ids)) == 40
    vms = body(api("listVirtualMachines"))["virtualmachine"]
    assert sorted(v["id"] for v in vms) == sorted(ids[0::2])
    for field in ("name", "instancename"):
        assert [k for k, c in Counter(v[field] for v in vms).items() if c > 1] == [], field
    addresses = [n["ipaddress"] for v in vms for n in v["nic"]]
    assert len(addresses) == len(set(addresses)) == 20
    volumes = body(api("listVolumes"))["volume"]
    assert Counter(v["type"] for v in volumes) == {"ROOT": 20, "DATADISK": 20}
    assert len({v["name"] for v in volumes}) == 40
    assert all(v["virtualmachineid"] in ids for v in volumes)
    jobs = body(api("listAsyncJobs"))
    assert jobs["count"] == 20 * 3 + 20 * 5  # deleteVolume is not async
    assert {j["jobstatus"] for j in jobs["asyncjobs"]} == {1}


def test_names_built_from_numbers_are_never_reused(api: Api) -> None:
    """Instance and ROOT volume names come from the VM's internal number, which the server's
    database never hands out twice, even after an expunge."""
    first = deploy(api, name="a")
    run(api, "destroyVirtualMachine", id=first["id"], expunge="true")
    second = deploy(api, name="b")
    third = deploy(api, name="c")
    assert len({first["instancename"], second["instancename"], third["instancename"]}) == 3
    roots = [v["name"] for v in body(api("listVolumes", type="ROOT"))["volume"]]
    assert len(roots) == len(set(roots)) == 2


def test_job_duration_is_honoured(sim: Simulator, api: Api) -> None:
    now = [0.0]
    sim.cloud.jobs.clock = lambda: now[0]
    sim.cloud.jobs.duration = 30.0
    started = body(api("deployVirtualMachine", post=True, zoneid=BASIC_ZONE_ID,
                       templateid=TINY_LINUX_ID, serviceofferingid=TINY))
    pending = body(api("queryAsyncJobResult", jobid=started["jobid"]))
    assert pending["jobstatus"] == 0 and "jobresult" not in pending
    listed = body(api("listVirtualMachines", id=started["id"]))["virtualmachine"][0]
    assert (listed["jobid"], listed["jobstatus"], listed["state"]) == (
        started["jobid"], 0, "Starting")
    now[0] = 29.9
    assert body(api("queryAsyncJobResult", jobid=started["jobid"]))["jobstatus"] == 0
    now[0] = 30.0
    done = body(api("queryAsyncJobResult", jobid=started["jobid"]))
    assert done["jobstatus"] == 1 and done["jobresult"]["virtualmachine"]["state"] == "Running"
    listed = body(api("listVirtualMachines", id=started["id"]))["virtualmachine"][0]
    assert "jobid" not in listed and listed["state"] == "Running"


def test_unknown_jobid_is_the_parameter_steps_431(api: Api) -> None:
    for jobid in ("6f1e0c1e-0000-4000-8000-000000000000", "not-a-job"):
        response = api("queryAsyncJobResult", jobid=jobid)
        assert response.status_code == 431
        assert body(response)["errortext"] == (
            "Unable to execute API command queryasyncjobresult due to invalid value. Invalid "
            f"parameter jobid value={jobid} due to incorrect long value format, or entity does "
            "not exist or due to incorrect parameter annotation for the field in api cmd class.")


def test_list_async_jobs_pages_and_filters_by_start_date(api: Api) -> None:
    for n in range(3):
        run(api, "createVolume", zoneid=BASIC_ZONE_ID, diskofferingid=SMALL_DISK, name=f"v{n}")
    every = body(api("listAsyncJobs"))
    assert every["count"] == 3
    pages = [body(api("listAsyncJobs", page=p, pagesize=2)) for p in (1, 2, 3)]
    assert [len(p.get("asyncjobs", [])) for p in pages] == [2, 1, 0]
    assert {p["count"] for p in pages} == {3}
    assert [j["jobid"] for p in pages for j in p.get("asyncjobs", [])] == [
        j["jobid"] for j in every["asyncjobs"]]
    today = datetime.now(timezone.utc)
    assert body(api("listAsyncJobs", startdate=today.strftime("%Y-%m-%d")))["count"] == 3
    tomorrow = (today + timedelta(days=1)).strftime("%Y-%m-%d")
    assert body(api("listAsyncJobs", startdate=tomorrow)) == {}
    assert api("listAsyncJobs", startdate="yesterday").status_code == 431


def test_destroying_a_destroyed_vm_succeeds_and_expunge_removes_it(api: Api) -> None:
    """destroyVm: a VM already Destroyed (without expunge) or Expunging is the answer as it is;
    with expunge=true a Destroyed VM is expunged."""
    vm = deploy(api)
    assert run(api, "destroyVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == (
        "Destroyed")
    again = run(api, "destroyVirtualMachine", id=vm["id"])["virtualmachine"]
    assert again["state"] == "Destroyed"
    run(api, "destroyVirtualMachine", id=vm["id"], expunge="true")
    assert body(api("listVirtualMachines", id=vm["id"])) == {}


def test_stop_of_a_stopped_vm_succeeds_and_recover_restores(api: Api) -> None:
    vm = deploy(api, startvm="false")
    assert run(api, "stopVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == "Stopped"
    run(api, "destroyVirtualMachine", id=vm["id"])
    recovered = body(api("recoverVirtualMachine", post=True, id=vm["id"]))["virtualmachine"]
    assert recovered["state"] == "Stopped"
    refused = api("recoverVirtualMachine", post=True, id=vm["id"])
    assert refused.status_code == 431


def test_two_attaches_of_one_volume_at_once_attach_it_once(api: Api) -> None:
    first, second = deploy(api, name="one"), deploy(api, name="two")
    volume = run(api, "createVolume", zoneid=zones(api)["Basic"], diskofferingid=SMALL_DISK,
                 name="shared")["volume"]
    jobs = [body(api("attachVolume", post=True, id=volume["id"], virtualmachineid=vm["id"]))
            for vm in (first, second)]
    results = [wait_job(api, j["jobid"]) for j in jobs]
    assert sorted(r["jobstatus"] for r in results) == [1, 2]
    attached = body(api("listVolumes", id=volume["id"]))["volume"][0]
    assert attached["virtualmachineid"] in (first["id"], second["id"])


def test_simulator_restarts_and_frees_its_port() -> None:
    sim = Simulator(api_key="KEY", secret_key="SECRET")
    for _ in range(2):
        with sim:
            url = sim.url
            assert requests.get(url, params=signed("listZones"), timeout=10).status_code == 200
            threads = {t.name for t in threading.enumerate()}
            assert "cloudstack-simulator" in threads
        assert sim._thread is None
        assert "cloudstack-simulator" not in {t.name for t in threading.enumerate()}
        try:
            requests.get(url, params=signed("listZones"), timeout=2)
        except requests.ConnectionError:
            pass
        else:
            raise AssertionError("the stopped simulator still answers")
    port = Simulator(api_key="KEY", secret_key="SECRET")
    with port:
        fixed = urlsplit(port.url).port or 0
    again = Simulator(port=fixed, api_key="KEY", secret_key="SECRET")
    with again:  # the port was freed: binding it again works
        assert requests.get(again.url, params=signed("listZones"), timeout=10).ok


def test_a_taken_port_raises_oserror_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    """werkzeug's server exits the process (sys.exit) when its port is taken."""
    with Simulator(api_key="KEY", secret_key="SECRET") as first:
        taken = urlsplit(first.url).port or 0
        second = Simulator(port=taken, api_key="KEY", secret_key="SECRET")
        with pytest.raises(OSError) as info:
            second.start()
        assert info.value.errno == errno.EADDRINUSE
        assert second._server is None and second._thread is None
        assert requests.get(first.url, params=signed("listZones"), timeout=10).ok
    assert capsys.readouterr().err == ""
