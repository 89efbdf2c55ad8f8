# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # the days a manual change locks a status, per scope: the setting the
    # engine looks for (client_status_lock_days_<scope>)
    client_status_lock_days_test = fields.Integer(
        string="Test Record Status Lock (Days)", default=30
    )
