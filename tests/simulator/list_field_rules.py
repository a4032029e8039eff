"""Which spec fields a simulated list item may lack, and why: the rules ``test_list_item_fields``
holds every list answer to.

The 4.18 spec lists every field a response class *can* carry; a server fills only those its
setup gives. The simulator is a root admin's view of a KVM-like cloud: IPv4 only, no VMware, no
NSX or Tungsten, no icons, no IP reservation, no autoscaling or backups. A field may be missing
from an item only by one of these rules; every other spec field must be there, and a field a
rule omits must really be absent (so the rules stay exact).

* ``OMIT[command]``: (fields, reason) groups the command never fills here;
* ``WHEN[command]``: (reason, condition, fields): absent from the items the condition holds for;
* ``NESTED_OMIT`` / ``NESTED_WHEN``: the same for the items of a nested list
  (``(command, key)``), whose presence is checked for the keys ``NESTED_CHECKED`` names; every
  nested list's keys are held to the spec's nested fields anyway;
* ``GENERAL``: groups no command fills here (all but ``listAsyncJobs``, whose items are jobs);
* owners: an account's object names its ``account`` and no ``project``/``projectid``; a
  project's names both of these and no ``account`` (the server's ``populateOwner``); never both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudstack_driver.simulator import spec

Item = dict[str, Any]
Ctx = dict[str, Any]
Condition = Callable[[Item, Ctx], bool]
Group = tuple[frozenset[str], str]
Rule = tuple[str, Condition, frozenset[str]]


def fields(*names: str) -> frozenset[str]:
    return frozenset(names)


IPV6 = fields("ip6address", "ip6cidr", "ip6gateway", "ip6dns1", "ip6dns2", "ip6routes",
              "ip6routing")
GENERAL: list[Group] = [
    (fields("jobid", "jobstatus"), "only while an async job acts on the object (the world's "
     "jobs have all ended; test_pending_job_shows_on_the_vm checks them)"),
    (fields("icon"), "only after uploadResourceIcon, which the simulator does not have"),
    (fields("removed"), "only removed objects have a removal date; lists show live ones"),
    (IPV6, "IPv6 only: the simulated zones and networks are IPv4"),
]

_DISK_QOS = fields(
    "diskBytesReadRate", "diskBytesReadRateMax", "diskBytesReadRateMaxLength",
    "diskBytesWriteRate", "diskBytesWriteRateMax", "diskBytesWriteRateMaxLength",
    "diskIopsReadRate", "diskIopsReadRateMax", "diskIopsReadRateMaxLength",
    "diskIopsWriteRate", "diskIopsWriteRateMax", "diskIopsWriteRateMaxLength",
    "miniops", "maxiops", "hypervisorsnapshotreserve")
_PUBLIC = (fields("domain", "domainid", "zone", "zoneid"),
           "public offerings for every zone name no domain and no zone")
_NOT_SET = "only when set at creation (the seeded offerings set none)"
# NICs of unmanaged instances (listUnmanagedInstances) carry these, managed ones never
_UNMANAGED_NIC = (fields("adaptertype", "ipaddresses", "isolatedpvlan", "isolatedpvlantype",
                         "vlanid"),
                  "only NICs of unmanaged instances (VMware import) carry them")
_NIC_COMMON: list[Group] = [
    _UNMANAGED_NIC,
    (fields("mtu"), "a NIC MTU is reported only where one is set on the NIC; the simulated "
     "networks keep the zone's default"),
    (fields("nsxlogicalswitch", "nsxlogicalswitchport"), "NSX networks only"),
]
_VM_STATS_VOLUME = fields("diskioread", "diskiowrite", "diskkbsread", "diskkbswrite",
                          "physicalsize", "utilization", "virtualsize")


def _protocol_not(*names: str) -> Condition:
    return lambda item, _ctx: item.get("protocol") not in names


def _has_no_ports(item: Item, _ctx: Ctx) -> bool:
    return item.get("protocol") not in ("tcp", "udp")


_RULE_PORTS: list[Rule] = [
    ("ICMP type and code only on icmp rules", _protocol_not("icmp"),
     fields("icmptype", "icmpcode")),
    ("ports only on tcp and udp rules", _has_no_ports, fields("startport", "endport")),
]


def _in(key: str) -> Condition:
    """The item's id is one the world keeps under ``ctx[key]``."""
    return lambda item, ctx: item.get("id") in ctx[key]


