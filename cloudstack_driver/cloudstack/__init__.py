"""The CloudStack driver and its models (libcloud's ``libcloud.compute.drivers.cloudstack``)."""

from __future__ import annotations

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
from cloudstack_driver.cloudstack.ext.templates import IsoArgumentError
from cloudstack_driver.cloudstack.host import JobHandle
from cloudstack_driver.cloudstack.models import (
    CloudStackDiskOffering,
    CloudStackNode,
    CloudStackProject,
)
from cloudstack_driver.cloudstack.netmodels import (
    CloudStackAddress,
    CloudStackEgressFirewallRule,
    CloudStackFirewallRule,
    CloudStackIPForwardingRule,
    CloudStackNetwork,
    CloudStackNetworkACL,
    CloudStackNetworkACLList,
    CloudStackNetworkOffering,
    CloudStackNic,
    CloudStackPortForwardingRule,
    CloudStackRouter,
    CloudStackVPC,
    CloudStackVPCOffering,
)
from cloudstack_driver.cloudstack.sgmodels import (
    CloudStackSecurityGroup,
    CloudStackSecurityGroupRule,
    SecurityGroupRuleError,
)
from cloudstack_driver.cloudstack.vpnmodels import (
    CloudStackAffinityGroup,
    CloudStackAffinityGroupType,
    CloudStackVpnConnection,
    CloudStackVpnCustomerGateway,
    CloudStackVpnGateway,
)

__all__ = [
    "CloudStackAddress",
    "CloudStackAffinityGroup",
    "CloudStackAffinityGroupType",
    "CloudStackDiskOffering",
    "CloudStackEgressFirewallRule",
    "CloudStackFirewallRule",
    "CloudStackIPForwardingRule",
    "CloudStackNetwork",
    "CloudStackNetworkACL",
    "CloudStackNetworkACLList",
    "CloudStackNetworkOffering",
    "CloudStackNic",
    "CloudStackNode",
    "CloudStackNodeDriver",
    "CloudStackPortForwardingRule",
    "CloudStackProject",
    "CloudStackRouter",
    "CloudStackSecurityGroup",
    "CloudStackSecurityGroupRule",
    "CloudStackVPC",
    "CloudStackVPCOffering",
    "CloudStackVpnConnection",
    "CloudStackVpnCustomerGateway",
    "CloudStackVpnGateway",
    "IsoArgumentError",
    "JobHandle",
    "SecurityGroupRuleError",
]
