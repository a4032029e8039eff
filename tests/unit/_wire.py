"""What a unit test compares against the wire: a command's own parameters.

``wire(params)`` drops the fields every signed request carries (command, apiKey, response,
signature, signatureVersion, expires) and, unless ``keep_paging=True``, the paging fields the
driver adds to list commands (page, pagesize), so an assertion names only what the method chose
to send.
"""

from __future__ import annotations

SIGNING_KEYS = frozenset({"command", "apiKey", "response", "signature", "signatureVersion",
                          "expires"})
PAGING_KEYS = frozenset({"page", "pagesize"})


def wire(params: dict[str, str], *, keep_paging: bool = False) -> dict[str, str]:
    """``params`` without signing fields, and without paging fields unless ``keep_paging``."""
    dropped = SIGNING_KEYS if keep_paging else SIGNING_KEYS | PAGING_KEYS
    return {k: v for k, v in params.items() if k not in dropped}
