"""Drop-in fidelity with libcloud against an older server's answers (issue 10).

The server here answers as older CloudStack versions do (``tests/unit/_oldserver.py``): ids
are JSON numbers, optional keys are missing, flags come as text. Every list method is run
against it; every id on every returned model and in every ``extra`` must be a ``str``; each
returned object is fed back into the methods that take it, and the wire must carry its id as
text. Ids given as ints by the caller are accepted the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from _oldserver import LISTS, answer_all
from _wire import wire

from cloudstack_driver import CloudStackNodeDriver, NodeLocation
from cloudstack_driver.cloudstack.netmodels import CloudStackAddress, CloudStackNetwork

List = Callable[[CloudStackNodeDriver], list[Any]]


@pytest.fixture
def old(driver: CloudStackNodeDriver, cs_answer: Any, cs_answer_async: Any
        ) -> CloudStackNodeDriver:
    answer_all(cs_answer, cs_answer_async)
    return driver


def _id_named(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name in (
        "zoneid", "networkofferingid", "domainid")


#: Keys whose value is a device number, not an id (kept as the server sent it).
DEVICE_NUMBERS = ("device_id", "root_device_id")


def _ids_of(value: Any, where: str, seen: set[int]) -> list[tuple[str, Any]]:
    """Every (path, value) of an id-named attribute or ``extra`` key, walking nested models
    (a node's rules and addresses, a rule's address and node)."""
    if id(value) in seen or value is None or isinstance(value, (str, int, float, bool)):
        return []
    seen.add(id(value))
    found: list[tuple[str, Any]] = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += _ids_of(item, f"{where}[{i}]", seen)
        return found
    if type(value) is dict:
        return found  # raw records (nics, tags) are the server's, as in libcloud
    names = [n for klass in type(value).__mro__ for n in getattr(klass, "__slots__", ())]
    names += list(getattr(value, "__dict__", {}))
    names += [n for klass in type(value).__mro__ for n, member in vars(klass).items()
              if isinstance(member, property)]
    for name in dict.fromkeys(names):
        if name.startswith("_") or name == "driver":
            continue
        attr = getattr(value, name, None)
        if _id_named(name):
            found.append((f"{where}.{name}", attr))
        found += _ids_of(attr, f"{where}.{name}", seen)
    extra = getattr(value, "extra", None)
    if isinstance(extra, dict):
        for key, item in extra.items():
            if _id_named(key) and key not in DEVICE_NUMBERS:
                found.append((f"{where}.extra[{key!r}]", item))
            found += _ids_of(item, f"{where}.extra[{key!r}]", seen)
    return found


LIST_METHODS: list[tuple[str, List]] = [
    ("list_nodes", lambda d: d.list_nodes()),
    ("list_images", lambda d: d.list_images()),
    ("list_sizes", lambda d: d.list_sizes()),
    ("list_locations", lambda d: d.list_locations()),
    ("list_volumes", lambda d: d.list_volumes()),
    ("list_volume_snapshots", lambda d: d.list_volume_snapshots(d.list_volumes()[0])),
    ("list_key_pairs", lambda d: d.list_key_pairs()),
    ("ex_list_disk_offerings", lambda d: d.ex_list_disk_offerings()),
    ("ex_list_projects", lambda d: d.ex_list_projects()),
    ("ex_list_public_ips", lambda d: d.ex_list_public_ips()),
    ("ex_list_networks", lambda d: d.ex_list_networks()),
    ("ex_list_network_offerings", lambda d: d.ex_list_network_offerings()),
    ("ex_list_nics", lambda d: d.ex_list_nics(d.list_nodes()[0])),
    ("ex_list_port_forwarding_rules", lambda d: d.ex_list_port_forwarding_rules()),
    ("ex_list_ip_forwarding_rules", lambda d: d.ex_list_ip_forwarding_rules()),
    ("ex_list_firewall_rules", lambda d: d.ex_list_firewall_rules()),
    ("ex_list_egress_firewall_rules", lambda d: d.ex_list_egress_firewall_rules()),
    ("ex_list_vpcs", lambda d: d.ex_list_vpcs()),
    ("ex_list_vpc_offerings", lambda d: d.ex_list_vpc_offerings()),
    ("ex_list_routers", lambda d: d.ex_list_routers()),
    ("ex_list_network_acllists", lambda d: d.ex_list_network_acllists()),
    ("ex_list_network_acl", lambda d: d.ex_list_network_acl()),
    ("ex_list_affinity_groups", lambda d: d.ex_list_affinity_groups()),
    ("ex_list_vpn_gateways", lambda d: d.ex_list_vpn_gateways()),
    ("ex_list_vpn_customer_gateways", lambda d: d.ex_list_vpn_customer_gateways()),
    ("ex_list_vpn_connections", lambda d: d.ex_list_vpn_connections()),
    ("ex_list_security_groups", lambda d: d.ex_list_security_groups()),
]


@pytest.mark.parametrize(("label", "call"), LIST_METHODS, ids=[m[0] for m in LIST_METHODS])
def test_every_listed_id_is_a_str(old: CloudStackNodeDriver, label: str, call: List) -> None:
    items = call(old)
    assert items, f"{label} listed nothing"
    ids = _ids_of(items, label, set())
    assert ids, f"{label}: no id found to check"
    wrong = [(path, value) for path, value in ids if value is not None
             and not isinstance(value, str)]
    assert wrong == []
    assert any(value is not None for _, value in ids)


def test_one_id_one_type_across_models(old: CloudStackNodeDriver) -> None:
    """``node.extra["zone_id"]`` was ``1`` while ``list_locations()[0].id`` was ``"1"``."""
    [node] = old.list_nodes()
    [location] = old.list_locations()
    [address, nat] = old.ex_list_public_ips()
    assert node.id == "2600" and location.id == "1"
    assert node.extra["zone_id"] == location.id
    assert node.extra["affinity_group"] == ["61"]
    assert address.extra["zone_id"] == location.id
    assert (address.id, address.associated_network_id) == ("34000", "5")
    assert nat.virtualmachine_id == node.id
    [network] = old.ex_list_networks()
    assert (network.id, network.zoneid, network.networkofferingid) == ("5", "1", "8")
    assert address.associated_network_id == network.id


def test_flags_sent_as_text_are_bools(old: CloudStackNodeDriver) -> None:
    [address, _] = old.ex_list_public_ips()
    assert address.extra["is_source_nat"] is False
    [offering] = old.ex_list_network_offerings()
    assert offering.for_vpc is False
    [nic] = old.ex_list_nics(old.list_nodes()[0])
    assert nic.is_default is True and nic.extra["device_id"] == "0"
    [image] = old.list_images()
    assert image.extra["password_enabled"] is False


# -- objects fed back ---------------------------------------------------------------------------

def test_listed_addresses_and_rules_feed_back(old: CloudStackNodeDriver, cs_sent: Any) -> None:
    [address, _] = old.ex_list_public_ips()
    [node] = old.list_nodes()
    [network] = old.ex_list_networks()
    rule = old.ex_create_firewall_rule(address, "0.0.0.0/0", "tcp", start_port=80, end_port=80)
    assert wire(cs_sent("createFirewallRule")[0]) == {
        "ipaddressid": "34000", "cidrlist": "0.0.0.0/0", "protocol": "tcp",
        "startport": "80", "endport": "80"}
    assert (rule.id, rule.address, rule.start_port, rule.end_port) == ("701", address, 80, 80)
    for listed in old.ex_list_firewall_rules():
        assert old.ex_delete_firewall_rule(listed) is True
    assert old.ex_delete_firewall_rule(rule) is True
    assert [wire(p) for p in cs_sent("deleteFirewallRule")] == [{"id": "700"}, {"id": "701"}]

    pf = old.ex_create_port_forwarding_rule(node, address, 22, 2200, "TCP", network_id=network)
    assert wire(cs_sent("createPortForwardingRule")[0]) == {
        "ipaddressid": "34000", "protocol": "tcp", "privateport": "22", "publicport": "2200",
        "virtualmachineid": "2600", "openfirewall": "true", "networkid": "5"}
    # built as libcloud builds it: the caller's values
    assert (pf.id, pf.node, pf.protocol, pf.public_port, pf.private_port, pf.network_id) == (
        "901", node, "TCP", 2200, 22, "5")
    for listed_pf in old.ex_list_port_forwarding_rules():
        assert listed_pf.node is not None and listed_pf.node.id == "2600"  # filled (item 3)
        assert old.ex_delete_port_forwarding_rule(listed_pf.node, listed_pf) is True
    for listed_ip in old.ex_list_ip_forwarding_rules():
        assert listed_ip.node is not None and listed_ip.node.id == "2600"
        assert listed_ip.address.id == "34001"
        assert old.ex_delete_ip_forwarding_rule(listed_ip.node, listed_ip) is True
    assert [wire(p) for p in cs_sent("deletePortForwardingRule")] == [{"id": "900"}]
    assert [wire(p) for p in cs_sent("deleteIpForwardingRule")] == [{"id": "950"}]

    egress = old.ex_create_egress_firewall_rule(network, "10.0.0.0/8", "tcp", start_port=443,
                                                end_port=443)
    assert egress.network_id == "5"  # the answer has no networkid: the argument (item 3)
    assert (egress.start_port, egress.end_port) == (443, 443)
    [listed_egress] = old.ex_list_egress_firewall_rules()
    assert old.ex_delete_egress_firewall_rule(listed_egress) is True
    assert wire(cs_sent("deleteEgressFirewallRule")[0]) == {"id": "800"}

    assert old.ex_enable_static_nat(node, address, network_id=network) is True
    assert wire(cs_sent("enableStaticNat")[0]) == {
        "ipaddressid": "34000", "virtualmachineid": "2600", "networkid": "5"}
    assert old.ex_release_public_ip(address) is True
    assert wire(cs_sent("disassociateIpAddress")[0]) == {"id": "34000"}


def test_egress_rule_given_a_network_id_as_int(old: CloudStackNodeDriver) -> None:
    egress = old.ex_create_egress_firewall_rule(5, "10.0.0.0/8", "tcp", start_port=443,
                                                end_port=443)
    assert egress.network_id == "5" and egress.extra["network_id"] == "5"


def test_listed_objects_feed_back_into_create_node(old: CloudStackNodeDriver,
                                                   cs_sent: Any) -> None:
    [location] = old.list_locations()
    [image] = old.list_images()
    [size] = old.list_sizes()
    [network] = old.ex_list_networks()
    [group] = old.ex_list_affinity_groups()
    [project] = old.ex_list_projects()
    [offering] = old.ex_list_disk_offerings()
    node = old.create_node("web2", size, image, location, networks=[network], project=project,
                           diskoffering=offering, ex_affinity_groups=[group],
                           ex_security_groups=["default"])
    sent = wire(cs_sent("deployVirtualMachine")[0])
    assert {k: sent[k] for k in ("serviceofferingid", "templateid", "zoneid", "networkids",
                                 "projectid", "diskofferingid", "affinitygroupids",
                                 "securitygroupnames")} == {
        "serviceofferingid": "3", "templateid": "204", "zoneid": "1", "networkids": "5",
        "projectid": "4", "diskofferingid": "6", "affinitygroupids": "61",
        "securitygroupnames": "default"}
    assert node.id == "2601" and node.extra["zone_id"] == location.id


def test_security_groups_refused_only_when_the_zone_says_no(
        driver: CloudStackNodeDriver, cs_answer: Any, cs_answer_async: Any,
        cs_sent: Any) -> None:
    answer_all(cs_answer, cs_answer_async)
    size, image = driver.list_sizes()[0], driver.list_images()[0]
    zone = NodeLocation("1", "Zone1", "Unknown", driver)
    driver.create_node("a", size, image, zone, ex_security_groups=["default"])  # absent: sent
    assert len(cs_sent("deployVirtualMachine")) == 1
    cs_answer("listZones", {"count": 1, "zone": [{**LISTS["listZones"][1][0],
                                                  "securitygroupsenabled": False}]})
    driver.list_locations()  # refreshes the zone cache
    with pytest.raises(ValueError, match="has no security groups"):
        driver.create_node("b", size, image, zone, ex_security_groups=["default"])
    assert len(cs_sent("deployVirtualMachine")) == 1


def test_listed_volumes_snapshots_and_templates_feed_back(old: CloudStackNodeDriver,
                                                          cs_sent: Any) -> None:
    [node] = old.list_nodes()
    [volume] = old.list_volumes()
    assert (volume.id, volume.size, volume.extra["instance_id"]) == ("41", 10, "2600")
    assert old.attach_volume(node, volume) is True
    assert wire(cs_sent("attachVolume")[0]) == {"id": "41", "virtualmachineid": "2600"}
    [snapshot] = old.list_volume_snapshots(volume)
    assert snapshot.extra["volume_id"] == volume.id
    image = old.ex_create_snapshot_template(snapshot, "from-snap", ostypeid=99)
    assert wire(cs_sent("createTemplate")[0]) == {
        "snapshotid": "51", "name": "from-snap", "displaytext": "from-snap", "ostypeid": "99"}
    assert image.id == "205"
    assert old.destroy_volume_snapshot(snapshot) is True
    assert old.destroy_volume(volume) is True
    assert wire(cs_sent("deleteSnapshot")[0]) == {"id": "51"}
    assert wire(cs_sent("deleteVolume")[0]) == {"id": "41"}


def test_ids_given_as_ints(old: CloudStackNodeDriver, cs_sent: Any) -> None:
    """libcloud passes ids through, so scripts pass numbers: each is sent as text."""
    assert old.ex_get_node(2600).id == "2600"
    assert wire(cs_sent("listVirtualMachines")[0]) == {"id": "2600"}
    assert old.ex_get_volume(41).id == "41"
    assert wire(cs_sent("listVolumes")[0]) == {"id": "41"}
    assert old.get_image(204).id == "204"
    assert old.ex_delete_network(5) is True
    assert old.ex_delete_vpc(30) is True
    assert old.ex_create_tags([2600, "2601"], "UserVm", {"env": "prod"}) is True
    assert wire(cs_sent("createTags")[0])["resourceids"] == "2600,2601"
    assert [a.id for a in old.ex_list_public_ips(project_id=4)] == ["34000", "34001"]
    assert wire(cs_sent("listPublicIpAddresses")[-1])["projectid"] == "4"


def test_objects_made_by_the_caller_with_int_ids(old: CloudStackNodeDriver,
                                                 cs_sent: Any) -> None:
    """The driver's own classes, built by a script with numbers, are accepted too."""
    address = CloudStackAddress(34000, "203.0.113.10", old)
    network = CloudStackNetwork("net", "net", 8, 5, 1, old)
    assert (address.id, network.id, network.zoneid) == ("34000", "5", "1")
    assert old.ex_release_public_ip(address) is True
    assert old.ex_delete_network(network) is True
    assert wire(cs_sent("disassociateIpAddress")[0]) == {"id": "34000"}
    assert wire(cs_sent("deleteNetwork")[0]) == {"id": "5"}


