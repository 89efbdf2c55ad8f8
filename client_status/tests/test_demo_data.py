# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "client_status_demo")
class TestDemoData(TransactionCase):
    """The demo data agrees with the seeded rules: the daily reclassification
    (and the job of the pending records) leaves the demo board as it is.

    It tests the demo data, so it reads it (the other tests never do); on a
    database without demo data, leave it out with ``-client_status_demo``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = cls.env["ir.model.data"].search(
            [("module", "=", "client_status"), ("name", "=like", "%\\_demo")]
        )
        cls.clients = cls.env["res.partner"].browse(
            data.filtered(lambda xmlid: xmlid.model == "res.partner").mapped("res_id")
        )
        cls.leads = cls.env["crm.lead"].browse(
            data.filtered(lambda xmlid: xmlid.model == "crm.lead").mapped("res_id")
        )

    def _statuses(self):
        return {client: client.client_status_id for client in self.clients}

    def test_demo_clients_spread_over_the_lifecycle(self):
        self.assertTrue(
            self.clients, "No demo data: leave this test out with -client_status_demo"
        )
        codes = set(self.clients.client_status_id.mapped("code"))
        self.assertEqual(
            codes, {"potential", "new", "regular", "vip", "inactive", "blacklist"}
        )
        # data files are no person's judgement: nothing locked against the rules
        self.assertFalse(self.clients.filtered("client_status_locked"))
        # the deals the lead statuses say: won leads are won, lost ones lost
        with_lost = self.leads.with_context(active_test=False)
        for lead in with_lost.filtered(lambda lead: lead.client_status_kind == "won"):
            self.assertTrue(lead.active and lead.probability == 100, lead.name)
        for lead in with_lost.filtered(lambda lead: lead.client_status_kind == "lost"):
            self.assertFalse(lead.active or lead.probability, lead.name)

    def test_reclassification_changes_no_demo_client(self):
        self.assertTrue(
            self.clients, "No demo data: leave this test out with -client_status_demo"
        )
        before = self._statuses()
        self.env["client.status.run"]._cron_reclassify_pending()
        self.assertEqual(self._statuses(), before)
        # the daily job, batch after batch as the cron calls it
        runs = self.env["client.status.run"]._get_running()
        while any(run.state == "running" for run in runs):
            runs._process_batch()
        self.assertEqual(self._statuses(), before)
        # the rules give each client its status (none for the blacklist; the
        # contacts of a company take the company's)
        for client in self.clients.filtered(
            lambda client: client.client_status_kind != "blacklist"
            and (client.is_company or not client.parent_id)
        ):
            self.assertEqual(
                client.client_status_computed_id, client.client_status_id, client.name
            )
            self.assertFalse(client.client_status_rule_disagrees, client.name)
