# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The lead values the contact rules read: a change makes the contact pending.
RULE_INPUTS = {
    "probability",
    "active",
    "stage_id",
    "expected_revenue",
    "partner_id",
    "date_closed",
}


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "client.status.mixin"]
    _client_status_scope = "lead"
    _client_status_history_field = "lead_id"

    client_status_id = fields.Many2one(string="Lead Status")
    partner_client_status_id = fields.Many2one(
        related="partner_id.commercial_partner_id.client_status_id",
        string="Customer Status",
        help="The status of the lead's customer (set on the contact).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.partner_id.commercial_partner_id._client_status_mark_pending()
        return leads

    def write(self, vals):
        before = self.partner_id.commercial_partner_id if "partner_id" in vals else None
        res = super().write(vals)
        if RULE_INPUTS & vals.keys():
            partners = self.partner_id.commercial_partner_id
            (partners | before if before else partners)._client_status_mark_pending()
        return res

    def unlink(self):
        partners = self.partner_id.commercial_partner_id
        res = super().unlink()
        partners._client_status_mark_pending()
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in ("email", "comment"):
            self._client_status_mark_pending()
            self.partner_id.commercial_partner_id._client_status_mark_pending()
        return res
