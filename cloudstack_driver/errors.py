"""Every exception the library raises, in one tree.

Names and constructor arguments follow Apache Libcloud, so ``except`` clauses written against
libcloud keep working; the CloudStack-specific classes below them add the codes the server sent.

::

    LibcloudError(value, driver=None)
    ├── ProviderError(value, http_code, driver=None)
    │   └── CloudStackError           command, http_status, errorcode, cserrorcode, errortext
    │       ├── InvalidCredsError                  401  bad signature / key / expired / not allowed
    │       ├── ThrottledError                     429  retry_after (seconds)
    │       ├── MalformedParameterError            430
    │       ├── InvalidParameterError              431  invalid or missing parameter, or unknown id
    │       ├── UnsupportedCommandError            432
    │       ├── ServerError                        530
    │       ├── PermissionDeniedError              531
    │       ├── ResourceLimitError                 532
    │       ├── InsufficientCapacityError          533
    │       ├── ResourceUnavailableError           534
    │       ├── ResourceAllocationError            535
    │       ├── ResourceInUseError                 536
    │       ├── NetworkRuleConflictError           537
    │       └── AsyncJobError                      a job ended with jobstatus 2 (failed)
    │           └── AsyncJobCancelledError         a job ended with jobstatus 3 (cancelled)
    ├── CloudStackConnectionError     the HTTP exchange itself failed (refused, reset, timed out)
    │   └── OutcomeUnknownError       the answer was lost after the server may have acted
    ├── AsyncJobTimeoutError          jobid: the job may still finish; wait on it again
    ├── MalformedResponseError(value, body=None, driver=None)
    ├── NotFoundError                 a get_* / ex_get_* lookup found nothing
    │   ├── NodeNotFoundError, VolumeNotFoundError, ImageNotFoundError
    │   └── KeyPairDoesNotExistError (via KeyPairError)
    ├── KeyPairError(value, driver)
    └── DeploymentError(node, original_exception=None, driver=None)

``AsyncJobError`` and its subclass are matched by the job's ``errorcode`` as well: a failed job
whose error code is 536 raises a class that is both an ``AsyncJobError`` and a
``ResourceInUseError``, so callers can catch either. Errors never carry the secret key or the
request signature.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "AsyncJobCancelledError",
    "AsyncJobError",
    "AsyncJobTimeoutError",
    "CloudStackConnectionError",
    "CloudStackError",
    "DeploymentError",
    "DriverClosedError",
    "ImageNotFoundError",
    "InsufficientCapacityError",
    "InvalidCredsError",
    "InvalidParameterError",
    "KeyPairDoesNotExistError",
    "KeyPairError",
    "LibcloudError",
    "MalformedParameterError",
    "MalformedResponseError",
    "NetworkRuleConflictError",
    "NodeNotFoundError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "ProviderError",
    "ResourceAllocationError",
    "ResourceInUseError",
    "ResourceLimitError",
    "ResourceUnavailableError",
    "ServerError",
    "ThrottledError",
    "UnsupportedCommandError",
    "VolumeNotFoundError",
    "error_class_for",
    "job_error_class_for",
]


class LibcloudError(Exception):
    """Base of every error this library raises (libcloud's name, kept for ``except`` clauses)."""

    def __init__(self, value: Any = "", driver: Any = None) -> None:
        super().__init__(value)
        self.value = value
        self.driver = driver

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.value!r}>"


class ProviderError(LibcloudError):
    """The cloud answered with an error status (libcloud's name)."""

    def __init__(self, value: Any = "", http_code: int | None = None, driver: Any = None) -> None:
        super().__init__(value, driver)
        self.http_code = http_code


class CloudStackError(ProviderError):
    """An error body from the CloudStack API, with every code the server sent.

    :ivar command: the CloudStack command that failed (``deployVirtualMachine``)
    :ivar http_status: the HTTP status of the answer (equal to ``errorcode`` on real servers)
    :ivar errorcode: CloudStack's ``errorcode`` (401, 431, 530, ...)
    :ivar cserrorcode: CloudStack's ``cserrorcode`` (the server-side exception class, e.g. 4350)
    :ivar errortext: the server's ``errortext``
    """

    default_text = "CloudStack API error"

    def __init__(
        self,
        errortext: str | None = None,
        *,
        command: str | None = None,
        http_status: int | None = None,
        errorcode: int | None = None,
        cserrorcode: int | None = None,
        driver: Any = None,
    ) -> None:
        text = errortext if errortext else self.default_text
        super().__init__(text, http_code=http_status if http_status is not None else errorcode,
                         driver=driver)
        self.command = command
        self.http_status = http_status
        self.errorcode = errorcode
        self.cserrorcode = cserrorcode
        self.errortext = text

    def __str__(self) -> str:
        where = f"{self.command}: " if self.command else ""
        codes = []
        if self.errorcode is not None:
            codes.append(f"errorcode={self.errorcode}")
        if self.cserrorcode is not None:
            codes.append(f"cserrorcode={self.cserrorcode}")
        suffix = f" ({', '.join(codes)})" if codes else ""
        return f"{where}{self.errortext}{suffix}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} command={self.command!r} errorcode={self.errorcode!r} "
            f"cserrorcode={self.cserrorcode!r} errortext={self.errortext!r}>"
        )


