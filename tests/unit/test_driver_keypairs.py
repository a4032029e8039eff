"""Key pairs: base API, deprecated ex_* twins (warn + libcloud dict shapes), D21, D35."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _wire import wire

from cloudstack_driver import KeyPair, KeyPairDoesNotExistError

PAIR = {"name": "laptop", "fingerprint": "aa:bb:cc", "account": "admin", "id": "k1"}
PUBKEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG~x+y/z me@laptop"


def test_list_key_pairs_passes_filters(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listSSHKeyPairs", {"count": 1, "sshkeypair": [PAIR]})
    [pair] = driver.list_key_pairs(projectid="p1", listall=True, keyword="lap")
    assert wire(cs_sent("listSSHKeyPairs")[0]) == {"projectid": "p1", "listall": "true",
                                                   "keyword": "lap"}
    assert isinstance(pair, KeyPair)
    assert (pair.name, pair.fingerprint, pair.public_key, pair.private_key) == (
        "laptop", "aa:bb:cc", None, None)
    assert pair.extra["account"] == "admin"


def test_list_key_pairs_refuses_unknown_filters(driver: Any, refused: Any) -> None:
    with refused(TypeError, match=r"list_key_pairs.*colour"):
        driver.list_key_pairs(colour="blue")


def test_get_key_pair(driver: Any, cs_answer: Any, cs_sent: Any) -> None:
    cs_answer("listSSHKeyPairs", [{"count": 1, "sshkeypair": [PAIR]}, {}])
    assert driver.get_key_pair("laptop").fingerprint == "aa:bb:cc"
    assert wire(cs_sent("listSSHKeyPairs")[0]) == {"name": "laptop"}
    with pytest.raises(KeyPairDoesNotExistError) as info:
        driver.get_key_pair("ghost")
    assert info.value.name == "ghost" and info.value.driver is driver


def test_create_key_pair_returns_the_private_key(driver: Any, cs_answer: Any,
                                                 cs_sent: Any) -> None:
    cs_answer("createSSHKeyPair", {"keypair": {**PAIR, "privatekey": "-----BEGIN KEY"}})
    pair = driver.create_key_pair("laptop", projectid="p1")
    assert wire(cs_sent("createSSHKeyPair")[0]) == {"name": "laptop", "projectid": "p1"}
    assert pair.private_key == "-----BEGIN KEY"
    assert "BEGIN" not in repr(pair)
    with pytest.raises(TypeError, match=r"create_key_pair.*publickey"):
        driver.create_key_pair("x", publickey="nope")


def test_import_from_string_and_file(driver: Any, cs_answer: Any, cs_sent: Any,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cs_answer("registerSSHKeyPair", {"keypair": PAIR})
    pair = driver.import_key_pair_from_string("laptop", PUBKEY + "\n")
    assert wire(cs_sent("registerSSHKeyPair")[0]) == {"name": "laptop", "publickey": PUBKEY}
    assert pair.public_key == PUBKEY
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "id.pub").write_text(f"  {PUBKEY}\n", encoding="utf-8")
    driver.import_key_pair_from_file("laptop", "~/id.pub")
    assert wire(cs_sent("registerSSHKeyPair")[1]) == {"name": "laptop", "publickey": PUBKEY}


@pytest.mark.parametrize(("success", "expected"), [(True, True), ("true", True),
                                                   (False, False), ("false", False)])
def test_delete_key_pair_accepts_bool_and_string(driver: Any, cs_answer: Any, cs_sent: Any,
                                                 success: Any, expected: bool) -> None:
    cs_answer("deleteSSHKeyPair", {"success": success})
    pair = KeyPair("laptop", None, "aa", driver)
    assert driver.delete_key_pair(pair, account="admin", domainid="d1") is expected
    assert wire(cs_sent("deleteSSHKeyPair")[0]) == {"name": "laptop", "account": "admin",
                                                    "domainid": "d1"}


def test_deprecated_ex_methods(driver: Any, cs_answer: Any, cs_sent: Any,
                               tmp_path: Path) -> None:
    cs_answer("listSSHKeyPairs", {"count": 1, "sshkeypair": [PAIR]})
    cs_answer("createSSHKeyPair", {"keypair": {**PAIR, "privatekey": "PRIV"}})
    cs_answer("registerSSHKeyPair", {"keypair": PAIR})
    cs_answer("deleteSSHKeyPair", {"success": "true"})
    key_file = tmp_path / "k.pub"
    key_file.write_text(PUBKEY, encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="list_key_pairs"):
        assert driver.ex_list_keypairs() == [
            {"name": "laptop", "fingerprint": "aa:bb:cc", "privateKey": None}]
    with pytest.warns(DeprecationWarning, match="create_key_pair"):
        assert driver.ex_create_keypair("laptop") == {
            "name": "laptop", "fingerprint": "aa:bb:cc", "privateKey": "PRIV"}
    with pytest.warns(DeprecationWarning, match="import_key_pair_from_string"):
        assert driver.ex_import_keypair_from_string("laptop", PUBKEY) == {
            "keyName": "laptop", "keyFingerprint": "aa:bb:cc"}
    with pytest.warns(DeprecationWarning, match="import_key_pair_from_file"):
        assert driver.ex_import_keypair("laptop", str(key_file)) == {
            "keyName": "laptop", "keyFingerprint": "aa:bb:cc"}
    with pytest.warns(DeprecationWarning, match="delete_key_pair"):
        assert driver.ex_delete_keypair("laptop", projectid="p1") is True
    assert wire(cs_sent("deleteSSHKeyPair")[0]) == {"name": "laptop", "projectid": "p1"}
