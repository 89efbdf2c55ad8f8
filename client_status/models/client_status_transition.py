# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .client_status import SCOPES
from .client_status_history import DIRECTIONS, SOURCES


class ClientStatusTransition(models.Model):
    """The status changes counted per day, previous and new status, direction
    and source: what the transitions matrix and the upgrades and downgrades
    graph read (see ``client.status.summary``)."""

    _name = "client.status.transition"
    _inherit = "client.status.summary"
    _description = "Client Status Transitions"
    _order = "date desc"
    _rec_name = "date"
    _log_access = False

    # a row per day and change set, merged daily: a few thousand rows
    # where the history has millions, hence one index, on the day
    date = fields.Date(
        string="Day",
        readonly=True,
        index=True,
        help="The day of the changes, in the time zone of their company (of the"
        " first company for the changes of records of no company).",
    )
    scope = fields.Selection(SCOPES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    status_from_id = fields.Many2one("client.status", string="From", readonly=True)
    status_to_id = fields.Many2one("client.status", string="To", readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    transition_count = fields.Integer(string="Changes", readonly=True, aggregator="sum")

    def action_open_history(self):
        """The status changes the row counts."""
        self.ensure_one()
        zone = pytz.timezone(self._get_time_zone(self.company_id))
        start = zone.localize(datetime.combine(self.date, time.min))
        # the next midnight (not 24 hours later on the days clocks change)
        end = zone.localize(datetime.combine(self.date + timedelta(days=1), time.min))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "client_status.client_status_history_action"
        )
        action["domain"] = [
            ("date", ">=", fields.Datetime.to_string(start.astimezone(pytz.utc))),
            ("date", "<", fields.Datetime.to_string(end.astimezone(pytz.utc))),
            ("scope", "=", self.scope),
            ("company_id", "=", self.company_id.id),
            ("status_from_id", "=", self.status_from_id.id),
            ("status_to_id", "=", self.status_to_id.id),
            ("direction", "=", self.direction),
            ("source", "=", self.source),
        ]
        return action

    @api.model
    def _get_time_zone(self, company):
        """The time zone of the days of ``company``'s changes (as
        :meth:`_summary_keys` reads it): the one of the company's partner, else
        the one of the first company, else UTC."""
        # sudo: reads the configuration of companies the user may not be in
        first_company = self.env["res.company"].sudo().search([], limit=1)
        return company.sudo().partner_id.tz or first_company.partner_id.tz or "UTC"

    @api.model
    def _summary_flush(self):
        self.env["res.company"].flush_model(
            ["partner_id", "sequence", "name", "active"]
        )
        self.env["res.partner"].flush_model(["tz"])

    @api.model
    def _summary_joins(self):
        return SQL(
            """
            LEFT JOIN res_company AS company ON company.id = history.company_id
            LEFT JOIN res_partner AS company_partner
                   ON company_partner.id = company.partner_id
            """
        )

    @api.model
    def _summary_keys(self):
        first_company_tz = SQL(
            """
            SELECT partner.tz
              FROM res_company AS first_company
              JOIN res_partner AS partner ON partner.id = first_company.partner_id
             WHERE first_company.active
             ORDER BY first_company.sequence, first_company.name
             LIMIT 1
            """
        )
        return {
            "date": SQL(
                "(history.date AT TIME ZONE 'UTC' AT TIME ZONE"
                " COALESCE(company_partner.tz, (%s), 'UTC'))::date",
                first_company_tz,
            ),
            "scope": SQL("history.scope"),
            "company_id": SQL("history.company_id"),
            "status_from_id": SQL("history.status_from_id"),
            "status_to_id": SQL("history.status_to_id"),
            "direction": SQL("history.direction"),
            "source": SQL("history.source"),
        }

    @api.model
    def _summary_measures(self, sign):
        return {"transition_count": SQL("%s * count(*)", sign)}
