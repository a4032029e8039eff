"""Basic zone example 2: SSH key pairs - create, import from a file, get, delete.

Needs CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET in the environment and a public
key in ~/.ssh/id_rsa_test.pub.
"""

from __future__ import annotations

import os
from pprint import pprint

from cloudstack_driver import Provider, get_driver

cls = get_driver(Provider.CLOUDSTACK)
driver = cls(os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"],
             url=os.environ["CLOUDSTACK_ENDPOINT"])

# Create a new key pair. The generated private key is returned once, in
# key_pair.private_key: save it, the cloud keeps no copy.
key_pair = driver.create_key_pair(name="test-key-pair-1")
pprint(key_pair)

# Import an existing public key from a file. If you have the public key as a
# string, use import_key_pair_from_string instead.
key_file_path = os.path.expanduser("~/.ssh/id_rsa_test.pub")
key_pair = driver.import_key_pair_from_file(name="test-key-pair-2", key_file_path=key_file_path)
pprint(key_pair)

# Retrieve information about the key pair created first
key_pair = driver.get_key_pair(name="test-key-pair-1")
pprint(key_pair)

# Delete a key pair we have created
status = driver.delete_key_pair(key_pair=key_pair)
pprint(status)
