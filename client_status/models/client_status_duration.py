# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .client_status import SCOPES


class ClientStatusDuration(models.Model):
    """How long records kept each status, counted per tenth of a day:
    the histogram the average and the median days in a status are read from
    (``client.status`` fields ``days_average`` and ``days_median``, see
    ``client.status.summary``)."""

    _name = "client.status.duration"
    _inherit = "client.status.summary"
    _description = "Client Status Durations"
    _rec_name = "status_id"
    _log_access = False

    scope = fields.Selection(SCOPES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    status_id = fields.Many2one("client.status", readonly=True)
    days = fields.Float(
        digits=(16, 1), readonly=True, help="Days the status was kept, to a tenth."
    )
    record_count = fields.Integer(string="Changes", readonly=True, aggregator="sum")
    days_total = fields.Float(
        string="Total Days",
        readonly=True,
        aggregator="sum",
        help="The exact days summed, for the average.",
    )

    @api.model
    def _summary_keys(self):
        return {
            "scope": SQL("history.scope"),
            "company_id": SQL("history.company_id"),
            "status_id": SQL("history.status_from_id"),
            "days": SQL("round(history.days_in_previous, 1)"),
        }

    @api.model
    def _summary_measures(self, sign):
        return {
            "record_count": SQL("%s * count(*)", sign),
            "days_total": SQL("%s * sum(history.days_in_previous)", sign),
        }

    @api.model
    def _summary_condition(self):
        # a first status has no previous one
        return SQL("history.days_in_previous IS NOT NULL")

    @api.model
    def _get_figures(self, statuses, companies):
        """``{status id: (average days, median days)}`` over the periods in
        one of ``statuses`` of records of ``companies`` (and of no company):
        the periods that ended (the changes that left the status, from the
        summary) and the current periods of the records that still have it
        (until now, see :meth:`_current_periods_sql`). Without them, a status
        nobody left in the period, as after the installation, would read 0
        days however long its records have had it.

        The median is the one of the days to a tenth (as the figures show):
        the middle of the histogram, the mean of its two middle values for an
        even count. Read under the access rules of the summary (none for
        users without access)."""
        if not self.has_access("read"):
            return {}
        self.flush_model()
        query = self._search(
            [
                ("status_id", "in", statuses.ids),
                "|",
                ("company_id", "=", False),
                ("company_id", "in", companies.ids),
            ]
        )
        periods = [
            SQL(
                """
                SELECT status_id, days, record_count AS n, days_total AS total
                  FROM client_status_duration
                 WHERE id IN %s
                """,
                query.subselect(),
            ),
            *self._current_periods_sql(statuses, companies),
        ]
        self.env.cr.execute(
            SQL(
                """
                WITH periods AS (%(periods)s), histogram AS (
                    SELECT status_id, days, sum(n) AS n, sum(total) AS total
                      FROM periods
                     GROUP BY status_id, days
                    HAVING sum(n) > 0
                ), running AS (
                    SELECT status_id, days, total,
                           sum(n) OVER (PARTITION BY status_id ORDER BY days)
                               AS reached,
                           sum(n) OVER (PARTITION BY status_id) AS everyone,
                           (sum(n) OVER (PARTITION BY status_id) + 1) / 2.0
                               AS middle
                      FROM histogram
                )
                SELECT status_id, sum(total) / max(everyone),
                       (min(days) FILTER (WHERE reached >= floor(middle))
                        + min(days) FILTER (WHERE reached >= ceil(middle))) / 2.0
                  FROM running
                 GROUP BY status_id
                """,
                periods=SQL(" UNION ALL ").join(periods),
            )
        )
        return {
            status_id: (float(average), float(median))
            for status_id, average, median in self.env.cr.fetchall()
        }

    @api.model
    def _current_periods_sql(self, statuses, companies):
        """The current periods in ``statuses`` of the active records of
        ``companies`` (and of no company), from the day they got their
        status until now: a list of SQL relations of columns ``status_id``,
        ``days`` (to a tenth), ``n`` and ``total`` (the exact days), one per
        model of statuses."""
        now = fields.Datetime.now()
        relations = []
        for model_name in self.env["client.status"]._get_status_models().values():
            # sudo: figures, not records; the summary counts everyone's
            # changes likewise (statuses and companies are the user's own)
            Model = self.env[model_name].sudo()
            Model.flush_model()
            query = Model._search(
                expression.AND(
                    [
                        [
                            ("client_status_id", "in", statuses.ids),
                            ("client_status_date", "!=", False),
                        ],
                        ["|", ("company_id", "=", False)]
                        + [("company_id", "in", companies.ids)],
                    ]
                )
            )
            # never below 0 (a status dated after now by a server's clock)
            days = SQL(
                "greatest(EXTRACT(EPOCH FROM %s - %s) / 86400.0, 0)",
                now,
                SQL.identifier(Model._table, "client_status_date"),
            )
            query.groupby = SQL("1, 2")
            relations.append(
                query.select(
                    SQL.identifier(Model._table, "client_status_id"),
                    SQL("round(%s, 1)", days),
                    SQL("count(*)"),
                    SQL("sum(%s)::float8", days),
                )
            )
        return relations
