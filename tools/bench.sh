#!/usr/bin/env bash
# `make bench`: the benchmarks of bench/, on a database of their own (the
# addon without demo data); they print tables and change nothing (rolled back).
# BENCH_PARTNERS sets the size (100000 by default). The overhead on crm's own
# operations compares two more databases, with demo data: crm only, and crm
# with the addon (BENCH_CRM_DB, BENCH_ADDON_DB).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"

BENCH_DB=${BENCH_DB:-client_status_bench}
"$REPO_DIR/tools/setup_env.sh"
ensure_postgres
PY=$(venv_dir)/bin/python
if ! psql -d "$BENCH_DB" -tAc "SELECT 1 FROM ir_module_module WHERE name = 'client_status' AND state = 'installed'" 2>/dev/null | grep -q 1; then
    log "creating the benchmark database $BENCH_DB"
    dropdb --if-exists "$BENCH_DB"
    "$PY" "$ODOO_SRC/odoo-bin" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons" \
        -i client_status --without-demo=all --stop-after-init --log-level warn
else
    "$PY" "$ODOO_SRC/odoo-bin" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons" \
        -u client_status --stop-after-init --log-level warn
fi
log "install on a crm database of ${BENCH_PARTNERS:-100000} clients and twice as many leads ($(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, PostgreSQL $(psql -tAc 'SHOW server_version'))"
# a copy of a template kept for the next time (made on the first run)
"$PY" "$REPO_DIR/bench/bench_install.py" --database "${BENCH_DB}_install" \
    --addons-path "$ODOO_SRC/addons" --partners "${BENCH_PARTNERS:-100000}" --keep 2
log "rule engine on ${BENCH_PARTNERS:-100000} clients and twice as many leads"
"$PY" "$REPO_DIR/bench/bench_rules.py" --database "$BENCH_DB" \
    --addons-path "$ODOO_SRC/addons" --partners "${BENCH_PARTNERS:-100000}"
log "preview, apply, archive and preset as jobs on ${BENCH_PARTNERS:-100000} clients"
"$PY" "$REPO_DIR/bench/bench_jobs.py" --database "$BENCH_DB" \
    --addons-path "$ODOO_SRC/addons" --partners "${BENCH_PARTNERS:-100000}" \
    --max-batches "${BENCH_JOB_BATCHES:-0}"
log "import of docs/sample_clients.csv"
"$PY" "$REPO_DIR/bench/bench_import.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
log "analytics over 1,000,000 history rows"
"$PY" "$REPO_DIR/bench/bench_analytics.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
# ensure_demo_db DB MODULES [UPDATE]: DB with MODULES (comma-separated, the
# last one checked) installed with their demo data (Odoo 18 loads it unless
# --without-demo), created afresh when it has not; UPDATE updated otherwise.
ensure_demo_db() {
    local db=$1 modules=$2 update=${3:-}
    if psql -d "$db" -tAc "SELECT 1 FROM ir_module_module WHERE name = '${modules##*,}' AND state = 'installed' AND demo" 2>/dev/null | grep -q 1; then
        [ -z "$update" ] || "$PY" "$ODOO_SRC/odoo-bin" --database "$db" --addons-path "$ODOO_SRC/addons" \
            -u "$update" --stop-after-init --log-level warn
    else
        log "creating the benchmark database $db ($modules, demo data)"
        dropdb --if-exists "$db"
        "$PY" "$ODOO_SRC/odoo-bin" --database "$db" --addons-path "$ODOO_SRC/addons" \
            -i "$modules" --stop-after-init --log-level warn
    fi
}
BENCH_CRM_DB=${BENCH_CRM_DB:-client_status_bench_crm}
BENCH_ADDON_DB=${BENCH_ADDON_DB:-client_status_bench_addon}
ensure_demo_db "$BENCH_CRM_DB" crm
ensure_demo_db "$BENCH_ADDON_DB" crm,client_status client_status
log "what the addon costs crm's own operations ($BENCH_CRM_DB: crm only, $BENCH_ADDON_DB: with client_status)"
"$PY" "$REPO_DIR/bench/bench_crm_overhead.py" --database-crm "$BENCH_CRM_DB" \
    --database-addon "$BENCH_ADDON_DB" --addons-path "$ODOO_SRC/addons"
log "the Clients by Status board with 4,000 clients, in headless Chromium (Playwright on Debian's chromium)"
"$PY" -c "import playwright" 2>/dev/null || "$(venv_dir)/bin/python" -m pip install -q playwright
"$PY" "$REPO_DIR/bench/bench_board.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
