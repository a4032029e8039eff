#!/usr/bin/env bash
# Set up and run every check: lint, types, the whole test suite, the docs build.
# Works on a fresh clone of a fresh machine (installs what it needs) and exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}

# deploy_node is tested against a real OpenSSH server on loopback.
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing openssh-server (for the deploy_node SSH tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
  else
    echo "warning: no sshd and no root apt-get; the SSH tests will fail" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing cloudstack-driver[test,docs] into .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,docs]"

echo "== ruff"
.venv/bin/ruff check cloudstack_driver tests examples tools
echo "== mypy --strict (package)"
.venv/bin/mypy
echo "== docs (warnings are errors)"
.venv/bin/sphinx-build -q -W --keep-going -b html docs docs/_build/html
echo "== pytest"
.venv/bin/python -m pytest -q
