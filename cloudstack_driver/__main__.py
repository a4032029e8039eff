"""``python -m cloudstack_driver``: the command line (see :mod:`cloudstack_driver.cli`)."""

from __future__ import annotations

import sys

from cloudstack_driver.cli import main

if __name__ == "__main__":
    sys.exit(main())
