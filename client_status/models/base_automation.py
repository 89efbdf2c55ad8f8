# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class BaseAutomation(models.Model):
    _inherit = "base.automation"

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
            "client_status_source": "automation",
            "client_status_reason": self.name,
            "client_status_automation_done": done,
        }
        return super(BaseAutomation, self.with_context(**context))._process(
            records.with_context(**context), domain_post=domain_post
        )
