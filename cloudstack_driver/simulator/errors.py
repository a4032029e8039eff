"""CloudStack error answers: ``ApiError`` carries what the server puts in an error body."""

from __future__ import annotations

__all__ = ["CS", "ApiError", "invalid_value", "not_found", "param_error"]


class CS:
    """``cserrorcode`` values: the server-side exception class of an error."""

    CLOUD_RUNTIME = 4250
    INSUFFICIENT_CAPACITY = 4325
    INVALID_PARAMETER = 4350
    NETWORK_RULE_CONFLICT = 4360
    PERMISSION_DENIED = 4365
    RESOURCE_ALLOCATION = 4370
    RESOURCE_IN_USE = 4375
    RESOURCE_UNAVAILABLE = 4380
    UNSUPPORTED_SERVICE = 4390
    SERVER_API = 9999


class ApiError(Exception):
    """An error the simulator answers with: HTTP status = ``errorcode``.

    Raised by handlers; in an async job's work function it becomes the failed job's result.
    """

    def __init__(self, errorcode: int, errortext: str,
                 cserrorcode: int | None = CS.SERVER_API) -> None:
        super().__init__(errortext)
        self.errorcode = errorcode
        self.errortext = errortext
        self.cserrorcode = cserrorcode


def invalid_value(text: str) -> ApiError:
    """431 InvalidParameterValueException."""
    return ApiError(431, text, CS.INVALID_PARAMETER)


def param_error(text: str) -> ApiError:
    """431 as the server's parameter step (ParamProcessWorker) raises it: a
    ``ServerApiException`` without a cause, so ``cserrorcode`` 9999."""
    return ApiError(431, text, CS.SERVER_API)


def not_found(command: str, param: str, value: str) -> ApiError:
    """431 for an id that names nothing, in the real server's wording (``command`` is the
    name the server uses in errors: the lower-cased response name)."""
    return param_error(
        f"Unable to execute API command {command.lower()} due to invalid value. Invalid parameter "
        f"{param} value={value} due to incorrect long value format, or entity does not exist or "
        "due to incorrect parameter annotation for the field in api cmd class.")
