# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.1.0 adds the summaries of the status history: sum the history
    the database already has."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for summary in env["client.status.summary"]._get_summary_models():
        summary._rebuild()
