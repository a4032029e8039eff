"""Basic zone example 5: deploy a node with a key pair and run a script on it over SSH.

Needs CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET in the environment, a key pair
named ``test-keypair`` in the cloud whose private key is ~/.ssh/id_rsa_test, paramiko
(``pip install 'cloudstack-driver[ssh]'``) and a security group letting SSH in. Optional:
CLOUDSTACK_SSH_PORT (default 22) and CLOUDSTACK_SSH_USER (default root).
"""

from __future__ import annotations

import os
from pprint import pprint

from cloudstack_driver import Provider, get_driver

# Import the deployment specific classes
from cloudstack_driver.deployment import MultiStepDeployment, ScriptDeployment

cls = get_driver(Provider.CLOUDSTACK)
driver = cls(os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"],
             url=os.environ["CLOUDSTACK_ENDPOINT"])

image = driver.list_images()[0]
size = driver.list_sizes()[0]

# Define the scripts that you want to run during deployment
script = ScriptDeployment("/bin/date")
msd = MultiStepDeployment([script])

node = driver.deploy_node(
    name="test",
    image=image,
    size=size,
    ssh_key="~/.ssh/id_rsa_test",
    ex_keyname="test-keypair",
    deploy=msd,
    ssh_port=int(os.environ.get("CLOUDSTACK_SSH_PORT", "22")),
    ssh_username=os.environ.get("CLOUDSTACK_SSH_USER", "root"),
)

# The stdout of the deployment can be checked on the `script` object
pprint(script.stdout)
