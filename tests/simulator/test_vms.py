"""Virtual machine lifecycle, jobs, user data, keys, projects."""

from __future__ import annotations

import base64

from sim_helpers import Api, body, fail, run, wait_job

from cloudstack_driver.simulator.seed import TINY_LINUX_ID

TINY = "ef2537ad-c70f-11e1-821b-0800277e749c"
SMALL = "c66c2557-12a7-4b32-94f4-48837da3fa84"
PASSWORD_TEMPLATE = "7e5b3c2a-9d4f-4a1b-8c6e-3f2a1b0c9d82"


def zones(api: Api) -> dict[str, str]:
    return {z["networktype"]: z["id"] for z in body(api("listZones"))["zone"]}


def deploy(api: Api, zone: str = "Basic", **params: object) -> dict[str, object]:
    vm: dict[str, object] = run(api, "deployVirtualMachine", zoneid=zones(api)[zone],
                                templateid=params.pop("templateid", TINY_LINUX_ID),
                                serviceofferingid=TINY, **params)["virtualmachine"]
    return vm


def test_deploy_job_lifecycle(api: Api) -> None:
    first = body(api("deployVirtualMachine", post=True, zoneid=zones(api)["Basic"],
                     templateid=TINY_LINUX_ID, serviceofferingid=TINY, name="web1"))
    assert set(first) == {"jobid", "id"}
    pending = body(api("queryAsyncJobResult", jobid=first["jobid"]))
    assert pending["jobstatus"] == 0
    assert "jobresult" not in pending
    listed = body(api("listVirtualMachines", id=first["id"]))["virtualmachine"][0]
    assert listed["state"] == "Starting"
    assert listed["jobid"] == first["jobid"] and listed["jobstatus"] == 0
    done = wait_job(api, first["jobid"])
    assert done["jobstatus"] == 1 and done["jobresultcode"] == 0
    assert done["jobinstancetype"] == "VirtualMachine" and done["jobinstanceid"] == first["id"]
    vm = done["jobresult"]["virtualmachine"]
    assert vm["state"] == "Running" and vm["name"] == "web1"
    assert "password" not in vm
    assert vm["securitygroup"][0]["name"] == "default"
    assert vm["nic"][0]["isdefault"] is True
    listed = body(api("listVirtualMachines", id=first["id"]))["virtualmachine"][0]
    assert "jobid" not in listed
    jobs = body(api("listAsyncJobs"))
    assert jobs["count"] == 1 and jobs["asyncjobs"][0]["jobid"] == first["jobid"]
    root = body(api("listVolumes", virtualmachineid=first["id"]))["volume"]
    assert [v["type"] for v in root] == ["ROOT"]
    assert root[0]["vmname"] == "web1"


