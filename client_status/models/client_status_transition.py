# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
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
        " main company for the changes of records of no company).",
    )
    scope = fields.Selection(SCOPES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    status_from_id = fields.Many2one("client.status", string="From", readonly=True)
    status_to_id = fields.Many2one("client.status", string="To", readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    transition_count = fields.Integer(string="Changes", readonly=True, aggregator="sum")

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        """Say which side of a change a status is on: the headers of the
        matrix read "From: New" and "To: Regular", and a first status, which
        has no previous one, "(first status)" rather than "None"."""
        # formats ``rows_dict`` in place and returns nothing
        res = super()._read_group_format_result(rows_dict, lazy_groupby)
        for row in rows_dict:
            if "status_from_id" in lazy_groupby:
                status = row["status_from_id"]
                row["status_from_id"] = (
                    (status[0], _("From: %(status)s", status=status[1]))
                    if status
                    else (False, _("(first status)"))
                )
            if "status_to_id" in lazy_groupby and row["status_to_id"]:
                status = row["status_to_id"]
                row["status_to_id"] = (
                    status[0],
                    _("To: %(status)s", status=status[1]),
                )
        return res

    def action_open_history(self):
        """The status changes the row counts."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "client_status.client_status_history_action"
        )
        action["domain"] = [
            ("day", "=", fields.Date.to_string(self.date)),
            ("scope", "=", self.scope),
            ("company_id", "=", self.company_id.id),
            ("status_from_id", "=", self.status_from_id.id),
            ("status_to_id", "=", self.status_to_id.id),
            ("direction", "=", self.direction),
            ("source", "=", self.source),
        ]
        return action

    @api.model
    def _summary_keys(self):
        return {
            "date": SQL("history.day"),
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
