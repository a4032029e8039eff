"""PARITY sections 2-7: libcloud's method surface, pinned with ``inspect.signature``.

Each row is libcloud's parameter list as PARITY writes it. The implementation must have those
parameters first, with the same names, in the same order, as positional-or-keyword parameters,
and the same defaults where PARITY gives one; ``**kwargs`` rows need a ``**`` parameter.

After them, driver methods may only add keyword-only parameters (with defaults) or a ``**``
parameter: a libcloud call can never bind a positional argument to something new. Model
constructors and helpers (PARITY 3.1, 3.3, 4.14, 5.1, 7.4, 6.2) may add trailing parameters
with defaults.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from cloudstack_driver import (
    CloudStackAddress,
    CloudStackAffinityGroup,
    CloudStackAffinityGroupType,
    CloudStackDiskOffering,
    CloudStackEgressFirewallRule,
    CloudStackFirewallRule,
    CloudStackIPForwardingRule,
    CloudStackNetwork,
    CloudStackNetworkACL,
    CloudStackNetworkACLList,
    CloudStackNetworkOffering,
    CloudStackNic,
    CloudStackNode,
    CloudStackNodeDriver,
    CloudStackPortForwardingRule,
    CloudStackProject,
    CloudStackRouter,
    CloudStackVPC,
    CloudStackVPCOffering,
    CloudStackVpnConnection,
    CloudStackVpnCustomerGateway,
    CloudStackVpnGateway,
    DeploymentError,
    InvalidCredsError,
    KeyPair,
    KeyPairDoesNotExistError,
    LibcloudError,
    MalformedResponseError,
    Node,
    NodeAuthPassword,
    NodeAuthSSHKey,
    NodeImage,
    NodeLocation,
    NodeSize,
    ProviderError,
    StorageVolume,
    VolumeSnapshot,
)
from cloudstack_driver.clouds.auroracompute import AuroraComputeNodeDriver
from cloudstack_driver.clouds.exoscale import ExoscaleNodeDriver
from cloudstack_driver.clouds.ikoula import IkoulaNodeDriver
from cloudstack_driver.clouds.ktucloud import KTUCloudNodeDriver
from cloudstack_driver.deployment import (
    FileDeployment,
    MultiStepDeployment,
    ScriptDeployment,
    ScriptFileDeployment,
    SSHKeyDeployment,
)

_NO_DEFAULT = object()
POS = inspect.Parameter.POSITIONAL_OR_KEYWORD
KW_ONLY = inspect.Parameter.KEYWORD_ONLY
VAR_KW = inspect.Parameter.VAR_KEYWORD

# -- PARITY section 2 (base API) and 4 (ex_*) -------------------------------------------------
DRIVER_METHODS: dict[str, str] = {
    # 2. Base API
    "list_nodes": "project=None, location=None",
    "list_images": "location=None",
    "list_sizes": "location=None",
    "list_locations": "",
    # D2: libcloud's default ex_start_vm=False created stopped VMs; PARITY asks for None.
    "create_node": "name, size, image, location=None, networks=None, project=None, "
                   "diskoffering=None, ex_keyname=None, ex_userdata=None, "
                   "ex_security_groups=None, ex_displayname=None, ex_ip_address=None, "
                   "ex_start_vm=None, ex_rootdisksize=None, ex_affinity_groups=None",
    "destroy_node": "node, ex_expunge=False",
    "reboot_node": "node",
    "start_node": "node",
    "stop_node": "node",
    "deploy_node": "deploy, ssh_username='root', ssh_alternate_usernames=None, ssh_port=22, "
                   "ssh_timeout=10, ssh_key=None, ssh_key_password=None, auth=None, "
                   "timeout=300, max_tries=3, ssh_interface='public_ips', at_exit_func=None, "
                   "wait_period=5, **create_node_kwargs",
    "wait_until_running": "nodes, wait_period=5, timeout=600, ssh_interface='public_ips', "
                          "force_ipv4=True, ex_list_nodes_kwargs=None",
    "list_volumes": "node=None",
    "create_volume": "size, name, location=None, snapshot=None, ex_volume_type=None",
    "destroy_volume": "volume",
    "attach_volume": "node, volume, device=None",
    "detach_volume": "volume",
    "list_volume_snapshots": "volume",
    "create_volume_snapshot": "volume, name=None",
    "destroy_volume_snapshot": "snapshot",
    "list_key_pairs": "**kwargs",
    "get_key_pair": "name",
    "create_key_pair": "name, **kwargs",
    "import_key_pair_from_string": "name, key_material",
    "import_key_pair_from_file": "name, key_file_path",
    "delete_key_pair": "key_pair, **kwargs",
    "get_image": "image_id",
    # 4.1 Nodes
    "ex_get_node": "node_id, project=None",
    "ex_start": "node",
    "ex_stop": "node",
    "ex_restore": "node, template=None",
    "ex_change_node_size": "node, offering",
    "ex_update_node_affinity_group": "node, affinity_group_list",
    # 4.2 Images, ISOs, OS types
    "ex_create_snapshot_template": "snapshot, name, ostypeid, displaytext=None",
    "ex_register_iso": "name, url, location=None, **kwargs",
    "ex_list_os_types": "",
    # 4.3 Offerings
    "ex_list_disk_offerings": "",
    "ex_list_network_offerings": "",
    "ex_list_vpc_offerings": "",
    # 4.4 Volumes and snapshots
    "ex_get_volume": "volume_id, project=None",
    "list_snapshots": "",
    # 4.5 Key pairs (deprecated twins)
    "ex_list_keypairs": "**kwargs",
    "ex_create_keypair": "name, **kwargs",
    "ex_import_keypair_from_string": "name, key_material",
    "ex_import_keypair": "name, keyfile",
    "ex_delete_keypair": "keypair, **kwargs",
    # 4.6 Security groups
    "ex_list_security_groups": "**kwargs",
    "ex_create_security_group": "name, **kwargs",
    "ex_delete_security_group": "name",
    "ex_authorize_security_group_ingress": "securitygroupname, protocol, cidrlist, "
                                           "startport=None, endport=None, icmptype=None, "
                                           "icmpcode=None, **kwargs",
    "ex_revoke_security_group_ingress": "rule_id",
    # 4.7 Public IPs
    "ex_list_public_ips": "",
    "ex_allocate_public_ip": "vpc_id=None, network_id=None, location=None",
    "ex_release_public_ip": "address",
    # 4.8 Port forwarding and IP forwarding
    "ex_list_port_forwarding_rules": "account=None, domain_id=None, id=None, "
                                     "ipaddress_id=None, is_recursive=None, keyword=None, "
                                     "list_all=None, network_id=None, page=None, "
                                     "page_size=None, project_id=None",
    "ex_create_port_forwarding_rule": "node, address, private_port, public_port, protocol, "
                                      "public_end_port=None, private_end_port=None, "
                                      "openfirewall=True, network_id=None",
    "ex_delete_port_forwarding_rule": "node, rule",
    "ex_list_ip_forwarding_rules": "account=None, domain_id=None, id=None, ipaddress_id=None, "
                                   "is_recursive=None, keyword=None, list_all=None, page=None, "
                                   "page_size=None, project_id=None, virtualmachine_id=None",
    "ex_create_ip_forwarding_rule": "node, address, protocol, start_port, end_port=None",
    "ex_delete_ip_forwarding_rule": "node, rule",
    # 4.9 Firewall and egress firewall
    "ex_list_firewall_rules": "",
    "ex_create_firewall_rule": "address, cidr_list, protocol, icmp_code=None, icmp_type=None, "
                               "start_port=None, end_port=None",
    "ex_delete_firewall_rule": "firewall_rule",
    "ex_list_egress_firewall_rules": "",
    "ex_create_egress_firewall_rule": "network_id, cidr_list, protocol, icmp_code=None, "
                                      "icmp_type=None, start_port=None, end_port=None",
    "ex_delete_egress_firewall_rule": "firewall_rule",
    # 4.10 Networks and NICs
    "ex_list_networks": "project=None",
    "ex_create_network": "display_text, name, network_offering, location, gateway=None, "
                         "netmask=None, network_domain=None, vpc_id=None, project_id=None",
    "ex_delete_network": "network, force=None",
    "ex_list_nics": "node",
    "ex_attach_nic_to_node": "node, network, ip_address=None",
    "ex_detach_nic_from_node": "nic, node",
    # 4.11 VPCs, routers, network ACLs
    "ex_list_vpcs": "project=None",
    "ex_create_vpc": "cidr, display_text, name, vpc_offering, zone_id, network_domain=None",
    "ex_delete_vpc": "vpc",
    "ex_list_routers": "vpc_id=None",
    "ex_create_network_acllist": "name, vpc_id, description=None",
    "ex_list_network_acllists": "",
    "ex_replace_network_acllist": "acl_id, network_id",
    "ex_create_network_acl": "protocol, acl_id, cidr_list, start_port, end_port, action=None, "
                             "traffic_type=None",
    "ex_list_network_acl": "",
    # 4.12 Affinity groups, projects, tags, limits
    "ex_list_affinity_groups": "",
    "ex_list_affinity_group_types": "",
    "ex_create_affinity_group": "name, group_type",
    "ex_delete_affinity_group": "affinity_group",
    "ex_list_projects": "",
    "ex_create_tags": "resource_ids, resource_type, tags",
    "ex_delete_tags": "resource_ids, resource_type, tag_keys",
    "ex_limits": "",
    # 4.13 Site-to-site VPN
    "ex_list_vpn_gateways": "account=None, domain_id=None, for_display=None, id=None, "
                            "is_recursive=None, keyword=None, list_all=None, page=None, "
                            "page_size=None, project_id=None, vpc_id=None",
    "ex_create_vpn_gateway": "vpc, for_display=None",
    "ex_delete_vpn_gateway": "vpn_gateway",
    "ex_list_vpn_customer_gateways": "account=None, domain_id=None, id=None, "
                                     "is_recursive=None, keyword=None, list_all=None, "
                                     "page=None, page_size=None, project_id=None",
    "ex_create_vpn_customer_gateway": "cidr_list, esp_policy, gateway, ike_policy, ipsec_psk, "
                                      "account=None, domain_id=None, dpd=None, "
                                      "esp_lifetime=None, ike_lifetime=None, name=None",
    "ex_delete_vpn_customer_gateway": "vpn_customer_gateway",
    "ex_list_vpn_connections": "account=None, domain_id=None, for_display=None, id=None, "
                               "is_recursive=None, keyword=None, list_all=None, page=None, "
                               "page_size=None, project_id=None, vpc_id=None",
    "ex_create_vpn_connection": "vpn_customer_gateway, vpn_gateway, for_display=None, "
                                "passive=None",
    "ex_delete_vpn_connection": "vpn_connection",
    # 2. (after the table) kept as NotImplementedError, as in libcloud
    "create_image": "*args, **kwargs",
    "delete_image": "*args, **kwargs",
    "copy_image": "*args, **kwargs",
}

#: 6.1: the constructor (libcloud's ``*args, **kwargs`` were dropped, D15; ours are keywords).
DRIVER_INIT = "key, secret=None, secure=True, host=None, path=None, port=None, url=None"

#: 6.3: what KTUCloud overrides.
KTUCLOUD_METHODS: dict[str, str] = {
    "list_images": "location=None",
    "list_sizes": "location=None",
    "create_node": "name, size, image, location=None, ex_usageplantype='hourly'",
}

PRESETS = (ExoscaleNodeDriver, IkoulaNodeDriver, AuroraComputeNodeDriver, KTUCloudNodeDriver)
DRIVERS = (CloudStackNodeDriver, *PRESETS)

# -- PARITY 3.1 / 5.1 constructors, 3.3 / 4.14 helpers, 7.4 steps, 6.2 errors ----------------
MODEL_SIGNATURES: list[tuple[Callable[..., Any], str]] = [
    # 3.1 base models
    (Node.__init__, "id, name, state, public_ips, private_ips, driver, size=None, image=None, "
                    "extra=None, created_at=None"),
    (CloudStackNode.__init__, "id, name, state, public_ips, private_ips, driver, size=None, "
                              "image=None, extra=None, created_at=None"),
    (NodeSize.__init__, "id, name, ram, disk, bandwidth, price, driver, extra=None"),
    (NodeImage.__init__, "id, name, driver, extra=None"),
    (NodeLocation.__init__, "id, name, country, driver, extra=None"),
    (StorageVolume.__init__, "id, name, size, driver, state=None, extra=None"),
    (VolumeSnapshot.__init__, "id, driver, size=None, extra=None, created=None, state=None, "
                              "name=None"),
    (KeyPair.__init__, "name, public_key, fingerprint, driver, private_key=None, extra=None"),
    (NodeAuthSSHKey.__init__, "pubkey"),
    (NodeAuthPassword.__init__, "password, generated=False"),
    # 3.3 delegation
    (Node.reboot, ""), (Node.start, ""), (Node.destroy, ""), (Node.stop_node, ""),
    (StorageVolume.list_snapshots, ""), (StorageVolume.attach, "node, device=None"),
    (StorageVolume.detach, ""), (StorageVolume.destroy, ""), (StorageVolume.snapshot, "name"),
    (VolumeSnapshot.destroy, ""),
    # 4.14 CloudStackNode helpers
    (CloudStackNode.ex_allocate_public_ip, ""),
    (CloudStackNode.ex_release_public_ip, "address"),
    (CloudStackNode.ex_create_ip_forwarding_rule, "address, protocol, start_port, "
                                                  "end_port=None"),
    (CloudStackNode.ex_create_port_forwarding_rule,
     "address, private_port, public_port, protocol, public_end_port=None, "
     "private_end_port=None, openfirewall=True"),
    (CloudStackNode.ex_delete_ip_forwarding_rule, "rule"),
    (CloudStackNode.ex_delete_port_forwarding_rule, "rule"),
    (CloudStackNode.ex_restore, "template=None"),
    (CloudStackNode.ex_change_node_size, "offering"),
    (CloudStackNode.ex_start, ""), (CloudStackNode.ex_stop, ""),
    # 5.1 CloudStack models
    (CloudStackAddress.__init__, "id, address, driver, associated_network_id=None, "
                                 "vpc_id=None, virtualmachine_id=None"),
    (CloudStackFirewallRule.__init__, "id, address, cidr_list, protocol, icmp_code=None, "
                                      "icmp_type=None, start_port=None, end_port=None"),
    (CloudStackEgressFirewallRule.__init__, "id, network_id, cidr_list, protocol, "
                                            "icmp_code=None, icmp_type=None, start_port=None, "
                                            "end_port=None"),
    (CloudStackIPForwardingRule.__init__, "node, id, address, protocol, start_port, "
                                          "end_port=None"),
    (CloudStackPortForwardingRule.__init__, "node, rule_id, address, protocol, public_port, "
                                            "private_port, public_end_port=None, "
                                            "private_end_port=None, network_id=None"),
    (CloudStackDiskOffering.__init__, "id, name, size, customizable"),
    (CloudStackNetwork.__init__, "displaytext, name, networkofferingid, id, zoneid, driver, "
                                 "extra=None"),
    (CloudStackNetworkOffering.__init__, "name, display_text, guest_ip_type, id, "
                                         "service_offering_id, for_vpc, driver, extra=None"),
    (CloudStackNic.__init__, "id, network_id, net_mask, gateway, ip_address, is_default, "
                             "mac_address, driver, extra=None"),
    (CloudStackVPC.__init__, "name, vpc_offering_id, id, cidr, driver, zone_id=None, "
                             "display_text=None, extra=None"),
    (CloudStackVPCOffering.__init__, "name, display_text, id, driver, extra=None"),
    (CloudStackRouter.__init__, "id, name, state, public_ip, vpc_id, driver"),
    (CloudStackNetworkACLList.__init__, "acl_id, name, vpc_id, driver, description=None"),
    (CloudStackNetworkACL.__init__, "id, protocol, acl_id, action, cidr_list, start_port, "
                                    "end_port, traffic_type=None"),
    (CloudStackProject.__init__, "id, name, display_text, driver, extra=None"),
    (CloudStackAffinityGroup.__init__, "id, account, description, domain, domainid, name, "
                                       "group_type, virtualmachine_ids"),
    (CloudStackAffinityGroupType.__init__, "type_name"),
    (CloudStackVpnGateway.__init__, "id, account, domain, domain_id, public_ip, vpc_id, "
                                    "driver, extra=None"),
    (CloudStackVpnCustomerGateway.__init__, "id, cidr_list, esp_policy, gateway, ike_policy, "
                                            "ipsec_psk, driver, extra=None"),
    (CloudStackVpnConnection.__init__, "id, passive, vpn_customer_gateway_id, vpn_gateway_id, "
                                       "state, driver, extra=None"),
    # 7.4 deployment steps
    (SSHKeyDeployment.__init__, "key"),
    (FileDeployment.__init__, "source, target"),
    (ScriptDeployment.__init__, "script, args=None, name=None, delete=False, timeout=None"),
    (ScriptFileDeployment.__init__, "script_file, args=None, name=None, delete=False, "
                                    "timeout=None"),
    (MultiStepDeployment.__init__, "add=None"),
    (MultiStepDeployment.add, "add"),
    # 6.2 errors (InvalidCredsError's default text is checked by value below)
    (LibcloudError.__init__, "value, driver=None"),
    (ProviderError.__init__, "value, http_code, driver=None"),
    (InvalidCredsError.__init__, "value, driver=None"),
    (MalformedResponseError.__init__, "value, body=None, driver=None"),
    (KeyPairDoesNotExistError.__init__, "name, driver"),
    (DeploymentError.__init__, "node, original_exception=None, driver=None"),
]


def parse(spec: str) -> list[tuple[str, Any]]:
    """``"a, b=None, **kw"`` -> ``[("a", _NO_DEFAULT), ("b", None), ("**kw", _NO_DEFAULT)]``."""
    out: list[tuple[str, Any]] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, default = part.partition("=")
        out.append((name, ast.literal_eval(default) if default else _NO_DEFAULT))
    return out


def mismatches(func: Callable[..., Any], spec: str, *, keyword_only_extras: bool) -> list[str]:
    """What differs between ``func``'s signature (``self`` dropped) and PARITY's ``spec``."""
    params = list(inspect.signature(func).parameters.values())[1:]
    expected = parse(spec)
    wanted = [(n, d) for n, d in expected if not n.startswith("*")]
    problems: list[str] = []
    for index, (name, default) in enumerate(wanted):
        if index >= len(params):
            problems.append(f"missing parameter {index}: {name}")
            continue
        got = params[index]
        if got.name != name or got.kind != POS:
            problems.append(f"parameter {index}: want {name} (positional), got {got}")
        elif default is not _NO_DEFAULT and got.default != default:
            problems.append(f"{name}: default {got.default!r}, PARITY says {default!r}")
    rest = params[len(wanted):]
    if any(n.startswith("**") for n, _ in expected) and not any(p.kind == VAR_KW for p in rest):
        problems.append("PARITY takes **kwargs, the implementation does not")
    if any(n.startswith("*") and not n.startswith("**") for n, _ in expected):
        rest = [p for p in rest if p.kind != inspect.Parameter.VAR_POSITIONAL]
    for extra in rest:
        if extra.kind == VAR_KW:
            continue
        if extra.default is inspect.Parameter.empty:
            problems.append(f"added parameter {extra.name} has no default")
        elif keyword_only_extras and extra.kind != KW_ONLY:
            problems.append(f"added parameter {extra.name} must be keyword-only")
    return problems


@pytest.mark.parametrize("cls", DRIVERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("method", sorted(DRIVER_METHODS))
def test_driver_method_surface(cls: type, method: str) -> None:
    spec = KTUCLOUD_METHODS.get(method, DRIVER_METHODS[method]) \
        if cls is KTUCloudNodeDriver else DRIVER_METHODS[method]
    func = getattr(cls, method, None)
    assert callable(func), f"{cls.__name__}.{method} is missing"
    assert mismatches(func, spec, keyword_only_extras=True) == []


@pytest.mark.parametrize("cls", (CloudStackNodeDriver, ExoscaleNodeDriver, IkoulaNodeDriver,
                                 KTUCloudNodeDriver), ids=lambda c: c.__name__)
def test_constructor_surface(cls: type) -> None:
    assert mismatches(cls.__init__, DRIVER_INIT, keyword_only_extras=True) == []


def test_auroracompute_constructor_surface() -> None:
    spec = "key, secret, path=None, host=None, url=None, region=None"
    assert mismatches(AuroraComputeNodeDriver.__init__, spec, keyword_only_extras=True) == []


@pytest.mark.parametrize(("func", "spec"), MODEL_SIGNATURES,
                         ids=[f.__qualname__ for f, _ in MODEL_SIGNATURES])
def test_model_and_helper_surface(func: Callable[..., Any], spec: str) -> None:
    assert mismatches(func, spec, keyword_only_extras=False) == []


def test_invalid_creds_error_default_text() -> None:
    """6.2: ``InvalidCredsError()`` carries libcloud's default text."""
    assert InvalidCredsError().value == "Invalid credentials with the provider"


def test_the_checker_catches_a_reordered_or_renamed_parameter() -> None:
    def swapped(self: Any, size: Any, name: Any) -> None: ...

    def renamed(self: Any, nme: Any) -> None: ...

    def positional_extra(self: Any, node: Any, ex_x: Any = None) -> None: ...

    def wrong_default(self: Any, node: Any, ex_expunge: bool = True) -> None: ...

    def no_kwargs(self: Any, name: Any) -> None: ...

    assert mismatches(swapped, "name, size", keyword_only_extras=True) != []
    assert mismatches(renamed, "name", keyword_only_extras=True) != []
    assert mismatches(positional_extra, "node", keyword_only_extras=True) == [
        "added parameter ex_x must be keyword-only"]
    assert mismatches(positional_extra, "node", keyword_only_extras=False) == []
    assert mismatches(wrong_default, "node, ex_expunge=False", keyword_only_extras=True) == [
        "ex_expunge: default True, PARITY says False"]
    assert mismatches(no_kwargs, "name, **kwargs", keyword_only_extras=True) == [
        "PARITY takes **kwargs, the implementation does not"]
