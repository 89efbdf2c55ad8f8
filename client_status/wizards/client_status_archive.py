# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ClientStatusArchive(models.TransientModel):
    """Archive statuses that records still use: move those records (archived
    ones included) to another status of the same scope, with their history
    rows, then archive the statuses and their rules."""

    _name = "client.status.archive"
    _inherit = "client.status.job.wizard"
    _description = "Archive Client Statuses"

    status_ids = fields.Many2many(
        "client.status", string="Statuses to Archive", required=True, readonly=True
    )
    scope = fields.Selection(related="status_ids.scope")
    target_status_id = fields.Many2one(
        "client.status",
        string="Move Records To",
        required=True,
        domain="[('scope', '=', scope), ('id', 'not in', status_ids)]",
    )
    reason = fields.Char(help="Stored on the history row of every moved record.")
    record_count = fields.Integer(
        string="Records to Move", compute="_compute_record_count"
    )

    @api.depends("status_ids")
    def _compute_record_count(self):
        for wizard in self:
            counts = wizard.status_ids._get_usage_counts(with_archived=True)
            wizard.record_count = sum(counts.values())

    @api.model
    def _action_open(self, statuses):
        """Return the action opening the wizard for ``statuses``."""
        if len(set(statuses.mapped("scope"))) > 1:
            raise UserError(_("Archive contact statuses and lead statuses separately."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Archive Statuses"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_status_ids": statuses.ids},
        }

    def action_confirm(self):
        self.ensure_one()
        if (
            self.target_status_id in self.status_ids
            or self.target_status_id.scope != self.scope
        ):
            raise UserError(
                _("Choose a status of the same scope that is not being archived.")
            )
        statuses = self.status_ids
        # the user's words as written, else ours in every language
        reason = self.reason or self.env["client.status.history"]._translate_reason(
            lambda env: env._(
                "Status %(statuses)s archived",
                statuses=", ".join(statuses.with_env(env).mapped("name")),
            )
        )
        moves = dict.fromkeys(statuses.ids, self.target_status_id.id)
        Job = self.env["client.status.job"]
        if self.record_count > Job._get_threshold():
            Job._check_all_visible(self.scope, statuses, self.record_count)
            job = Job._start(
                {
                    "name": _(
                        "Archive %(statuses)s",
                        statuses=", ".join(statuses.mapped("display_name")),
                    ),
                    "kind": "archive",
                    "scope": self.scope,
                    "moves": moves,
                    "reason": reason,
                    "status_ids": statuses.ids,
                },
                self.record_count,
            )
            return self._show_job(job)
        records = Job._move_records(self.scope, moves, reason)
        # counted before the move
        self.invalidate_recordset(["record_count"])
        self._archive_statuses(self.status_ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Statuses archived"),
                "message": _(
                    "%(count)s records moved to %(status)s.",
                    count=len(records),
                    status=self.target_status_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _archive_statuses(self, statuses):
        """Archive ``statuses`` and the rules that give them: a rule must not
        give a status nobody can choose any more."""
        self.env["client.status.rule"].search(
            [("status_id", "in", statuses.ids)]
        ).write({"active": False})
        # write, not action_archive(): if records the user cannot see still
        # have the statuses, this raises and nothing is moved.
        statuses.write({"active": False})
