"""Uninstall client_status and client_status_sale from a database that used
them, install them again and uninstall them again: no ERROR in the log, and
nothing of theirs left behind.

Usage (the virtualenv's python, Odoo's own command-line options; the
database is dropped first):

    python tools/uninstall_check.py -d DB --addons-path ... --http-port PORT \
        --max-cron-threads 0 [--logfile FILE]

On a fresh database DB, in one process, as a server would:

1. install crm, sale, client_status and client_status_sale with demo data;
2. use them: the full reclassification (the daily job, batch after batch,
   one transaction each) to its end, then a new one left after its first
   batch, with its snapshot table (``client_status_run_<id>_<key>``); a
   sub-status of no external id under a shipped status, given to a contact;
   a preset wizard left open (its lines name statuses);
3. uninstall client_status_sale and client_status, as the Apps menu does;
4. check that none of these steps logged an ERROR (or CRITICAL) and that
   nothing of the addons is left: no column or relation (table, index,
   sequence, view) named ``client_status``, no external id, model, field,
   selection value, constraint or relation of theirs, no view, window
   action, server action, scheduled job or automation rule that names them;
5. install client_status_sale again (client_status with it), then 2 to 4
   once more.

Exit status 0 when all of it holds; 1 otherwise, with what failed: the ERROR
lines of each step, the rows left behind.
"""

import logging
import sys
import time
from contextlib import closing

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as service_db
from odoo.tools import SQL, config

_logger = logging.getLogger("client_status.uninstall_check")

ADDONS = ("client_status", "client_status_sale")
INSTALL = ("crm", "sale", *ADDONS)

# (what, query): each row a thing of the addons left behind; the queries
# read the parameters of PATTERNS and ``addons``
PATTERNS = {
    "name": "%client\\_status%",  # a table, column, code or text naming them
    "prefix": "client\\_status%",  # a view key or a setting of theirs
    "model": "client.status%",  # one of their models
}
LEFTOVERS = [
    (
        "column",
        """SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND column_name LIKE %(name)s""",
    ),
    (
        "relation",
        """SELECT relkind::text || ' ' || relname FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace
              AND relname LIKE %(name)s""",
    ),
    (
        "external id",
        """SELECT module || '.' || name || ' (' || model || ')' FROM ir_model_data
            WHERE module IN %(addons)s""",
    ),
    # Odoo keeps the records of the foreign keys a module added to the tables
    # of other modules (ir.model.constraint of type f, no external id) once
    # the keys are gone with their columns; a reinstall reuses them
    (
        "constraint",
        """SELECT con.conname FROM pg_constraint AS con
             JOIN ir_model_constraint AS rec ON rec.name = con.conname
             JOIN ir_module_module AS module ON module.id = rec.module
            WHERE module.name IN %(addons)s
           UNION ALL
           SELECT rec.name FROM ir_model_constraint AS rec
             JOIN ir_module_module AS module ON module.id = rec.module
            WHERE module.name IN %(addons)s AND rec.type = 'u'""",
    ),
    (
        "many2many table record",
        """SELECT rec.name FROM ir_model_relation AS rec
             JOIN ir_module_module AS module ON module.id = rec.module
            WHERE module.name IN %(addons)s""",
    ),
    (
        "model",
        "SELECT model FROM ir_model WHERE model LIKE %(model)s",
    ),
    (
        "field",
        """SELECT model || '.' || name FROM ir_model_fields
            WHERE model LIKE %(model)s OR name LIKE %(name)s""",
    ),
    (
        "selection value",
        """SELECT field.model || '.' || field.name || ': ' || sel.value
             FROM ir_model_fields_selection AS sel
             JOIN ir_model_fields AS field ON field.id = sel.field_id
            WHERE sel.value LIKE %(name)s""",
    ),
    (
        "view",
        """SELECT id || ' ' || name FROM ir_ui_view
            WHERE key LIKE %(prefix)s OR model LIKE %(model)s
               OR arch_db::text LIKE %(name)s""",
    ),
    (
        "window action",
        """SELECT id || ' ' || (name->>'en_US') FROM ir_act_window
            WHERE res_model LIKE %(model)s
               OR domain LIKE %(name)s
               OR context LIKE %(name)s""",
    ),
    (
        "server action",
        """SELECT id || ' ' || (name->>'en_US') FROM ir_act_server
            WHERE model_name LIKE %(model)s OR code LIKE %(name)s""",
    ),
    (
        "scheduled job",
        """SELECT cron.id || ' ' || (action.name->>'en_US') FROM ir_cron AS cron
             JOIN ir_act_server AS action ON action.id = cron.ir_actions_server_id
            WHERE action.model_name LIKE %(model)s
               OR action.code LIKE %(name)s""",
    ),
    (
        "automation rule",
        """SELECT rule.id || ' ' || (rule.name->>'en_US') FROM base_automation AS rule
             JOIN ir_model AS model ON model.id = rule.model_id
            WHERE rule.trigger LIKE %(name)s
               OR model.model LIKE %(model)s
               OR rule.filter_domain LIKE %(name)s
               OR rule.filter_pre_domain LIKE %(name)s
               OR EXISTS (SELECT FROM ir_act_server AS action
                           WHERE action.base_automation_id = rule.id
                             AND action.code LIKE %(name)s)""",
    ),
    (
        "setting",
        "SELECT key FROM ir_config_parameter WHERE key LIKE %(prefix)s",
    ),
    (
        "module not uninstalled",
        """SELECT name || ' ' || state FROM ir_module_module
            WHERE name IN %(addons)s AND state != 'uninstalled'""",
    ),
]


