"""Volumes, snapshots, SSH key pairs, affinity groups, limits."""

from __future__ import annotations

import base64
import hashlib

from sim_helpers import Api, body, fail, run
from test_vms import deploy, zones

SMALL_DISK = "d1b2c3a4-0001-4a00-8000-0000000000a1"
CUSTOM_DISK = "d1b2c3a4-0004-4a00-8000-0000000000a4"


def test_disk_offerings_seeded(api: Api) -> None:
    offerings = body(api("listDiskOfferings"))["diskoffering"]
    assert [o["name"] for o in offerings] == ["Small", "Medium", "Large", "Custom"]
    assert [o["iscustomized"] for o in offerings] == [False, False, False, True]


def test_volume_create_attach_detach_delete(api: Api) -> None:
    vm = deploy(api)
    volume = run(api, "createVolume", name="data1", diskofferingid=SMALL_DISK,
                 zoneid=zones(api)["Basic"])["volume"]
    assert volume["state"] == "Allocated" and volume["size"] == 5 * 1024 ** 3
    attached = run(api, "attachVolume", id=volume["id"], virtualmachineid=vm["id"])["volume"]
    assert attached["virtualmachineid"] == vm["id"] and attached["deviceid"] == 1
    # attachVolume is async and not a create command: its checks fail the job, not the call
    again = fail(api, "attachVolume", id=volume["id"], virtualmachineid=vm["id"])["jobresult"]
    assert again == {"errorcode": 431,
                     "errortext": "Please specify a volume that is not attached to any VM."}
    in_use = api("deleteVolume", post=True, id=volume["id"])
    assert in_use.status_code == 431
    root = body(api("listVolumes", virtualmachineid=vm["id"], type="ROOT"))["volume"][0]
    assert fail(api, "detachVolume", id=root["id"])["jobresult"]["errortext"] == (
        "Please specify a data volume.")
    detached = run(api, "detachVolume", id=volume["id"])["volume"]
    assert "virtualmachineid" not in detached
    assert run(api, "deleteVolume", id=volume["id"]) == {"success": True}
    assert body(api("listVolumes", id=volume["id"])) == {}


def test_custom_volume_needs_size_and_resize(api: Api) -> None:
    zone = zones(api)["Basic"]
    assert api("createVolume", post=True, name="c", diskofferingid=CUSTOM_DISK,
               zoneid=zone).status_code == 431
    volume = run(api, "createVolume", name="c", diskofferingid=CUSTOM_DISK, zoneid=zone,
                 size=7)["volume"]
    assert volume["size"] == 7 * 1024 ** 3
    assert api("resizeVolume", post=True, id=volume["id"], size=3).status_code == 431
    grown = run(api, "resizeVolume", id=volume["id"], size=9)["volume"]
    assert grown["size"] == 9 * 1024 ** 3


def test_attach_refused_for_destroyed_vm_or_other_zone(api: Api) -> None:
    vm = deploy(api)
    other = run(api, "createVolume", name="far", diskofferingid=SMALL_DISK,
                zoneid=zones(api)["Advanced"])["volume"]
    wrong_zone = fail(api, "attachVolume", id=other["id"], virtualmachineid=vm["id"])
    assert wrong_zone["jobresult"]["errortext"] == ("Please specify a VM that is in the same "
                                                    "zone as the volume.")
    run(api, "destroyVirtualMachine", id=vm["id"])
    near = run(api, "createVolume", name="near", diskofferingid=SMALL_DISK,
               zoneid=zones(api)["Basic"])["volume"]
    assert fail(api, "attachVolume", id=near["id"],
                virtualmachineid=vm["id"])["jobresult"]["errorcode"] == 431


def test_snapshots(api: Api) -> None:
    vm = deploy(api)
    root = body(api("listVolumes", virtualmachineid=vm["id"]))["volume"][0]
    snap = run(api, "createSnapshot", volumeid=root["id"])["snapshot"]
    assert snap["state"] == "BackedUp" and snap["volumeid"] == root["id"]
    assert body(api("listSnapshots", volumeid=root["id"]))["count"] == 1
    assert run(api, "deleteSnapshot", id=snap["id"]) == {"success": True}
    assert body(api("listSnapshots")) == {}


def _md5_fingerprint(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def test_create_keypair_has_real_material(api: Api) -> None:
    from cryptography.hazmat.primitives import serialization

    pair = run(api, "createSSHKeyPair", name="mine")["keypair"]
    assert pair["privatekey"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    key = serialization.load_pem_private_key(pair["privatekey"].encode(), password=None)
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    assert pair["fingerprint"] == _md5_fingerprint(public)
    listed = body(api("listSSHKeyPairs", name="mine"))["sshkeypair"][0]
    assert "privatekey" not in listed and listed["fingerprint"] == pair["fingerprint"]
    duplicate = api("createSSHKeyPair", post=True, name="mine")
    assert duplicate.status_code == 431
    assert run(api, "deleteSSHKeyPair", name="mine") == {"success": True}
    assert api("deleteSSHKeyPair", post=True, name="mine").status_code == 431


def test_register_keypair(api: Api) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    public = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    pair = run(api, "registerSSHKeyPair", name="reg", publickey=public + " me@host")["keypair"]
    assert pair["fingerprint"] == _md5_fingerprint(public)
    bad = api("registerSSHKeyPair", post=True, name="bad", publickey="ssh-rsa not-base64!")
    assert bad.status_code == 431 and body(bad)["errortext"] == "Public key is invalid"


def test_affinity_groups(api: Api) -> None:
    types = body(api("listAffinityGroupTypes"))["affinityGroupType"]
    assert {"type": "host anti-affinity"} in types
    group = run(api, "createAffinityGroup", name="spread",
                type="host anti-affinity")["affinitygroup"]
    vm = deploy(api, affinitygroupids=group["id"])
    assert vm["affinitygroup"][0]["id"] == group["id"]
    listed = body(api("listAffinityGroups"))["affinitygroup"][0]
    assert listed["virtualmachineIds"] == [vm["id"]]
    in_use = api("deleteAffinityGroup", post=True, id=group["id"])
    assert in_use.status_code == 536
    run(api, "destroyVirtualMachine", id=vm["id"], expunge="true")
    assert run(api, "deleteAffinityGroup", id=group["id"]) == {"success": True}


def test_resource_limits_and_capabilities(api: Api) -> None:
    limits = body(api("listResourceLimits"))["resourcelimit"]
    assert limits[0]["resourcetype"] == "0" and limits[0]["max"] == -1
    caps = body(api("listCapabilities"))["capability"]
    assert caps["cloudstackversion"].startswith("4.18")
