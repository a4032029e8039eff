"""A driver from ``~/.cloudstack.ini``, and commands that have no driver method yet.

``from_config()`` reads the section named by ``region`` (default: ``$CLOUDSTACK_REGION``, else
``[cloudstack]``); ``CLOUDSTACK_*`` variables win over the file. ``driver.api.<command>``
checks each call against the server's ``listApis`` before sending it.
"""

from __future__ import annotations

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.discovery import MissingParameterError, UnknownCommandError


def main() -> None:
    driver = CloudStackNodeDriver.from_config()
    for zone in driver.api.listZones():              # every row, all pages
        print(zone["name"], zone["networktype"])
    try:
        driver.api.listZone()
    except UnknownCommandError as exc:
        print(exc)
    try:
        driver.api.createNetwork(name="web")         # nothing is sent
    except MissingParameterError as exc:
        print(exc)
    print(driver.api.listZones.__doc__.splitlines()[0])


if __name__ == "__main__":
    main()
