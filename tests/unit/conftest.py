"""Unit fixtures on top of ``tests/conftest.py``'s requests-mock driver.

``driver`` is the mocked driver alone; ``fake_time`` a clock that moves only when slept on.
``refused(error, match=...)`` is a context manager: the block must raise ``error`` (its message
matching ``match``) without sending any request::

    def test_x(driver, refused):
        with refused(TypeError, match="'name'"):
            driver.ex_create_affinity_group(None, "host affinity")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _fakes import FakeTime


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def driver(mock_driver: Any) -> Any:
    return mock_driver[0]


@pytest.fixture
def refused(mock_driver: Any) -> Callable[..., contextlib.AbstractContextManager[Any]]:
    """``with refused(error, match=regex) as info:`` — raises ``error``, sends nothing."""
    mocker = mock_driver[1]

    @contextlib.contextmanager
    def check(error: type[BaseException], match: str | None = None) -> Iterator[Any]:
        with pytest.raises(error, match=match) as info:
            yield info
        assert mocker.call_count == 0, f"{error.__name__} came after a request was sent"

    return check
