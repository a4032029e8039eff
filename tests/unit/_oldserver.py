"""Answers shaped as an older CloudStack server sends them: ids as JSON numbers, optional keys
missing, empty lists as ``{}``, ports as strings, flags as ``"true"``/``"false"`` text.

``answer_all(cs_answer, cs_answer_async)`` installs every list answer and the async answers of
the create/delete calls the fidelity tests make.
"""

from __future__ import annotations

from typing import Any

ZONE = {"id": 1, "name": "Zone1", "networktype": "Advanced"}  # no securitygroupsenabled
TEMPLATE = {"id": 204, "name": "CentOS 5.6", "zoneid": 1, "ostypeid": 99,
            "passwordenabled": "false", "isready": True, "hypervisor": "KVM",
            "format": "QCOW2", "ostypename": "CentOS 5.6 (64-bit)", "displaytext": "CentOS"}
OFFERING = {"id": 3, "name": "Small", "memory": 512, "cpunumber": 1, "cpuspeed": 500}
NIC = {"id": 77, "networkid": 5, "ipaddress": "10.1.1.5", "netmask": "255.255.255.0",
       "gateway": "10.1.1.1", "isdefault": "true", "macaddress": "02:00:00:00:00:01",
       "deviceid": "0", "virtualmachineid": 2600}
VM = {"id": 2600, "name": "vm1", "displayname": "vm1", "state": "Running", "zoneid": 1,
      "zonename": "Zone1", "templateid": 204, "serviceofferingid": 3, "haenable": False,
      "nic": [NIC], "affinitygroup": [{"id": 61, "name": "spread"}],
      "rootdeviceid": 0, "projectid": 4}
ADDRESS = {"id": 34000, "ipaddress": "203.0.113.10", "zoneid": 1, "associatednetworkid": 5,
           "networkid": 9, "issourcenat": "false", "isstaticnat": False, "state": "Allocated"}
NAT_ADDRESS = {"id": 34001, "ipaddress": "203.0.113.11", "zoneid": 1,
               "associatednetworkid": 5, "isstaticnat": True, "virtualmachineid": 2600}
NETWORK = {"id": 5, "name": "net", "displaytext": "net", "networkofferingid": 8, "zoneid": 1,
           "physicalnetworkid": 200, "isdefault": "true"}
NETWORK_OFFERING = {"id": 8, "name": "Isolated", "displaytext": "Isolated",
                    "guestiptype": "Isolated", "serviceofferingid": 13, "forvpc": "false"}
PF_RULE = {"id": 900, "ipaddressid": 34000, "ipaddress": "203.0.113.10", "protocol": "tcp",
           "publicport": "2222", "privateport": "22", "publicendport": "2222",
           "privateendport": "22", "virtualmachineid": 2600, "networkid": 5}
IP_RULE = {"id": 950, "ipaddressid": 34001, "ipaddress": "203.0.113.11", "protocol": "tcp",
           "startport": "53", "endport": "53", "virtualmachineid": 2600}
FW_RULE = {"id": 700, "ipaddressid": 34000, "ipaddress": "203.0.113.10", "protocol": "tcp",
           "startport": "22", "endport": "22", "cidrlist": "0.0.0.0/0"}
EGRESS_RULE = {"id": 800, "networkid": 5, "protocol": "tcp", "startport": 80, "endport": 80,
               "cidrlist": "10.1.1.0/24"}
VOLUME = {"id": 41, "name": "data", "size": 10 * 1024**3, "state": "Ready", "zoneid": 1,
          "virtualmachineid": 2600, "deviceid": 1, "diskofferingid": 6, "type": "DATADISK"}
SNAPSHOT = {"id": 51, "name": "snap", "volumeid": 41, "state": "BackedUp", "zoneid": 1}
DISK_OFFERING = {"id": 6, "name": "Small disk", "disksize": 5, "iscustomized": "false",
                 "zoneid": 1}
PROJECT = {"id": 4, "name": "proj", "displaytext": "Project", "domainid": 1,
           "vmlimit": "Unlimited"}
KEY_PAIR = {"id": 71, "name": "mykey", "fingerprint": "aa:bb", "domainid": 1}
VPC = {"id": 30, "name": "vpc", "vpcofferingid": 31, "cidr": "10.0.0.0/16", "zoneid": 1,
       "domainid": 1}
VPC_OFFERING = {"id": 31, "name": "Default VPC offering", "displaytext": "VPC",
                "isdefault": True}
ROUTER = {"id": 32, "name": "r-32-VM", "state": "Running", "vpcid": 30, "zoneid": 1,
          "guestnetworkid": 5}
ACL_LIST = {"id": 33, "name": "web", "vpcid": 30}
ACL = {"id": 34, "protocol": "tcp", "aclid": 33, "action": "Allow", "cidrlist": "0.0.0.0/0",
       "startport": "22", "endport": "22", "traffictype": "Ingress", "number": 1}
AFFINITY_GROUP = {"id": 61, "name": "spread", "type": "host anti-affinity", "domainid": 1,
                  "virtualmachineIds": [2600]}