def _not_in(key: str) -> Condition:
    return lambda item, ctx: item.get("id") not in ctx[key]


_VM: list[Group] = [
    (fields("autoscalevmgroupid", "autoscalevmgroupname"), "autoscaling groups only"),
    (fields("backupofferingid", "backupofferingname"), "only VMs given a backup offering"),
    (fields("forvirtualnetwork"), "never set: the server's user VM view leaves it out"),
    (fields("isoid", "isoname", "isodisplaytext"), "only VMs with an ISO attached"),
    (fields("password"), "only in the answer of a deploy or password reset"),
    (fields("readonlydetails"), "only for callers that are not root admins"),
    (fields("servicestate"), "only VMs listed as load-balancer rule members with their state"),
    (fields("userdata"), "only getVirtualMachineUserData shows user data"),
    (fields("userdataid", "userdataname", "userdatadetails", "userdatapolicy"),
     "only VMs deployed with a registered user-data object"),
    (fields("vgpu"), "only VMs of a GPU offering"),
]
_VM_WHEN: list[Rule] = [
    ("only VMs deployed with an SSH key pair", _not_in("keyed"), fields("keypairs")),
    ("only VMs in an instance group", _not_in("grouped"), fields("group", "groupid")),
    ("only VMs with a static NAT address", _not_in("static_nat"),
     fields("publicip", "publicipid")),
    ("only VMs on a host (running) name it", lambda item, _ctx: item["state"] != "Running",
     fields("hostid", "hostname", "hostcontrolstate")),
]

OMIT: dict[str, list[Group]] = {
    "listApis": [(fields("type"), "not in any entry of the real 4.18 listApis dump the "
                  "simulator answers with")],
    "listDiskOfferings": [
        (_DISK_QOS, "disk QoS, IOPS and snapshot reserve: " + _NOT_SET),
        (fields("tags", "details"), "storage tags and offering details: " + _NOT_SET),
        (fields("vspherestoragepolicy"), "VMware only"), _PUBLIC],
    "listEgressFirewallRules": [(fields("ipaddress", "ipaddressid"), "egress rules belong to "
                                 "a network, not to a public address")],
    "listFirewallRules": [(fields("destcidrlist"), "a destination list only on egress rules")],
    "listLBStickinessPolicies": [(fields("name", "description", "state"), "the server's "
                                  "container never sets them; each policy has its own")],
    "listNetworkOfferings": [
        (fields("details", "tags"), "offering details and tags: " + _NOT_SET),
        (fields("maxconnections"), "only offerings that limit connections"),
        (fields("serviceofferingid"), "only offerings naming a router service offering"),
        _PUBLIC],
    "listNetworks": [
        (fields("associatednetwork", "associatednetworkid"), "only networks associated with "
         "another network"),
        (fields("externalid"), "only networks made with an external id"),
        (fields("networkcidr", "reservediprange"), "only with guest IP reservation"),
        (fields("tungstenvirtualrouteruuid"), "Tungsten Fabric only"),
        (fields("zonesnetworkspans"), "stretched L2 networks only"),
        (fields("subdomainaccess"), "only shared networks made for a domain; the Basic zone's "
         "spans the zone")],
    "listNics": _NIC_COMMON,
    "listPrivateGateways": [(fields("associatednetwork", "associatednetworkid"), "only gateways "
                             "made on an associated network, not on a VLAN")],
    "listPublicIpAddresses": [
        (fields("networkname"), "the zone's public network has no name"),
        (fields("purpose"), "only system addresses (StaticNat or Lb purpose)")],
    "listRouters": [(fields("healthcheckresults"), "only with fetchhealthcheckresults=true")],
    "listServiceOfferings": [
        (_DISK_QOS, "disk QoS, IOPS and snapshot reserve: " + _NOT_SET),
        (fields("deploymentplanner", "hosttags", "storagetags", "rootdisksize",
                "serviceofferingdetails"), "planner, tags, root size and details: " + _NOT_SET),
        (fields("systemvmtype"), "system VM offerings only"),
        (fields("vspherestoragepolicy"), "VMware only")],
    "listTags": [(fields("customer"), "only tags created with a customer")],
    "listTemplates": [
        (fields("checksum"), "only templates registered with a checksum"),
        (fields("childtemplates", "deployasisdetails", "parenttemplateid"), "VMware OVA "
         "templates only"),
        (fields("details"), "template details: " + _NOT_SET),
        (fields("hostid", "hostname"), "only while a template is on one secondary host"),
        (fields("sourcetemplateid"), "only templates made from another template"),
        (fields("templatetag"), "only templates given a tag"),
        (fields("userdataid", "userdataname", "userdataparams", "userdatapolicy"),
         "only templates linked to a registered user-data object")],
    "listVPCOfferings": [_PUBLIC],
    "listVPCs": [(fields("dns1", "dns2"), "only VPCs made with their own DNS servers")],
    "listVirtualMachines": _VM,
    "listVolumes": [
        (fields("chaininfo"), "VMware only"),
        (_DISK_QOS & fields("diskBytesReadRate", "diskBytesWriteRate", "diskIopsReadRate",
                            "diskIopsWriteRate", "miniops", "maxiops"),
         "disk QoS only on offerings that set it"),
        (_VM_STATS_VOLUME, "volume statistics only where the storage reports them"),
        (fields("externaluuid"), "externally managed volumes only"),
        (fields("isoid", "isoname", "isodisplaytext"), "only volumes of VMs with an ISO"),
        (fields("status"), "only volumes being uploaded"),
        (fields("snapshotid"), "only volumes made from a snapshot (the world makes none)")],
    "listZones": [
        (fields("capacity"), "only with showcapacities=true"),
        (fields("domain", "domainid", "domainname"), "only zones dedicated to a domain"),
        (fields("internaldns2"), "only zones given a second internal DNS"),
        (fields("resourcedetails"), "only with showresourcedetails=true")],
}

