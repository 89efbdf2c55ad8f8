# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..hooks import post_init_hook
from .common import ClientStatusCommon


@tagged("post_install", "-at_install")
class TestPostInitHook(ClientStatusCommon):
    def test_backfill_default_status_with_install_rows(self):
        partner_b_default = self._create_status_b(
            "B Default", "t_b_default", "partner", "prospect", is_default=True
        )
        partner_b = self.env["res.partner"].create(
            {"name": "B Client", "company_id": self.company_b.id}
        )
        self.status_prospect.parent_id = self._create_status(
            "Open", "t_open_parent", "partner", "prospect", 9
        )
        partners = self.individual | self.client | partner_b
        # as before the addon was installed: no status, no history
        self.env.cr.execute(
            "UPDATE res_partner SET client_status_id = NULL WHERE id IN %s",
            [tuple(partners.ids)],
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET client_status_id = NULL WHERE id = %s", [self.lead.id]
        )
        self.env.cr.execute(
            "DELETE FROM client_status_history WHERE partner_id IN %s OR lead_id = %s",
            [tuple(partners.ids), self.lead.id],
        )
        for summary in self.env["client.status.summary"]._get_summary_models():
            summary._rebuild()
        self.env.invalidate_all()

        post_init_hook(self.env)

        self.assertEqual(self.individual.client_status_id, self.status_prospect)
        # the stored related fields follow, as the search filters use them
        self.assertEqual(self.individual.client_status_kind, "prospect")
        self.assertEqual(
            self.individual.client_status_parent_id, self.status_prospect.parent_id
        )
        self.assertIn(
            self.individual,
            self.env["res.partner"].search([("client_status_kind", "=", "prospect")]),
        )
        self.assertEqual(self.lead.client_status_kind, "open")
        self.assertEqual(partner_b.client_status_id, partner_b_default)
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)
        rows = self._history(partners) | self._history(self.lead)
        self.assertEqual(len(rows), 4)
        self.assertEqual(set(rows.mapped("source")), {"install"})
        self.assertEqual(rows.status_from_id, self.Status)
        self.assertEqual(self.individual.client_status_history_count, 1)
        self._assert_summaries_match_history()

    def test_backfill_leaves_set_statuses_alone(self):
        self.individual.client_status_id = self.status_regular
        before = self.History.search_count([])
        post_init_hook(self.env)
        self.assertEqual(self.individual.client_status_id, self.status_regular)
        self.assertEqual(self.History.search_count([]), before)
