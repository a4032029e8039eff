"""Whatever the driver signs, the simulator's independent verifier accepts (real HTTP)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudstack_driver import InvalidCredsError, Provider, get_driver
from cloudstack_driver.simulator import Simulator

# Any Unicode text the UTF-8 codec can carry (no lone surrogates), weighted towards the
# characters other clients get wrong.
TRICKY = st.sampled_from([*list("~[]*+&=% /?#:;,'\"!$()@\\^`{|}<>"), "é", "日本", "\xa0", "\t"])
VALUES = st.lists(st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)),
                                              max_size=5)),
                  min_size=1, max_size=12).map("".join)
# CloudStack refuses ASCII control characters other than LF and CR in any value (431); the
# driver refuses them first, naming the parameter, and sends nothing.
CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def test_signed_values_are_accepted_by_the_server_get_and_post() -> None:
    with Simulator() as sim:
        driver = get_driver(Provider.CLOUDSTACK)(sim.api_key, sim.secret_key, url=sim.url,
                                                 max_retries=0)

        @settings(max_examples=120, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(value=VALUES, method=st.sampled_from(["GET", "POST"]))
        def check(value: str, method: str) -> None:
            if CONTROL.search(value):
                with pytest.raises(ValueError, match="parameter 'keyword': holds the control"):
                    driver.connection.request("listZones", keyword=value, method=method)
                return
            answer = driver.connection.request("listZones", keyword=value, method=method)
            assert isinstance(answer, dict)

        check()


def test_a_wrong_secret_is_refused_with_the_servers_401() -> None:
    with Simulator() as sim:
        driver = get_driver(Provider.CLOUDSTACK)(sim.api_key, "not-the-secret", url=sim.url,
                                                 max_retries=0)
        with pytest.raises(InvalidCredsError) as info:
            driver.list_locations()
    err = info.value
    assert err.errorcode == 401
    assert err.http_status == 401
    assert err.command == "listZones"
    assert "not-the-secret" not in str(err) and "not-the-secret" not in repr(err)
