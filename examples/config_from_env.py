"""Connect with the settings ``cs`` users already export: CLOUDSTACK_ENDPOINT, _KEY, _SECRET.

::

    export CLOUDSTACK_ENDPOINT=https://cloud.example.com/client/api
    export CLOUDSTACK_KEY=YOUR_API_KEY CLOUDSTACK_SECRET=YOUR_SECRET_KEY
    python examples/config_from_env.py
"""

from __future__ import annotations

from cloudstack_driver import CloudStackNodeDriver
from cloudstack_driver.config import ConfigurationError


def main() -> None:
    try:
        driver = CloudStackNodeDriver.from_env(job_timeout=1200)  # keywords win over the env
    except ConfigurationError as exc:
        raise SystemExit(f"not configured: {exc}") from None
    print(driver)
    for location in driver.list_locations():
        print(location.id, location.name)


if __name__ == "__main__":
    main()
