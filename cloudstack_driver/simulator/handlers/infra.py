"""Zones, templates, offerings, OS types, capabilities and async jobs."""

from __future__ import annotations

from typing import Any

from .. import render
from ..errors import invalid_value
from ..registry import Call, command
from ..state import Job, Record
from ._common import filter_common, narrow

__all__ = ["INSTANCE_TYPES", "job_view"]

# table kind -> the jobinstancetype the server reports
INSTANCE_TYPES = {
    "virtualmachine": "VirtualMachine", "volume": "Volume", "snapshot": "Snapshot",
    "template": "Template", "securitygroup": "SecurityGroup", "network": "Network",
    "publicipaddress": "IpAddress", "portforwardingrule": "FirewallRule",
    "ipforwardingrule": "FirewallRule", "firewallrule": "FirewallRule",
    "egressfirewallrule": "FirewallRule", "vpc": "Vpc", "router": "DomainRouter",
    "networkacllist": "NetworkAclList", "networkacl": "NetworkAcl",
    "affinitygroup": "AffinityGroup", "project": "Project", "vpngateway": "Site2SiteVpnGateway",
    "vpncustomergateway": "Site2SiteCustomerGateway", "vpnconnection": "Site2SiteVpnConnection",
}
_TEMPLATE_FILTERS = {"featured", "self", "selfexecutable", "sharedexecutable", "executable",
                     "community", "all", "shared"}


@command("listZones", list_key="zone")
def list_zones(call: Call) -> list[Record]:
    zones = filter_common(call, call.cloud.all("zone"), scoped=False)
    return narrow(call, zones, "networktype", nocase=True)


@command("listTemplates", list_key="template")
def list_templates(call: Call) -> list[Record]:
    flt = call.require("templatefilter")
    if flt not in _TEMPLATE_FILTERS:
        raise invalid_value(f"Unable to execute API command listtemplates due to invalid value "
                            f"{flt} for parameter templatefilter")
    records = call.cloud.all("template")
    if flt in ("self", "selfexecutable"):
        owner = call.cloud.account.get("name")
        records = [t for t in records if t.get("account") == owner]
    return filter_common(call, records, scoped=False)


@command("listServiceOfferings", list_key="serviceoffering")
def list_service_offerings(call: Call) -> list[Record]:
    return filter_common(call, call.cloud.all("serviceoffering"), scoped=False)


@command("listDiskOfferings", list_key="diskoffering")
def list_disk_offerings(call: Call) -> list[Record]:
    return filter_common(call, call.cloud.all("diskoffering"), scoped=False)


@command("listOsTypes", list_key="ostype")
def list_os_types(call: Call) -> list[Record]:
    return narrow(call, filter_common(call, call.cloud.all("ostype"), scoped=False),
                  "description")


@command("listCapabilities")
def list_capabilities(call: Call) -> dict[str, Any]:
    return {"capability": {
        "cloudstackversion": "4.18.0.0-simulator", "securitygroupsenabled": True,
        "userpublictemplateenabled": True, "supportELB": "false", "projectinviterequired": False,
        "allowusercreateprojects": True, "customdiskofferingminsize": 1,
        "customdiskofferingmaxsize": 1024, "kvmsnapshotenabled": False,
        "allowuserviewdestroyedvm": True, "allowuserexpungerecovervm": True,
        "allowuserexpungerecovervolume": True, "allowuserviewalldomainaccounts": False,
        "apilimitinterval": 1, "apilimitmax": 25, "defaultuipagesize": call.cloud.page_size,
        "dynamicrolesenabled": True, "kubernetesserviceenabled": False,
        "kubernetesclusterexperimentalfeaturesenabled": False,
        "regionsecondaryenabled": False}}


def _command_of(job: Job) -> str:
    name = job.cmd.rsplit(".", 1)[-1]
    return name[:-3] if name.endswith("Cmd") else name


def job_view(job: Job) -> Record:
    """A job as ``queryAsyncJobResult`` and ``listAsyncJobs`` show it (WIRE.md section 6)."""
    view: Record = {
        "accountid": job.account.get("id"), "userid": job.account.get("_userid"),
        "cmd": job.cmd, "created": job.created, "jobid": job.id, "jobstatus": job.status,
        "jobprocstatus": 0, "jobresultcode": job.resultcode,
        "jobinstancetype": INSTANCE_TYPES.get(job.instance_type or "", job.instance_type),
        "jobinstanceid": job.instance_id}
    if job.status != 0:
        result = render.clean(job.result or {})
        view.update(jobresulttype="object", jobresult=result, completed=job.completed)
        if job.status == 1:
            render.emit(_command_of(job), result)
    return view


@command("queryAsyncJobResult")
def query_async_job_result(call: Call) -> Record:
    return job_view(call.cloud.jobs.get(call.require("jobid"), call.command))


@command("listAsyncJobs", list_key="asyncjobs")
def list_async_jobs(call: Call) -> list[Record]:
    jobs = list(call.cloud.jobs.jobs.values())
    start = call.str("startdate")
    if start is not None:
        stamp = start.replace(" ", "T")
        jobs = [j for j in jobs if j.created >= stamp[:19]]
    return [job_view(j) for j in jobs]