_DEFAULT_ACL = ("default_allow", "default_deny")
_NO_INSTANCE = (".createTagsCmd", ".deleteTagsCmd", ".createLBHealthCheckPolicyCmd",
                ".createLBStickinessPolicyCmd", ".deleteLBHealthCheckPolicyCmd",
                ".deleteLBStickinessPolicyCmd", ".removeVpnUserCmd")
WHEN: dict[str, list[Rule]] = {
    "listApis": [("only commands whose 4.18 entry has them",
                  lambda item, _ctx: "since" not in spec.api(item["name"]), fields("since")),
                 ("only commands whose 4.18 entry has them",
                  lambda item, _ctx: "related" not in spec.api(item["name"]), fields("related"))],
    "listAsyncJobs": [
        ("a pending job has no result yet", lambda item, _ctx: item["jobstatus"] == 0,
         fields("completed", "jobresult", "jobresulttype")),
        ("jobs of commands acting on no one object (tags, policies) name no instance",
         lambda item, _ctx: item["cmd"].endswith(_NO_INSTANCE),
         fields("jobinstanceid", "jobinstancetype"))],
    "listEgressFirewallRules": _RULE_PORTS,
    "listFirewallRules": _RULE_PORTS,
    "listNetworkACLLists": [("the default lists belong to no VPC",
                             lambda item, _ctx: item["name"] in _DEFAULT_ACL,
                             fields("vpcid", "vpcname"))],
    "listNetworkACLs": [*_RULE_PORTS,
                        ("the default lists' items were made without a reason",
                         lambda item, _ctx: item["aclname"] in _DEFAULT_ACL, fields("reason"))],
    "listNics": [("only NICs on VPC tiers", lambda nic, ctx: nic["networkid"] not in ctx["tiers"],
                  fields("vpcid", "vpcname"))],  # as the VM view's NICs (_VM_NIC_WHEN)
    "listPublicIpAddresses": [
        ("only static NAT addresses name a VM", lambda item, _ctx: not item["isstaticnat"],
         fields("virtualmachineid", "virtualmachinename", "virtualmachinedisplayname",
                "vmipaddress")),
        ("only VPC addresses", _not_in("vpc_ips"), fields("vpcid", "vpcname")),
        ("a VPC's source NAT address is on no tier", _in("vpc_ips"),
         fields("associatednetworkid", "associatednetworkname"))],
    "listNetworks": [("only VPC tiers", _not_in("tiers"),
                      fields("vpcid", "vpcname", "aclid", "aclname"))],
    "listServiceOfferings": [("public offerings for every zone name no domain and no zone",
                              _not_in("scoped_offerings"),
                              fields("domain", "domainid", "zone", "zoneid"))],
    "listZones": [("a Basic zone has no guest CIDR",
                   lambda item, _ctx: item["networktype"] == "Basic", fields("guestcidraddress"))],
    "listSnapshots": [("the OS of the volume's VM: none for a volume of no VM",
                       _not_in("vm_snapshots"), fields("ostypeid", "osdisplayname"))],
    "listRouters": [("only VPC routers", _not_in("vpc_routers"), fields("vpcid", "vpcname"))],
    "listVirtualMachines": _VM_WHEN,
    "listVolumes": [
        ("only attached volumes", _in("loose_volumes"),
         fields("virtualmachineid", "deviceid", "attached", "vmname", "vmdisplayname",
                "vmstate", "vmtype")),
        ("an Allocated volume is on no storage yet", lambda item, _ctx: item["state"] ==
         "Allocated", fields("storage", "storageid", "podid", "podname", "clusterid",
                             "clustername", "path")),
        ("only ROOT volumes come from a template and a compute offering",
         lambda item, _ctx: item["type"] != "ROOT",
         fields("templateid", "templatename", "templatedisplaytext", "serviceofferingid",
                "serviceofferingname", "serviceofferingdisplaytext"))],
}

