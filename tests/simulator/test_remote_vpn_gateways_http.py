"""Remote-access VPN, VPN users and VPC private gateways over real HTTP."""

from __future__ import annotations

from typing import Any

from sim_helpers import Api, body, fail, run, wait_job

from cloudstack_driver.simulator.seed import ADVANCED_ZONE_ID


def _error(api: Api, command: str, **params: Any) -> dict[str, Any]:
    answer = api(command, post=True, **params)
    inner = body(answer)
    assert answer.status_code == inner["errorcode"], answer.text
    return inner


def _items(api: Api, command: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = body(api(command, **params)).get(key, [])
    return items


def _source_nat(api: Api, **params: Any) -> dict[str, Any]:
    [ip] = _items(api, "listPublicIpAddresses", "publicipaddress", issourcenat="true", **params)
    return ip


def _vpc(api: Api, cidr: str = "10.50.0.0/16") -> dict[str, Any]:
    offering = body(api("listVPCOfferings"))["vpcoffering"][0]["id"]
    vpc: dict[str, Any] = run(api, "createVPC", name="shop", displaytext="shop", cidr=cidr,
                              zoneid=ADVANCED_ZONE_ID, vpcofferingid=offering)["vpc"]
    return vpc


def test_remote_access_vpn_on_a_network(api: Api) -> None:
    ip = _source_nat(api)
    answer = body(api("createRemoteAccessVpn", post=True, publicipid=ip["id"]))
    assert set(answer) == {"jobid", "id"}
    vpn = wait_job(api, answer["jobid"])["jobresult"]["remoteaccessvpn"]
    assert (vpn["id"], vpn["publicip"], vpn["publicipid"], vpn["iprange"], vpn["state"],
            vpn["account"]) == (answer["id"], ip["ipaddress"], ip["id"], "10.1.2.2-10.1.2.8",
                                "Running", "admin")
    assert len(vpn["presharedkey"]) == 24 and vpn["presharedkey"].isalnum()
    walls = _items(api, "listFirewallRules", "firewallrule", ipaddressid=ip["id"])
    assert sorted((w["protocol"], w["startport"]) for w in walls) == [
        ("udp", 500), ("udp", 1701), ("udp", 4500)]
    [listed] = _items(api, "listRemoteAccessVpns", "remoteaccessvpn", publicipid=ip["id"])
    assert listed["id"] == vpn["id"] and listed["state"] == "Running"
    assert body(api("listRemoteAccessVpns", networkid=ip["associatednetworkid"]))["count"] == 1
    again = _error(api, "createRemoteAccessVpn", publicipid=ip["id"])
    assert again["errortext"] == "A Remote Access VPN already exists for this public Ip address"
    hidden = run(api, "updateRemoteAccessVpn", id=vpn["id"], fordisplay="false")
    assert hidden["remoteaccessvpn"]["fordisplay"] is False
    assert run(api, "deleteRemoteAccessVpn", publicipid=ip["id"]) == {"success": True}
    assert body(api("listRemoteAccessVpns")) == {}
    assert body(api("listFirewallRules", ipaddressid=ip["id"])) == {}
    # the server only logs a delete of an address without VPN
    assert run(api, "deleteRemoteAccessVpn", publicipid=ip["id"]) == {"success": True}


def test_remote_access_vpn_refusals(api: Api) -> None:
    network = body(api("listNetworks", zoneid=ADVANCED_ZONE_ID))["network"][0]
    other = run(api, "associateIpAddress", networkid=network["id"])["ipaddress"]
    not_nat = _error(api, "createRemoteAccessVpn", publicipid=other["id"])
    assert (not_nat["errorcode"], not_nat["cserrorcode"]) == (431, 4350)
    assert "source NAT" in not_nat["errortext"]
    ip = _source_nat(api)
    bad = _error(api, "createRemoteAccessVpn", publicipid=ip["id"], iprange="10.1.2.9")
    assert bad["errortext"].startswith("Invalid ip range 10.1.2.9")
    inside = _error(api, "createRemoteAccessVpn", publicipid=ip["id"],
                    iprange="10.1.1.200-10.1.1.210")
    assert inside["errortext"] == ("Invalid ip range: 10.1.1.200-10.1.1.210 overlaps with "
                                   "guest ip range 10.1.1.0/24")
    missing = _error(api, "createRemoteAccessVpn")
    assert missing["errortext"].endswith("due to missing parameter publicipid")


def test_remote_access_vpn_in_a_vpc_opens_no_firewall(api: Api) -> None:
    vpc = _vpc(api)
    ip = _source_nat(api, vpcid=vpc["id"])
    vpn = run(api, "createRemoteAccessVpn", publicipid=ip["id"],
              iprange="192.168.100.1-192.168.100.20")["remoteaccessvpn"]
    assert vpn["iprange"] == "192.168.100.2-192.168.100.20"
    assert body(api("listFirewallRules", ipaddressid=ip["id"])) == {}
    run(api, "deleteVPC", id=vpc["id"])
    assert body(api("listRemoteAccessVpns")) == {}


def test_vpn_users(api: Api) -> None:
    user = run(api, "addVpnUser", username="alice", password="s3cret=pw")["vpnuser"]
    assert (user["username"], user["state"], user["account"]) == ("alice", "Active", "admin")
    assert "password" not in user and "_password" not in user
    [listed] = _items(api, "listVpnUsers", "vpnuser")
    assert listed["id"] == user["id"]
    assert body(api("listVpnUsers", username="bob")) == {}
    twice = _error(api, "addVpnUser", username="alice", password="other")
    assert twice["errortext"] == "VPN User with name alice is already added for account admin"
    short = _error(api, "addVpnUser", username="al", password="s3cret")
    assert short["errortext"].startswith("Username has to be begin with an alphabet")
    weak = _error(api, "addVpnUser", username="carol", password="no spaces")
    assert weak["errortext"].startswith("Password has to be 3-32 characters")
    project = run(api, "createProject", name="p", displaytext="P")["project"]
    mine = run(api, "addVpnUser", username="alice", password="pw1",
               projectid=project["id"])["vpnuser"]
    assert mine["projectid"] == project["id"]
    assert body(api("listVpnUsers"))["count"] == 1  # without projectid: the account's own
    assert body(api("listVpnUsers", projectid=project["id"]))["count"] == 1
    assert run(api, "removeVpnUser", username="alice") == {"success": True}
    assert body(api("listVpnUsers")) == {}
    gone = fail(api, "removeVpnUser", username="alice")
    assert gone["jobresult"] == {"errorcode": 431, "errortext": "Could not find vpn user alice"}
    assert body(api("listVpnUsers", projectid=project["id"]))["count"] == 1


def test_private_gateways(api: Api) -> None:
    vpc = _vpc(api)
    answer = body(api("createPrivateGateway", post=True, vpcid=vpc["id"], gateway="172.16.5.1",
                      ipaddress="172.16.5.10", netmask="255.255.255.0", vlan="105"))
    assert set(answer) == {"jobid", "id"}
    gateway = wait_job(api, answer["jobid"])["jobresult"]["privategateway"]
    assert (gateway["id"], gateway["gateway"], gateway["ipaddress"], gateway["netmask"],
            gateway["vlan"], gateway["vpcid"], gateway["state"], gateway["aclname"],
            gateway["sourcenatsupported"], gateway["zoneid"]) == (
        answer["id"], "172.16.5.1", "172.16.5.10", "255.255.255.0", "vlan://105", vpc["id"],
        "Ready", "default_deny", False, ADVANCED_ZONE_ID)
    [listed] = _items(api, "listPrivateGateways", "privategateway", vpcid=vpc["id"])
    assert listed["id"] == gateway["id"]
    assert body(api("listPrivateGateways", vlan="105"))["count"] == 1
    assert body(api("listPrivateGateways", ipaddress="172.16.5.99")) == {}
    same_vlan = _error(api, "createPrivateGateway", vpcid=vpc["id"], gateway="172.16.6.1",
                       ipaddress="172.16.6.10", netmask="255.255.255.0", vlan="vlan://105")
    assert same_vlan["errortext"] == ("A private gateway on vlan://105 already exists for vpc "
                                      "shop")
    overlap = _error(api, "createPrivateGateway", vpcid=vpc["id"], gateway="10.50.9.1",
                     ipaddress="10.50.9.10", netmask="255.255.255.0", vlan="106")
    assert "overlaps with the cidr 10.50.0.0/16 of vpc shop" in overlap["errortext"]
    outside = _error(api, "createPrivateGateway", vpcid=vpc["id"], gateway="172.16.7.1",
                     ipaddress="172.16.8.10", netmask="255.255.255.0", vlan="107")
    assert "is not a free address of the subnet 172.16.7.0/24" in outside["errortext"]
    no_vlan = _error(api, "createPrivateGateway", vpcid=vpc["id"], gateway="172.16.7.1",
                     ipaddress="172.16.7.10", netmask="255.255.255.0")
    assert no_vlan["errortext"].startswith("Either vlan or associatednetworkid")
    acl = run(api, "createNetworkACLList", name="gw", vpcid=vpc["id"])["networkacllist"]
    second = run(api, "createPrivateGateway", vpcid=vpc["id"], gateway="172.16.7.1",
                 ipaddress="172.16.7.10", netmask="255.255.255.0", vlan="107",
                 aclid=acl["id"], sourcenatsupported="true")["privategateway"]
    assert (second["aclid"], second["sourcenatsupported"]) == (acl["id"], True)
    in_use = fail(api, "deleteNetworkACLList", id=acl["id"])
    assert "still associated with private gateway" in in_use["jobresult"]["errortext"]
    assert run(api, "deletePrivateGateway", id=gateway["id"]) == {"success": True}
    assert [g["id"] for g in _items(api, "listPrivateGateways", "privategateway")] == [
        second["id"]]
    run(api, "deleteVPC", id=vpc["id"])
    assert body(api("listPrivateGateways")) == {}
