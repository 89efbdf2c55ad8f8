# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

# The shipped automation rules (noupdate): their code works on all the records
# of an event at once.
AUTOMATIONS = [
    "base_automation_lead_for_contact",
    "base_automation_lead_won",
    "base_automation_lead_lost",
    "base_automation_lead_reopened",
    "base_automation_lead_restored",
    "base_automation_won_lead_deleted",
    "base_automation_client_reply",
]


def migrate(cr, version):
    """18.0.1.2.0 runs the shipped automation rules once per event (a mass
    update: one run, not one per lead), and the pending job every 5 minutes
    (writes no longer trigger it): set both on the records the database has
    (noupdate, not reloaded)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(
        "client_status.ir_cron_client_status_reclassify_pending",
        raise_if_not_found=False,
    )
    if cron and (cron.interval_number, cron.interval_type) == (10, "minutes"):
        cron.interval_number = 5
    automations = env["base.automation"].browse(
        record.id
        for xmlid in AUTOMATIONS
        if (record := env.ref(f"client_status.{xmlid}", raise_if_not_found=False))
    )
    automations.client_status_batch = True
