# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    """18.0.1.1.0 adds the day of each change in its company's time zone and
    the summaries of the history: fill the day of the rows the database
    already has, then sum them."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT name FROM pg_timezone_names")
    known = {name for (name,) in cr.fetchall()}

    def zone(company):
        return company.partner_id.tz if company.partner_id.tz in known else "UTC"

    companies = env["res.company"].with_context(active_test=False).search([])
    main_company = env.ref("base.main_company", raise_if_not_found=False)
    for company, condition in [
        *((company, SQL("company_id = %s", company.id)) for company in companies),
        (main_company or companies[:1], SQL("company_id IS NULL")),
    ]:
        cr.execute(
            SQL(
                """
                UPDATE client_status_history
                   SET day = (date AT TIME ZONE 'UTC' AT TIME ZONE %s)::date
                 WHERE day IS NULL AND %s
                """,
                zone(company),
                condition,
            )
        )
    for summary in env["client.status.summary"]._get_summary_models():
        summary._rebuild()