#: commands whose items may name no owner at all, and which ones
OWNERLESS: dict[str, Condition] = {
    "listNetworks": lambda item, _ctx: item.get("acltype") == "Domain",  # zone-wide, shared
}

# -- nested lists --------------------------------------------------------------------------

_VM_NIC_WHEN: list[Rule] = [("only NICs on VPC tiers", lambda nic, ctx: nic["networkid"]
                             not in ctx["tiers"], fields("vpcid", "vpcname"))]
NESTED_CHECKED = {
    ("listVirtualMachines", "nic"), ("listVirtualMachines", "securitygroup"),
    ("listVirtualMachines", "affinitygroup"), ("listVirtualMachines", "tags"),
    ("listRouters", "nic"), ("listSecurityGroups", "ingressrule"),
    ("listSecurityGroups", "egressrule"), ("listLBHealthCheckPolicies", "healthcheckpolicy"),
    ("listLBStickinessPolicies", "stickinesspolicy")}
NESTED_OMIT: dict[tuple[str, str], list[Group]] = {
    ("listVirtualMachines", "nic"): _NIC_COMMON,
    ("listVirtualMachines", "securitygroup"): [
        (fields("domain", "domainid", "egressrule", "ingressrule", "tags",
                "virtualmachinecount", "virtualmachineids"), "the VM view names each group "
         "by id, name, description and owner only")],
    ("listVirtualMachines", "affinitygroup"): [
        (fields("domain", "domainid", "virtualmachineIds"), "the VM view names each group by "
         "id, name, type, description and account only")],
    ("listVirtualMachines", "tags"): [(fields("customer"), "only tags made with a customer")],
    ("listRouters", "nic"): [
        *_NIC_COMMON,
        (fields("deviceid", "virtualmachineid", "secondaryip", "extradhcpoption"), "the router "
         "view's NICs carry none of these"),
        (fields("vpcid", "vpcname"), "the router's own vpcid names its VPC; NICs don't")],
}
NESTED_WHEN: dict[tuple[str, str], list[Rule]] = {
    ("listVirtualMachines", "nic"): _VM_NIC_WHEN,
    ("listRouters", "nic"): [
        ("system networks (control, public) have no name and no guest type",
         lambda nic, _ctx: nic["traffictype"] != "Guest", fields("networkname", "type")),
        ("the link-local NIC has no gateway and no broadcast domain",
         lambda nic, _ctx: nic["traffictype"] == "Control",
         fields("gateway", "broadcasturi", "isolationuri"))],
    ("listSecurityGroups", "ingressrule"): [
        *_RULE_PORTS,
        ("a CIDR rule names no group", lambda rule, _ctx: "cidr" in rule,
         fields("account", "securitygroupname")),
        ("a group rule has no CIDR", lambda rule, _ctx: "securitygroupname" in rule,
         fields("cidr"))],
}
NESTED_WHEN[("listSecurityGroups", "egressrule")] = NESTED_WHEN[("listSecurityGroups",
                                                                 "ingressrule")]
