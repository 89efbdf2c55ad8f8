# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Days the client gets to answer, as proposed by the dialog.
DEFAULT_ANSWER_DAYS = 7


class ClientStatusClarify(models.TransientModel):
    """Ask what the client must clarify when leads move to a waiting-kind
    status (a kanban drop, the status bar), as crm asks a lost reason: on
    Confirm the leads get the status and the answers in one write (one
    history row each, the question as reason); on Discard nothing changes."""

    _name = "client.status.clarify"
    _description = "Ask the Client a Clarification"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    status_id = fields.Many2one(
        "client.status",
        string="Status",
        required=True,
        domain="[('scope', '=', 'lead'), ('kind', '=', 'waiting')]",
    )
    clarification_topic = fields.Selection(
        selection=lambda self: self.env[
            "crm.lead"
        ]._client_status_clarification_topics(),
        string="To Clarify",
        required=True,
    )
    clarification_question = fields.Text(string="Question")
    clarification_deadline = fields.Date(
        string="Answer Expected By",
        required=True,
        default=lambda self: fields.Date.context_today(self)
        + timedelta(days=DEFAULT_ANSWER_DAYS),
    )

    @api.model
    def _action_open(self, leads, status):
        """Return the action opening the dialog for ``leads`` and the waiting
        status ``status``, filled with what a single lead asked before."""
        context = {
            "dialog_size": "medium",
            "default_lead_ids": leads.ids,
            "default_status_id": status.id,
        }
        if len(leads) == 1 and leads.clarification_topic:
            context.update(
                default_clarification_topic=leads.clarification_topic,
                default_clarification_question=leads.clarification_question,
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Waiting for the Client: %(status)s", status=status.name),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_confirm(self):
        self.ensure_one()
        if self.status_id.kind != "waiting" or self.status_id.scope != "lead":
            raise UserError(
                _(
                    "%(status)s is not a lead status that waits for the client.",
                    status=self.status_id.display_name,
                )
            )
        if not self.lead_ids:
            # the leads the user cannot read are not read
            raise UserError(_("None of these leads can be changed by you."))
        # as the user: their access rights to the leads apply
        self.lead_ids.write(
            {
                "client_status_id": self.status_id.id,
                "clarification_topic": self.clarification_topic,
                "clarification_question": self.clarification_question,
                "clarification_deadline": self.clarification_deadline,
            }
        )
        return {"type": "ir.actions.act_window_close"}

    def action_confirm_send(self):
        """Confirm, then open the composer with the questionnaire for the
        leads' clients."""
        self.action_confirm()
        return self.lead_ids.action_client_status_send_questionnaire()
