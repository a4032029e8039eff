"""SSH key pairs: libcloud's base key-pair API plus its deprecated ``ex_*`` twins.

The ``ex_*`` methods warn (``DeprecationWarning``), call the base method, and return the dict
shapes libcloud returned.
"""

from __future__ import annotations

import os
from typing import Any

from cloudstack_driver._convert import to_bool
from cloudstack_driver._validate import check_instance, check_name, check_no_unknown
from cloudstack_driver._warnings import warn
from cloudstack_driver.cloudstack.host import DriverHost
from cloudstack_driver.errors import KeyPairDoesNotExistError
from cloudstack_driver.models import KeyPair

__all__ = ["KeyPairsMixin"]

#: Filters ``list_key_pairs`` passes to ``listSSHKeyPairs``.
LIST_FILTERS = ("projectid", "page", "keyword", "listall", "pagesize", "account",
                "isrecursive", "fingerprint", "name", "domainid")
#: Owner parameters of ``createSSHKeyPair`` / ``deleteSSHKeyPair``.
OWNER_PARAMS = ("projectid", "domainid", "account")


def _deprecated(old: str, new: str) -> None:
    warn(f"{old}() is deprecated; use {new}()", DeprecationWarning, stacklevel=3)


def _read_key_file(method: str, arg: str, path: str) -> str:
    check_name(method, arg, path)
    with open(os.path.expanduser(path), encoding="utf-8") as handle:
        return handle.read().strip()


class KeyPairsMixin(DriverHost):
    """``list_key_pairs``, ``get_key_pair``, ``create_key_pair``, ``import_key_pair_*``,
    ``delete_key_pair``."""

    def list_key_pairs(self, **kwargs: Any) -> list[KeyPair]:
        """Key pairs: ``listSSHKeyPairs`` with the given filters (``projectid``, ``page``,
        ``keyword``, ``listall``, ``pagesize``, ``account``, ``isrecursive``, ``fingerprint``,
        ``name``, ``domainid``), all pages unless ``page`` is given. No job."""
        check_no_unknown("list_key_pairs", kwargs, LIST_FILTERS)
        records = self.connection.list("listSSHKeyPairs", **kwargs)
        return [KeyPair.from_record(self, r) for r in records]

    def get_key_pair(self, name: str) -> KeyPair:
        """The key pair called ``name``: ``listSSHKeyPairs(name)``. No job.
        ``KeyPairDoesNotExistError`` when there is none."""
        check_name("get_key_pair", "name", name)
        for record in self.connection.list("listSSHKeyPairs", name=name):
            if record.get("name") == name:
                return KeyPair.from_record(self, record)
        raise KeyPairDoesNotExistError(name, driver=self)

    def create_key_pair(self, name: str, **kwargs: Any) -> KeyPair:
        """Create a key pair: ``createSSHKeyPair(name, projectid?, domainid?, account?)``
        (synchronous). The returned ``KeyPair`` holds the private key; CloudStack keeps no
        copy."""
        check_name("create_key_pair", "name", name)
        check_no_unknown("create_key_pair", kwargs, OWNER_PARAMS)
        result = self.connection.request("createSSHKeyPair", name=name, **kwargs)
        return KeyPair.from_record(self, result.get("keypair") or {"name": name})

    def import_key_pair_from_string(self, name: str, key_material: str) -> KeyPair:
        """Register a public key: ``registerSSHKeyPair(name, publickey)`` (synchronous)."""
        check_name("import_key_pair_from_string", "name", name)
        key = check_name("import_key_pair_from_string", "key_material", key_material).strip()
        result = self.connection.request("registerSSHKeyPair", name=name, publickey=key)
        return KeyPair.from_record(self, result.get("keypair") or {"name": name},
                                   public_key=key)

    def import_key_pair_from_file(self, name: str, key_file_path: str) -> KeyPair:
        """Register the public key in ``key_file_path`` (``~`` expanded):
        ``registerSSHKeyPair(name, publickey)`` (synchronous)."""
        check_name("import_key_pair_from_file", "name", name)
        return self.import_key_pair_from_string(
            name, _read_key_file("import_key_pair_from_file", "key_file_path", key_file_path))

    def delete_key_pair(self, key_pair: KeyPair, **kwargs: Any) -> bool:
        """Delete: ``deleteSSHKeyPair(name, projectid?, domainid?, account?)`` (synchronous).
        True when the server reports success (boolean or the string ``"true"``)."""
        pair = check_instance("delete_key_pair", "key_pair", key_pair, KeyPair)
        check_no_unknown("delete_key_pair", kwargs, OWNER_PARAMS)
        return self._delete_key_pair_named(pair.name, kwargs)

    def _delete_key_pair_named(self, name: str, owner: dict[str, Any]) -> bool:
        result = self.connection.request("deleteSSHKeyPair", name=name, **owner)
        return to_bool(result.get("success")) is True

    # -- deprecated libcloud spellings -------------------------------------------------------
    def ex_list_keypairs(self, **kwargs: Any) -> list[dict[str, Any]]:
        """Deprecated: use :meth:`list_key_pairs`. ``listSSHKeyPairs`` (no job); dicts
        ``name, fingerprint, privateKey``."""
        _deprecated("ex_list_keypairs", "list_key_pairs")
        return [{"name": k.name, "fingerprint": k.fingerprint, "privateKey": k.private_key}
                for k in self.list_key_pairs(**kwargs)]

    def ex_create_keypair(self, name: str, **kwargs: Any) -> dict[str, Any]:
        """Deprecated: use :meth:`create_key_pair`. ``createSSHKeyPair`` (synchronous); dict
        ``name, fingerprint, privateKey``."""
        _deprecated("ex_create_keypair", "create_key_pair")
        pair = self.create_key_pair(name, **kwargs)
        return {"name": pair.name, "fingerprint": pair.fingerprint,
                "privateKey": pair.private_key}

    def ex_import_keypair_from_string(self, name: str, key_material: str) -> dict[str, Any]:
        """Deprecated: use :meth:`import_key_pair_from_string`. ``registerSSHKeyPair``
        (synchronous); dict ``keyName, keyFingerprint``."""
        _deprecated("ex_import_keypair_from_string", "import_key_pair_from_string")
        pair = self.import_key_pair_from_string(name, key_material)
        return {"keyName": pair.name, "keyFingerprint": pair.fingerprint}

    def ex_import_keypair(self, name: str, keyfile: str) -> dict[str, Any]:
        """Deprecated: use :meth:`import_key_pair_from_file`. Reads ``keyfile`` (``~``
        expanded), then ``registerSSHKeyPair`` (synchronous); dict ``keyName,
        keyFingerprint``."""
        _deprecated("ex_import_keypair", "import_key_pair_from_file")
        pair = self.import_key_pair_from_string(name, _read_key_file("ex_import_keypair", "keyfile",
                                                                     keyfile))
        return {"keyName": pair.name, "keyFingerprint": pair.fingerprint}

    def ex_delete_keypair(self, keypair: str, **kwargs: Any) -> bool:
        """Deprecated: use :meth:`delete_key_pair`. ``deleteSSHKeyPair(name, ...)``
        (synchronous). ``keypair`` is a name; the owner kwargs (``projectid``, ``domainid``,
        ``account``) are sent (libcloud dropped them)."""
        _deprecated("ex_delete_keypair", "delete_key_pair")
        check_name("ex_delete_keypair", "keypair", keypair)
        check_no_unknown("ex_delete_keypair", kwargs, OWNER_PARAMS)
        return self._delete_key_pair_named(keypair, kwargs)
