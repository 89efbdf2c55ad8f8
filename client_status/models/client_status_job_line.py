# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ClientStatusJobLine(models.Model):
    """A change a preview of the rules plans: Apply writes it as it is
    (written by the preview's job only, see ``client.status.job``)."""

    _name = "client.status.job.line"
    _description = "Change Planned by a Preview of the Rules"
    _order = "id"

    job_id = fields.Many2one(
        "client.status.job",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
    )
    status_from_id = fields.Many2one(
        "client.status", string="From", readonly=True, ondelete="cascade"
    )
    status_to_id = fields.Many2one(
        "client.status", string="To", readonly=True, ondelete="cascade"
    )
    rule_id = fields.Many2one(
        "client.status.rule", string="Rule", readonly=True, ondelete="cascade"
    )
    metrics = fields.Json(readonly=True)
