# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .client_status import SCOPES

# Records reclassified per batch (one transaction each when run by the cron).
# 10,000 keeps a batch under a second on 1M contacts; smaller batches pay
# their fixed cost (rules, query planning, the run's bookkeeping) more often,
# larger ones gain nothing (measured with bench/bench_rules.py).
RECLASSIFY_BATCH_SIZE = 10000


class ClientStatusRun(models.Model):
    """A reclassification run over one scope: where it is, so that a run cut
    short (cron timeout, crash) resumes after the last batch it committed,
    and the statistics computed once per run (e.g. revenue quantiles)."""

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
    stats = fields.Json(readonly=True)

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
        return self.new({"scope": scope, "stats": last_run.stats})

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
        computed and clear the records' pending mark; return the records
        changed.

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
        records._client_status_store_computed(evaluation, stored)
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
