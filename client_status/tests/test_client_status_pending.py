# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, ClientStatusRuleCommon


@tagged("post_install", "-at_install", "client_status_pending")
class TestClientStatusPending(ClientStatusRuleCommon):
    """Records whose inputs changed, reclassified between the full runs."""

    def test_changed_inputs_reclassified_between_runs(self):
        self.assertEqual(self.buyer.client_status_pending, False)
        lead = self.env["crm.lead"].create(
            {"name": "Fresh Deal", "partner_id": self.buyer.id, "expected_revenue": 10}
        )
        self.assertEqual(self.buyer.client_status_pending, True)
        with freeze_time(NOW):
            self.env["client.status.run"]._cron_reclassify_pending()
        self.assertEqual(self.buyer.client_status_pending, False)
        # an open lead alone does not change the status of a prospect
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        with freeze_time(NOW):
            lead.write({"probability": 100})
            self.assertEqual(self.buyer.client_status_pending, True)
            self.env["client.status.run"]._cron_reclassify_pending()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(self._history(self.buyer)[-1].rule_id, self.rule_new)
        self.env["client.status.run"]._cron_reclassify_pending()
        # no rule reads the last contact: a message marks nothing
        self.buyer.message_post(body="Called back", message_type="comment")
        lead.message_post(body="Budget confirmed", message_type="comment")
        self.assertEqual(self.buyer.client_status_pending, False)
        self.assertEqual(lead.client_status_pending, False)
        # rules that read it: a message makes the client (and the lead)
        # pending
        self._create_rule(
            "Silent",
            self.status_regular,
            30,
            [("days_since_last_contact", ">=", 90, 0)],
        )
        self._create_rule(
            "Quiet lead",
            self.status_lead_waiting,
            30,
            [("days_since_last_contact", ">=", 30, 0)],
        )
        self.buyer.message_post(body="Called back", message_type="comment")
        self.assertEqual(self.buyer.client_status_pending, True)
        self.assertEqual(lead.client_status_pending, False)
        lead.message_post(body="Budget confirmed", message_type="comment")
        self.assertEqual(lead.client_status_pending, True)