def test_advanced_zone_objects_feed_back(old: CloudStackNodeDriver, cs_sent: Any) -> None:
    [vpc] = old.ex_list_vpcs()
    [acl_list] = old.ex_list_network_acllists()
    [acl] = old.ex_list_network_acl()
    [group] = old.ex_list_affinity_groups()
    [gateway] = old.ex_list_vpn_gateways()
    [customer] = old.ex_list_vpn_customer_gateways()
    [connection] = old.ex_list_vpn_connections()
    [pair] = old.list_key_pairs()
    [sg] = old.ex_list_security_groups()
    [node] = old.list_nodes()
    assert (acl_list.vpc_id, acl.acl_id, gateway.vpc_id) == (vpc.id, acl_list.id, vpc.id)
    assert group.virtualmachine_ids == [node.id]
    assert (connection.vpn_gateway_id, connection.vpn_customer_gateway_id) == (
        gateway.id, customer.id)
    old.ex_update_node_affinity_group(node, [group])
    assert wire(cs_sent("updateVMAffinityGroup")[0]) == {"id": "2600", "affinitygroupids": "61"}
    created = old.ex_create_vpn_connection(customer, gateway)
    assert wire(cs_sent("createVpnConnection")[0]) == {
        "s2scustomergatewayid": "82", "s2svpngatewayid": "81"}
    assert created.id == "84"
    for call, command, ident in (
            (lambda: old.ex_delete_network_acl(acl), "deleteNetworkACL", "34"),
            (lambda: old.ex_delete_network_acllist(acl_list), "deleteNetworkACLList", "33"),
            (lambda: old.ex_delete_vpc(vpc), "deleteVPC", "30"),
            (lambda: old.ex_delete_affinity_group(group), "deleteAffinityGroup", "61"),
            (lambda: old.ex_delete_vpn_connection(connection), "deleteVpnConnection", "83"),
            (lambda: old.ex_delete_vpn_gateway(gateway), "deleteVpnGateway", "81"),
            (lambda: old.ex_delete_vpn_customer_gateway(customer), "deleteVpnCustomerGateway",
             "82"),
            (lambda: old.ex_delete_security_group(sg), "deleteSecurityGroup", "3")):
        assert call() is True
        assert wire(cs_sent(command)[-1]) == {"id": ident}
    assert old.delete_key_pair(pair) is True
    assert wire(cs_sent("deleteSSHKeyPair")[0]) == {"name": "mykey"}


