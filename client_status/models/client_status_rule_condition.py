# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    # the metrics of the models of every scope, as their providers declare
    # them (``client_status_engine.metric``)
    metric = fields.Selection(selection="_selection_metric", required=True)
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

    @api.model
    def _selection_metric(self):
        labels = {}
        for model in self.env["client.status"]._get_status_models().values():
            for name, declared in (
                self.env[model]._client_status_metric_registry().items()
            ):
                labels.setdefault(name, self.env._(declared.label))
        return list(labels.items())

    @api.depends("metric", "rule_id.scope")
    def _compute_is_windowed(self):
        for condition in self:
            declared = condition._metric_declaration()
            condition.is_windowed = bool(declared and declared.windowed)

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
            if not condition._metric_declaration():
                raise ValidationError(
                    _(
                        "The metric %(metric)s does not apply to the rules of"
                        " this scope.",
                        metric=condition._metric_label(),
                    )
                )

    def _metric_declaration(self):
        """The declaration of the condition's metric on the model of its
        rule's scope (``ClientStatusMetric``), None when it has none there."""
        self.ensure_one()
        model = self.env["client.status"]._get_status_models().get(self.rule_id.scope)
        if not model or not self.metric:
            return None
        return self.env[model]._client_status_metric_registry().get(self.metric)

    def _metric_label(self):
        self.ensure_one()
        return dict(self._selection_metric()).get(self.metric, self.metric)

    def _key(self):
        """What the engine computes for this condition: (metric, window)."""
        self.ensure_one()
        return (self.metric, self.window_days if self.is_windowed else 0)
