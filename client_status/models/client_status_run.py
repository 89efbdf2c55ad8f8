# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .client_status import SCOPES
from .client_status_batched import BATCH_SIZE_MIN
from .client_status_history import StatusChange

_logger = logging.getLogger(__name__)

# Records reclassified per batch at most (one transaction each when run by
# the cron): 10,000 keeps a batch around a second on 1M contacts; larger ones
# gain nothing (measured with bench/bench_rules.py).
RECLASSIFY_BATCH_SIZE = 10000
# A batch holds the row locks of its records until it commits: users who
# write one of them wait. The size of the next batch follows the time the
# last one took, to stay near BATCH_SECONDS, between these bounds.
BATCH_SECONDS = 0.5
BATCH_SIZE_FIRST = 1000
# How long the end of a run waits to mark pending the records users kept
# busy through the run.
FINISH_LOCK_TIMEOUT = "2s"
# A run's snapshot of an aggregate is taken again when older than this (a run
# cut short and resumed later): its values would be stale.
SNAPSHOT_MAX_AGE = timedelta(hours=1)
SNAPSHOT_PREFIX = "client_status_run_"
# Records given their first status per batch at most by an installation run:
# a batch is one UPDATE and one INSERT of the history, no rules.
INSTALL_BATCH_SIZE = 50000


