"""The error-code table of cloudstack_driver.errors and the job error classes."""

from __future__ import annotations

import pytest

from cloudstack_driver import errors

TABLE = [
    (401, errors.InvalidCredsError),
    (429, errors.ThrottledError),
    (430, errors.MalformedParameterError),
    (431, errors.InvalidParameterError),
    (432, errors.UnsupportedCommandError),
    (530, errors.ServerError),
    (531, errors.PermissionDeniedError),
    (532, errors.ResourceLimitError),
    (533, errors.InsufficientCapacityError),
    (534, errors.ResourceUnavailableError),
    (535, errors.ResourceAllocationError),
    (536, errors.ResourceInUseError),
    (537, errors.NetworkRuleConflictError),
]


@pytest.mark.parametrize(("code", "cls"), TABLE)
def test_each_code_has_its_class(code: int, cls: type[errors.CloudStackError]) -> None:
    assert errors.error_class_for(code) is cls
    assert issubclass(cls, errors.CloudStackError)
    assert issubclass(cls, errors.ProviderError)


@pytest.mark.parametrize("code", [None, 200, 500, 999])
def test_unknown_codes_are_plain_cloudstack_errors(code: int | None) -> None:
    assert errors.error_class_for(code) is errors.CloudStackError


@pytest.mark.parametrize(("code", "cls"), TABLE)
def test_fields_and_text(code: int, cls: type[errors.CloudStackError]) -> None:
    err = cls("went wrong", command="deployVirtualMachine", http_status=code, errorcode=code,
              cserrorcode=4350)
    assert (err.command, err.http_status, err.errorcode, err.cserrorcode) == (
        "deployVirtualMachine", code, code, 4350)
    assert err.errortext == "went wrong"
    assert err.http_code == code
    assert str(err) == f"deployVirtualMachine: went wrong (errorcode={code}, cserrorcode=4350)"


def test_invalid_creds_defaults_to_401_and_libcloud_text() -> None:
    err = errors.InvalidCredsError()
    assert err.errorcode == 401 and err.http_code == 401
    assert err.value == "Invalid credentials with the provider"


def test_throttled_error_reads_retry_after() -> None:
    err = errors.ThrottledError("The given command 'listZones' has reached its limit, "
                                "please retry after [1500] ms.", errorcode=429)
    assert err.retry_after == 1.5
    assert errors.ThrottledError("slow down").retry_after is None


@pytest.mark.parametrize(("code", "cls"), [row for row in TABLE if row[0] != 401])
def test_job_error_class_is_both_kinds(code: int, cls: type[errors.CloudStackError]) -> None:
    failed = errors.job_error_class_for(code)
    cancelled = errors.job_error_class_for(code, cancelled=True)
    assert issubclass(failed, errors.AsyncJobError) and issubclass(failed, cls)
    assert not issubclass(failed, errors.AsyncJobCancelledError)
    assert issubclass(cancelled, errors.AsyncJobCancelledError) and issubclass(cancelled, cls)
    assert errors.job_error_class_for(code) is failed  # cached, one class per code


def test_job_error_without_known_code_is_plain() -> None:
    assert errors.job_error_class_for(None) is errors.AsyncJobError
    assert errors.job_error_class_for(401) is errors.AsyncJobError
    assert errors.job_error_class_for(None, cancelled=True) is errors.AsyncJobCancelledError


def test_job_error_carries_the_job() -> None:
    cls = errors.job_error_class_for(536)
    err = cls("volume busy", jobid="j-1", jobstatus=2, jobresult={"errorcode": 536},
              errorcode=536, command="deleteVolume")
    assert (err.jobid, err.jobstatus, err.errorcode) == ("j-1", 2, 536)
    assert "jobid=j-1" in str(err)
    assert isinstance(err, errors.ResourceInUseError)


def test_timeout_error_names_the_job() -> None:
    err = errors.AsyncJobTimeoutError("j-9", timeout=5.0, command="deployVirtualMachine")
    assert err.jobid == "j-9"
    assert "j-9" in str(err) and "deployVirtualMachine" in str(err)
    assert isinstance(err, errors.LibcloudError)
    assert not isinstance(err, errors.CloudStackError)
