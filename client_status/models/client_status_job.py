# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from . import client_status_run
from .client_status import SCOPES

_logger = logging.getLogger(__name__)

# A wizard whose work reaches more records than this works in the request;
# above, it runs as a job of the cron, in batches, with its progress. The
# system parameter THRESHOLD_PARAM overrides it (e.g. lowered in tests).
BACKGROUND_THRESHOLD = 10000
THRESHOLD_PARAM = "client_status.background_threshold"
# Records per batch (one transaction of the cron each): a preview only reads
# (as a run's batch); a move or an apply writes through the ORM, with the
# history rows, the checks and the automated actions of each record.
PREVIEW_BATCH_SIZE = client_status_run.RECLASSIFY_BATCH_SIZE
WRITE_BATCH_SIZE = 2000
# The changes of a preview listed in its form (all are kept to apply them)
LINES_SHOWN = 1000
# Finished jobs, and their lines, are deleted after this
JOB_MAX_AGE = timedelta(days=7)


class ClientStatusJob(models.Model):
    """Work of a wizard over many records, kept in the database: a preview
    of the rules (its changes, to apply them later), the application of a
    preview, or records moved from statuses being archived (the archive
    wizard, a preset). Above a threshold it runs on the cron, one batch per
    call (each its own transaction) with its progress, as the user who
    started it, in the companies they worked in; they are notified when it
    ends. A preview is a job in the request too: its changes wait for Apply.

    A model rather than the wizards themselves: the autovacuum deletes
    transient records an hour after their last write, which a job, or a
    preview waiting to be applied, may outlive. Clients read jobs, never
    write them: the wizards create them (in sudo) after their own checks."""

    _name = "client.status.job"
    _inherit = ["client.status.batched"]
    _description = "Client Status Background Job"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [
            ("preview", "Preview of the Rules"),
            ("apply", "Apply a Preview"),
            ("archive", "Archive Statuses"),
            ("preset", "Load a Preset"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
    )
    background = fields.Boolean(
        readonly=True, help="Run by the scheduled action rather than in the request."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Started By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        readonly=True,
        default=lambda self: self.env.companies,
        help="The companies the job works in: those of its user when it started.",
    )
    scope = fields.Selection(SCOPES, required=True, readonly=True)
    date_start = fields.Datetime(default=fields.Datetime.now, readonly=True)
    date_end = fields.Datetime(readonly=True)
    today = fields.Date(default=fields.Date.context_today, readonly=True)
    record_count = fields.Integer(string="To Process", readonly=True)
    done_count = fields.Integer(string="Processed", readonly=True)
    changed_count = fields.Integer(string="Changed", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    batch_size = fields.Integer(default=WRITE_BATCH_SIZE)
    last_record_id = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)
    result = fields.Text(readonly=True, help="What the job did, as its user was told.")
    # a preview: the changes planned, counted per (from, to) statuses
    line_ids = fields.One2many("client.status.job.line", "job_id", readonly=True)
    shown_line_ids = fields.Many2many(
        "client.status.job.line",
        string="Changes",
        compute="_compute_shown_line_ids",
        help="The first changes of the preview.",
    )
    counts = fields.Json(readonly=True)
    summary = fields.Html(compute="_compute_summary", sanitize=False)
    # the statistics of the rules' run (e.g. revenue quantiles), kept between
    # batches: the engine's, as on the runs
    stats = fields.Json(readonly=True, groups="base.group_system")
    # an apply: its preview; a preview: its apply
    preview_job_id = fields.Many2one(
        "client.status.job", string="Preview", readonly=True, ondelete="cascade"
    )
    apply_job_ids = fields.One2many("client.status.job", "preview_job_id")
    # a move: {status_id: target_id}, the reason on the history rows, the
    # statuses archived at the end
    moves = fields.Json(readonly=True)
    reason = fields.Json(readonly=True)
    status_ids = fields.Many2many(
        "client.status",
        string="Statuses to Archive",
        readonly=True,
        context={"active_test": False},
    )
    note = fields.Char(readonly=True)

    @api.depends("record_count", "done_count", "state")
    def _compute_progress(self):
        for job in self:
            if job.state == "done":
                job.progress = 100.0
            else:
                job.progress = 100.0 * job.done_count / max(job.record_count, 1)

    def _compute_shown_line_ids(self):
        Line = self.env["client.status.job.line"]
        for job in self:
            job.shown_line_ids = (
                Line.search([("job_id", "=", job.id)], order="id", limit=LINES_SHOWN)
                if job.id and job.kind == "preview"
                else Line
            )

    @api.depends("counts")
    def _compute_summary(self):
        Status = self.env["client.status"].with_context(active_test=False)
        for job in self:
            pairs = {
                tuple(int(status_id) for status_id in key.split(",")): count
                for key, count in (job.counts or {}).items()
            }
            gained, lost = defaultdict(int), defaultdict(int)
            for (from_id, to_id), count in pairs.items():
                gained[to_id] += count
                lost[from_id] += count
            statuses = Status.browse(set(gained) | set(lost)).exists().sorted()
            names = {status.id: status.display_name for status in statuses}
            names[0] = _("(none)")
            row = Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            by_status = Markup("").join(
                row
                % (
                    names.get(status_id, ""),
                    # an empty cell rather than "+0" or "-0"
                    f"+{gained[status_id]}" if status_id in gained else "",
                    f"-{lost[status_id]}" if status_id in lost else "",
                )
                for status_id in [*statuses.ids, *([0] if 0 in lost else [])]
            )
            by_pair = Markup("").join(
                row % (names.get(from_id, ""), names.get(to_id, ""), count)
                for (from_id, to_id), count in sorted(
                    pairs.items(), key=lambda item: -item[1]
                )
            )
            table = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            )
            heads = [
                escape(header)
                for header in (
                    _("Status"),
                    _("Gains"),
                    _("Loses"),
                    _("From"),
                    _("To"),
                    _("Records"),
                )
            ]
            job.summary = (
                table % (*heads[:3], by_status) + table % (*heads[3:], by_pair)
                if pairs
                else False
            )

    def action_refresh(self):
        """Show the job again, with its progress."""
        self.ensure_one()
        return self._get_form_action()

    def action_apply(self):
        """Apply a preview's changes: in the request when they are few, else
        as a job of its own (see ``_apply_preview``)."""
        self.ensure_one()
        job = self._apply_preview()
        if job.background:
            return job._get_form_action()
        return job._get_done_notification()

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _get_done_notification(self):
        """The notification of a job done in the request, then the dialog
        closed."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if self.changed_count else "info",
                "title": self.name,
                "message": self.result,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _get_threshold(self):
        """How many records a wizard's work may reach in the request."""
        # sudo: a setting of the addon, read for whoever runs a wizard
        value = self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM)
        try:
            return int(value) if value else BACKGROUND_THRESHOLD
        except ValueError:
            return BACKGROUND_THRESHOLD

    @api.model
    def _start(self, values, count):
        """Create a job of ``values`` with ``count`` records to process, for
        the current user in their current companies; work it out in the
        request when ``count`` is within the threshold, else leave it to the
        cron. Errors of a job in the request are raised as the wizard's."""
        background = count > self._get_threshold()
        # sudo: clients never write jobs (no access rights); the wizards
        # checked that the user may run them, the job runs as the user
        job = self.sudo().create(
            dict(
                values,
                record_count=count,
                background=background,
                user_id=self.env.uid,
                company_id=self.env.company.id,
                company_ids=self.env.companies.ids,
            )
        )
        if background:
            self.env.ref("client_status.ir_cron_client_status_job")._trigger()
        else:
            work = job._work_env()
            while job.state in ("queued", "running"):
                job._run_next_batch(work)
        return job.with_env(self.env)

    def _work_env(self):
        """The environment the job works in: its user's, in the companies
        they started it in, in their language."""
        self.ensure_one()
        return self.env(
            user=self.user_id.id,
            su=False,
            context=dict(
                self.env.context,
                allowed_company_ids=self.company_ids.ids,
                lang=self.user_id.lang,
            ),
        )

    def _run_next_batch(self, work):
        """Process the next batch of the job (in sudo: the bookkeeping is
        the engine's) in the environment ``work`` of its user."""
        self.ensure_one()
        job = self.sudo()
        if job.state == "queued":
            job.state = "running"
        getattr(job, f"_run_{job.kind}_batch")(work)

    def _process_next_batch(self):
        self._run_next_batch(self._work_env())

    def _fail(self, error):
        self.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "error": str(error.args[0])
                if isinstance(error, UserError | AccessError) and error.args
                else f"{type(error).__name__}: {error}",
            }
        )
        self._notify_user()

    def _finish(self, result):
        self.write(
            {"state": "done", "date_end": fields.Datetime.now(), "result": result}
        )
        if self.background:
            self._notify_user()

    def _notify_user(self):
        """Tell the job's user it ended (a notification in their browser)."""
        self.ensure_one()
        job = self.with_context(lang=self.user_id.lang)
        failed = job.state == "failed"
        self.user_id.partner_id._bus_send(
            "simple_notification",
            {
                "type": "danger" if failed else "success",
                "title": job.name,
                "message": job.env._("Failed: %(error)s", error=job.error)
                if failed
                else job.result,
                "sticky": failed,
            },
        )

    def _count_remaining(self):
        self.ensure_one()
        return max(self.record_count - self.done_count, 1)

    # ------------------------------------------------------------------
    # preview
    # ------------------------------------------------------------------

    @api.model
    def _start_preview(self, scope):
        """Start the preview of the rules of ``scope`` over the records of
        the current user's companies."""
        run = self.env["client.status.run"].new({"scope": scope})
        count = run._model().search_count(run._batch_domain())
        return self._start(
            {
                "name": _(
                    "Preview of the Rules: %(scope)s",
                    scope=dict(self._fields["scope"]._description_selection(self.env))[
                        scope
                    ],
                ),
                "kind": "preview",
                "scope": scope,
                "batch_size": PREVIEW_BATCH_SIZE,
            },
            count,
        )

    def _run_preview_batch(self, work):
        """Plan the rules' changes on the next records of the preview, as a
        run of the rules would (``_client_status_plan``), and keep them as
        the preview's lines."""
        run = work["client.status.run"].new(
            {
                "scope": self.scope,
                "batch_size": self.batch_size,
                "last_record_id": self.last_record_id,
                "today": self.today,
                "stats": self.stats,
            }
        )
        context = run._engine_context()
        records, stored, __, new_ids = run._next_batch(lock=False)
        if not new_ids:
            self._finish(
                work._(
                    "Records the rules would change: %(count)s.",
                    count=self.changed_count,
                )
            )
            return
        plan = records._client_status_plan(run._rules(), stored, context)
        evaluation, changes = plan.evaluation, plan.changes
        self._add_lines(changes, evaluation, stored)
        counts = dict(self.counts or {})
        for record_id in changes.ids:
            key = f"{stored[record_id][0] or 0},{evaluation[record_id][0]}"
            counts[key] = counts.get(key, 0) + 1
        values = {
            "last_record_id": max(new_ids),
            "done_count": self.done_count + len(records),
            "changed_count": self.changed_count + len(changes),
            "counts": counts,
            "retry_count": 0,
        }
        if context["run"] != (self.stats or {}):
            values["stats"] = context["run"]
        self.write(values)

    def _add_lines(self, changes, evaluation, stored):
        """Keep the changes of ``changes`` (records) as lines of the preview,
        in one INSERT (a preview at scale keeps a line per change)."""
        if not changes:
            return
        field = changes._client_status_history_field
        Line = self.env["client.status.job.line"]
        ids = changes.ids
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (job_id, %(field)s, status_from_id,
                                       status_to_id, rule_id, metrics,
                                       create_uid, create_date, write_uid,
                                       write_date)
                SELECT %(job)s, change.record_id, change.status_from_id,
                       change.status_to_id, change.rule_id, change.metrics,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(record_ids)s::int[], %(from_ids)s::int[],
                              %(to_ids)s::int[], %(rule_ids)s::int[],
                              %(metrics)s::jsonb[])
                       AS change(record_id, status_from_id, status_to_id,
                                 rule_id, metrics)
                 ORDER BY change.record_id
                """,
                table=SQL.identifier(Line._table),
                field=SQL.identifier(field),
                job=self.id,
                uid=changes.env.uid,
                record_ids=ids,
                from_ids=[stored[record_id][0] for record_id in ids],
                to_ids=[evaluation[record_id][0] for record_id in ids],
                rule_ids=[evaluation[record_id][1] for record_id in ids],
                metrics=[json.dumps(evaluation[record_id][2]) for record_id in ids],
            )
        )
        self.invalidate_recordset(["line_ids", "shown_line_ids"])

    # ------------------------------------------------------------------
    # apply of a preview
    # ------------------------------------------------------------------

    def _apply_preview(self):
        """Start applying the changes of the preview ``self``: only by its
        user (or a manager) who may edit the rules, once."""
        self.ensure_one()
        self.env["client.status.rule"].check_access("write")
        if self.user_id != self.env.user and not self.env.user.has_group(
            "client_status.client_status_group_manager"
        ):
            raise AccessError(_("Only who started a preview applies it."))
        if self.kind != "preview" or self.state != "done":
            raise UserError(_("Only a finished preview can be applied."))
        if self.sudo().apply_job_ids:
            raise UserError(_("This preview was applied already."))
        return self._start(
            {
                "name": _("Apply: %(preview)s", preview=self.name),
                "kind": "apply",
                "scope": self.scope,
                "preview_job_id": self.id,
            },
            self.changed_count,
        )

    def _run_apply_batch(self, work):
        """Apply the next changes of the preview: those whose record still
        has the status the preview saw and is not locked since (records a
        user is writing now are left out, as by a run)."""
        lines = self.env["client.status.job.line"].search(
            [
                ("job_id", "=", self.preview_job_id.id),
                ("id", ">", self.last_record_id),
            ],
            order="id",
            limit=self.batch_size,
        )
        if not lines:
            changed, previewed = self.changed_count, self.record_count
            self._finish(
                work._(
                    "Records whose status changed: %(changed)s of %(previewed)s"
                    " previewed (the others changed or were locked since).",
                    changed=changed,
                    previewed=previewed,
                )
                if changed < previewed
                else work._(
                    "Records whose status changed: %(changed)s.", changed=changed
                )
            )
            return
        Model = work[self.env["client.status"]._get_status_models()[self.scope]]
        field = Model._client_status_history_field
        planned = {line[field].id: line for line in lines}
        records, stored = Model._client_status_read_batch(
            [("id", "in", list(planned))], None, lock=True
        )
        unlocked = records._client_status_unlocked(self.today)
        evaluation = {
            record_id: (
                planned[record_id].status_to_id.id,
                planned[record_id].rule_id.id,
                planned[record_id].metrics,
            )
            for record_id in unlocked.ids
            if stored[record_id][0] == planned[record_id].status_from_id.id
        }
        # as a run writes them: the rule's source, the date and the rules'
        # status with the status
        changed = Model.browse(evaluation)._client_status_apply(evaluation)
        self.write(
            {
                "last_record_id": lines[-1].id,
                "done_count": self.done_count + len(lines),
                "changed_count": self.changed_count + len(changed),
                "retry_count": 0,
            }
        )

    # ------------------------------------------------------------------
    # records moved from statuses archived (archive wizard, presets)
    # ------------------------------------------------------------------

    @api.model
    def _move_records(self, scope, moves, reason, after_id=0, limit=None):
        """Move the records (archived ones too) of each status of ``moves``
        (``{status_id: target_id}``) to its target, one write per target,
        with their history rows giving ``reason``: the first ``limit`` after
        ``after_id`` in id order. Return the records moved.

        Catalogue upkeep, not a judgement on each client: no lock against
        the rules (a preset's rules classify the records moved)."""
        moves = {int(status_id): target for status_id, target in moves.items()}
        Model = self.env[self.env["client.status"]._get_status_models()[scope]]
        records = Model.with_context(active_test=False).search(
            [("client_status_id", "in", list(moves)), ("id", ">", after_id)],
            order="id",
            limit=limit,
        )
        by_target = defaultdict(list)
        for status, status_records in records.grouped("client_status_id").items():
            by_target[moves[status.id]] += status_records.ids
        for target_id, record_ids in by_target.items():
            Model.browse(record_ids).with_context(
                active_test=False,
                client_status_source="manual",
                client_status_reason=reason,
                client_status_lock=False,
            ).write({"client_status_id": target_id})
        return records

    @api.model
    def _check_all_visible(self, scope, statuses, count):
        """Refuse to start moving the ``count`` records of ``statuses`` when
        the user does not see them all (other companies): the statuses could
        not be archived at the end."""
        Model = self.env[self.env["client.status"]._get_status_models()[scope]]
        visible = Model.with_context(active_test=False).search_count(
            [("client_status_id", "in", statuses.ids)]
        )
        if visible < count:
            raise UserError(
                _(
                    "%(count)s records with the statuses %(statuses)s belong to"
                    " companies you do not work in now: select those companies"
                    " too, or their records could not move.",
                    count=count - visible,
                    statuses=", ".join(statuses.mapped("display_name")),
                )
            )

    def _run_archive_batch(self, work):
        """Move the next records of the statuses; when none is left,
        archive the statuses (and their rules)."""
        moved = self.with_env(work)._move_records(
            self.scope,
            self.moves,
            self.reason,
            after_id=self.last_record_id,
            limit=self.batch_size,
        )
        if moved:
            self.write(
                {
                    "last_record_id": moved[-1].id,
                    "done_count": self.done_count + len(moved),
                    "changed_count": self.changed_count + len(moved),
                    "retry_count": 0,
                }
            )
            return
        work["client.status.archive"]._archive_statuses(self.status_ids.with_env(work))
        self._finish(
            " ".join(
                [
                    work._(
                        "%(count)s records moved to another status.",
                        count=self.changed_count,
                    ),
                    *([self.note] if self.note else []),
                ]
            )
        )

    # a preset's records move as an archive's do
    _run_preset_batch = _run_archive_batch

    @api.model
    def _cron_process(self):
        """Process one batch of the job waiting that was served least
        recently (the jobs of several users take turns), reporting progress
        to the cron, which calls again (each call its own transaction) while
        jobs wait."""
        jobs = self.search(
            [("state", "in", ("queued", "running"))], order="write_date, id"
        )
        if not jobs:
            return
        before = jobs[0].done_count
        jobs[0]._process_next_batch_safely()
        done = jobs[0].done_count - before
        remaining = sum(
            job._count_remaining() for job in jobs if job.state in ("queued", "running")
        )
        if remaining:
            # the cron calls again only after some work done; past its ten
            # calls in a row, a trigger wakes a worker again at once
            done = max(done, 1)
            self.env.ref("client_status.ir_cron_client_status_job")._trigger()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.autovacuum
    def _gc_finished(self):
        """Delete the jobs finished for ``JOB_MAX_AGE``, with their lines;
        previews in the request a day after (their wizard is long gone)."""
        now = fields.Datetime.now()
        self.search(
            [
                ("state", "in", ("done", "failed")),
                "|",
                ("date_end", "<", now - JOB_MAX_AGE),
                "&",
                ("background", "=", False),
                ("date_end", "<", now - timedelta(days=1)),
            ]
        ).unlink()
