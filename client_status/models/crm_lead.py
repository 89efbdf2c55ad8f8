# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
