"""Test doubles shared by unit modules (no real time passes in unit tests)."""

from __future__ import annotations


class FakeTime:
    """A monotonic clock that moves only when code under test sleeps; records each sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
