# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ClientStatusJobWizard(models.AbstractModel):
    """A wizard whose work may run as a job (``client.status.job``): it
    shows the job's progress, a button to refresh it, and its result."""

    _name = "client.status.job.wizard"
    _description = "Wizard Running a Client Status Job"

    job_id = fields.Many2one("client.status.job", readonly=True, ondelete="cascade")
    job_kind = fields.Selection(related="job_id.kind")
    job_state = fields.Selection(related="job_id.state")
    job_progress = fields.Float(related="job_id.progress")
    job_done_count = fields.Integer(related="job_id.done_count")
    job_record_count = fields.Integer(related="job_id.record_count")
    job_result = fields.Text(related="job_id.result")
    job_error = fields.Text(related="job_id.error")

    @api.model_create_multi
    def create(self, vals_list):
        # a default given in the context is a value given too
        self._check_job_fields(
            {fname for vals in vals_list for fname in vals}
            | {
                key.removeprefix("default_")
                for key in self.env.context
                if key.startswith("default_")
            }
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_job_fields(vals)
        return super().write(vals)

    def action_refresh(self):
        """Show the wizard again, with the job's progress."""
        self.ensure_one()
        return self._get_wizard_action()

    @api.model
    def _job_fields(self):
        """The fields naming the wizard's jobs: set by the wizard only."""
        return {"job_id"}

    @api.model
    def _check_job_fields(self, fnames):
        """Refuse a job given by a client: the wizard starts its own."""
        if not self.env.su and self._job_fields() & set(fnames):
            raise AccessError(_("A wizard's job is started by the wizard itself."))

    def _show_job(self, job, **values):
        """Follow ``job`` in the wizard (and ``values``, other job fields)."""
        self.ensure_one()
        # sudo: the wizard's own job, just started (see _check_job_fields)
        self.sudo().write(dict(values, job_id=job.id))
        return self._get_wizard_action()

    def _get_wizard_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.job_id.name or self._description,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