VPN_GATEWAY = {"id": 81, "publicip": "203.0.113.20", "vpcid": 30, "domainid": 1}
VPN_CUSTOMER_GATEWAY = {"id": 82, "cidrlist": "192.168.0.0/24", "esppolicy": "aes128-sha1",
                        "gateway": "198.51.100.1", "ikepolicy": "aes128-sha1",
                        "ipsecpsk": "psk", "domainid": 1}
VPN_CONNECTION = {"id": 83, "s2scustomergatewayid": 82, "s2svpngatewayid": 81,
                  "state": "Connected", "passive": "false", "domainid": 1}
SECURITY_GROUP = {"id": 3, "name": "default", "domainid": 1}

#: list command -> (response list key, records); ``{}`` stands for an empty answer.
LISTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "listZones": ("zone", [ZONE]),
    "listTemplates": ("template", [TEMPLATE]),
    "listServiceOfferings": ("serviceoffering", [OFFERING]),
    "listVirtualMachines": ("virtualmachine", [VM]),
    "listPublicIpAddresses": ("publicipaddress", [ADDRESS, NAT_ADDRESS]),
    "listNetworks": ("network", [NETWORK]),
    "listNetworkOfferings": ("networkoffering", [NETWORK_OFFERING]),
    "listNics": ("nic", [NIC]),
    "listPortForwardingRules": ("portforwardingrule", [PF_RULE]),
    "listIpForwardingRules": ("ipforwardingrule", [IP_RULE]),
    "listFirewallRules": ("firewallrule", [FW_RULE]),
    "listEgressFirewallRules": ("firewallrule", [EGRESS_RULE]),
    "listVolumes": ("volume", [VOLUME]),
    "listSnapshots": ("snapshot", [SNAPSHOT]),
    "listDiskOfferings": ("diskoffering", [DISK_OFFERING]),
    "listProjects": ("project", [PROJECT]),
    "listSSHKeyPairs": ("sshkeypair", [KEY_PAIR]),
    "listVPCs": ("vpc", [VPC]),
    "listVPCOfferings": ("vpcoffering", [VPC_OFFERING]),
    "listRouters": ("router", [ROUTER]),
    "listNetworkACLLists": ("networkacllist", [ACL_LIST]),
    "listNetworkACLs": ("networkacl", [ACL]),
    "listAffinityGroups": ("affinitygroup", [AFFINITY_GROUP]),
    "listVpnGateways": ("vpngateway", [VPN_GATEWAY]),
    "listVpnCustomerGateways": ("vpncustomergateway", [VPN_CUSTOMER_GATEWAY]),
    "listVpnConnections": ("vpnconnection", [VPN_CONNECTION]),
    "listSecurityGroups": ("securitygroup", [SECURITY_GROUP]),
}

#: async command -> job result (as an older server answers it).
JOBS: dict[str, dict[str, Any]] = {
    "deployVirtualMachine": {"virtualmachine": {**VM, "id": 2601, "name": "web2"}},
    "destroyVirtualMachine": {"virtualmachine": {**VM, "state": "Destroyed"}},
    "rebootVirtualMachine": {"virtualmachine": VM},
    "createFirewallRule": {"firewallrule": {**FW_RULE, "id": 701, "startport": "80",
                                            "endport": "80"}},
    "deleteFirewallRule": {"success": True},
    "createEgressFirewallRule": {"firewallrule": {"id": 801, "protocol": "tcp",
                                                  "cidrlist": "10.0.0.0/8"}},
    "deleteEgressFirewallRule": {"success": True},
    "createPortForwardingRule": {"portforwardingrule": {**PF_RULE, "id": 901,
                                                        "publicport": "2200"}},
    "deletePortForwardingRule": {"success": True},
    "createIpForwardingRule": {"ipforwardingrule": {**IP_RULE, "id": 951}},
    "deleteIpForwardingRule": {"success": True},
    "disassociateIpAddress": {"success": True},
    "attachVolume": {"volume": VOLUME},
    "deleteNetwork": {"success": True},
    "deleteVPC": {"success": True},
    "deleteNetworkACLList": {"success": True},
    "deleteNetworkACL": {"success": True},
    "deleteAffinityGroup": {"success": True},
    "updateVMAffinityGroup": {"virtualmachine": VM},
    "deleteVpnGateway": {"success": True},
    "deleteVpnCustomerGateway": {"success": True},
    "deleteVpnConnection": {"success": True},
    "createVpnConnection": {"vpnconnection": {**VPN_CONNECTION, "id": 84}},
    "createTemplate": {"template": {**TEMPLATE, "id": 205, "name": "from-snap"}},
    "deleteSnapshot": {"success": True},
    "createTags": {"success": True},
}


def answer_all(cs_answer: Any, cs_answer_async: Any) -> None:
    """Install every list answer and job answer above."""
    for command, (key, records) in LISTS.items():
        cs_answer(command, {"count": len(records), key: records})
    for command, result in JOBS.items():
        cs_answer_async(command, result)
    cs_answer("deleteVolume", {"success": "true"})
    cs_answer("deleteSSHKeyPair", {"success": "true"})
    cs_answer("deleteSecurityGroup", {"success": "true"})
    cs_answer("enableStaticNat", {"success": "true"})