class ClientStatusRun(models.Model):
    """A reclassification run over the records of one scope and one company
    (none: the shared records): where it is, so that a run cut short (cron
    timeout, crash) resumes after the last batch it committed, and the
    statistics computed once per run (e.g. revenue quantiles).

    Each batch is a transaction of its own (a call of the cron). It locks its
    records first, skipping those a user is writing now (left to the next
    batches of the run), is sized to hold its locks about ``BATCH_SECONDS``,
    and is retried when it conflicts with a concurrent transaction. A run
    that fails leaves the other runs going.

    A metric provider can keep a *snapshot* of its aggregate for the run
    (``_snapshot``): one pass over the whole data when the run starts, read
    by id range in each batch, instead of one query per batch reaching the
    rows of the batch's records through an index (one random page read per
    row: at a million clients, more than the whole pass).

    An *installation* run (``kind`` ``install``, started by the post-init
    hook on a large database) gives the records of its scope without a
    status their first one, in batches, before any run of the rules; when
    the last one ends, runs of the rules classify those records."""

    _name = "client.status.run"
    _inherit = ["client.status.batched"]
    _description = "Client Status Reclassification Run"
    _order = "id desc"

    scope = fields.Selection(SCOPES, required=True, readonly=True)
    kind = fields.Selection(
        [("rules", "Rules"), ("install", "Installation")],
        default="rules",
        required=True,
        readonly=True,
        help="Rules: the rules reclassify the records. Installation: the"
        " records without a status get their first one (the default status,"
        " or the won or lost one of a won or lost lead), then the rules"
        " classify them.",
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The company whose records the run reclassifies; none: the records"
        " shared by every company.",
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        readonly=True,
    )
    error = fields.Text(readonly=True, help="Why the run failed.")
    date_start = fields.Datetime(default=fields.Datetime.now, readonly=True)
    date_end = fields.Datetime(readonly=True)
    today = fields.Date(default=fields.Date.context_today, readonly=True)
    last_record_id = fields.Integer(readonly=True)
    record_count = fields.Integer(
        string="To Process",
        readonly=True,
        help="Records of the scope when the run started.",
    )
    processed_count = fields.Integer(string="Records", readonly=True)
    changed_count = fields.Integer(string="Changed", readonly=True)
    batch_size = fields.Integer(default=BATCH_SIZE_FIRST)
    # records a user was writing when their batch ran: retried by the next
    # batches, marked pending when the run ends
    skipped_ids = fields.Json(readonly=True)
    # statistics over the records of every company (e.g. revenue quantiles):
    # the engine's, not for the users of one company
    stats = fields.Json(readonly=True, groups="base.group_system")

    @api.model
    def _start(self, companies, scopes=None):
        """Start a run of the rules for each scope (of ``scopes``, all by
        default) and each of ``companies`` (and one for the shared records),
        unless one is running already; return the runs started."""
        running = {
            (run.scope, run.company_id.id)
            for run in self.search([("state", "=", "running"), ("kind", "=", "rules")])
        }
        runs = self.create(
            [
                {"scope": scope, "company_id": company_id}
                for scope in scopes or self.env["client.status"]._get_status_models()
                for company_id in [False, *companies.ids]
                if (scope, company_id) not in running
            ]
        )
        # what each run has to do, one count per scope grouped by company
        for scope_runs in runs.grouped("scope").values():
            Model = scope_runs[:1]._model()
            counts = dict(
                Model._read_group(
                    Model._client_status_engine_domain()
                    + [("company_id", "in", scope_runs.company_id.ids + [False])],
                    ["company_id"],
                    ["__count"],
                )
            )
            for run in scope_runs:
                run.record_count = counts.get(run.company_id, 0)
        return runs

    @api.model
    def _start_install(self, counts):
        """Start an installation run for each scope of ``counts`` (``{scope:
        number of records without a status}``, of every company) in the
        background, now; return the runs started."""
        runs = self.create(
            [
                {"scope": scope, "kind": "install", "record_count": count}
                for scope, count in counts.items()
            ]
        )
        self.env.ref("client_status.ir_cron_client_status_reclassify_runs")._trigger()
        return runs

    @api.model
    def _get_running(self):
        """The running runs, oldest first; new ones (each scope, each company
        and the shared records) when none is running."""
        runs = self.search([("state", "=", "running")], order="id")
        return runs or self._start(
            self.env["res.company"].with_context(active_test=False).search([])
        )

    @api.model
    def _new_incremental(self, scope):
        """A run in memory to reclassify a few records of ``scope`` between
        full runs, with the statistics of the last full run (e.g. revenue
        quantiles): computing them again costs a full scan."""
        last_run = self.search([("scope", "=", scope), ("state", "=", "done")], limit=1)
        # sudo: the engine reads its own statistics for any user
        return self.new({"scope": scope, "stats": last_run.sudo().stats})

    def _process_batch(self):
        """Reclassify the next batch of the first running run of ``self``
        that no other worker is processing; return ``(done, remaining)``
        records over ``self``."""
        running = self.filtered(lambda run: run.state == "running")
        # the records get their first status before the rules run
        run = (
            running.filtered(lambda run: run.kind == "install") or running
        )._lock_first()
        if run:
            run._process_next_batch_safely()
        done = sum(self.mapped("processed_count"))
        remaining = sum(
            run._count_remaining() for run in self if run.state == "running"
        )
        return done, remaining

    def _lock_first(self):
        """The first run of ``self`` whose row this transaction could lock
        (another cron worker may be processing one): empty when none."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM client_status_run WHERE id = ANY(%s)"
                " ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED",
                self.ids,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else ())

    def _process_next_batch(self):
        if self.kind == "install":
            self._install_next_batch()
        else:
            self._reclassify_next_batch()

    def _fail(self, error):
        """End the run as failed with ``error`` (the records it did not reach
        wait for the next run); its snapshots go."""
        self._drop_snapshots()
        self.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "error": f"{type(error).__name__}: {error}",
            }
        )

    def _model(self):
        self.ensure_one()
        return self.env[self.env["client.status"]._get_status_models()[self.scope]]

    def _batch_domain(self):
        """The records the run has yet to reach: of its company (a run in
        memory, e.g. a preview: of the current user's companies and the
        shared ones); for an installation run, those without a status of
        every company."""
        self.ensure_one()
        if self.kind == "install":
            return [("client_status_id", "=", False), ("id", ">", self.last_record_id)]
        companies = (
            [self.company_id.id] if self.id else [False, *self.env.companies.ids]
        )
        return self._model()._client_status_engine_domain() + [
            ("company_id", "in", companies),
            ("id", ">", self.last_record_id),
        ]

    def _count_remaining(self):
        """Records left, from the count taken when the run started (counting
        what is left at every batch would cost as much as a batch)."""
        self.ensure_one()
        return max(self.record_count - self.processed_count, 1)

    def _engine_context(self):
        """What the metric providers share over the run: now, today and the
        run's statistics (kept on the run between batches)."""
        self.ensure_one()
        return {
            "now": fields.Datetime.now(),
            "today": self.today,
            "run": dict(self.stats or {}),
            "snapshot_run": self,
        }

    def _next_batch(self, lock=True):
        """The next records of the run and their stored values, locked
        (``_client_status_read_batch``: those a user is writing now are
        left out), the ids of the batch (with those skipped before) and
        those new to the run (none: it reached its last record). Without
        ``lock`` (a preview), nothing is locked."""
        self.ensure_one()
        Model = self._model()
        limit = min(self.batch_size or BATCH_SIZE_FIRST, RECLASSIFY_BATCH_SIZE)
        skipped = self.skipped_ids or []
        new_ids = list(
            Model._search(
                self._batch_domain(), order="id", limit=max(limit - len(skipped), 1)
            ).get_result_ids()
        )
        records, stored = Model._client_status_read_batch(
            [("id", "in", skipped + new_ids)], None, lock=lock
        )
        return records, stored, skipped + new_ids, new_ids

    def _rules(self):
        """The compiled rules of the run's scope; a run over one company's
        records leaves out the rules of the others (they match none)."""
        self.ensure_one()
        rules = self.env["client.status.rule"]._get_compiled_rules(self.scope)
        if self.id:
            rules = [
                rule
                for rule in rules
                if rule["company_id"] in (False, self.company_id.id)
            ]
        return rules

    def _reclassify_next_batch(self):
        """Evaluate the rules on the next batch, apply the changes, store
        the statuses the rules computed, and move the run forward; the size
        of the next batch follows the time this one took."""
        self.ensure_one()
        start = time.monotonic()
        records, stored, ids, new_ids = self._next_batch()
        context = self._engine_context()
        changed = (
            records._client_status_reclassify(
                self._rules(), stored, context, clear_pending=False
            )
            if records
            else records
        )
        skipped = sorted(set(ids) - set(records.ids))
        values = {
            "last_record_id": max([self.last_record_id, *new_ids]),
            "processed_count": self.processed_count + len(records),
            "changed_count": self.changed_count + len(changed),
            "skipped_ids": skipped or False,
            "retry_count": 0,
            "batch_size": self._next_batch_size(len(ids), time.monotonic() - start),
        }
        if context["run"] != (self.stats or {}):
            values["stats"] = context["run"]
        self.write(values)
        if not new_ids:
            self._finish()

    def _install_next_batch(self):
        """Give the next records of the installation run their first status
        (``_install_statuses``) and move the run forward; once it reached
        its last record, end it and, when it was the last one, have the
        rules classify the records of the scopes installed (runs of the
        rules, in the background)."""
        self.ensure_one()
        start = time.monotonic()
        Model = self._model().with_context(active_test=False)
        limit = min(self.batch_size or BATCH_SIZE_FIRST, INSTALL_BATCH_SIZE)
        records = Model.search(self._batch_domain(), order="id", limit=limit)
        installed = self._install_statuses(records)
        self.write(
            {
                "last_record_id": max([self.last_record_id, *records.ids]),
                "processed_count": self.processed_count + len(records),
                "changed_count": self.changed_count + len(installed),
                "retry_count": 0,
                "batch_size": min(
                    self._next_batch_size(len(records), time.monotonic() - start),
                    INSTALL_BATCH_SIZE,
                ),
            }
        )
        if len(records) == limit:
            return
        self._finish()
        installing = self.search([("state", "=", "running"), ("kind", "=", "install")])
        if not installing:
            scopes = self.search([("kind", "=", "install")]).mapped("scope")
            self._create_board_indexes()
            self._start(
                self.env["res.company"].with_context(active_test=False).search([]),
                scopes=sorted(set(scopes)),
            )
            self.env.ref(
                "client_status.ir_cron_client_status_reclassify_runs"
            )._trigger()

    @api.model
    def _install_statuses(self, records):
        """Give the records of ``records`` without a status their first one:
        the status of their state when they have one
        (``_client_status_install_kind_sql``: the first won-kind status of
        its company for a won lead, lost-kind for a lost one), else the
        default status of their company (``client.status._get_default_status``),
        with one ``install`` history row each
        (``client.status.history._insert_rows``, with the summaries); return
        the records given one.

        One UPDATE sets the status with the stored fields computed from it,
        computed once per status (on a new record) rather than per record: a
        second UPDATE of each row would cost as much again (every index of
        the table). The rows are locked first: a user changing one of them
        now makes the batch conflict (retried later)."""
        if not records:
            return records
        Status = self.env["client.status"]
        scope = records._client_status_scope
        records.flush_recordset(["client_status_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT rec.id, rec.company_id, %(kind)s FROM %(table)s AS rec
                 WHERE rec.id = ANY(%(ids)s) AND rec.client_status_id IS NULL
                 ORDER BY rec.id
                   FOR NO KEY UPDATE
                """,
                kind=records._client_status_install_kind_sql() or SQL("NULL"),
                table=SQL.identifier(records._table),
                ids=records.ids,
            )
        )
        status_of = {}  # (company_id, kind): status_id, looked up once each
        targets = {}
        for record_id, company_id, kind in self.env.cr.fetchall():
            key = (company_id or False, kind)
            if key not in status_of:
                status_of[key] = (
                    kind and Status._get_status_of_kind_id(scope, kind, key[0])
                ) or Status._get_default_status_id(scope, key[0])
            if status_of[key]:
                targets[record_id] = (status_of[key], company_id)
        if not targets:
            return records.browse()
        # the stored fields computed from the status alone, per status (as
        # the engine writes them); the rules' disagreement from the status
        # the rules gave (none yet)
        stored = {
            status_id: records._client_status_stored_values(Status.browse(status_id))
            for status_id in set(status_of.values()) - {False}
        }
        per_status = [records._fields[fname] for fname in next(iter(stored.values()))]
        values = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        SQL("%s::int4", status_id),
                        *(
                            SQL(
                                "%s::%s",
                                field.convert_to_column(
                                    status_values[field.name], records
                                ),
                                SQL(field.column_type[1]),
                            )
                            for field in per_status
                        ),
                    ]
                ),
            )
            for status_id, status_values in stored.items()
        )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS rec
                   SET client_status_id = new.status_id,
                       client_status_date = %(now)s,
                       client_status_rule_disagrees =
                           rec.client_status_computed_id IS NOT NULL
                           AND rec.client_status_computed_id <> new.status_id
                       %(per_status)s
                  FROM unnest(%(ids)s::int[], %(status_ids)s::int[])
                       AS new(id, status_id)
                  JOIN (VALUES %(values)s) AS status(id, %(columns)s)
                    ON status.id = new.status_id
                 WHERE rec.id = new.id
                """,
                table=SQL.identifier(records._table),
                now=now,
                per_status=SQL().join(
                    SQL(", %s = status.%s", *[SQL.identifier(field.name)] * 2)
                    for field in per_status
                ),
                ids=list(targets),
                status_ids=[status_id for status_id, __ in targets.values()],
                values=values,
                columns=SQL(", ").join(
                    SQL.identifier(field.name) for field in per_status
                ),
            )
        )
        installed = records.browse(targets)
        installed.invalidate_recordset(
            [
                "client_status_id",
                "client_status_date",
                "client_status_rule_disagrees",
                *(field.name for field in per_status),
            ]
        )
        self.env["client.status.history"]._insert_rows(
            records._client_status_history_field,
            scope,
            [
                StatusChange(
                    record_id=record_id,
                    from_id=None,
                    to_id=status_id,
                    company_id=company_id,
                )
                for record_id, (status_id, company_id) in targets.items()
            ],
            "install",
            date=now,
        )
        return installed

    def _next_batch_size(self, size, elapsed):
        """The size of the batch after one of ``size`` records that took
        ``elapsed`` seconds: what holds its locks about ``BATCH_SECONDS``,
        at most twice as many, within the bounds."""
        target = int(max(size, 1) * BATCH_SECONDS / max(elapsed, 0.001))
        return max(BATCH_SIZE_MIN, min(target, 2 * max(size, BATCH_SIZE_FIRST)))

    def _finish(self):
        """End the run: the records it skipped to the last (users kept
        writing them) are left to the pending job; its snapshots go."""
        skipped = self._model().browse(self.skipped_ids or [])
        if skipped:
            # marking them waits on the users' locks a moment at most, else
            # the batch conflicts and is retried later
            self.env.cr.execute(SQL("SET LOCAL lock_timeout = %s", FINISH_LOCK_TIMEOUT))
            skipped._client_status_store_pending(log_exceptions=False)
        self._drop_snapshots()
        self.write(
            {"state": "done", "date_end": fields.Datetime.now(), "skipped_ids": False}
        )

    def _snapshot(self, key, query, context):
        """The name of the table holding the rows of ``query`` for the run,
        ordered and indexed by its first column, ``res_id``: built on first
        use, and again when older than ``SNAPSHOT_MAX_AGE`` or lost (it is an
        unlogged table: a crash of the database empties it). ``None`` for a
        run in memory (``_new_incremental``): for a few records the query per
        batch costs less.

        :param str key: names the aggregate (letters, digits, ``_``)
        :param SQL query: the aggregate, over all the records
        :param dict context: the engine's context; the snapshot's date is kept
            in ``context["run"]`` (saved on the run with the batch)
        """
        self.ensure_one()
        if not self.id:
            return None
        table = f"{SNAPSHOT_PREFIX}{self.id}_{key}"
        taken = context["run"].get(f"snapshot_{key}")
        if (
            taken
            and fields.Datetime.to_datetime(taken) > context["now"] - SNAPSHOT_MAX_AGE
            and self._snapshot_filled(table)
        ):
            return table
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
        self.env.cr.execute(
            SQL(
                "CREATE UNLOGGED TABLE %s AS %s ORDER BY 1",
                SQL.identifier(table),
                query,
            )
        )
        self.env.cr.execute(SQL("CREATE INDEX ON %s (res_id)", SQL.identifier(table)))
        context["run"][f"snapshot_{key}"] = fields.Datetime.to_string(context["now"])
        return table

    def _snapshot_filled(self, table):
        """Whether the snapshot ``table`` exists and has rows."""
        self.env.cr.execute(SQL("SELECT to_regclass(%s) IS NOT NULL", table))
        if not self.env.cr.fetchone()[0]:
            return False
        self.env.cr.execute(
            SQL("SELECT EXISTS (SELECT FROM %s)", SQL.identifier(table))
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _snapshot_tables(self):
        """The snapshot tables in the database: ``{run_id: [table]}``."""
        self.env.cr.execute(
            SQL(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s",
                SNAPSHOT_PREFIX.replace("_", "\\_") + "%",
            )
        )
        pattern = re.compile(rf"{SNAPSHOT_PREFIX}(\d+)_")
        tables = {}
        for (table,) in self.env.cr.fetchall():
            if match := pattern.match(table):
                tables.setdefault(int(match.group(1)), []).append(table)
        return tables

    def _drop_snapshots(self):
        """Drop the snapshot tables of the runs of ``self``."""
        for run_id, tables in self._snapshot_tables().items():
            if run_id in self.ids:
                for table in tables:
                    self.env.cr.execute(
                        SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table))
                    )

    @api.autovacuum
    def _gc_snapshots(self):
        """Drop the snapshots of the runs no longer running (finished, cut
        short and deleted)."""
        running = self.search([("state", "=", "running")]).ids
        self.browse(
            run_id for run_id in self._snapshot_tables() if run_id not in running
        )._drop_snapshots()

    @api.model
    def _create_board_indexes(self):
        """Create the boards' indexes the install left to the runs (large
        tables), once their records have a status."""
        for model in self.env["client.status"]._get_status_models().values():
            self.env[model]._client_status_create_board_index()

    @api.model
    def _cron_reclassify_pending(self):
        """Reclassify, one batch per call, the records whose inputs changed
        since the last run (a lead won or lost, a message): between the full
        runs, statuses follow within minutes."""
        models_by_scope = self.env["client.status"]._get_status_models()
        done = 0
        for scope, model_name in models_by_scope.items():
            records, stored = self.env[model_name]._client_status_pending_batch()
            if records:
                run = self._new_incremental(scope)
                records._client_status_reclassify(
                    run._rules(), stored, run._engine_context()
                )
                done += len(records)
        remaining = sum(
            self.env[model_name].search_count(
                self.env[model_name]._client_status_pending_domain()
            )
            for model_name in models_by_scope.values()
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cron_reclassify(self):
        """Start the daily reclassification: a run for each scope and each
        company (and the shared records), processed in the background by
        ``_cron_reclassify_runs``, so that a company's failure does not stop
        another's."""
        self._start(self.env["res.company"].with_context(active_test=False).search([]))
        self._create_board_indexes()
        self.env.ref("client_status.ir_cron_client_status_reclassify_runs")._trigger()

    @api.model
    def _cron_reclassify_runs(self):
        """Reclassify one batch of the running runs per call, reporting
        progress to the cron, which calls again (each call in its own
        transaction) until every run is done; a run cut short resumes where
        it stopped, a batch that conflicts with a user is retried."""
        runs = self.search([("state", "=", "running")], order="id")
        done, remaining = runs._process_batch()
        if remaining:
            # the cron calls again only after some work done; past its ten
            # calls in a row, a trigger wakes a worker again at once
            done = max(done, 1)
            self.env.ref(
                "client_status.ir_cron_client_status_reclassify_runs"
            )._trigger()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