class InvalidCredsError(CloudStackError):
    """401: bad signature, unknown or disabled key, expired ``expires``, command not allowed."""

    default_text = "Invalid credentials with the provider"

    def __init__(self, value: str | None = None, driver: Any = None, **codes: Any) -> None:
        codes.setdefault("errorcode", 401)
        codes.setdefault("http_status", 401)
        super().__init__(value, driver=driver, **codes)


class ThrottledError(CloudStackError):
    """429: API throttling; ``retry_after`` is the wait the server asked for, in seconds."""

    default_text = "API throttled"

    @property
    def retry_after(self) -> float | None:
        match = re.search(r"retry after \[?(\d+)\]?\s*ms", self.errortext or "", re.IGNORECASE)
        return int(match.group(1)) / 1000.0 if match else None


class MalformedParameterError(CloudStackError):
    """430: a parameter the server could not parse."""


class InvalidParameterError(CloudStackError):
    """431: an invalid or missing parameter, or an id naming nothing that exists."""


class UnsupportedCommandError(CloudStackError):
    """432: the server does not know the command (or not for this role)."""


class ServerError(CloudStackError):
    """530: internal error on the management server."""


class PermissionDeniedError(CloudStackError):
    """531: account error, permission denied."""


class ResourceLimitError(CloudStackError):
    """532: an account resource limit was reached."""


class InsufficientCapacityError(CloudStackError):
    """533: the cloud has no capacity for the request."""


class ResourceUnavailableError(CloudStackError):
    """534: a resource is unavailable (also: the management server is shutting down)."""


class ResourceAllocationError(CloudStackError):
    """535: a resource could not be allocated."""


class ResourceInUseError(CloudStackError):
    """536: the resource is in use."""


class NetworkRuleConflictError(CloudStackError):
    """537: a network rule conflicts with an existing one."""


class AsyncJobError(CloudStackError):
    """An async job ended with ``jobstatus`` 2 (failed).

    :ivar jobid: the job's id
    :ivar jobstatus: 2 (failed) or 3 (cancelled)
    :ivar jobresult: the raw ``jobresult`` the server reported
    :ivar entity_id: the id the starting command answered at once (the VM, volume ... the job
        worked on; it may exist, in whatever state the failure left it), or None
    """

    default_text = "async job failed"

    def __init__(
        self,
        errortext: str | None = None,
        *,
        jobid: str | None = None,
        jobstatus: int | None = None,
        jobresult: Any = None,
        **codes: Any,
    ) -> None:
        super().__init__(errortext, **codes)
        self.jobid = jobid
        self.jobstatus = jobstatus
        self.jobresult = jobresult
        self.entity_id: str | None = None

    def __str__(self) -> str:
        return f"{super().__str__()} [jobid={self.jobid}]"


class AsyncJobCancelledError(AsyncJobError):
    """An async job ended with ``jobstatus`` 3 (cancelled)."""

    default_text = "async job cancelled"


class CloudStackConnectionError(LibcloudError):
    """The HTTP exchange failed before any CloudStack answer arrived.

    :ivar command: the command being sent
    :ivar original: the underlying ``requests`` exception
    """

    def __init__(self, value: str, *, command: str | None = None,
                 original: BaseException | None = None, driver: Any = None) -> None:
        super().__init__(value, driver)
        self.command = command
        self.original = original


class OutcomeUnknownError(CloudStackConnectionError):
    """A state-changing command's answer was lost (connection dropped, read timed out, body
    cut or unreadable, a proxy's page) and the server could not say unambiguously what it did.
    It was not sent again. Check the cloud (or wait on a candidate job) before retrying.

    :ivar command: the command sent
    :ivar params: its parameters, secrets replaced by ``[redacted]``
    :ivar sent_at: when it was sent (an aware UTC ``datetime``)
    :ivar candidate_jobids: ids of jobs the server started that may be this request's (empty
        when none was found, or for a synchronous command)
    :ivar original: the underlying exception
    """

    def __init__(self, value: str, *, command: str | None = None,
                 params: dict[str, str] | None = None, sent_at: Any = None,
                 candidate_jobids: list[str] | None = None,
                 original: BaseException | None = None, driver: Any = None) -> None:
        super().__init__(value, command=command, original=original, driver=driver)
        self.params = dict(params or {})
        self.sent_at = sent_at
        self.candidate_jobids = list(candidate_jobids or [])


