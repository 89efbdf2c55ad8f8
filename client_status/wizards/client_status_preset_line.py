# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class ClientStatusPresetLine(models.TransientModel):
    """A status the preset replaces, with the records that use it and the
    status of the preset they move to (none: the status is kept)."""

    _name = "client.status.preset.line"
    _description = "Status Replaced by a Preset"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "client.status.preset", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    status_id = fields.Many2one(
        "client.status", string="Current Status", required=True, readonly=True
    )
    kind = fields.Selection(related="status_id.kind")
    record_count = fields.Integer(string="Records", readonly=True)
    target_status_id = fields.Many2one(
        "client.status",
        string="Move To",
        context={"active_test": False},
        help="The status of the preset the records move to; the current status"
        " is archived.",
    )
    note = fields.Char(compute="_compute_note")

    @api.depends("kind", "target_status_id")
    def _compute_note(self):
        for line in self:
            line.note = (
                _("Kept active: records never leave a blacklist status.")
                if line.kind == "blacklist" and not line.target_status_id
                else False
            )
