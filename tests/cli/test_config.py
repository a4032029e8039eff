"""Configuration from the environment and ~/.cloudstack.ini: precedence, presets, and errors
that name what is missing and where it was looked for, without the secret."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from cli_support import write_ini

from cloudstack_driver import CloudStackNodeDriver, LibcloudError
from cloudstack_driver.clouds.exoscale import ExoscaleAPIClosedWarning, ExoscaleNodeDriver
from cloudstack_driver.clouds.ikoula import IkoulaNodeDriver
from cloudstack_driver.clouds.ktucloud import KTUCloudNodeDriver
from cloudstack_driver.config import ConfigurationError, load
from cloudstack_driver.simulator import Simulator

SECRET = "s3cr3t-%(x)s-never-shown"


def _ini(home: Path, text: str, name: str = ".cloudstack.ini") -> Path:
    path = home / name
    path.write_text(text, encoding="utf-8")
    return path


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"CLOUDSTACK_{name.upper()}", value)


def test_from_env_reads_every_setting(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, endpoint="http://cs.test:8080/client/api", key="K", secret=SECRET,
         timeout="12.5", verify="false", signature_version="2", job_timeout="99",
         poll_interval="0.5")
    driver = CloudStackNodeDriver.from_env()
    conn = driver.connection
    assert (driver.url, driver.key) == ("http://cs.test:8080/client/api", "K")
    assert (conn.timeout, conn.verify, conn.signature_version) == (12.5, False, 2)
    assert (conn.job_timeout, conn.poll_interval) == (99.0, 0.5)


def test_from_env_keywords_win(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, endpoint="http://cs.test/client/api", key="K", secret="S", timeout="5")
    assert CloudStackNodeDriver.from_env(timeout=7.0).connection.timeout == 7.0


def test_from_env_ignores_the_file(home: Path, sim: Simulator) -> None:
    write_ini(home, sim)
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_env()
    assert caught.value.missing == ("endpoint", "key", "secret")
    assert "CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET" in str(caught.value)
    assert ".cloudstack.ini" not in " ".join(caught.value.looked_in)


def test_missing_settings_are_named_with_where_it_looked(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, endpoint="http://cs.test/client/api", secret=SECRET)
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config()
    err = caught.value
    assert isinstance(err, LibcloudError) and isinstance(err, ValueError)
    assert err.missing == ("key",)
    text = str(err)
    assert text.startswith("CloudStack key not configured: set CLOUDSTACK_KEY, or write key = "
                           "in section [cloudstack]")
    assert f"{home / '.cloudstack.ini'} (not found)" in text
    assert f"{home / 'cloudstack.ini'} (not found)" in text
    assert SECRET not in text and SECRET not in repr(err)


def test_file_section_and_env_over_it(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ini(home, "[cloudstack]\nendpoint = http://a.test/client/api\nkey = KA\nsecret = SA\n"
               "timeout = 30\n\n[prod]\nendpoint = http://p.test/client/api\nkey = KP\n"
               f"secret = {SECRET}\n")
    assert CloudStackNodeDriver.from_config().url == "http://a.test/client/api"
    prod = CloudStackNodeDriver.from_config("prod")
    assert (prod.url, prod.key) == ("http://p.test/client/api", "KP")
    monkeypatch.setenv("CLOUDSTACK_REGION", "prod")
    assert CloudStackNodeDriver.from_config().key == "KP"
    monkeypatch.setenv("CLOUDSTACK_KEY", "FROM-ENV")
    monkeypatch.setenv("CLOUDSTACK_TIMEOUT", "3")
    driver = CloudStackNodeDriver.from_config("cloudstack")
    assert (driver.key, driver.connection.timeout) == ("FROM-ENV", 3.0)
    settings = load("cloudstack")
    assert settings.sources["key"] == "CLOUDSTACK_KEY"
    assert settings.sources["endpoint"] == f"{home / '.cloudstack.ini'} [cloudstack]"
    assert SECRET not in repr(load("prod")) and "***" in repr(load("prod"))


def test_later_files_win_key_by_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ini(home, "[cloudstack]\nendpoint = http://home.test/client/api\nkey = KH\nsecret = S\n")
    _ini(home, "[cloudstack]\nkey = KCWD\n", name="cloudstack.ini")
    other = _ini(home, "[cloudstack]\nendpoint = http://other.test/client/api\n",
                 name="other.ini")
    driver = CloudStackNodeDriver.from_config()
    assert (driver.url, driver.key) == ("http://home.test/client/api", "KCWD")
    monkeypatch.setenv("CLOUDSTACK_CONFIG", str(other))
    driver = CloudStackNodeDriver.from_config()
    assert (driver.url, driver.key) == ("http://other.test/client/api", "KCWD")
    with pytest.raises(ConfigurationError) as caught:  # path=: that file alone
        CloudStackNodeDriver.from_config(path=other)
    assert caught.value.missing == ("key", "secret")


def test_unknown_region_suggests_the_close_one(home: Path) -> None:
    _ini(home, f"[prod]\nendpoint = http://p.test/client/api\nkey = K\nsecret = {SECRET}\n")
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config("prdo")
    text = str(caught.value)
    assert "no region [prdo] in the configuration; did you mean 'prod'?" in text
    assert "regions found: prod" in text and caught.value.missing == ("region",)
    assert SECRET not in text


def test_region_without_any_file(home: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"region \[lab\] asked for, but there is no "
                       r"configuration file \(looked in: .*\.cloudstack\.ini \(not found\)"):
        CloudStackNodeDriver.from_config("lab")


@pytest.mark.parametrize(("line", "message"), [
    ("timeout = soon", "timeout 'soon' in {path} [cloudstack]: not a number"),
    ("timeout = -1", "timeout '-1' in {path} [cloudstack]: must be > 0"),
    ("verify = /no/such/ca.pem", "verify '/no/such/ca.pem' in {path} [cloudstack]: is neither "
     "true/false nor an existing CA bundle file"),
    ("signature_version = 4", "signature_version '4' in {path} [cloudstack]: must be 2 or 3"),
    ("endpiont = http://x/", "unknown key 'endpiont' in {path} [cloudstack]; did you mean "
     "'endpoint'?"),
])
def test_invalid_values_are_named(home: Path, line: str, message: str) -> None:
    path = _ini(home, f"[cloudstack]\nendpoint = http://a.test/client/api\nkey = K\n"
                      f"secret = {SECRET}\n{line}\n")
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config()
    assert str(caught.value) == message.format(path=path)


@pytest.mark.parametrize("text", [
    f"[cloudstack]\nsecret {SECRET}\n",                    # no '=': a parsing error
    f"secret = {SECRET}\n",                                # no section header
    f"[cloudstack]\nsecret = {SECRET}\nsecret = {SECRET}x\n",  # a key twice
])
def test_unreadable_files_never_quote_the_secret(home: Path, text: str) -> None:
    path = _ini(home, text)
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config()
    assert str(path) in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


def test_cs_keys_are_accepted_and_verify_forms(home: Path) -> None:
    bundle = home / "ca.pem"
    bundle.write_text("not checked until a request\n")
    _ini(home, "[cloudstack]\nendpoint = https://a.test/client/api\nkey = K\nsecret = S\n"
               "method = post\ntheme = monokai\nexpiration = 600\nheader_x = y\n"
               f"verify = {bundle}\n\n[cs]\nendpoint = https://a.test/client/api\nkey = K\n"
               "secret = S\ndangerous_no_tls_verify = true\n")
    assert CloudStackNodeDriver.from_config().connection.verify == str(bundle)
    assert CloudStackNodeDriver.from_config("cs").connection.verify is False


def test_a_secret_with_percent_signs_signs_requests(home: Path) -> None:
    with Simulator(secret_key=SECRET) as server:
        write_ini(home, server)
        driver = CloudStackNodeDriver.from_config()
        assert [z.name for z in driver.list_locations()] == ["CH-GV2", "DE-FRA1"]


def test_provider_presets_through_the_same_path(home: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    _ini(home, "[ik]\nprovider = ikoula\nkey = K\nsecret = S\n\n[exo]\nprovider = EXOSCALE\n"
               "key = K\nsecret = S\n\n[kt]\nprovider = ktucloud\nkey = K\nsecret = S\n\n"
               "[typo]\nprovider = ikula\nkey = K\nsecret = S\n")
    driver = CloudStackNodeDriver.from_config("ik")
    assert type(driver) is IkoulaNodeDriver
    assert driver.url == "https://cloudstack.ikoula.com/client/api"
    assert type(IkoulaNodeDriver.from_config("ik")) is IkoulaNodeDriver
    with pytest.warns(ExoscaleAPIClosedWarning):
        assert type(CloudStackNodeDriver.from_config("exo")) is ExoscaleNodeDriver
    with pytest.raises(ConfigurationError, match="names provider 'ikoula' "
                       r"\(IkoulaNodeDriver\), not ExoscaleNodeDriver"):
        ExoscaleNodeDriver.from_config("ik")
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config("kt")
    assert caught.value.missing == ("endpoint",)
    with pytest.raises(ConfigurationError, match="unknown provider 'ikula'; did you mean "
                       "'ikoula'"):
        CloudStackNodeDriver.from_config("typo")
    monkeypatch.setenv("CLOUDSTACK_ENDPOINT", "https://kt.test/client/api")
    assert type(CloudStackNodeDriver.from_config("kt")) is KTUCloudNodeDriver
    monkeypatch.setenv("CLOUDSTACK_PROVIDER", "ikoula")
    monkeypatch.setenv("CLOUDSTACK_KEY", "K")
    monkeypatch.setenv("CLOUDSTACK_SECRET", "S")
    monkeypatch.delenv("CLOUDSTACK_ENDPOINT")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert type(IkoulaNodeDriver.from_env()) is IkoulaNodeDriver


def test_a_constructor_refusal_is_a_configuration_error(home: Path) -> None:
    _ini(home, f"[cloudstack]\nendpoint = ftp://a.test/x\nkey = K\nsecret = {SECRET}\n")
    with pytest.raises(ConfigurationError) as caught:
        CloudStackNodeDriver.from_config()
    assert "ftp://a.test/x" in str(caught.value)
    assert f"configured by: {home / '.cloudstack.ini'} [cloudstack]" in str(caught.value)
    assert SECRET not in str(caught.value)
