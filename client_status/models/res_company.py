# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Days a manual change of status holds against the rules, by default.
DEFAULT_LOCK_DAYS = 90


class ResCompany(models.Model):
    """How long a manual change of status holds against the rules, per
    company and scope (``client_status_lock_days_<scope>``): companies sell
    differently, and a record follows the setting of its own company."""

    _inherit = "res.company"

    client_status_lock_days_partner = fields.Integer(
        string="Contact Status Lock (Days)",
        default=DEFAULT_LOCK_DAYS,
        help="A contact's status changed by hand (or imported) is locked against"
        " the rules for this many days; 0: not locked.",
    )
    client_status_lock_days_lead = fields.Integer(
        string="Lead Status Lock (Days)",
        default=DEFAULT_LOCK_DAYS,
        help="A lead's status changed by hand (or imported) is locked against"
        " the rules for this many days; 0: not locked.",
    )

    @api.constrains("client_status_lock_days_partner", "client_status_lock_days_lead")
    def _check_client_status_lock_days(self):
        if any(
            company.client_status_lock_days_partner < 0
            or company.client_status_lock_days_lead < 0
            for company in self
        ):
            raise ValidationError(_("The days a status is locked cannot be negative."))
