# client_status: the two commands of the README's quick start, and a few helpers.
# Every setting can be overridden: `make test ODOO_SRC=/path/to/odoo-18.0`.
# ODOO_SRC: an Odoo 18.0 source tree, cloned from upstream GitHub when absent.
CACHE_DIR ?= $(HOME)/.cache/client_status
ODOO_SRC ?= $(CACHE_DIR)/odoo-18.0
export CACHE_DIR ODOO_SRC

.PHONY: demo test setup lint bench screenshots help

help:
	@echo "make demo   set everything up and serve Odoo with client_status and demo data on http://localhost:8069"
	@echo "make test   fresh database, install the addon, run all its tests (Odoo's runner, tours, pytest), then Odoo's suites of crm, base_automation, sale_crm with it, then uninstall and reinstall it"
	@echo "make setup  only prepare the Odoo source, the virtualenv and the addon"
	@echo "make lint   ruff and pylint-odoo (the OCA pre-commit set) over the addon"
	@echo "make bench  the benchmarks of bench/ (they print figures)"
	@echo "make screenshots  the README's screenshots (headless Chromium, demo data)"

demo:
	@tools/demo.sh

test:
	@tools/run_tests.sh

setup:
	@tools/setup_env.sh

lint:
	@tools/lint.sh

bench:
	@tools/bench.sh

screenshots:
	@tools/screenshots.sh
