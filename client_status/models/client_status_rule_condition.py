# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The metrics conditions can test. Each is computed by a provider method
# ``_client_status_metric_<metric>(window_days, context)`` of the model the
# rule's scope serves, on a batch of its records: ``{record_id: value}``
# (``context``: see ``_client_status_evaluate``); another addon adds a metric
# with ``selection_add`` and its provider.
METRICS = [
    ("won_count", "Won deals"),
    ("won_count_window", "Won deals in the window"),
    ("won_revenue_window", "Won revenue in the window"),
    ("revenue_top_percent", "Rank by won revenue in the window (top %)"),
    ("days_since_first_won", "Days since the first won deal"),
    ("days_since_last_won", "Days since the last won deal"),
    ("days_since_last_contact", "Days since the last contact"),
    ("open_lead_count", "Open leads"),
    ("lost_lead_count", "Lost leads"),
    ("days_in_status", "Days in the current status"),
]
WINDOWED_METRICS = ("won_count_window", "won_revenue_window", "revenue_top_percent")
OPERATORS = [(">=", "≥"), ("<=", "≤"), ("=", "="), ("between", "between")]
# The longest window a condition looks back over (about a century): dates
# further back do not exist for the engine's date arithmetic.
MAX_WINDOW_DAYS = 36500


class ClientStatusRuleCondition(models.Model):
    _name = "client.status.rule.condition"
    # read by the cached rules (client.status.rule)
    _inherit = ["client.status.cached.mixin"]
    _description = "Client Status Rule Condition"
    _order = "rule_id, id"

    rule_id = fields.Many2one(
        "client.status.rule", required=True, ondelete="cascade", index=True
    )
    metric = fields.Selection(METRICS, required=True)
    operator = fields.Selection(OPERATORS, required=True, default=">=")
    value = fields.Float(required=True, digits=(16, 2))
    value_max = fields.Float(
        string="And", digits=(16, 2), help="Upper bound of 'between'."
    )
    window_days = fields.Integer(
        string="Window (days)",
        default=365,
        help="For the metrics 'in the window': how many days back to look.",
    )
    is_windowed = fields.Boolean(compute="_compute_is_windowed")

    @api.depends("metric")
    def _compute_is_windowed(self):
        windowed = self._windowed_metrics()
        for condition in self:
            condition.is_windowed = condition.metric in windowed

    @api.constrains("metric", "operator", "value", "value_max", "window_days")
    def _check_values(self):
        for condition in self:
            if condition.is_windowed and condition.window_days <= 0:
                raise ValidationError(
                    _(
                        "The window of the condition on %(metric)s must be at"
                        " least one day.",
                        metric=condition._metric_label(),
                    )
                )
            if condition.window_days > MAX_WINDOW_DAYS:
                raise ValidationError(
                    _(
                        "The window of the condition on %(metric)s must be at"
                        " most %(days)s days.",
                        metric=condition._metric_label(),
                        days=MAX_WINDOW_DAYS,
                    )
                )
            if (
                condition.operator == "between"
                and condition.value_max < condition.value
            ):
                raise ValidationError(
                    _(
                        "The condition on %(metric)s has its bounds the wrong"
                        " way round.",
                        metric=condition._metric_label(),
                    )
                )
            scope = condition.rule_id.scope
            model = self.env[self.env["client.status"]._get_status_models()[scope]]
            if condition.metric not in model._client_status_metrics():
                raise ValidationError(
                    _(
                        "The metric %(metric)s does not apply to the rules of"
                        " this scope.",
                        metric=condition._metric_label(),
                    )
                )

    @api.model
    def _windowed_metrics(self):
        """The metrics tested over a window of days; another addon adds its
        own."""
        return set(WINDOWED_METRICS)

    def _metric_label(self):
        self.ensure_one()
        return dict(self._fields["metric"]._description_selection(self.env))[
            self.metric
        ]

    def _key(self):
        """What the engine computes for this condition: (metric, window)."""
        self.ensure_one()
        return (self.metric, self.window_days if self.is_windowed else 0)
