"""The starting content of a simulated cloud: zones, templates, offerings, OS types, account.

``seed(cloud)`` builds it, then calls the networking seed (offerings, the Basic zone's shared
guest network, the account's ``default`` security group). ``populate_vms(cloud, n)`` adds ``n``
running VMs quickly, building records directly.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .facts import MTU, derived_id, zone_infra
from .state import Cloud, Record, now_stamp
from .vmfields import new_vm, root_volume

__all__ = ["ADVANCED_ZONE_ID", "BASIC_ZONE_ID", "TINY_LINUX_ID", "add_service_offering",
           "populate_vms", "seed"]

BASIC_ZONE_ID = "1128bd56-b4d9-4ac6-a7b9-c715b187ce11"
ADVANCED_ZONE_ID = "4a8b5b77-0a77-4b4a-8c4e-8e9a4b5c2f01"
DOMAIN_ID = "f0c3a4d2-1c2b-11ee-9a5f-0242ac120002"
ACCOUNT_ID = "f0c3a79e-1c2b-11ee-9a5f-0242ac120002"
USER_ID = "f0c3a8e6-1c2b-11ee-9a5f-0242ac120002"
SYSTEM_ACCOUNT_ID = "f0c3a6a4-1c2b-11ee-9a5f-0242ac120002"
TINY_LINUX_ID = "13ccff62-132b-4caf-b456-e8ef20cbff0e"
GIB = 1024 ** 3

_OSTYPES = [
    ("b1a2c3d4-0001-4000-8000-000000000001", "Other Linux (64-bit)"),
    ("b1a2c3d4-0002-4000-8000-000000000002", "Ubuntu 22.04 LTS"),
    ("b1a2c3d4-0003-4000-8000-000000000003", "Debian GNU/Linux 12 (64-bit)"),
    ("b1a2c3d4-0004-4000-8000-000000000004", "CentOS 7"),
    ("b1a2c3d4-0005-4000-8000-000000000005", "Windows Server 2019 (64-bit)"),
]
# (id, name, displaytext, passwordenabled, ostype index, size in GiB)
_TEMPLATES = [
    (TINY_LINUX_ID, "tiny Linux", "tiny Linux", False, 0, 1),
    ("0c1f1f6e-5d0b-4f1e-9a7e-2b0c1a4f6d21", "Ubuntu 22.04", "Ubuntu 22.04 LTS (cloud-init)",
     False, 1, 10),
    ("7e5b3c2a-9d4f-4a1b-8c6e-3f2a1b0c9d82", "Debian 12 password", "Debian 12 with password reset",
     True, 2, 10),
    ("a3d9e1f0-6b2c-4c8d-9e7f-1a2b3c4d5e93", "Windows Server 2019", "Windows Server 2019",
     True, 4, 40),
]
# (id, name, cpunumber, cpuspeed, memory)
_SERVICE_OFFERINGS = [
    ("ef2537ad-c70f-11e1-821b-0800277e749c", "tinyOffering", 1, 100, 100),
    ("c66c2557-12a7-4b32-94f4-48837da3fa84", "Small Instance", 1, 500, 512),
    ("3d8b82e5-d8e7-48d5-a554-cf853111bc50", "Medium Instance", 1, 1000, 1024),
]
# (id, name, size in GiB, customized)
_DISK_OFFERINGS = [
    ("d1b2c3a4-0001-4a00-8000-0000000000a1", "Small", 5, False),
    ("d1b2c3a4-0002-4a00-8000-0000000000a2", "Medium", 20, False),
    ("d1b2c3a4-0003-4a00-8000-0000000000a3", "Large", 100, False),
    ("d1b2c3a4-0004-4a00-8000-0000000000a4", "Custom", 0, True),
]


def template_key(template_id: str, zone_id: str) -> str:
    """Templates are listed once per zone: the table key joins both ids."""
    return f"{template_id}/{zone_id}"


def _zone(zid: str, name: str, basic: bool) -> Record:
    return {"id": zid, "name": name, "description": f"{name} (simulated)",
            "displaytext": f"{name} (simulated)", "networktype": "Basic" if basic else "Advanced",
            "type": "Core",
            "securitygroupsenabled": basic, "allocationstate": "Enabled",
            "localstorageenabled": False, "dns1": "8.8.8.8", "dns2": "8.8.4.4",
            "internaldns1": "10.0.0.2", "guestcidraddress": None if basic else "10.1.0.0/16",
            "dhcpprovider": "VirtualRouter", "tags": [], "hasannotations": False,
            "zonetoken": derived_id(zid, "zone-token"),
            "allowuserspecifyvrmtu": False, "routerprivateinterfacemaxmtu": MTU,
            "routerpublicinterfacemaxmtu": MTU}


def add_service_offering(cloud: Cloud, *, oid: str, name: str, cpus: int, speed: int,
                         memory: int, domainid: str | None = None, zoneid: str | None = None,
                         networkrate: int = 200) -> Record:
    """A compute offering (public unless ``domainid`` or ``zoneid`` scope it) with the disk
    offering of its root disk, which the server makes alongside and never lists."""
    domain = cloud.get("domain", domainid, command="seed") if domainid else None
    zone = cloud.get("zone", zoneid, command="seed") if zoneid else None
    text = f"{name}: {cpus} CPU, {memory} MB RAM"
    return cloud.add("serviceoffering", {
        "id": oid, "name": name, "displaytext": text, "cpunumber": cpus, "cpuspeed": speed,
        "memory": memory, "created": now_stamp(), "storagetype": "shared",
        "provisioningtype": "thin", "cacheMode": "none", "offerha": False,
        "limitcpuuse": False, "isvolatile": False, "issystem": False, "defaultuse": False,
        "iscustomized": False, "iscustomizediops": False, "dynamicscalingenabled": True,
        "diskofferingstrictness": False, "encryptroot": False, "networkrate": networkrate,
        "diskofferingid": derived_id(oid, "root-disk-offering"), "diskofferingname": name,
        "diskofferingdisplaytext": text, "hasannotations": False,
        "domainid": domain["id"] if domain else None, "domain": domain["name"] if domain else None,
        "zoneid": zone["id"] if zone else None, "zone": zone["name"] if zone else None})


def seed(cloud: Cloud) -> None:
    created = now_stamp()
    cloud.add("domain", {"id": DOMAIN_ID, "name": "ROOT", "path": "ROOT", "level": 0,
                         "haschild": False, "state": "Active"})
    cloud.account = cloud.add("account", {
        "id": ACCOUNT_ID, "name": "admin", "accounttype": 1, "roletype": "Admin",
        "domainid": DOMAIN_ID, "domain": "ROOT", "state": "enabled", "created": created,
        "_userid": USER_ID, "_username": "admin", "_apikey": cloud.api_key,
        "_secretkey": cloud.secret_key})
    zones = [_zone(BASIC_ZONE_ID, "CH-GV2", True), _zone(ADVANCED_ZONE_ID, "DE-FRA1", False)]
    for zone in zones:
        cloud.add("zone", zone)
        zone_infra(zone)
    for oid, desc in _OSTYPES:
        cloud.add("ostype", {"id": oid, "description": desc, "oscategoryid": "cat-linux"
                             if "Windows" not in desc else "cat-windows",
                             "isuserdefined": False})
    for zone in zones:
        for tid, name, text, pwd, os_index, size in _TEMPLATES:
            ostype_id, ostype_name = _OSTYPES[os_index]
            cloud.table("template")[template_key(tid, zone["id"])] = {
                "id": tid, "name": name, "displaytext": text, "passwordenabled": pwd,
                "sshkeyenabled": True, "ispublic": True, "isfeatured": True, "isready": True,
                "isextractable": False, "bootable": True, "crossZones": False, "format": "QCOW2",
                "hypervisor": "Simulator", "ostypeid": ostype_id, "ostypename": ostype_name,
                "size": size * GIB, "status": "Download Complete", "templatetype": "USER",
                "zoneid": zone["id"], "zonename": zone["name"], "account": "system",
                "accountid": SYSTEM_ACCOUNT_ID, "domainid": DOMAIN_ID, "domain": "ROOT",
                "created": created, "isdynamicallyscalable": False, "requireshvm": False,
                "tags": [], "bits": 64, "deployasis": False, "directdownload": False,
                "hasannotations": False, "physicalsize": size * GIB * 2 // 5,
                "url": f"http://download.simulator.test/templates/{tid}.qcow2",
                "downloaddetails": [{"datastore": zone_infra(zone)["imagestore"],
                                     "downloadPercent": "100",
                                     "downloadState": "DOWNLOADED"}]}
    for sid, name, cpus, speed, memory in _SERVICE_OFFERINGS:
        add_service_offering(cloud, oid=sid, name=name, cpus=cpus, speed=speed, memory=memory)
    for did, name, size, custom in _DISK_OFFERINGS:
        cloud.add("diskoffering", {
            "id": did, "name": name, "displaytext": f"{name} disk" if not custom
            else "Custom size disk", "disksize": size, "iscustomized": custom,
            "iscustomizediops": False, "storagetype": "shared", "provisioningtype": "thin",
            "cacheMode": "none", "disksizestrictness": False, "encrypt": False,
            "created": created, "displayoffering": True, "hasannotations": False})
    from .handlers.networks import seed_networking
    seed_networking(cloud)


def _first(records: list[Record]) -> Record | None:
    return records[0] if records else None


def populate_vms(cloud: Cloud, count: int) -> None:
    """Add ``count`` running VMs (with ROOT volumes and a NIC) in the Basic zone, fast."""
    zone = cloud.get("zone", BASIC_ZONE_ID, command="seed")
    template = cloud.table("template")[template_key(TINY_LINUX_ID, BASIC_ZONE_ID)]
    offering = cloud.all("serviceoffering")[0]
    network = _first(cloud.where("network", zoneid=BASIC_ZONE_ID))
    account = cloud.account
    owner = {"account": account["name"], "domainid": account["domainid"],
             "domain": account["domain"]}
    created = now_stamp()
    base = int(ipaddress.IPv4Address("100.64.0.10"))
    vms = cloud.table("virtualmachine")
    volumes = cloud.table("volume")
    for n in range(count):
        vid = cloud.new_id()
        number = cloud.number("virtualmachine")
        name = f"vm-{n + 1:05d}"
        nic: dict[str, Any] = {
            "id": cloud.new_id(), "ipaddress": str(ipaddress.IPv4Address(base + n)),
            "netmask": "255.192.0.0", "gateway": "100.64.0.1", "isdefault": True,
            "macaddress": f"06:00:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}:01",
            "traffictype": "Guest", "type": "Shared", "virtualmachineid": vid, "deviceid": "0",
            "broadcasturi": "vlan://untagged", "isolationuri": "vlan://untagged",
            "secondaryip": [], "extradhcpoption": []}
        if network is not None:
            nic.update(networkid=network["id"], networkname=network.get("name"))
        vm = new_vm(vid=vid, name=name, displayname=name, number=number, owner=owner,
                    account=account, zone=zone, template=template, offering=offering,
                    state="Running", created=created)
        vm["nic"].append(nic)
        vms[vid] = vm
        rid = cloud.new_id()
        volumes[rid] = {"id": rid, **root_volume(vm, template, None, zone, offering)}
