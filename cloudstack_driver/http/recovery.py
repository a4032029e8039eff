"""After a lost answer: what the server did, asked of the server (WIRE.md section 5).

A state-changing command whose answer was lost (the connection dropped, the read timed out, the
body came back cut or unreadable, a proxy answered for the server) may have run. It is never
sent again blindly. For an async command the server keeps a job of the caller's account:
:func:`find_jobs` lists the jobs started since a little before the send time
(``listAsyncJobs startdate``), keeps those of the same command class that no answer has already
handed out, and narrows them to the resource the request named (its ``id``, or the ``name`` it
gave the new resource). One job left: the caller waits for it as if the answer had arrived.
Anything else is an :class:`~cloudstack_driver.errors.OutcomeUnknownError` with the candidates.

:func:`never_reached` tells the failures that happened before the server saw anything (a
refused connection, a failed TLS handshake, a name that does not resolve, a connect timeout):
those may be sent again for any command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import requests

__all__ = [
    "JOB_LOOKBACK",
    "NotSent",
    "find_jobs",
    "job_classes",
    "never_reached",
    "safe_params",
]

#: Seconds before the send time the job search starts: the server's clock may lag ours.
JOB_LOOKBACK = 300.0

#: Parameters never copied into an error: passwords, pre-shared keys, private keys, user data.
_SECRET_PARAM = re.compile(r"password|secret|psk|privatekey|userdata|token|sessionkey", re.I)

#: jobinstancetype -> the list command that shows that resource by id (for name matching).
_LISTERS = {
    "VirtualMachine": "listVirtualMachines", "Volume": "listVolumes",
    "Snapshot": "listSnapshots", "Network": "listNetworks", "Vpc": "listVPCs",
    "AffinityGroup": "listAffinityGroups",
}

Call = Callable[[str, Mapping[str, Any]], dict[str, Any]]
ListAll = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]


class NotSent(requests.ConnectionError):
    """A transport's failure before anything was sent (another HTTP client's refused or
    unresolvable connection, as ``requests`` would have reported it)."""


def never_reached(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server: a connect timeout, a refused or
    unresolvable connection, a failed TLS handshake. A reset or a read timeout after the
    request went out is not in this list: the server may have acted."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError,
                        NotSent)):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    seen: set[int] = set()
    link: Any = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        name = type(link).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError"):
            return True
        if isinstance(link, ConnectionRefusedError):
            return True
        nested = getattr(link, "reason", None)
        if nested is None and link.args and isinstance(link.args[0], BaseException):
            nested = link.args[0]
        link = nested if nested is not None else link.__cause__ or link.__context__
    return False


def job_classes(command: str) -> frozenset[str]:
    """The simple names (lower case) the server's command class of ``command`` may have:
    ``CreateVolumeCmd``; CloudStack shortens ``VirtualMachine`` to ``VM`` and ``IpAddress`` to
    ``IPAddr`` in class names (``DeployVMCmd``, ``AssociateIPAddrCmd``)."""
    base = command[:1].upper() + command[1:]
    names = {base, base.replace("VirtualMachine", "VM"), base.replace("IpAddress", "IPAddr"),
             base.replace("VirtualMachine", "VM").replace("IpAddress", "IPAddr")}
    return frozenset(f"{name}Cmd".lower() for name in names)


def safe_params(flat: Mapping[str, str]) -> dict[str, str]:
    """The parameters of a request with secrets replaced (fit for an error or a log)."""
    return {k: ("[redacted]" if _SECRET_PARAM.search(k) else v) for k, v in flat.items()}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


def _class_of(job: Mapping[str, Any]) -> str:
    return str(job.get("cmd") or "").rsplit(".", 1)[-1].lower()


def _named(list_all: ListAll, job: Mapping[str, Any], name: str, project: str | None) -> bool:
    """Whether the resource ``job`` works on carries ``name`` (or that display name)."""
    lister = _LISTERS.get(str(job.get("jobinstancetype") or ""))
    instance = job.get("jobinstanceid")
    if lister is None or instance is None:
        return False
    params = {"id": str(instance), "listall": "true"}
    if project is not None:
        params["projectid"] = project
    rows = list_all(lister, params)
    return any(row.get("name") == name or row.get("displayname") == name for row in rows)


def find_jobs(list_all: ListAll, command: str, flat: Mapping[str, str], sent_at: datetime,
              known: Iterable[str]) -> list[dict[str, Any]]:
    """The jobs that may be the one ``command`` (sent at ``sent_at`` with ``flat``) started.

    Jobs of the same command class created since ``sent_at - JOB_LOOKBACK``, minus the ids
    in ``known`` (jobs whose answers arrived); of those, the ones working on the request's
    ``id`` (or ``virtualmachineid``) when it names one, and the ones whose resource carries
    the request's ``name`` (or ``displayname``) when it gives one. A job of another caller's
    request with the same class is left out as soon as the request says which resource."""
    since = _stamp(sent_at - timedelta(seconds=JOB_LOOKBACK))
    classes = job_classes(command)
    taken = set(known)
    jobs = [job for job in list_all("listAsyncJobs", {"startdate": since})
            if _class_of(job) in classes and str(job.get("jobid")) not in taken]
    target = flat.get("id") or flat.get("virtualmachineid")
    if target is not None:
        jobs = [job for job in jobs if job.get("jobinstanceid") in (None, "")
                or str(job.get("jobinstanceid")) == target]
    name = flat.get("name") or flat.get("displayname")
    if name is not None and jobs:
        jobs = [job for job in jobs if _named(list_all, job, name, flat.get("projectid"))]
    return jobs
