"""TLS knobs kept from ``libcloud.security`` so existing scripts keep working.

Set them before creating a driver::

    from cloudstack_driver import security
    security.VERIFY_SSL_CERT = False          # self-signed test endpoint
    security.CA_CERTS_PATH = "/etc/ssl/my-ca.pem"

A connection created without an explicit ``verify`` reads them at construction time:
``VERIFY_SSL_CERT = False`` turns certificate checks off; otherwise ``CA_CERTS_PATH`` (when set)
names the CA bundle to trust, else the system bundle of ``requests`` is used.
"""

from __future__ import annotations

__all__ = ["CA_CERTS_PATH", "VERIFY_SSL_CERT"]

#: Check the server's TLS certificate (libcloud's name). Turn off only for test endpoints.
VERIFY_SSL_CERT: bool = True

#: A CA bundle file (or directory) to trust instead of the default one; None for the default.
CA_CERTS_PATH: str | None = None
