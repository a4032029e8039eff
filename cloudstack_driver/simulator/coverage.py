"""``python -m cloudstack_driver.simulator.coverage > docs/simulator-coverage.rst``.

Writes the reStructuredText page listing every command the simulator implements.
"""

from __future__ import annotations

import sys

from . import (
    handlers,  # noqa: F401  (registers every command)
    spec,
)
from .registry import COMMANDS

__all__ = ["render_rst"]


def render_rst() -> str:
    names = sorted(COMMANDS, key=str.lower)
    rows = []
    for name in names:
        command = COMMANDS[name]
        rows.append((name, "yes" if command.is_async else "no",
                     command.list_key or "", command.envelope))
    headers = ("Command", "Async", "List item key", "Response key")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    rule = "  ".join("=" * w for w in widths)

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    total = len(spec.apis())
    out = [
        "Simulator coverage",
        "==================",
        "",
        ".. This page is generated: python -m cloudstack_driver.simulator.coverage",
        "",
        f"The bundled simulator implements {len(names)} of the {total} commands of CloudStack "
        "4.18's ``listApis``.",
        "Any other command is answered with error 432, as a server without it would.",
        "",
        rule,
        line(headers),
        rule,
        *(line(r) for r in rows),
        rule,
        "",
    ]
    return "\n".join(out)


def main() -> int:
    sys.stdout.write(render_rst())
    return 0


if __name__ == "__main__":
    sys.exit(main())
