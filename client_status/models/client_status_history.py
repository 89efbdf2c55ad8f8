# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from collections import namedtuple

import pytz

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from .client_status import SCOPES

SOURCES = [
    ("manual", "Manual"),
    ("rule", "Rule"),
    ("automation", "Automation"),
    ("import", "Import"),
    ("install", "Installation"),
]
DIRECTIONS = [("up", "Upgrade"), ("down", "Downgrade"), ("lateral", "Lateral")]

# One change of status of a record, as the history records it: ids or None,
# ``previous_date`` when the record got the status it leaves, ``metrics`` a
# dict or None, ``reason`` a text, its translations (``{lang: text}``, see
# ``_translate_reason``) or None.
StatusChange = namedtuple(
    "StatusChange",
    "record_id from_id to_id previous_date company_id rule_id metrics reason",
    defaults=(None, None, None, None, None),
)


class ClientStatusSource(str):
    """A history source named by the addon's own code in the context
    (``client_status_source``): the context of an RPC call is JSON, which
    cannot build an instance of this class, so a source of another type is
    not trusted (see ``ClientStatusMixin._client_status_source``)."""

    __slots__ = ()


class ClientStatusHistory(models.Model):
    """One row per status change of a contact or a lead.

    Rows are written by the models that carry a status (see
    ``client.status.mixin``), in the transaction of the change, with one INSERT
    per change set; nobody creates, edits or deletes them through the ORM."""

    _name = "client.status.history"
    _description = "Client Status History"
    _order = "date desc, id desc"

    # no index on the columns of a few values (scope, source, company): they
    # filter nothing an index would find faster, and each index costs every
    # insert of the rule engine
    scope = fields.Selection(SCOPES, required=True, readonly=True)
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
    day = fields.Date(
        readonly=True,
        help="The day of the change in the time zone of its company (of the"
        " main company for records of no company), as the analysis counts it.",
    )
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, ondelete="set null"
    )
    source = fields.Selection(SOURCES, required=True, readonly=True)
    # translated: a reason the addon writes is stored in every installed
    # language and read in the reader's; a person's own words in theirs
    reason = fields.Text(readonly=True, translate=True)
    days_in_previous = fields.Float(
        string="Days in Previous Status",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="How long the record had its previous status "
        "(empty for its first status).",
    )
    direction = fields.Selection(
        DIRECTIONS,
        readonly=True,
        help="Whether the new status ranks above the previous one: by kind"
        " (blacklist, lost and archived lowest, then inactive, prospects and"
        " open leads, customers, won), then by the order of the catalogue."
        " Empty for a first status.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    rule_id = fields.Many2one(
        "client.status.rule",
        string="Rule",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    metrics = fields.Json(readonly=True, help="The metric values the rule tested.")
    partner_last_won_date = fields.Datetime(
        string="Last Won Deal",
        compute="_compute_partner_last_won_date",
        help="When the contact (or its company) last won a deal.",
    )
    metrics_display = fields.Text(
        string="Metric Values", compute="_compute_metrics_display"
    )

    @api.depends("partner_id", "lead_id", "status_from_id", "status_to_id")
    def _compute_display_name(self):
        models_by_scope = self.env["client.status"]._get_status_models()
        for row in self:
            # the record's field: that of the model of the row's scope
            field = self.env[models_by_scope[row.scope]]._client_status_history_field
            record = row[field]
            row.display_name = (
                f"{record.display_name}: {row.status_from_id.name or '-'}"
                f" \N{RIGHTWARDS ARROW} {row.status_to_id.name or '-'}"
            )

    def _compute_partner_last_won_date(self):
        entities = self.partner_id.commercial_partner_id
        last_won = {}
        for partner, date in self.env["crm.lead"]._read_group(
            [
                ("partner_id", "child_of", entities.ids),
                ("probability", "=", 100),
            ],
            ["partner_id"],
            ["date_closed:max"],
        ):
            entity = partner.commercial_partner_id
            if date and (entity not in last_won or date > last_won[entity]):
                last_won[entity] = date
        for row in self:
            row.partner_last_won_date = last_won.get(
                row.partner_id.commercial_partner_id, False
            )

    def _compute_metrics_display(self):
        labels = dict(
            self.env["client.status.rule.condition"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        for row in self:
            lines = []
            metrics = row.metrics if isinstance(row.metrics, dict) else {}
            for name, value in sorted(metrics.items()):
                metric, __, window = name.rpartition("_")
                if not window.isdigit():
                    metric, window = name, ""
                label = labels.get(metric, metric)
                if window:
                    label = _("%(metric)s (%(days)s days)", metric=label, days=window)
                # the engine writes numbers; anything else is shown as is
                shown = (
                    f"{value:g}"
                    if isinstance(value, int | float) and not isinstance(value, bool)
                    else str(value)
                )
                lines.append(f"{label}: {shown}")
            row.metrics_display = "\n".join(lines)

    @api.model
    def _insert_rows(
        self, record_field, scope, changes, source, reason=None, date=None
    ):
        """Insert one history row per change, in a single statement.

        :param str record_field: ``partner_id`` or ``lead_id``
        :param str scope: the scope of the statuses
        :param changes: ``StatusChange`` tuples (a change without a reason
            of its own gets ``reason`` below)
        :param str source: one of ``SOURCES``
        :param reason: optional text or translations stored on the rows
            without their own
        :param datetime date: when the changes happened (now by default)
        """
        if not changes:
            return
        if record_field not in self._fields:
            raise ValueError(f"{self._name} has no field {record_field}")
        now = date or fields.Datetime.now()
        # one JSON document rather than an array per column: psycopg2 adapts
        # one string instead of thousands of values
        rows = [StatusChange(*change)._asdict() for change in changes]
        days = self._get_local_days(now, {row["company_id"] for row in rows})
        for row in rows:
            row["previous_date"] = row["previous_date"] and (
                row["previous_date"].isoformat()
            )
            row["metrics"] = row["metrics"] or None
            row["reason"] = self._reason_translations(row["reason"] or reason)
            row["day"] = days[row["company_id"]].isoformat()
        self.env["client.status"].flush_model(["kind", "sequence"])
        insert = SQL(
            """
                INSERT INTO client_status_history (
                    %(record_field)s, scope, status_from_id, status_to_id, date,
                    day, user_id, source, reason, days_in_previous, direction,
                    company_id, rule_id, metrics,
                    create_uid, create_date, write_uid, write_date)
                SELECT change.record_id, %(scope)s, change.from_id, change.to_id,
                       %(now)s, change.day,
                       %(uid)s, %(source)s, change.reason,
                       EXTRACT(EPOCH FROM %(now)s - change.previous_date) / 86400.0,
                       %(direction)s,
                       change.company_id, change.rule_id, change.metrics,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS change(
                           record_id int, from_id int, to_id int,
                           previous_date timestamp, company_id int, rule_id int,
                           metrics jsonb, reason jsonb, day date)
                  LEFT JOIN client_status AS status_from
                         ON status_from.id = change.from_id
                  LEFT JOIN client_status AS status_to
                         ON status_to.id = change.to_id
                RETURNING *
                """,
            direction=self.env["client.status"]._direction_sql(
                "status_from", "status_to"
            ),
            record_field=SQL.identifier(record_field),
            scope=scope,
            now=now,
            uid=self.env.uid,
            source=source,
            rows=json.dumps(rows),
        )
        # the summaries of the history take the rows in the same statement
        summaries = self.env["client.status.summary"]._get_summary_models()
        self.env.cr.execute(
            SQL(
                "WITH %s SELECT count(*) FROM inserted",
                SQL(", ").join(
                    [SQL("inserted AS (%s)", insert), *self._summaries_sql("inserted")]
                ),
            )
        )
        self.invalidate_model()
        for summary in summaries:
            summary.invalidate_model()

    @api.model
    def _translate_reason(self, render):
        """A reason the addon writes, in every installed language:
        ``{lang: render(env)}``, ``env`` being the current environment in
        that language (``render`` calls ``env._(...)``). Stored as such, the
        history shows it in the language of whoever reads it."""
        langs = {code for code, __ in self.env["res.lang"].get_installed()}
        return {
            lang: render(self.with_context(lang=lang).env)
            for lang in sorted(langs | {"en_US"})
        }

    @api.model
    def _reason_translations(self, reason):
        """The value of the translated column ``reason`` for a text (a
        person's words, the same in every language) or for translations
        (``_translate_reason``); ``None`` for no reason."""
        if not reason:
            return None
        if isinstance(reason, dict):
            return reason if reason.get("en_US") else None
        return {"en_US": reason}

    @api.model
    def _get_local_days(self, moment, company_ids):
        """``{company_id: date}``: the day ``moment`` (UTC) falls on in the
        time zone of each company (its address's; the main company's for
        ``None``, no company), UTC for a company without one."""
        # cached (env.ref would check that the company exists)
        main_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "base.main_company", raise_if_not_found=False
        )
        zones = {
            company_id: self._get_company_zone(company_id)
            for company_id in {company_id or main_id for company_id in company_ids}
        }
        moment = pytz.utc.localize(moment)
        return {
            company_id: moment.astimezone(
                pytz.timezone(zones.get(company_id or main_id) or "UTC")
            ).date()
            for company_id in company_ids
        }

    @api.model
    @tools.ormcache("company_id")
    def _get_company_zone(self, company_id):
        """The time zone of a company's address (every change of status asks:
        cached until a partner's time zone changes, see res.partner)."""
        # sudo: the time zones are configuration (the companies of other
        # users' records too)
        return self.env["res.company"].sudo().browse(company_id).partner_id.tz

    @api.model
    def _summaries_sql(self, rows, sign=1):
        """The common table expressions (``summary_<n> AS (INSERT ...)``) that
        add to every summary of the history the rows of the expression named
        ``rows`` (e.g. an INSERT into the history that returns its rows), or
        take them out of it with ``sign`` -1."""
        return [
            SQL(
                "%s AS (%s)",
                SQL.identifier(f"summary_{index}"),
                summary._add_rows_sql(SQL.identifier(rows), sign),
            )
            for index, summary in enumerate(
                self.env["client.status.summary"]._get_summary_models()
            )
        ]

    @api.model
    def _summarize(self, condition, sign=1):
        """Add the rows that match ``condition`` (SQL over the alias
        ``history``) to the summaries of the history, or remove them with
        ``sign`` -1 (see ``client.status.summary``)."""
        summaries = self.env["client.status.summary"]._get_summary_models()
        if not summaries:
            return
        # every summary in one statement, the rows read once
        self.env.cr.execute(
            SQL(
                "WITH rows AS MATERIALIZED (%s), %s SELECT 1",
                SQL(
                    "SELECT * FROM client_status_history AS history WHERE %s",
                    condition,
                ),
                SQL(", ").join(self._summaries_sql("rows", sign)),
            )
        )
        for summary in summaries:
            summary.invalidate_model()
