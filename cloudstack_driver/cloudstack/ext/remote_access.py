"""Remote-access VPN on a source NAT address, and the VPN users of an account or project."""

from __future__ import annotations

from cloudstack_driver._validate import check_name, check_optional_instance
from cloudstack_driver.cloudstack.accessmodels import CloudStackRemoteAccessVpn, CloudStackVpnUser
from cloudstack_driver.cloudstack.ext._args import id_of, optional_id_of, optional_text
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.cloudstack.mappers import entity
from cloudstack_driver.cloudstack.models import CloudStackProject
from cloudstack_driver.cloudstack.netmodels import CloudStackAddress, CloudStackNetwork

__all__ = ["RemoteAccessMixin"]


class RemoteAccessMixin(DriverHost):
    """``ex_create/list/delete_remote_access_vpn(s)`` and ``ex_add/list/remove_vpn_user(s)``."""

    # -- remote-access VPN -------------------------------------------------------------------
    def ex_create_remote_access_vpn(
        self, address: CloudStackAddress | str | int, ip_range: str | None = None,
        open_firewall: bool | None = None, for_display: bool | None = None,
    ) -> CloudStackRemoteAccessVpn:
        """Start a remote-access VPN on a source NAT address: ``createRemoteAccessVpn(
        publicipid, iprange?, openfirewall?, fordisplay?)``; waits for the job.

        ``ip_range`` (``"10.1.2.1-10.1.2.8"``, the server's default) is for the clients, the
        first address being the server's; ``open_firewall`` (server default: true outside VPCs)
        opens UDP 500, 1701 and 4500. The answer's ``preshared_key`` is the IPsec key."""
        m = "ex_create_remote_access_vpn"
        result = self.connection.request(
            "createRemoteAccessVpn",
            publicipid=id_of(m, "address", address, CloudStackAddress),
            iprange=optional_text(m, "ip_range", ip_range),
            openfirewall=check_optional_instance(m, "open_firewall", open_firewall, bool),
            fordisplay=check_optional_instance(m, "for_display", for_display, bool),
        )
        return CloudStackRemoteAccessVpn.from_record(self, entity(result, "remoteaccessvpn"))

    def ex_list_remote_access_vpns(
        self, *, address: CloudStackAddress | str | int | None = None,
        network_id: CloudStackNetwork | str | int | None = None,
        project_id: CloudStackProject | str | int | None = None,
        list_all: bool | None = None,
    ) -> list[CloudStackRemoteAccessVpn]:
        """Remote-access VPNs: ``listRemoteAccessVpns(publicipid?, networkid?, projectid?,
        listall?)``, all pages. No job."""
        m = "ex_list_remote_access_vpns"
        return self.connection.list_mapped(
            "listRemoteAccessVpns", lambda r: CloudStackRemoteAccessVpn.from_record(self, r),
            publicipid=optional_id_of(m, "address", address, CloudStackAddress),
            networkid=optional_id_of(m, "network_id", network_id, CloudStackNetwork),
            projectid=optional_id_of(m, "project_id", project_id, CloudStackProject),
            listall=check_optional_instance(m, "list_all", list_all, bool),
        )

    def ex_delete_remote_access_vpn(
        self, address: CloudStackAddress | CloudStackRemoteAccessVpn | str | int) -> bool:
        """Stop the remote-access VPN of an address: ``deleteRemoteAccessVpn(publicipid)``;
        waits for the job. ``address`` may be the VPN itself (its ``public_ip_id`` is sent).
        True (also for an address without VPN, as the server answers)."""
        m = "ex_delete_remote_access_vpn"
        if isinstance(address, CloudStackRemoteAccessVpn):
            target = id_of(m, "address", address.public_ip_id, CloudStackAddress)
        else:
            target = id_of(m, "address", address, CloudStackAddress)
        self.connection.request("deleteRemoteAccessVpn", publicipid=target)
        return True

    # -- VPN users ---------------------------------------------------------------------------
    def ex_add_vpn_user(self, username: str, password: str,
                        project_id: CloudStackProject | str | int | None = None
                        ) -> CloudStackVpnUser:
        """Add a VPN user: ``addVpnUser(username, password, projectid?)``; waits for the job.
        The server takes names of 3-64 and passwords of 3-32 characters (letters, digits and a
        few signs); the password is sent, never kept."""
        m = "ex_add_vpn_user"
        result = self.connection.request(
            "addVpnUser", username=check_name(m, "username", username),
            password=check_name(m, "password", password),
            projectid=optional_id_of(m, "project_id", project_id, CloudStackProject))
        return CloudStackVpnUser.from_record(self, entity(result, "vpnuser"))

    def ex_list_vpn_users(self, *, username: str | None = None,
                          project_id: CloudStackProject | str | int | None = None,
                          list_all: bool | None = None) -> list[CloudStackVpnUser]:
        """VPN users: ``listVpnUsers(username?, projectid?, listall?)``, all pages. No job."""
        m = "ex_list_vpn_users"
        return self.connection.list_mapped(
            "listVpnUsers", lambda r: CloudStackVpnUser.from_record(self, r),
            username=optional_text(m, "username", username),
            projectid=optional_id_of(m, "project_id", project_id, CloudStackProject),
            listall=check_optional_instance(m, "list_all", list_all, bool))

    def ex_remove_vpn_user(self, user: CloudStackVpnUser | str,
                           project_id: CloudStackProject | str | int | None = None) -> bool:
        """Remove a VPN user: ``removeVpnUser(username, projectid?)``; waits for the job.
        ``user`` is a ``CloudStackVpnUser`` (its project is used when ``project_id`` is not
        given) or a username. True."""
        m = "ex_remove_vpn_user"
        project = optional_id_of(m, "project_id", project_id, CloudStackProject)
        if isinstance(user, CloudStackVpnUser):
            name = check_name(m, "user", user.username)
            project = project or user.extra.get("project_id")
        else:
            name = check_name(m, "user", user)
        self.connection.request("removeVpnUser", username=name, projectid=project)
        return True