class ErrorCounter(logging.Handler):
    """Keeps the records of level ERROR and above (the ERROR lines of the
    log), by step."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.step = None
        self.records = {}

    def emit(self, record):
        self.records.setdefault(self.step, []).append(record)


class Check:
    def __init__(self, dbname):
        self.dbname = dbname
        self.errors = ErrorCounter()
        self.problems = []
        logging.getLogger().addHandler(self.errors)

    def step(self, name, function, *args):
        """Run ``function(*args)`` as the step ``name``: its ERROR lines are
        problems; return whether it ran to its end (an exception is logged,
        as an ERROR)."""
        _logger.info("%s", name)
        self.errors.step = name
        t0 = time.time()
        done = False
        try:
            function(*args)
            done = True
        except Exception:
            _logger.exception("%s failed", name)
        finally:
            self.errors.step = None
        records = self.errors.records.get(name, [])
        for record in records:
            # a bad query: the query, then PostgreSQL's error
            lines = record.getMessage().splitlines()[:2]
            self.problems.append(
                f"{name}: {record.levelname} {record.name}: "
                + " | ".join(line[:200] for line in lines)
            )
        _logger.info(
            "%s: %s ERROR line(s), %.0f s", name, len(records), time.time() - t0
        )
        return done

    def install(self):
        service_db._create_empty_database(self.dbname)
        config["init"] = dict.fromkeys(("base", *INSTALL), True)
        config["without_demo"] = False
        Registry.new(self.dbname, update_module=True)

    def reinstall(self):
        with Registry(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.module.module"].search(
                [("name", "=", "client_status_sale")]
            ).button_immediate_install()
            states = env["ir.module.module"].search([("name", "in", ADDONS)])
            if set(states.mapped("state")) != {"installed"}:
                raise AssertionError(f"not installed: {states.mapped('state')}")

    def use(self):
        """A full reclassification, then a run left mid-way with its
        snapshot table; a sub-status of no external id in use; a preset
        wizard left open."""
        with Registry(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Run = env["client.status.run"]
            # the daily job starts the runs, the job of the runs does a batch
            # per call (each committed, as the cron does)
            Run._cron_reclassify()
            cr.commit()
            for __ in range(1000):
                Run._cron_reclassify_runs()
                cr.commit()
                if not Run.search_count([("state", "=", "running")]):
                    break
            else:
                raise AssertionError("the full reclassification did not end")
            Run._cron_reclassify()
            Run._cron_reclassify_runs()
            cr.commit()
            running = Run.search([("state", "=", "running")])
            snapshots = Run._snapshot_tables()
            if not running or not snapshots:
                raise AssertionError(
                    "no run left mid-way with a snapshot table: nothing to test"
                )
            regular = env.ref("client_status.client_status_partner_regular")
            sub_status = env["client.status"].create(
                {
                    "name": "Regular (uninstall check)",
                    "code": "uninstall_check",
                    "scope": "partner",
                    "kind": "customer",
                    "parent_id": regular.id,
                }
            )
            partner = env["res.partner"].search([("is_company", "=", True)], limit=1)
            partner.client_status_id = sub_status
            # a wizard left open, its lines on statuses
            env["client.status.preset"].create({"preset": "outbound"})
            _logger.info(
                "runs left running: %s, snapshot tables: %s, history rows: %s",
                running.ids,
                sorted(table for tables in snapshots.values() for table in tables),
                env["client.status.history"].search_count([]),
            )

    def uninstall(self):
        with Registry(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.module.module"].search(
                [("name", "in", ADDONS)]
            ).button_immediate_uninstall()

    def leftovers(self, when):
        with Registry(self.dbname).cursor() as cr:
            for what, query in LEFTOVERS:
                cr.execute(SQL(query, addons=ADDONS, **PATTERNS))
                for (row,) in cr.fetchall():
                    self.problems.append(f"after the {when}: {what} left: {row}")

    def run(self):
        """The steps, in order, up to the first that does not end."""
        steps = [
            ("install crm, sale and the addons with demo data", self.install),
            ("first use: reclassification, a run left mid-way", self.use),
            ("first uninstall", self.uninstall),
            ("check after the first uninstall", self.leftovers, "first uninstall"),
            ("reinstall client_status_sale", self.reinstall),
            ("second use: reclassification, a run left mid-way", self.use),
            ("second uninstall", self.uninstall),
            ("check after the second uninstall", self.leftovers, "second uninstall"),
        ]
        for name, function, *args in steps:
            if not self.step(name, function, *args):
                break
        return self.problems


def main(argv):
    config.parse_config(argv, setup_logging=True)
    dbname = config["db_name"]
    if not dbname or "," in dbname:
        _logger.error("name one database with -d")
        return 1
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr.execute(SQL("SELECT 1 FROM pg_database WHERE datname = %s", dbname))
        exists = cr.rowcount
    if exists:
        service_db.exp_drop(dbname)
    t0 = time.time()
    problems = Check(dbname).run()
    for problem in problems:
        _logger.error("FAILED: %s", problem)
    if problems:
        _logger.error(
            "uninstall check failed: %s problem(s) (ERROR lines, leftovers)",
            len(problems),
        )
        return 1
    _logger.info(
        "uninstall check passed: uninstalled twice, reinstalled once, no ERROR"
        " line, nothing left behind (%.0f s)",
        time.time() - t0,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
