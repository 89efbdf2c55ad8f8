#!/usr/bin/env bash
# `make demo`: set everything up, create the demo database (client_status and
# demo data) when it does not exist yet, then serve Odoo on localhost.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"

DEMO_DB=${DEMO_DB:-client_status_demo}
HTTP_PORT=${HTTP_PORT:-8069}

"$REPO_DIR/tools/setup_env.sh"
ensure_postgres
PY=$(venv_dir)/bin/python
odoo_args=(--database "$DEMO_DB" --db-filter "^$DEMO_DB\$" --addons-path "$ODOO_SRC/addons")

if psql -d "$DEMO_DB" -tAc "SELECT 1 FROM ir_module_module WHERE name = 'client_status' AND state = 'installed'" 2>/dev/null | grep -q 1; then
    log "updating client_status in the existing database $DEMO_DB"
    "$PY" "$ODOO_SRC/odoo-bin" "${odoo_args[@]}" -u client_status --stop-after-init --log-level warn
else
    log "creating the database $DEMO_DB with client_status and demo data"
    dropdb --if-exists "$DEMO_DB"
    "$PY" "$ODOO_SRC/odoo-bin" "${odoo_args[@]}" -i client_status --stop-after-init --log-level warn
fi
log "Odoo serves $DEMO_DB on http://localhost:$HTTP_PORT (login admin, password admin); Ctrl+C stops it"
exec "$PY" "$ODOO_SRC/odoo-bin" "${odoo_args[@]}" --http-port "$HTTP_PORT" --http-interface 127.0.0.1
