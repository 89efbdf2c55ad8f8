"""Run the test suites of installed Odoo modules with the full registry.

Usage (the virtualenv's python, Odoo's own command-line options):

    python tools/odoo_suites.py -d DB --addons-path ... --http-port PORT \
        --test-tags /crm,/base_automation [--log-level test]

Why not Odoo's runner: `odoo-bin --test-enable` runs a module's at_install
tests while that module is being loaded (odoo/modules/loading.py), when the
registry holds only the modules loaded before it: crm's at_install tests,
most of crm's suite, would never see the models, overrides and automation
rules of an addon that depends on crm, like client_status. Here the registry
of the database is loaded first, whole, with no test run on the way; then the
at_install tests of each module of the tags run, then their post_install
tests: every test sees every installed module, as a user of that database.

Why not pytest-odoo (which loads the full registry too): it picks tests by
file, not by Odoo's tags (any test_*.py, whether the module's tests package
imports it or not: for these four suites the same 185 tests today), runs
them in its own order with pytest's class setup, and swaps parts of Odoo's
test case (run, subTest, retries) for unittest's: what it runs is not quite
what Odoo's runner runs, nor counted the same way. This runner uses Odoo's
own loader and result (make_suite and the body of run_suite of
odoo/tests/loader.py, as loading.py and preload_registries of
odoo/service/server.py do): the same tests, chosen by the same tags, in the
same order, counted the same way.

Exit status 0 when every test passed. 1 when a test failed or errored, when a
test was skipped (a browser that did not start in time gets its tests run
once more first, as tools/run_tests.sh does for ours), when a module of the
tags ran no test (a typo, a module not installed), or when the registry did
not load.
"""
import csv
import logging
import sys
import threading
import time
import unittest

import odoo
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config

_logger = logging.getLogger("client_status.odoo_suites")

# HttpCase's skip when headless Chromium did not give its port in time: a
# busy machine, not the test
BROWSER_LATE = "Failed to detect chrome devtools port"


def tagged_modules(test_tags):
    """The modules named by the included tags (`/crm`, `/crm:Class.method`),
    in their order: only the tests of those modules are imported."""
    from odoo.tests.tag_selector import TagsSelector  # noqa: PLC0415

    modules = []
    for spec in test_tags.split(","):
        match = TagsSelector.filter_spec_re.match(spec.strip())
        if (match and match[1] != "-" and match[3] and not match[3].endswith(".py")
                and match[3] not in modules):
            modules.append(match[3])
    return modules


def run_suite(suite):
    """odoo.tests.loader.run_suite, with a result that keeps the skipped
    tests (Odoo's only counts them)."""
    from odoo.modules import module  # noqa: PLC0415
    from odoo.tests.result import OdooTestResult  # noqa: PLC0415

    class Result(OdooTestResult):
        def __init__(self):
            super().__init__()
            self.skips = []

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self.skips.append((test, reason))

    module.current_test = True
    threading.current_thread().testing = True
    result = Result()
    try:
        suite(result)
    finally:
        threading.current_thread().testing = False
        module.current_test = False
    return result


def run(registry, label, suite):
    if suite.has_http_case():
        # as preload_registries does before the post_install tests
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.qweb"]._pregenerate_assets_bundles()
    _logger.info("Starting %s with the full registry", label)
    t0, q0 = time.time(), odoo.sql_db.sql_counter
    result = run_suite(suite)
    _logger.info("%s: %s, %d skipped, in %.2fs, %d queries", label, result,
                 result.skipped, time.time() - t0, odoo.sql_db.sql_counter - q0)
    return result


def main(argv):
    config.parse_config(argv, setup_logging=True)
    csv.field_size_limit(500 * 1024 * 1024)  # as odoo-bin does
    dbname = config["db_name"]
    modules = tagged_modules(config["test_tags"] or "")
    if not dbname or "," in dbname:
        _logger.error("one database (-d) is needed")
        return 1
    if not modules:
        _logger.error("no module in --test-tags %r: name them as /module", config["test_tags"])
        return 1

    # the HTTP server of `odoo-bin --stop-after-init` in test mode, for the
    # HttpCase tests (they read its port from odoo.service.server.server)
    server.load_server_wide_modules()
    server.server = server.ThreadedServer(odoo.http.root)
    server.server.http_spawn()

    from odoo.tests import loader  # noqa: PLC0415
    from odoo.tests.suite import OdooSuite  # noqa: PLC0415

    t0 = time.time()
    results = []
    ran = set()
    # odoo-bin runs its tests holding the registries' lock (server.run);
    # HttpCase swaps it for a dummy one while a test runs
    with Registry._lock:
        try:
            # test_enable off while loading: with it, loading a database
            # (no -i, no -u) runs each installed module's at_install tests
            # with the partial registry of that moment, what this runner
            # is here to avoid
            config["test_enable"] = False
            registry = Registry.new(dbname)
        except Exception:
            _logger.critical("could not load the registry of %s", dbname, exc_info=True)
            return 1
        finally:
            config["test_enable"] = True
        missing = [m for m in modules if m not in registry._init_modules]
        if missing:
            _logger.error("not installed in %s: %s", dbname, ", ".join(missing))
            return 1

        for position in ("at_install", "post_install"):
            for module in modules:
                suite = loader.make_suite([module], position)
                if suite.countTestCases():
                    results.append(run(registry, f"{module} {position}", suite))
                    ran.add(module)

        late = [test for result in results for test, reason in result.skips
                if isinstance(test, unittest.TestCase) and reason.startswith(BROWSER_LATE)]
        if late:
            _logger.warning("the browser did not start in time for %d test(s): running them once more",
                            len(late))
            again = run(registry, "tests skipped for the browser, once more", OdooSuite(
                sorted((type(test)(test._testMethodName) for test in late),
                       key=lambda test: test.test_sequence)))
            for result in results:
                result.skips = [(test, reason) for test, reason in result.skips if test not in late]
            results.append(again)

    tests = sum(result.testsRun for result in results) - len(late)
    failed = sum(result.failures_count for result in results)
    errors = sum(result.errors_count for result in results)
    skips = [skip for result in results for skip in result.skips]
    empty = [m for m in modules if m not in ran]
    for test, reason in skips:
        _logger.error("skipped %s: %s (a skipped test fails the run)", test, reason)
    for module in empty:
        _logger.error("Module %s: no test ran (is it the module's name?)", module)
    ok = not (failed or errors or skips or empty)
    (_logger.info if ok else _logger.error)(
        "%d failed, %d error(s), %d skipped of %d tests in %.0fs (%s, full registry of %s)",
        failed, errors, len(skips), tests, time.time() - t0, ", ".join(modules), dbname)
    server.server.httpd.shutdown()
    odoo.sql_db.close_all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
