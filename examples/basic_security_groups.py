"""Basic zone example 3: security groups - list, create, authorize ingress, delete.

Needs CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET in the environment. Groups are
typed objects that are also dicts, so ``sg["name"]`` works as it did with libcloud.
"""

from __future__ import annotations

import os
from pprint import pprint

from cloudstack_driver import Provider, get_driver

cls = get_driver(Provider.CLOUDSTACK)
driver = cls(os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"],
             url=os.environ["CLOUDSTACK_ENDPOINT"])

# List all security groups
sg = driver.ex_list_security_groups()
pprint(sg)

# Create a new security group.
security_group = driver.ex_create_security_group(name="test-security-group")
pprint(security_group)

# Authorize an ingress rule on a security group
# If `startport` is used alone, this will be the only port open
# If `endport` is also used then the entire range will be authorized
sg = driver.ex_authorize_security_group_ingress(
    securitygroupname="test-security-group",
    protocol="tcp",
    startport="22",
    cidrlist="0.0.0.0/0",
)
pprint(sg)

# Delete the security group we have created
status = driver.ex_delete_security_group(name="test-security-group")
pprint(status)
