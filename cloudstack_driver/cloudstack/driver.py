"""``CloudStackNodeDriver``: the core driver plus one mixin per CloudStack API area."""

from __future__ import annotations

from cloudstack_driver.cloudstack.core import CloudStackDriverCore
from cloudstack_driver.cloudstack.ext.addresses import AddressesMixin
from cloudstack_driver.cloudstack.ext.affinity import AffinityMixin
from cloudstack_driver.cloudstack.ext.firewall import FirewallMixin
from cloudstack_driver.cloudstack.ext.forwarding import ForwardingMixin
from cloudstack_driver.cloudstack.ext.keypairs import KeyPairsMixin
from cloudstack_driver.cloudstack.ext.networks import NetworksMixin
from cloudstack_driver.cloudstack.ext.private_gateways import PrivateGatewaysMixin
from cloudstack_driver.cloudstack.ext.remote_access import RemoteAccessMixin
from cloudstack_driver.cloudstack.ext.security_groups import SecurityGroupsMixin
from cloudstack_driver.cloudstack.ext.tags import TagsMixin
from cloudstack_driver.cloudstack.ext.templates import TemplatesMixin
from cloudstack_driver.cloudstack.ext.userdata import UserDataMixin
from cloudstack_driver.cloudstack.ext.vpc import VpcMixin
from cloudstack_driver.cloudstack.ext.vpn import VpnMixin

__all__ = ["CloudStackNodeDriver"]


class CloudStackNodeDriver(
    ForwardingMixin,
    AddressesMixin,
    FirewallMixin,
    NetworksMixin,
    VpcMixin,
    VpnMixin,
    RemoteAccessMixin,
    PrivateGatewaysMixin,
    AffinityMixin,
    TagsMixin,
    SecurityGroupsMixin,
    TemplatesMixin,
    UserDataMixin,
    KeyPairsMixin,
    CloudStackDriverCore,
):
    """Driver for Apache CloudStack clouds, with libcloud's ``CloudStackNodeDriver`` surface.

    See :class:`~cloudstack_driver.cloudstack.core.CloudStackDriverCore` for the constructor.
    """
