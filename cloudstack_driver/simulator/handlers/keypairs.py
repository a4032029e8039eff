"""SSH key pairs with real key material and CloudStack's fingerprint (MD5 of the key blob)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import subprocess
import tempfile

from .. import render
from ..errors import invalid_value
from ..registry import Call, command
from ..state import Record, now_stamp
from ._common import filter_common, owner_fields

__all__ = ["fingerprint", "generate_rsa"]

_KEY_TYPES = ("ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
              "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
              "sk-ecdsa-sha2-nistp256@openssh.com")


def fingerprint(public_key: str) -> str:
    """``aa:bb:...``: MD5 of the base64-decoded key blob, colon-separated lower-case hex."""
    parts = public_key.split()
    if len(parts) < 2 or parts[0] not in _KEY_TYPES:
        raise invalid_value("Public key is invalid")
    try:
        blob = base64.b64decode(parts[1].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise invalid_value("Public key is invalid") from None
    if len(blob) < 4 or blob[4:4 + int.from_bytes(blob[:4], "big")] != parts[0].encode():
        raise invalid_value("Public key is invalid")
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()  # CloudStack's format
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def generate_rsa() -> tuple[str, str]:
    """(private key PEM, OpenSSH public key) of a fresh RSA 2048 key."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:  # pragma: no cover - without cryptography, ask ssh-keygen
        return _ssh_keygen()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode("ascii")
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode("ascii")
    return private, public


def _ssh_keygen() -> tuple[str, str]:  # pragma: no cover - used when cryptography is absent
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "key")
        subprocess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "",
                        "-f", path], check=True)
        with open(path, encoding="ascii") as fh:
            private = fh.read()
        with open(path + ".pub", encoding="ascii") as fh:
            public = " ".join(fh.read().split()[:2])
    return private, public


def _mine(call: Call) -> list[Record]:
    return filter_common(call, call.cloud.all("sshkeypair"))


def _check_new_name(call: Call, name: str) -> None:
    project = call.str("projectid")
    if any(k["name"] == name and k.get("projectid") == project
           for k in call.cloud.all("sshkeypair")):
        account = call.cloud.account
        raise invalid_value(f"A key pair with name '{name}' already exists for account "
                            f"{account.get('name')} in specified domain id "
                            f"{account.get('domainid')}")


def _add(call: Call, name: str, public: str) -> Record:
    return call.cloud.add("sshkeypair", {
        "name": name, "fingerprint": fingerprint(public), **owner_fields(call),
        "hasannotations": False, "_publickey": public, "_created": now_stamp()})


@command("listSSHKeyPairs", list_key="sshkeypair")
def list_ssh_key_pairs(call: Call) -> list[Record]:
    records = _mine(call)
    fp = call.str("fingerprint")
    if fp is not None:
        records = [r for r in records if r["fingerprint"] == fp]
    return records


@command("createSSHKeyPair")
def create_ssh_key_pair(call: Call) -> Record:
    name = call.require("name")
    _check_new_name(call, name)
    private, public = generate_rsa()
    record = _add(call, name, public)
    view = dict(render.clean(record))
    view["privatekey"] = private
    return {"keypair": view}


@command("registerSSHKeyPair")
def register_ssh_key_pair(call: Call) -> Record:
    name = call.require("name")
    public = call.require("publickey").strip()
    fingerprint(public)
    _check_new_name(call, name)
    return {"keypair": dict(render.clean(_add(call, name, public)))}


@command("deleteSSHKeyPair")
def delete_ssh_key_pair(call: Call) -> Record:
    name = call.require("name")
    project = call.str("projectid")
    found = [k for k in call.cloud.all("sshkeypair")
             if k["name"] == name and k.get("projectid") == project]
    if not found:
        raise invalid_value(f"A key pair with name '{name}' does not exist for account "
                            f"{call.cloud.account.get('name')} in specified domain id "
                            f"{call.cloud.account.get('domainid')}")
    call.cloud.remove("sshkeypair", found[0]["id"])
    return {"success": True}
