# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The scope of the test records, added to every scope field of the engine
# (the catalogue, the rules, the runs, the history and its summaries).
TEST_SCOPE = [("test", "Test Records")]
TEST_SCOPE_ONDELETE = {"test": "cascade"}
# The kinds of its statuses: those of the contacts (blacklist included, which
# the rules never touch).
TEST_KINDS = ("prospect", "customer", "inactive", "blacklist", "archive")


class ClientStatus(models.Model):
    _inherit = "client.status"

    scope = fields.Selection(selection_add=TEST_SCOPE, ondelete=TEST_SCOPE_ONDELETE)

    @api.model
    def _get_status_models(self):
        return dict(super()._get_status_models(), test="client.status.test.record")

    @api.model
    def _get_scope_kinds(self):
        return dict(super()._get_scope_kinds(), test=TEST_KINDS)
