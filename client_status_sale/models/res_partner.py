# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _client_status_metrics(self):
        return super()._client_status_metrics() | {
            "days_since_last_order",
            "order_count_window",
            "order_revenue_window",
        }

    @api.model
    def _client_status_metric_inputs(self):
        # what the order aggregates read (_client_status_order_stats)
        orders = {"sale.order": {"partner_id", "state", "date_order", "amount_untaxed"}}
        return super()._client_status_metric_inputs() | {
            "days_since_last_order": orders,
            "order_count_window": orders,
            "order_revenue_window": orders,
        }

    def _client_status_order_stats(self, context, window_days=0):
        """Confirmed sale orders per record of ``self`` (commercial entities)
        in one query per batch, for every window the batch's rules test, by
        column: ``{"last_order", "orders_<days>", "revenue_<days>"}``, each
        ``{id: value}``."""
        windows = self._client_status_windows(context, window_days)
        key = ("order_stats", *windows)
        if key in context["batch"]:
            return context["batch"][key]
        self.env["sale.order"].flush_model(
            ["partner_id", "state", "date_order", "amount_untaxed"]
        )
        windowed = [
            SQL(
                "count(*) FILTER (WHERE sale.date_order >= %(since)s),"
                " coalesce(sum(sale.amount_untaxed)"
                " FILTER (WHERE sale.date_order >= %(since)s), 0)",
                since=context["now"] - timedelta(days=days),
            )
            for days in windows
        ]
        names = ["last_order"]
        for days in windows:
            names += [f"orders_{days}", f"revenue_{days}"]
        stats = self._client_status_columns(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT member.commercial_partner_id, max(sale.date_order)
                       %(windowed)s
                  FROM sale_order AS sale
                  JOIN member ON member.id = sale.partner_id
                 WHERE sale.partner_id = ANY(ARRAY(SELECT id FROM member))
                   AND sale.state = 'sale'
                 GROUP BY member.commercial_partner_id
                """,
                members=self._client_status_members_query(),
                windowed=SQL("").join(SQL(", %s", column) for column in windowed),
            ),
            names,
        )
        context["batch"][key] = stats
        return stats

    def _client_status_metric_days_since_last_order(self, window_days, context):
        stats = self._client_status_order_stats(context)
        return self._client_status_days_since(stats["last_order"], context)

    def _client_status_metric_order_count_window(self, window_days, context):
        stats = self._client_status_order_stats(context, window_days)
        return self._client_status_zero_default(stats[f"orders_{window_days}"])

    def _client_status_metric_order_revenue_window(self, window_days, context):
        stats = self._client_status_order_stats(context, window_days)
        return self._client_status_zero_default(stats[f"revenue_{window_days}"])
