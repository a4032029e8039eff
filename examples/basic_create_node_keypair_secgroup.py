"""Basic zone example 4: create a node with a key pair and a list of security groups.

Needs CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET in the environment. Optional:
CLOUDSTACK_SIZE_ID and CLOUDSTACK_IMAGE_ID (default: the first size and image listed). The key
pair and the groups are created when missing, so the example also runs on a fresh account.
"""

from __future__ import annotations

import os
from pprint import pprint

from cloudstack_driver import KeyPairDoesNotExistError, Provider, get_driver

# Name of the key pair you want to use
KEYPAIR_NAME = "keypairname"

# The security groups you want this node to be added to
SECURITY_GROUP_NAMES = ["secgroup1", "secgroup2"]

cls = get_driver(Provider.CLOUDSTACK)
driver = cls(key=os.environ["CLOUDSTACK_KEY"], secret=os.environ["CLOUDSTACK_SECRET"],
             url=os.environ["CLOUDSTACK_ENDPOINT"])

sizes = driver.list_sizes()
images = driver.list_images()
SIZE_ID = os.environ.get("CLOUDSTACK_SIZE_ID", sizes[0].id)
IMAGE_ID = os.environ.get("CLOUDSTACK_IMAGE_ID", images[0].id)
size = next(s for s in sizes if s.id == SIZE_ID)
image = next(i for i in images if i.id == IMAGE_ID)

try:
    driver.get_key_pair(KEYPAIR_NAME)
except KeyPairDoesNotExistError:
    driver.create_key_pair(name=KEYPAIR_NAME)
existing = {g.name for g in driver.ex_list_security_groups()}
for group in SECURITY_GROUP_NAMES:
    if group not in existing:
        driver.ex_create_security_group(name=group)

node = driver.create_node(
    name="test-node-1",
    image=image,
    size=size,
    ex_security_groups=SECURITY_GROUP_NAMES,
    ex_keyname=KEYPAIR_NAME,
)
pprint(node)
pprint({"key_name": node.extra["key_name"], "security_group": node.extra["security_group"]})
