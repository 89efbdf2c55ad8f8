# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.client_status import SCOPES


class ClientStatusReclassifyPreview(models.TransientModel):
    """What a run of the rules would change, computed without writing
    anything (a job: in the background on many records); "Apply" writes
    exactly these changes."""

    _name = "client.status.reclassify.preview"
    _inherit = "client.status.job.wizard"
    _description = "Preview of a Reclassification by Rules"

    scope = fields.Selection(SCOPES, required=True, default="partner")
    preview_job_id = fields.Many2one(
        "client.status.job", readonly=True, ondelete="cascade"
    )
    line_ids = fields.Many2many(related="preview_job_id.shown_line_ids")
    change_count = fields.Integer(
        string="Number of Changes", related="preview_job_id.changed_count"
    )
    summary = fields.Html(related="preview_job_id.summary")

    @api.model
    def _action_open(self, scope):
        """Start the preview of ``scope`` and open it."""
        preview = self.create({"scope": scope})
        job = self.env["client.status.job"]._start_preview(scope)
        return preview._show_job(job, preview_job_id=job.id)

    @api.model
    def _job_fields(self):
        return super()._job_fields() | {"preview_job_id"}

    def action_apply(self):
        """Write the previewed changes (those whose record still has the
        status the preview saw and is not locked since), with their history
        rows: in the request, or as a job when they are many."""
        self.ensure_one()
        if not self.preview_job_id:
            raise UserError(_("Nothing to apply: preview the rules first."))
        job = self.preview_job_id._apply_preview()
        if job.background:
            return self._show_job(job)
        return job._get_done_notification()
