#!/usr/bin/env bash
# Shared settings for the client_status tooling. Sourced, never run.
# Every value can be overridden from the environment (or `make VAR=...`).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CACHE_DIR:-$HOME/.cache/client_status}
ODOO_SRC=${ODOO_SRC:-$CACHE_DIR/odoo-18.0}
ODOO_REPO=${ODOO_REPO:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=${ODOO_BRANCH:-18.0}
PYTHON=${PYTHON:-python3}
PGHOST=${PGHOST:-}
PGPORT=${PGPORT:-5432}
export PIP_CONSTRAINT=$REPO_DIR/tools/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '\033[1m[client_status]\033[0m %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The virtualenv is keyed on everything that decides its content, so a cached
# one is reused only while Odoo's and our requirements are unchanged.
venv_dir() {
    local key
    key=$(cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements-dev.txt" \
              "$REPO_DIR/tools/constraints.txt" | "$PYTHON" -c \
              'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:12])')
    printf '%s\n' "${VENV:-$CACHE_DIR/venv-$key}"
}
