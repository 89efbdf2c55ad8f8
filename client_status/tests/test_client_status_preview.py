# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, ClientStatusRuleCommon


@tagged("post_install", "-at_install", "client_status_preview")
class TestClientStatusPreview(ClientStatusRuleCommon):
    """What a run would change, shown, then written as shown."""

    def test_preview_then_apply(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        other = self.env["res.partner"].create(
            {"name": "Second Buyer", "is_company": True}
        )
        self._won(other, datetime(2026, 6, 1), count=3)
        self.env.flush_all()
        count = self.History.search_count([])
        with freeze_time(NOW):
            action = self.env["client.status.rule"].action_preview()
        preview = self.env["client.status.reclassify.preview"].browse(action["res_id"])
        # nothing written yet
        self.assertEqual(self.History.search_count([]), count)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        changes = {line.partner_id: line.status_to_id for line in preview.line_ids}
        self.assertEqual(changes[self.buyer], self.status_new)
        self.assertEqual(changes[other], self.status_regular)
        self.assertIn("+1", preview.summary)
        self.assertNotIn("+0", preview.summary)
        self.assertNotIn("-0", preview.summary)
        # a client changed by hand since the preview is left alone
        other.client_status_id = self.status_blacklist
        action = preview.action_apply()
        # and the user is told how many changed
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 of 2", action["params"]["message"])
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(other.client_status_id, self.status_blacklist)
        row = self._history(self.buyer)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))
