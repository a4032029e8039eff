"""``listApis``: the commands the caller can call, described as the 4.18 server describes them.

The simulator answers with the bundled dump's entry of every command it implements (name,
description, isasync, since, related, params, response), as the API discovery plugin does for
the commands a caller's role allows.
"""

from __future__ import annotations

from typing import Any

from .. import spec
from ..errors import CS, ApiError
from ..registry import COMMANDS, Call, command

__all__ = ["list_apis"]


@command("listApis", list_key="api")
def list_apis(call: Call) -> list[dict[str, Any]]:
    name = call.str("name")
    if name is not None:
        if name not in COMMANDS:  # ListApisCmd: the discovery service found nothing
            raise ApiError(530, "Api Discovery plugin was unable to find an api by that name "
                           "or process any apis", CS.SERVER_API)
        return [spec.api(name)]
    return [entry for entry in spec.apis().values() if entry["name"] in COMMANDS]
