# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import models
from odoo.tools import SQL, LazyTranslate

from odoo.addons.client_status.models.client_status_engine import metric

_lt = LazyTranslate(__name__)

# What the order aggregates read (``_client_status_order_stats``).
ORDERS = {"partner_id", "state", "date_order", "amount_untaxed"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _client_status_order_stats(self, context, window_days=0):
        """Confirmed sale orders per record of ``self`` (commercial entities)
        in one query per batch, for every window the batch's rules test, by
        column: ``{"last_order", "orders_<days>", "revenue_<days>"}``, each
        ``{id: value}``."""
        windows = self._client_status_windows(context, window_days)
        key = ("order_stats", *windows)
        if key in context["batch"]:
            return context["batch"][key]
        self.env["sale.order"].flush_model(ORDERS)
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

    @metric(_lt("Days since the last confirmed order"), reads={"sale.order": ORDERS})
    def _client_status_metric_days_since_last_order(self, window_days, context):
        stats = self._client_status_order_stats(context)
        return self._client_status_days_since(stats["last_order"], context)

    @metric(
        _lt("Confirmed orders in the window"),
        windowed=True,
        reads={"sale.order": ORDERS},
    )
    def _client_status_metric_order_count_window(self, window_days, context):
        stats = self._client_status_order_stats(context, window_days)
        return self._client_status_zero_default(stats[f"orders_{window_days}"])

    @metric(
        _lt("Order revenue in the window (untaxed)"),
        windowed=True,
        reads={"sale.order": ORDERS},
    )
    def _client_status_metric_order_revenue_window(self, window_days, context):
        stats = self._client_status_order_stats(context, window_days)
        return self._client_status_zero_default(stats[f"revenue_{window_days}"])
