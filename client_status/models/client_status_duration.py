# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
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
        """``{status id: (average days, median days)}`` over the changes of
        ``companies`` (and of no company) that left one of ``statuses``.

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
        self.env.cr.execute(
            SQL(
                """
                WITH histogram AS (
                    SELECT status_id, days, sum(record_count) AS n,
                           sum(days_total) AS total
                      FROM client_status_duration
                     WHERE id IN %(rows)s
                     GROUP BY status_id, days
                    HAVING sum(record_count) > 0
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
                rows=query.subselect(),
            )
        )
        return {
            status_id: (float(average), float(median))
            for status_id, average, median in self.env.cr.fetchall()
        }
