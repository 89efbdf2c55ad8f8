# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.base_automation.models import base_automation

from .client_status_mixin import ClientStatusSource

# "Client status is set to": like Odoo's "Stage is set to", which only knows
# fields named stage_id, for the client_status_id of any model that has one.
ON_STATUS_SET = "on_client_status_set"

# base_automation reads these module-level lists to decide which methods of a
# model (create, write) to patch for a trigger: ours is a create/write one.
for _triggers in (base_automation.CREATE_TRIGGERS, base_automation.WRITE_TRIGGERS):
    if ON_STATUS_SET not in _triggers:
        _triggers.append(ON_STATUS_SET)
base_automation.CREATE_WRITE_SET.add(ON_STATUS_SET)


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    trigger = fields.Selection(
        selection_add=[(ON_STATUS_SET, "Client status is set to")],
        ondelete={ON_STATUS_SET: "cascade"},
    )

    @api.depends("model_id", "trigger")
    def _compute_trigger_field_ids(self):
        res = super()._compute_trigger_field_ids()
        for automation in self.filtered(lambda rule: rule.trigger == ON_STATUS_SET):
            automation.trigger_field_ids = self.env["ir.model.fields"]._get(
                automation.model_id.model, "client_status_id"
            )
        return res

    @api.depends("trg_field_ref", "trigger_field_ids")
    def _compute_trg_field_ref_model_name(self):
        res = super()._compute_trg_field_ref_model_name()
        for automation in self.filtered(
            lambda rule: rule.trigger == ON_STATUS_SET
            and rule.trg_field_ref is not False
        ):
            automation.trg_field_ref_model_name = "client.status"
        return res

    @api.depends(
        "trigger", "trigger_field_ids", "trg_selection_field_id", "trg_field_ref"
    )
    def _compute_filter_domain(self):
        res = super()._compute_filter_domain()
        for automation in self.filtered(lambda rule: rule.trigger == ON_STATUS_SET):
            status_id = automation.trg_field_ref
            automation.filter_domain = (
                f"[('client_status_id', '=', {status_id})]" if status_id else False
            )
        return res

    def _process(self, records, domain_post=None):
        # Status changes made by an automation rule's actions are recorded as
        # such, with the rule's name as their reason. The records whose status
        # automations changed in this event are not changed again by them
        # (client.status.mixin's write()): the set lives in the dict that
        # base_automation shares between the rules of one event
        # ("__action_done"), so that sibling rules see it, and is handed down
        # to the rules the actions trigger in turn.
        done = self.env.context.get("client_status_automation_done")
        if done is None:
            action_done = self.env.context.get("__action_done")
            done = (
                action_done.setdefault("client_status", set())
                if action_done is not None
                else set()
            )
        context = {
            "client_status_source": ClientStatusSource("automation"),
            # the rule's name in every language, read in the reader's
            "client_status_reason": self.env["client.status.history"]._translate_reason(
                lambda env: self.with_env(env).name
            ),
            "client_status_automation_done": done,
        }
        return super(BaseAutomation, self.with_context(**context))._process(
            records.with_context(**context), domain_post=domain_post
        )
