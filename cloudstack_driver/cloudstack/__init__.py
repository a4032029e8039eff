"""The CloudStack driver and its models (libcloud's ``libcloud.compute.drivers.cloudstack``).

The names load on first use (:pep:`562`): the driver with its mixins, the connection and
``requests`` when ``CloudStackNodeDriver`` is first looked up, each model module with its
first model.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names below are, for type checkers
    from cloudstack_driver.cloudstack.accessmodels import (
        CloudStackPrivateGateway,
        CloudStackRemoteAccessVpn,
        CloudStackVpnUser,
    )
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

#: Each public name and the module (under this package) it lives in.
_WHERE: dict[str, str] = {
    "CloudStackNodeDriver": "driver",
    "IsoArgumentError": "ext.templates",
    "JobHandle": "host",
    **dict.fromkeys(("CloudStackDiskOffering", "CloudStackNode", "CloudStackProject"),
                    "models"),
    **dict.fromkeys(("CloudStackAddress", "CloudStackEgressFirewallRule",
                     "CloudStackFirewallRule", "CloudStackIPForwardingRule",
                     "CloudStackNetwork", "CloudStackNetworkACL", "CloudStackNetworkACLList",
                     "CloudStackNetworkOffering", "CloudStackNic",
                     "CloudStackPortForwardingRule", "CloudStackRouter", "CloudStackVPC",
                     "CloudStackVPCOffering"), "netmodels"),
    **dict.fromkeys(("CloudStackSecurityGroup", "CloudStackSecurityGroupRule",
                     "SecurityGroupRuleError"), "sgmodels"),
    **dict.fromkeys(("CloudStackAffinityGroup", "CloudStackAffinityGroupType",
                     "CloudStackVpnConnection", "CloudStackVpnCustomerGateway",
                     "CloudStackVpnGateway"), "vpnmodels"),
    **dict.fromkeys(("CloudStackPrivateGateway", "CloudStackRemoteAccessVpn",
                     "CloudStackVpnUser"), "accessmodels"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is not None:
        value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    elif not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}"):
        value = importlib.import_module(f"{__name__}.{name}")  # a submodule, as before
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    "CloudStackPrivateGateway",
    "CloudStackProject",
    "CloudStackRemoteAccessVpn",
    "CloudStackRouter",
    "CloudStackSecurityGroup",
    "CloudStackSecurityGroupRule",
    "CloudStackVPC",
    "CloudStackVPCOffering",
    "CloudStackVpnConnection",
    "CloudStackVpnCustomerGateway",
    "CloudStackVpnGateway",
    "CloudStackVpnUser",
    "IsoArgumentError",
    "JobHandle",
    "SecurityGroupRuleError",
]
