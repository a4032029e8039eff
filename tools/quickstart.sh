#!/usr/bin/env bash
# Install the library with its simulator and walk the seed's interactive session against a
# CloudStack simulator started on loopback (or against your cloud when CLOUDSTACK_ENDPOINT,
# CLOUDSTACK_KEY and CLOUDSTACK_SECRET are set).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[simulator]"
exec .venv/bin/python examples/quickstart.py
