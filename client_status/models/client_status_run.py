# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .client_status import SCOPES

# Records reclassified per batch (one transaction each when run by the cron).
# 10,000 keeps a batch under a second on 1M contacts; smaller batches pay
# their fixed cost (rules, query planning, the run's bookkeeping) more often,
# larger ones gain nothing (measured with bench/bench_rules.py).
RECLASSIFY_BATCH_SIZE = 10000
# A run's snapshot of an aggregate is taken again when older than this (a run
# cut short and resumed later): its values would be stale.
SNAPSHOT_MAX_AGE = timedelta(hours=1)
SNAPSHOT_PREFIX = "client_status_run_"


class ClientStatusRun(models.Model):
    """A reclassification run over one scope: where it is, so that a run cut
    short (cron timeout, crash) resumes after the last batch it committed,
    and the statistics computed once per run (e.g. revenue quantiles).

    A metric provider can keep a *snapshot* of its aggregate for the run
    (``_snapshot``): one pass over the whole data when the run starts, read
    by id range in each batch, instead of one query per batch reaching the
    rows of the batch's records through an index (one random page read per
    row: at a million clients, more than the whole pass)."""

    _name = "client.status.run"
    _description = "Client Status Reclassification Run"
    _order = "id desc"

    scope = fields.Selection(SCOPES, required=True, readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", readonly=True
    )
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
    # statistics over the records of every company (e.g. revenue quantiles):
    # the engine's, not for the users of one company
    stats = fields.Json(readonly=True, groups="base.group_system")

    @api.model
    def _get_running(self):
        """The running runs, oldest first; new ones (one per scope) when
        none is running."""
        runs = self.search([("state", "=", "running")], order="id")
        if not runs:
            runs = self.create(
                [
                    {"scope": scope}
                    for scope in self.env["client.status"]._get_status_models()
                ]
            )
            for run in runs:
                run.record_count = run._model().search_count(run._batch_domain())
        return runs

    @api.model
    def _new_incremental(self, scope):
        """A run in memory to reclassify a few records of ``scope`` between
        full runs, with the statistics of the last full run (e.g. revenue
        quantiles): computing them again costs a full scan."""
        last_run = self.search([("scope", "=", scope), ("state", "=", "done")], limit=1)
        # sudo: the engine reads its own statistics for any user
        return self.new({"scope": scope, "stats": last_run.sudo().stats})

    def _process_batch(self):
        """Reclassify the next batch of the first unfinished run of
        ``self``; return ``(done, remaining)`` records over ``self``."""
        run = self.filtered(lambda run: run.state == "running")[:1]
        if run:
            run._reclassify_next_batch()
        done = sum(self.mapped("processed_count"))
        remaining = sum(
            run._count_remaining() for run in self if run.state == "running"
        )
        return done, remaining

    def _model(self):
        self.ensure_one()
        return self.env[self.env["client.status"]._get_status_models()[self.scope]]

    def _batch_domain(self):
        self.ensure_one()
        return self._model()._client_status_engine_domain() + [
            ("id", ">", self.last_record_id)
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

    def _next_batch(self):
        """The next records of the run and their stored values
        (``_client_status_read_batch``)."""
        self.ensure_one()
        return self._model()._client_status_read_batch(
            self._batch_domain(), RECLASSIFY_BATCH_SIZE
        )

    def _reclassify(self, records, stored, context):
        """Evaluate the rules of the run's scope on ``records``, apply the
        changes to those rules may change, store the statuses the rules
        computed and, in a run in memory (the pending records), clear the
        records' pending mark; return the records changed.

        :param dict stored: the values read with the batch
            (``_client_status_read_batch``)
        """
        self.ensure_one()
        rules = self.env["client.status.rule"]._get_compiled_rules(self.scope)
        evaluation = records._client_status_evaluate(rules, context)
        candidates = records._client_status_to_change(evaluation, stored)
        changed = candidates._client_status_unlocked(self.today)._client_status_apply(
            evaluation
        )
        # the changed records got their computed status with the change
        (records - changed)._client_status_store_computed(evaluation, stored)
        if not self.id:
            # a full run leaves the pending marks to the pending job: its
            # snapshots may be older than the changes that set them
            records.browse(
                record_id for record_id, values in stored.items() if values[2]
            )._client_status_mark_pending(False)
        return changed

    def _reclassify_next_batch(self):
        """Evaluate the rules on the next batch, apply the changes, store
        the statuses the rules computed, and move the run forward."""
        self.ensure_one()
        records, stored = self._next_batch()
        if not records:
            self._drop_snapshots()
            self.write({"state": "done", "date_end": fields.Datetime.now()})
            return
        context = self._engine_context()
        changed = self._reclassify(records, stored, context)
        values = {
            "last_record_id": records[-1].id,
            "processed_count": self.processed_count + len(records),
            "changed_count": self.changed_count + len(changed),
        }
        if context["run"] != (self.stats or {}):
            values["stats"] = context["run"]
        self.write(values)

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
