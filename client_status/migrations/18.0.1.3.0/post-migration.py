# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.3.0 runs the reclassification per company (and one run for the
    shared records): a run started before covers every company, but would
    now resume over the shared records only. It ends as failed; the next
    daily job starts the runs of every company (its snapshots go with it)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["client.status.run"].search([("state", "=", "running")])._fail(
        ValueError("replaced by the runs per company of 18.0.1.3.0")
    )
