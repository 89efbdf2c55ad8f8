# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # on the company: each company of a multi-company database sets its own
    client_status_lock_days_partner = fields.Integer(
        related="company_id.client_status_lock_days_partner", readonly=False
    )
    client_status_lock_days_lead = fields.Integer(
        related="company_id.client_status_lock_days_lead", readonly=False
    )
