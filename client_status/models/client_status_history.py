# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .client_status import SCOPES

SOURCES = [
    ("manual", "Manual"),
    ("rule", "Rule"),
    ("automation", "Automation"),
    ("import", "Import"),
    ("install", "Installation"),
]


class ClientStatusHistory(models.Model):
    """One row per status change of a contact or a lead.

    Rows are written by the models that carry a status (see
    ``client.status.mixin``), in the transaction of the change, with one INSERT
    per change set; nobody creates, edits or deletes them through the ORM."""

    _name = "client.status.history"
    _description = "Client Status History"
    _order = "date desc, id desc"

    scope = fields.Selection(SCOPES, required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    status_from_id = fields.Many2one(
        "client.status", string="From", index=True, ondelete="restrict", readonly=True
    )
    status_to_id = fields.Many2one(
        "client.status", string="To", index=True, ondelete="restrict", readonly=True
    )
    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, ondelete="set null"
    )
    source = fields.Selection(SOURCES, required=True, readonly=True, index=True)
    reason = fields.Text(readonly=True)
    days_in_previous = fields.Float(
        string="Days in Previous Status",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="How long the record had its previous status "
        "(empty for its first status).",
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)

    @api.depends("partner_id", "lead_id", "status_from_id", "status_to_id")
    def _compute_display_name(self):
        for row in self:
            record = row.partner_id or row.lead_id
            row.display_name = (
                f"{record.display_name}: {row.status_from_id.name or '-'}"
                f" \N{RIGHTWARDS ARROW} {row.status_to_id.name or '-'}"
            )

    @api.model
    def _insert_rows(
        self, record_field, scope, changes, source, reason=None, date=None
    ):
        """Insert one history row per change, in a single statement.

        :param str record_field: ``partner_id`` or ``lead_id``
        :param str scope: the scope of the statuses
        :param changes: list of ``(record_id, from_id, to_id, previous_date,
            company_id)`` tuples, ids or ``None``
        :param str source: one of ``SOURCES``
        :param str reason: optional text stored on every row
        :param datetime date: when the changes happened (now by default)
        """
        if not changes:
            return
        if record_field not in self._fields:
            raise ValueError(f"{self._name} has no field {record_field}")
        record_ids, from_ids, to_ids, previous_dates, company_ids = zip(
            *changes, strict=True
        )
        now = date or fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO client_status_history (
                    %(record_field)s, scope, status_from_id, status_to_id, date,
                    user_id, source, reason, days_in_previous, company_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT change.record_id, %(scope)s, change.from_id, change.to_id,
                       %(now)s,
                       %(uid)s, %(source)s, %(reason)s,
                       EXTRACT(EPOCH FROM %(now)s - change.previous_date) / 86400.0,
                       change.company_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(record_ids)s::int[], %(from_ids)s::int[],
                              %(to_ids)s::int[], %(previous_dates)s::timestamp[],
                              %(company_ids)s::int[])
                    AS change(record_id, from_id, to_id, previous_date, company_id)
                """,
                record_field=SQL.identifier(record_field),
                scope=scope,
                now=now,
                uid=self.env.uid,
                source=source,
                reason=reason or None,
                record_ids=list(record_ids),
                from_ids=list(from_ids),
                to_ids=list(to_ids),
                previous_dates=list(previous_dates),
                company_ids=list(company_ids),
            )
        )
        self.invalidate_model()
