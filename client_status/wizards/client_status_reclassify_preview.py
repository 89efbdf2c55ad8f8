# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError

from ..models import client_status_run
from ..models.client_status import SCOPES


class ClientStatusReclassifyPreview(models.TransientModel):
    """What a run of the rules would change, computed without writing
    anything; "Apply" writes exactly these changes."""

    _name = "client.status.reclassify.preview"
    _description = "Preview of a Reclassification by Rules"

    scope = fields.Selection(SCOPES, required=True, default="partner")
    line_ids = fields.One2many(
        "client.status.reclassify.preview.line",
        "preview_id",
        string="Changes",
        readonly=True,
    )
    change_count = fields.Integer(
        string="Number of Changes", compute="_compute_summary"
    )
    summary = fields.Html(compute="_compute_summary", sanitize=False)

    @api.depends("line_ids")
    def _compute_summary(self):
        for preview in self:
            gained, lost = {}, {}
            for line in preview.line_ids:
                gained[line.status_to_id] = gained.get(line.status_to_id, 0) + 1
                lost[line.status_from_id] = lost.get(line.status_from_id, 0) + 1
            statuses = (
                preview.env["client.status"].union(*gained, *lost).sorted()
                if gained or lost
                else preview.env["client.status"]
            )
            row = Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            rows = Markup("").join(
                row
                % (
                    status.display_name or _("(none)"),
                    # an empty cell rather than "+0" or "-0"
                    f"+{gained[status]}" if status in gained else "",
                    f"-{lost[status]}" if status in lost else "",
                )
                for status in statuses
            )
            preview.change_count = len(preview.line_ids)
            preview.summary = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (escape(_("Status")), escape(_("Gains")), escape(_("Loses")), rows)

    @api.model
    def _action_open(self, scope):
        """Compute the preview of ``scope`` and open it."""
        preview = self.create({"scope": scope})
        preview._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "name": _("Preview of the Rules"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _compute_lines(self):
        """Evaluate the rules over every record of the scope, batch after
        batch as a run does, and keep the changes a run would write."""
        self.ensure_one()
        # nothing written, nothing locked: batches as large as they come
        run = self.env["client.status.run"].new(
            {"scope": self.scope, "batch_size": client_status_run.RECLASSIFY_BATCH_SIZE}
        )
        context = run._engine_context()
        field = run._model()._client_status_history_field
        lines = []
        records, stored, __, __ = run._next_batch(lock=False)
        while records:
            plan = records._client_status_plan(run._rules(), stored, context)
            for record in plan.changes:
                status_id, rule_id, metrics = plan.evaluation[record.id]
                lines.append(
                    {
                        field: record.id,
                        "status_from_id": record.client_status_id.id,
                        "status_to_id": status_id,
                        "rule_id": rule_id,
                        "metrics": metrics,
                    }
                )
            run.last_record_id = records[-1].id
            records, stored, __, __ = run._next_batch(lock=False)
        # sudo: the lines are this computation's own (clients cannot create
        # them, see the line model)
        self.sudo().line_ids = [Command.create(values) for values in lines]

    def action_apply(self):
        """Write the previewed changes (those whose record still has the
        status the preview saw and is not locked since), with their history
        rows."""
        self.ensure_one()
        model = self.env[self.env["client.status"]._get_status_models()[self.scope]]
        field = model._client_status_history_field
        records = self.line_ids[field]
        unlocked = records._client_status_unlocked(fields.Date.context_today(self))
        evaluation = {
            line[field].id: (line.status_to_id.id, line.rule_id.id, line.metrics)
            for line in self.line_ids
            if line[field] in unlocked
            and line[field].client_status_id == line.status_from_id
        }
        # as a run writes them: the rule's source, the date and the rules'
        # status with the status
        model.browse(evaluation)._client_status_apply(evaluation)
        changed = len(evaluation)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if changed else "info",
                "message": _(
                    "Records whose status changed: %(changed)s of %(previewed)s"
                    " previewed (the others changed or were locked since).",
                    changed=changed,
                    previewed=len(self.line_ids),
                )
                if changed < len(self.line_ids)
                else _("Records whose status changed: %(changed)s.", changed=changed),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class ClientStatusReclassifyPreviewLine(models.TransientModel):
    _name = "client.status.reclassify.preview.line"
    _description = "Change in a Preview of a Reclassification"

    preview_id = fields.Many2one(
        "client.status.reclassify.preview",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one("res.partner", string="Contact", ondelete="cascade")
    lead_id = fields.Many2one("crm.lead", string="Lead", ondelete="cascade")
    status_from_id = fields.Many2one("client.status", string="From", ondelete="cascade")
    status_to_id = fields.Many2one("client.status", string="To", ondelete="cascade")
    rule_id = fields.Many2one("client.status.rule", string="Rule", ondelete="cascade")
    metrics = fields.Json()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_computed()
        return super().create(vals_list)

    def write(self, vals):
        self._check_computed()
        return super().write(vals)

    @api.model
    def _check_computed(self):
        """Refuse lines not written by the preview's own computation (in
        sudo): Apply writes them as the rules' changes."""
        if not self.env.su:
            raise AccessError(
                _(
                    "The changes of a preview are computed by the rules: they"
                    " cannot be written."
                )
            )
