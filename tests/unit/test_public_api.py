"""The public surface is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import cloudstack_driver
from cloudstack_driver import errors

EXPECTED = {
    "CloudStackDiskOffering", "CloudStackNode", "CloudStackNodeDriver", "CloudStackProject",
    "KeyPair", "Node", "NodeAuthPassword", "NodeAuthSSHKey", "NodeDriver", "NodeImage",
    "NodeLocation", "NodeSize", "NodeState", "Provider", "StorageVolume",
    "StorageVolumeState", "VolumeSnapshot", "VolumeSnapshotState", "__version__",
    "get_driver", "set_driver",
    # CloudStack models (libcloud.compute.drivers.cloudstack)
    "CloudStackAddress", "CloudStackEgressFirewallRule", "CloudStackFirewallRule",
    "CloudStackIPForwardingRule", "CloudStackNetwork", "CloudStackNetworkACL",
    "CloudStackNetworkACLList", "CloudStackNetworkOffering", "CloudStackNic",
    "CloudStackPortForwardingRule", "CloudStackRouter", "CloudStackVPC",
    "CloudStackVPCOffering", "CloudStackSecurityGroup", "CloudStackSecurityGroupRule",
    "SecurityGroupRuleError", "CloudStackAffinityGroup", "CloudStackAffinityGroupType",
    "CloudStackVpnGateway", "CloudStackVpnCustomerGateway", "CloudStackVpnConnection",
    "CloudStackRemoteAccessVpn", "CloudStackVpnUser", "CloudStackPrivateGateway",
    "IsoArgumentError", "JobHandle",
    # errors
    "AsyncJobCancelledError", "AsyncJobError", "AsyncJobTimeoutError",
    "CloudStackConnectionError", "CloudStackError", "DeploymentError", "ImageNotFoundError",
    "OutcomeUnknownError", "DriverClosedError",
    "InsufficientCapacityError", "InvalidCredsError", "InvalidParameterError",
    "KeyPairDoesNotExistError", "KeyPairError", "LibcloudError", "MalformedParameterError",
    "MalformedResponseError", "NetworkRuleConflictError", "NodeNotFoundError",
    "NotFoundError", "PermissionDeniedError", "ProviderError", "ResourceAllocationError",
    "ResourceInUseError", "ResourceLimitError", "ResourceUnavailableError", "ServerError",
    "ThrottledError", "UnsupportedCommandError", "VolumeNotFoundError", "error_class_for",
    "job_error_class_for",
}


def test_all_is_pinned() -> None:
    assert set(cloudstack_driver.__all__) == EXPECTED
    assert len(cloudstack_driver.__all__) == len(EXPECTED)


def test_every_name_in_all_exists() -> None:
    for name in cloudstack_driver.__all__:
        assert hasattr(cloudstack_driver, name), name


def test_errors_are_the_same_objects() -> None:
    for name in errors.__all__:
        assert getattr(cloudstack_driver, name) is getattr(errors, name)


def test_version() -> None:
    assert cloudstack_driver.__version__ == "0.1.0"


def test_libcloud_import_lines_port_by_changing_the_package() -> None:
    from cloudstack_driver import (  # noqa: F401
        DeploymentError,
        InvalidCredsError,
        KeyPairDoesNotExistError,
        NodeDriver,
        Provider,
        get_driver,
    )
    from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver
    from cloudstack_driver.cloudstack.models import CloudStackNode

    assert get_driver(Provider.CLOUDSTACK) is CloudStackNodeDriver
    assert issubclass(CloudStackNode, cloudstack_driver.Node)
    assert issubclass(CloudStackNodeDriver, NodeDriver)


def test_driver_class_attributes() -> None:
    cls = cloudstack_driver.CloudStackNodeDriver
    assert cls.name == "CloudStack"
    assert cls.api_name == "cloudstack"
    assert cls.website == "http://cloudstack.org/"
    assert cls.type == "cloudstack" and cls.type is cloudstack_driver.Provider.CLOUDSTACK
    assert cls.features == {"create_node": ["generates_password"]}
