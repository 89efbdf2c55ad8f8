#!/usr/bin/env bash
# `make bench`: the benchmarks of bench/, on a database of their own (the
# addon without demo data); they print tables and change nothing (rolled back).
# BENCH_PARTNERS sets the size (100000 by default).
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
log "post-init hook on ${BENCH_PARTNERS:-100000} contacts ($(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, PostgreSQL $(psql -tAc 'SHOW server_version'))"
"$PY" "$REPO_DIR/bench/bench_post_init_hook.py" --database "$BENCH_DB" \
    --addons-path "$ODOO_SRC/addons" --partners "${BENCH_PARTNERS:-100000}"
log "rule engine on ${BENCH_PARTNERS:-100000} clients and twice as many leads"
"$PY" "$REPO_DIR/bench/bench_rules.py" --database "$BENCH_DB" \
    --addons-path "$ODOO_SRC/addons" --partners "${BENCH_PARTNERS:-100000}"
log "import of docs/sample_clients.csv"
"$PY" "$REPO_DIR/bench/bench_import.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
log "analytics over 1,000,000 history rows"
"$PY" "$REPO_DIR/bench/bench_analytics.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
log "the Clients by Status board with 4,000 clients, in headless Chromium (Playwright on Debian's chromium)"
"$PY" -c "import playwright" 2>/dev/null || "$(venv_dir)/bin/pip" install -q playwright
"$PY" "$REPO_DIR/bench/bench_board.py" --database "$BENCH_DB" --addons-path "$ODOO_SRC/addons"
