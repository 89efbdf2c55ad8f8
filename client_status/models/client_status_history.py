# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
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
    rule_id = fields.Many2one(
        "client.status.rule",
        string="Rule",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    metrics = fields.Json(readonly=True, help="The metric values the rule tested.")
    metrics_display = fields.Text(
        string="Metric Values", compute="_compute_metrics_display"
    )

    @api.depends("partner_id", "lead_id", "status_from_id", "status_to_id")
    def _compute_display_name(self):
        for row in self:
            record = row.partner_id or row.lead_id
            row.display_name = (
                f"{record.display_name}: {row.status_from_id.name or '-'}"
                f" \N{RIGHTWARDS ARROW} {row.status_to_id.name or '-'}"
            )

    def _compute_metrics_display(self):
        labels = dict(
            self.env["client.status.rule.condition"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        for row in self:
            lines = []
            for name, value in sorted((row.metrics or {}).items()):
                metric, __, window = name.rpartition("_")
                if not window.isdigit():
                    metric, window = name, ""
                label = labels.get(metric, metric)
                if window:
                    label = _("%(metric)s (%(days)s days)", metric=label, days=window)
                lines.append(f"{label}: {value:g}")
            row.metrics_display = "\n".join(lines)

    @api.model
    def _insert_rows(
        self, record_field, scope, changes, source, reason=None, date=None
    ):
        """Insert one history row per change, in a single statement.

        :param str record_field: ``partner_id`` or ``lead_id``
        :param str scope: the scope of the statuses
        :param changes: list of ``(record_id, from_id, to_id, previous_date,
            company_id, rule_id, metrics)`` tuples, ids or ``None``, metrics a
            dict or ``None``
        :param str source: one of ``SOURCES``
        :param str reason: optional text stored on every row
        :param datetime date: when the changes happened (now by default)
        """
        if not changes:
            return
        if record_field not in self._fields:
            raise ValueError(f"{self._name} has no field {record_field}")
        record_ids, from_ids, to_ids, previous_dates, company_ids, rule_ids, metrics = (
            zip(*changes, strict=True)
        )
        now = date or fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO client_status_history (
                    %(record_field)s, scope, status_from_id, status_to_id, date,
                    user_id, source, reason, days_in_previous, company_id,
                    rule_id, metrics, create_uid, create_date, write_uid, write_date)
                SELECT change.record_id, %(scope)s, change.from_id, change.to_id,
                       %(now)s,
                       %(uid)s, %(source)s, %(reason)s,
                       EXTRACT(EPOCH FROM %(now)s - change.previous_date) / 86400.0,
                       change.company_id, change.rule_id, change.metrics,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(record_ids)s::int[], %(from_ids)s::int[],
                              %(to_ids)s::int[], %(previous_dates)s::timestamp[],
                              %(company_ids)s::int[], %(rule_ids)s::int[],
                              %(metrics)s::jsonb[])
                    AS change(record_id, from_id, to_id, previous_date, company_id,
                              rule_id, metrics)
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
                rule_ids=list(rule_ids),
                metrics=[json.dumps(value) if value else None for value in metrics],
            )
        )
        self.invalidate_model()
