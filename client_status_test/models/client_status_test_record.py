# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ClientStatusTestRecord(models.Model):
    """A record with a client status and nothing else of contacts or leads:
    the engine (``client.status.mixin``) tested on a model of its own."""

    _name = "client.status.test.record"
    # mail.thread: the status is tracked, and the last contact is a message
    _inherit = ["mail.thread", "client.status.mixin"]
    _description = "Client Status Test Record"
    _order = "id"
    _client_status_scope = "test"
    _client_status_history_field = "test_record_id"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", index=True)
    partner_id = fields.Many2one("res.partner", string="Contact")
    amount = fields.Float()
