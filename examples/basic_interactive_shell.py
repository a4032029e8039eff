"""Basic zone example 1: an interactive shell with a driver ready to explore.

Reads the endpoint and keys from the environment::

    export CLOUDSTACK_ENDPOINT=https://cloud.example.com/client/api
    export CLOUDSTACK_KEY=...  CLOUDSTACK_SECRET=...
    python examples/basic_interactive_shell.py

Starts IPython when it is installed (tab completion, history), else Python's own console.
``conn`` (also ``driver``) is the driver: try ``conn.list_images()``, ``conn.list_sizes()``.
"""

from __future__ import annotations

import os
from typing import Any

from cloudstack_driver import Provider, get_driver

BANNER = "Hello from the cloudstack_driver shell! 'conn' is your driver."


def make_driver() -> Any:
    """The driver for the cloud named by CLOUDSTACK_ENDPOINT / _KEY / _SECRET."""
    cls = get_driver(Provider.CLOUDSTACK)
    return cls(key=os.environ["CLOUDSTACK_KEY"], secret=os.environ["CLOUDSTACK_SECRET"],
               url=os.environ["CLOUDSTACK_ENDPOINT"])


def shell_namespace() -> dict[str, Any]:
    """What the shell starts with: the driver and the names scripts usually import."""
    conn = make_driver()
    return {"conn": conn, "driver": conn, "Provider": Provider, "get_driver": get_driver}


def main() -> None:
    namespace = shell_namespace()
    try:
        from IPython.terminal.embed import InteractiveShellEmbed
    except ImportError:
        import code

        code.interact(banner=BANNER, local=namespace)
    else:
        shell: Any = InteractiveShellEmbed
        shell(banner1=BANNER, user_ns=namespace)()


if __name__ == "__main__":
    main()
