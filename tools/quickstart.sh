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
# pip's build chatter goes to a log, shown only when the install fails.
LOG=.venv/quickstart-install.log
echo "== installing cloudstack-driver[simulator] into .venv (log: $LOG)"
if ! { .venv/bin/python -m pip install -q --upgrade pip &&
       .venv/bin/python -m pip install -q -e ".[simulator]"; } >"$LOG" 2>&1; then
  cat "$LOG" >&2
  echo "quickstart: installing failed (above)" >&2
  exit 1
fi
exec .venv/bin/python examples/quickstart.py
