"""The CloudStack driver and its models (libcloud's ``libcloud.compute.drivers.cloudstack``)."""

from __future__ import annotations

from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
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

__all__ = [
    "CloudStackAddress",
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
    "SecurityGroupRuleError",
]
