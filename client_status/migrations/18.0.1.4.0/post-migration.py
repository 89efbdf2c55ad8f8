# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

# The jobs of the reclassification, on the runs' model since 18.0.1.4.0.
RUN_CRONS = (
    "client_status.ir_cron_client_status_reclassify",
    "client_status.ir_cron_client_status_reclassify_runs",
    "client_status.ir_cron_client_status_reclassify_pending",
)


def migrate(cr, version):
    """18.0.1.4.0 moves the reclassification jobs from the rules to the
    runs (``client.status.run._cron_*``): their records are ``noupdate``,
    so the update leaves them on the rules' model unless moved here."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    crons = env["ir.cron"]
    for xmlid in RUN_CRONS:
        crons |= env.ref(xmlid, raise_if_not_found=False) or crons
    crons.model_id = env["ir.model"]._get("client.status.run")
