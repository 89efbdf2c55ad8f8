# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import copy
import logging

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from .client_status import SCOPES

_logger = logging.getLogger(__name__)


class ClientStatusRule(models.Model):
    """A rule that gives records a status when its conditions hold.

    Rules of a scope are tried in sequence; the first one whose conditions
    (all of them) and domain match a record gives it its status. The engine
    lives on the models that carry a status (``client.status.mixin``)."""

    _name = "client.status.rule"
    # compiled and their inputs cached (_get_compiled_rules, _get_rule_inputs)
    _inherit = ["client.status.cached.mixin"]
    _description = "Client Status Rule"
    _order = "scope, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    scope = fields.Selection(
        SCOPES,
        required=True,
        default=lambda self: self.env.context.get("default_scope", "partner"),
    )
    status_id = fields.Many2one(
        "client.status",
        string="Gives Status",
        required=True,
        ondelete="cascade",
        domain="[('scope', '=', scope)]",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to apply the rule to the records of every company.",
    )
    condition_ids = fields.One2many(
        "client.status.rule.condition", "rule_id", string="Conditions", copy=True
    )
    domain = fields.Char(
        string="Records",
        default="[]",
        help="Only records that match this filter can get the status from this rule.",
    )
    description = fields.Text(translate=True)
    model_name = fields.Char(compute="_compute_model_name")

    @api.depends("scope")
    def _compute_model_name(self):
        models_by_scope = self.env["client.status"]._get_status_models()
        for rule in self:
            rule.model_name = models_by_scope.get(rule.scope)

    @api.constrains("status_id", "scope", "company_id")
    def _check_status_id(self):
        for rule in self:
            if rule.status_id.scope != rule.scope:
                raise ValidationError(
                    _(
                        "The rule %(rule)s must give a status of its own scope.",
                        rule=rule.name,
                    )
                )
            if rule.status_id.kind == "blacklist":
                # only a Client Status Manager puts a client on the blacklist
                raise ValidationError(
                    _(
                        "The rule %(rule)s cannot give a blacklist status: only a"
                        " Client Status Manager puts a client on the blacklist.",
                        rule=rule.name,
                    )
                )
            if (
                rule.status_id.company_id
                and rule.status_id.company_id != rule.company_id
            ):
                raise ValidationError(
                    _(
                        "The rule %(rule)s gives a status of %(company)s: it must"
                        " belong to that company too.",
                        rule=rule.name,
                        company=rule.status_id.company_id.name,
                    )
                )

    @api.constrains("scope")
    def _check_conditions_scope(self):
        # a rule moved to the other scope keeps conditions it cannot test
        self.condition_ids._check_values()

    @api.constrains("domain", "scope")
    def _check_domain(self):
        for rule in self:
            model = self.env[self.env["client.status"]._get_status_models()[rule.scope]]
            try:
                domain = rule._get_domain()
                # as the user who writes the rule: the engine evaluates it as
                # the superuser, a filter must not test fields its author
                # may not read (e.g. accounting's)
                model._search(domain)
            except (
                SyntaxError,
                ValueError,
                KeyError,
                TypeError,
                AssertionError,
                AccessError,
            ) as error:
                raise ValidationError(
                    _(
                        "The records filter of the rule %(rule)s is not valid:"
                        " %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    def _get_domain(self):
        """The rule's records filter as a domain (a list); raises ValueError
        when it is not one."""
        self.ensure_one()
        domain = ast.literal_eval(self.domain or "[]")
        if not isinstance(domain, list):
            raise ValueError(
                _("a filter is a list of conditions, not %(value)s", value=domain)
            )
        return expression.normalize_domain(domain) if domain else []

    def action_reclassify_now(self):
        """Start a reclassification by the rules of the records of the
        current user's companies (and the shared ones) in the background
        (the scheduled action, with its progress), now. Only those who may
        edit the rules may run them."""
        self.check_access("write")
        # sudo: the runs are the engine's bookkeeping (read-only to managers);
        # the companies are those the user works in
        self.env["client.status.run"].sudo()._start(self.env.companies)
        self.env.ref("client_status.ir_cron_client_status_reclassify_runs")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _("The reclassification runs in the background."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_preview(self):
        """Show what a run of the contact rules would change, without
        writing anything."""
        self.check_access("write")
        scope = self.env.context.get("default_scope") or (self[:1].scope or "partner")
        return self.env["client.status.reclassify.preview"]._action_open(scope)

    @api.model
    def _get_compiled_rules(self, scope):
        """The active rules of ``scope`` in sequence, as plain data for the
        engine (read once per batch, not once per record): a copy of those
        cached until a rule, a condition or a status changes (every won deal
        runs them)."""
        return copy.deepcopy(list(self._get_compiled_rules_cached(scope)))

    @api.model
    @tools.ormcache("scope")
    def _get_compiled_rules_cached(self, scope):
        # sudo: rules are configuration; the engine runs for any user.
        rules = self.sudo().search(
            [("scope", "=", scope), ("status_id.active", "=", True)]
        )
        unknown = rules.condition_ids.filtered(
            lambda condition: not condition._metric_declaration()
        )
        if unknown:
            # a metric of an addon uninstalled since: its rules match nothing
            _logger.warning(
                "Rules %s test metrics no model provides (%s): left out.",
                unknown.rule_id.ids,
                ", ".join(sorted(set(unknown.mapped("metric")))),
            )
        return tuple(rule._compile() for rule in rules - unknown.rule_id)

    @api.model
    @tools.ormcache("model_name", "source")
    def _get_rule_inputs(self, model_name, source):
        """The fields of the model ``source`` that the active rules of the
        scope of ``model_name`` read (their metrics'
        declared ``reads``): every lead or order write asks,
        cached until a rule or condition changes."""
        scope = {
            name: scope
            for scope, name in self.env["client.status"]._get_status_models().items()
        }[model_name]
        # sudo: rules are configuration; the inputs matter for any user
        metrics = set(
            self.sudo().search([("scope", "=", scope)]).condition_ids.mapped("metric")
        )
        return self.env[model_name]._client_status_metric_inputs(metrics, source)

    def _compile(self):
        """This rule as a dict: id, company_id, status_id, domain (with the
        company) and conditions as ``((metric, window), operator, low,
        high)`` tuples."""
        self.ensure_one()
        domain = self._get_domain()
        if self.company_id:
            domain = expression.AND([domain, [("company_id", "=", self.company_id.id)]])
        return {
            "id": self.id,
            "company_id": self.company_id.id,
            "status_id": self.status_id.id,
            "domain": domain,
            "conditions": [
                (
                    condition._key(),
                    condition.operator,
                    condition.value,
                    condition.value_max,
                )
                for condition in self.condition_ids
            ],
        }