def test_startvm_false_then_start_stop_reboot(api: Api) -> None:
    vm = deploy(api, startvm="false")
    assert vm["state"] == "Stopped"
    assert run(api, "startVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == "Running"
    again = fail(api, "startVirtualMachine", id=vm["id"])  # the check runs in the job
    assert again["jobresultcode"] == 431 and again["jobresult"]["errorcode"] == 431
    assert "already Running" in again["jobresult"]["errortext"]
    assert run(api, "rebootVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == "Running"
    assert run(api, "stopVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == "Stopped"
    failed = fail(api, "rebootVirtualMachine", id=vm["id"])
    assert failed["jobresult"]["errorcode"] == 431


def test_destroy_recover_expunge(api: Api) -> None:
    vm = deploy(api)
    assert run(api, "destroyVirtualMachine", id=vm["id"])["virtualmachine"]["state"] == "Destroyed"
    recovered = run(api, "recoverVirtualMachine", id=vm["id"])["virtualmachine"]
    assert recovered["state"] == "Stopped"
    run(api, "destroyVirtualMachine", id=vm["id"])
    assert run(api, "expungeVirtualMachine", id=vm["id"]) == {"success": True}
    assert body(api("listVirtualMachines")) == {}
    assert body(api("listVolumes")) == {}


def test_destroy_with_expunge_removes_vm_and_root(api: Api) -> None:
    vm = deploy(api)
    run(api, "destroyVirtualMachine", id=vm["id"], expunge="true")
    assert body(api("listVirtualMachines")) == {}
    assert body(api("listVolumes")) == {}


def test_password_enabled_template_gives_password(api: Api) -> None:
    vm = deploy(api, templateid=PASSWORD_TEMPLATE)
    assert isinstance(vm["password"], str) and len(vm["password"]) >= 8
    listed = body(api("listVirtualMachines", id=vm["id"]))["virtualmachine"][0]
    assert "password" not in listed


def test_userdata_round_trip_and_validation(api: Api) -> None:
    data = base64.b64encode(b"#cloud-config\nruncmd: [echo hi]\n").decode()
    vm = deploy(api, userdata=data)
    got = body(api("getVirtualMachineUserData", virtualmachineid=vm["id"]))
    assert got == {"virtualmachineuserdata": {"virtualmachineid": vm["id"], "userdata": data}}
    bad = api("deployVirtualMachine", post=True, zoneid=zones(api)["Basic"],
              templateid=TINY_LINUX_ID, serviceofferingid=TINY, userdata="not base64!")
    assert bad.status_code == 431
    assert body(bad)["errortext"] == "User data is not base64 encoded"


def test_keypair_and_security_groups_on_deploy(api: Api) -> None:
    run(api, "createSSHKeyPair", name="k1")
    vm = deploy(api, keypair="k1")
    assert vm["keypairs"] == "k1"
    assert body(api("listVirtualMachines", keypair="k1"))["count"] == 1
    missing = api("deployVirtualMachine", post=True, zoneid=zones(api)["Basic"],
                  templateid=TINY_LINUX_ID, serviceofferingid=TINY, keypair="nope")
    assert missing.status_code == 431


def test_advanced_zone_refuses_security_groups(api: Api) -> None:
    response = api("deployVirtualMachine", post=True, zoneid=zones(api)["Advanced"],
                   templateid=TINY_LINUX_ID, serviceofferingid=TINY,
                   securitygroupnames="default")
    assert response.status_code == 431
    assert body(response)["errortext"] == ("Can't create vm with security groups; security "
                                           "group feature is not enabled for this zone")


def test_advanced_zone_deploy_uses_isolated_network(api: Api) -> None:
    vm = deploy(api, zone="Advanced")
    assert vm["securitygroup"] == []
    assert vm["nic"][0]["type"] == "Isolated"


def test_project_resources_hidden_from_plain_lists(api: Api) -> None:
    project = run(api, "createProject", name="p1", displaytext="P1")["project"]
    vm = deploy(api, projectid=project["id"])
    assert vm["projectid"] == project["id"] and "account" not in vm
    assert body(api("listVirtualMachines")) == {}
    assert body(api("listVirtualMachines", projectid=project["id"]))["count"] == 1
    assert body(api("listVirtualMachines", projectid="-1"))["count"] == 1


def test_update_and_scale(api: Api) -> None:
    vm = deploy(api, startvm="false")
    updated = run(api, "updateVirtualMachine", id=vm["id"], displayname="Nice name")
    assert updated["virtualmachine"]["displayname"] == "Nice name"
    assert run(api, "scaleVirtualMachine", id=vm["id"], serviceofferingid=SMALL) == {
        "success": True}
    listed = body(api("listVirtualMachines", id=vm["id"]))["virtualmachine"][0]
    assert listed["serviceofferingname"] == "Small Instance" and listed["memory"] == 512


def test_restore_answers_restorevmresponse(api: Api) -> None:
    vm = deploy(api)
    response = api("restoreVirtualMachine", post=True, virtualmachineid=vm["id"])
    assert set(response.json()) == {"restorevmresponse"}
    done = wait_job(api, response.json()["restorevmresponse"]["jobid"])
    assert done["jobresult"]["virtualmachine"]["id"] == vm["id"]


def test_duplicate_name_refused(api: Api) -> None:
    deploy(api, name="twin")
    again = api("deployVirtualMachine", post=True, zoneid=zones(api)["Basic"],
                templateid=TINY_LINUX_ID, serviceofferingid=TINY, name="twin")
    assert again.status_code == 431
    bad = api("deployVirtualMachine", post=True, zoneid=zones(api)["Basic"],
              templateid=TINY_LINUX_ID, serviceofferingid=TINY, name="-bad_name")
    assert bad.status_code == 431


def test_tags_on_vm(api: Api) -> None:
    vm = deploy(api)
    run(api, "createTags", resourcetype="UserVm", resourceids=vm["id"],
        **{"tags[0].key": "env", "tags[0].value": "prod"})
    listed = body(api("listVirtualMachines", **{"tags[0].key": "env", "tags[0].value": "prod"}))
    assert listed["virtualmachine"][0]["tags"][0]["key"] == "env"
    assert body(api("listTags", resourceid=vm["id"]))["tag"][0]["value"] == "prod"
    run(api, "deleteTags", resourcetype="UserVm", resourceids=vm["id"])
    assert body(api("listTags")) == {}
