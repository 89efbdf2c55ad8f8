# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The sales metrics the contact rules can test.
SALE_METRICS = [
    ("days_since_last_order", "Days since the last confirmed order"),
    ("order_count_window", "Confirmed orders in the window"),
    ("order_revenue_window", "Order revenue in the window (untaxed)"),
]


class ClientStatusRuleCondition(models.Model):
    _inherit = "client.status.rule.condition"

    metric = fields.Selection(
        selection_add=SALE_METRICS,
        ondelete={metric: "cascade" for metric, __ in SALE_METRICS},
    )

    @api.model
    def _windowed_metrics(self):
        return super()._windowed_metrics() | {
            "order_count_window",
            "order_revenue_window",
        }