# -- the server's answers, not client-side guesses ----------------------------------------------

def test_delete_security_group_by_name_sends_only_the_delete(driver: CloudStackNodeDriver,
                                                             cs_answer: Any,
                                                             cs_sent: Any) -> None:
    cs_answer("deleteSecurityGroup", {"success": "true"})
    assert driver.ex_delete_security_group("MySG") is True
    assert [wire(p) for p in cs_sent("deleteSecurityGroup")] == [{"name": "MySG"}]
    assert cs_sent("listSecurityGroups") == []


def test_empty_lists_as_empty_objects(driver: CloudStackNodeDriver, cs_answer: Any) -> None:
    """Older servers answer an empty list as ``{}``: every list method gives ``[]``."""
    for command in LISTS:
        cs_answer(command, {})
    assert driver.list_nodes() == [] and driver.ex_list_public_ips() == []
    assert driver.ex_list_port_forwarding_rules() == []
    assert driver.ex_list_ip_forwarding_rules() == []
    assert driver.ex_list_firewall_rules() == [] and driver.ex_list_networks() == []
    assert driver.ex_list_vpn_connections() == [] and driver.ex_list_affinity_groups() == []


def test_records_missing_optional_keys(driver: CloudStackNodeDriver, cs_answer: Any) -> None:
    """A record with only an id maps without error, every other field None (or empty)."""
    for command, (key, _) in LISTS.items():
        cs_answer(command, {"count": 1, key: [{"id": 1}]})
    [node] = driver.list_nodes()
    assert (node.id, node.name, node.public_ips, node.extra["zone_id"]) == ("1", None, [], None)
    [rule] = driver.ex_list_port_forwarding_rules()
    assert (rule.id, rule.public_port, rule.node) == ("1", None, None)
    [address] = driver.ex_list_public_ips()
    assert (address.id, address.address, address.extra["is_source_nat"]) == ("1", None, None)
    [gateway] = driver.ex_list_vpn_customer_gateways()
    assert (gateway.id, gateway.ipsec_psk) == ("1", None)


def test_endpoint_error_keeps_libcloud_sentence() -> None:
    with pytest.raises(ValueError, match="you also need to provide url or host and path "
                                         "argument"):
        CloudStackNodeDriver("KEY", "SECRET")
