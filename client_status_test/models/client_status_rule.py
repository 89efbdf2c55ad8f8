# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .client_status import TEST_SCOPE, TEST_SCOPE_ONDELETE


class ClientStatusRule(models.Model):
    _inherit = "client.status.rule"

    scope = fields.Selection(selection_add=TEST_SCOPE, ondelete=TEST_SCOPE_ONDELETE)
