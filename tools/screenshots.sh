#!/usr/bin/env bash
# `make screenshots`: the README's screenshots (docs/screenshots/*.png), taken
# in headless Chromium on a fresh database with the demo data.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"

SHOTS_DB=${SHOTS_DB:-client_status_screenshots}
"$REPO_DIR/tools/setup_env.sh"
ensure_postgres
PY=$(venv_dir)/bin/python
dropdb --if-exists "$SHOTS_DB"
log "screenshots of the demo data into docs/screenshots"
CLIENT_STATUS_SCREENSHOTS="$REPO_DIR/docs/screenshots" "$PY" "$ODOO_SRC/odoo-bin" \
    --database "$SHOTS_DB" --addons-path "$ODOO_SRC/addons" --http-port "${SHOTS_HTTP_PORT:-8179}" \
    --max-cron-threads 0 --stop-after-init -i client_status,client_status_sale \
    --test-enable --test-tags client_status_screenshots --log-level warn
ls "$REPO_DIR"/docs/screenshots/*.png