class AsyncJobTimeoutError(LibcloudError):
    """The wait for a job ran out. The job may still finish: wait on ``jobid`` again.

    :ivar jobid: the job's id
    :ivar command: the command that started it, when known
    :ivar timeout: the wait that ran out, in seconds
    :ivar entity_id: the id a create command answered at once (the VM, volume, ... being
        made), when known: what to clean up if you give up on the job
    """

    def __init__(self, jobid: str, *, timeout: float | None = None, command: str | None = None,
                 entity_id: str | None = None, driver: Any = None) -> None:
        where = f" ({command})" if command else ""
        made = f"; it is making {entity_id}" if entity_id else ""
        super().__init__(f"job {jobid}{where} not finished after {timeout} seconds{made}",
                         driver)
        self.jobid = jobid
        self.timeout = timeout
        self.command = command
        self.entity_id = entity_id


class DriverClosedError(AsyncJobTimeoutError):
    """The asyncio driver was closed (``aclose()``) while this job was waited for. The job
    goes on on the server: wait on ``jobid`` again (with another driver) to learn its end.
    An ``AsyncJobTimeoutError``: the wait ended before the job did."""

    def __init__(self, jobid: str, *, timeout: float | None = None, command: str | None = None,
                 entity_id: str | None = None, driver: Any = None) -> None:
        super().__init__(jobid, timeout=timeout, command=command, entity_id=entity_id,
                         driver=driver)
        where = f" ({command})" if command else ""
        made = f"; it is making {entity_id}" if entity_id else ""
        self.value = (f"the driver was closed while waiting for job {jobid}{where}, which "
                      f"goes on on the server{made}")
        self.args = (self.value,)


class MalformedResponseError(LibcloudError):
    """The answer was not the JSON envelope CloudStack sends (libcloud's name)."""

    def __init__(self, value: Any = "", body: Any = None, driver: Any = None) -> None:
        super().__init__(value, driver)
        self.body = body


class NotFoundError(LibcloudError):
    """A lookup by id or name found nothing."""


class NodeNotFoundError(NotFoundError):
    """``ex_get_node`` found no virtual machine with that id."""


class VolumeNotFoundError(NotFoundError):
    """``ex_get_volume`` found no volume with that id."""


class ImageNotFoundError(NotFoundError):
    """``get_image`` found no template with that id."""


class KeyPairError(LibcloudError):
    """Base of key-pair errors (libcloud's name)."""

    def __init__(self, name: str, driver: Any = None) -> None:
        super().__init__(name, driver)
        self.name = name

    def __str__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class KeyPairDoesNotExistError(KeyPairError, NotFoundError):
    """``get_key_pair`` found no key pair of that name."""

    def __init__(self, name: str, driver: Any = None) -> None:
        KeyPairError.__init__(self, name, driver)


class DeploymentError(LibcloudError):
    """``deploy_node`` created the node but could not deploy to it.

    :ivar node: the node that was created (destroy it or retry the deployment)
    :ivar original_error: what went wrong
    """

    def __init__(self, node: Any, original_exception: BaseException | None = None,
                 driver: Any = None) -> None:
        super().__init__(str(original_exception) if original_exception else "deployment failed",
                         driver)
        self.node = node
        self.original_error = original_exception

    def __str__(self) -> str:
        return f"<DeploymentError: node={getattr(self.node, 'id', self.node)}, error={self.value}>"


_BY_CODE: dict[int, type[CloudStackError]] = {
    401: InvalidCredsError,
    429: ThrottledError,
    430: MalformedParameterError,
    431: InvalidParameterError,
    432: UnsupportedCommandError,
    530: ServerError,
    531: PermissionDeniedError,
    532: ResourceLimitError,
    533: InsufficientCapacityError,
    534: ResourceUnavailableError,
    535: ResourceAllocationError,
    536: ResourceInUseError,
    537: NetworkRuleConflictError,
}


def error_class_for(errorcode: int | None) -> type[CloudStackError]:
    """The exception class for a CloudStack ``errorcode`` (``CloudStackError`` when unknown)."""
    if errorcode is None:
        return CloudStackError
    return _BY_CODE.get(errorcode, CloudStackError)


_JOB_CLASSES: dict[tuple[int | None, bool], type[AsyncJobError]] = {}


def job_error_class_for(errorcode: int | None, cancelled: bool = False) -> type[AsyncJobError]:
    """The class for a failed (or cancelled) job: an ``AsyncJobError`` that is also the
    error class of its ``errorcode``, so ``except ResourceInUseError`` catches a job that
    failed with 536."""
    base: type[AsyncJobError] = AsyncJobCancelledError if cancelled else AsyncJobError
    coded = _BY_CODE.get(errorcode) if errorcode is not None else None
    if coded is None or coded is InvalidCredsError:
        return base
    key = (errorcode, cancelled)
    cls = _JOB_CLASSES.get(key)
    if cls is None:
        cls = type(f"{base.__name__}{coded.__name__}", (base, coded), {"__module__": __name__})
        _JOB_CLASSES[key] = cls
    return cls
