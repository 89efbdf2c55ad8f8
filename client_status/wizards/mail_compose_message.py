# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        # the questionnaire's e-mail sent to the clients of leads (not logged
        # as a note): counted as sent, once for all the leads
        messages = super()._action_send_mail_comment(res_ids)
        Lead = self.env["crm.lead"]
        if (
            self.model == Lead._name
            and not self.subtype_is_log
            and self.template_id
            and self.template_id == Lead._client_status_questionnaire_template()
        ):
            self.env["client.status.clarification"]._mark_sent(Lead.browse(res_ids))
        return messages
