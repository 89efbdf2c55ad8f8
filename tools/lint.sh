#!/usr/bin/env bash
# `make lint`: ruff (lint and format), pylint-odoo and OCA's module and .po
# checks over the addons, in a virtualenv of their own.
source "$(dirname "$0")/lib.sh"

LINT_VENV=${LINT_VENV:-$CACHE_DIR/lint-venv}
if [ ! -x "$LINT_VENV/bin/pylint" ] || ! cmp -s "$REPO_DIR/requirements-lint.txt" "$LINT_VENV/requirements-lint.txt"; then
    log "creating the lint virtualenv $LINT_VENV"
    rm -rf "$LINT_VENV"
    "$PYTHON" -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q -r "$REPO_DIR/requirements-lint.txt"
    cp "$REPO_DIR/requirements-lint.txt" "$LINT_VENV/"
fi
cd "$REPO_DIR"
status=0
ADDONS=(client_status client_status_sale client_status_test)
"$LINT_VENV/bin/ruff" check --no-fix "${ADDONS[@]}" setup.py bench || status=1
"$LINT_VENV/bin/ruff" format --check "${ADDONS[@]}" setup.py bench || status=1
"$LINT_VENV/bin/pylint" --rcfile=.pylintrc "${ADDONS[@]}" || status=1
for addon in "${ADDONS[@]}"; do
    "$LINT_VENV/bin/oca-checks-odoo-module" "$addon/__manifest__.py" || status=1
    # the tests-only addon has no translations
    if [ -d "$addon/i18n" ]; then
        "$LINT_VENV/bin/oca-checks-po" "$addon"/i18n/*.po* || status=1
    fi
done
[ "$status" -eq 0 ] && log "lint: clean"
exit "$status"
