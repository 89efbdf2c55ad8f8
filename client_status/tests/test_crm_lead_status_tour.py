# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools, create_tour_lead_statuses


@tagged("post_install", "-at_install", "client_status_crm_lead_status_tour")
class TestCrmLeadStatusTour(HttpCase):
    """Change the status of leads and opportunities as people do, in headless
    Chromium, as the administrator and as a salesperson: the dropdown of the
    form, the status bar, drag and drop on Leads by Status (the clarification
    and lost dialogs, a won status that wins the deal)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()

        statuses = create_tour_lead_statuses(
            cls.env,
            [
                ("Tour New", "tour_new", "open"),
                ("Tour Clarification", "tour_waiting", "waiting"),
                ("Tour Confirmation", "tour_confirmation", "open"),
                ("Tour Won", "tour_won", "won"),
                ("Tour Lost", "tour_lost", "lost"),
            ],
        )
        cls.status_new, cls.waiting, cls.confirmation, cls.won, cls.lost = statuses
        cls.env["crm.lost.reason"].create({"name": "Tour Too Expensive"})
        cls.salesman = new_test_user(
            cls.env,
            login="cs_lead_tour_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Lead Customer", "is_company": True}
        )

    def _lead(self, name, lead_type="lead"):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": lead_type,
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "probability": 20,
            }
        )

    def _check_dropdown(self, login):
        lead = self._lead("Tour Lead")
        opportunity = self._lead("Tour Opportunity", "opportunity")
        for record in lead | opportunity:
            self.start_tour(
                f"/odoo/action-client_status.crm_lead_action/{record.id}",
                "crm_lead_status_dropdown",
                login=login,
            )
            self.assertEqual(record.client_status_id, self.confirmation)

    def test_dropdown_admin(self):
        self._check_dropdown("admin")

    def test_dropdown_salesman(self):
        self._check_dropdown("cs_lead_tour_salesman")

    def _check_clarify(self, login):
        lead = self._lead("Tour Lead")
        self.start_tour(
            "/odoo/action-client_status.crm_lead_action",
            "crm_lead_status_clarify",
            login=login,
        )
        self.assertEqual(lead.client_status_id, self.waiting)
        self.assertEqual(lead.clarification_topic, "budget")
        self.assertEqual(str(lead.clarification_deadline), "2036-06-30")
        history = self.env["client.status.history"].search(
            [("lead_id", "=", lead.id)], order="id"
        )
        self.assertEqual(len(history), 2)
        self.assertIn("Which budget", history[-1].reason)
        self.assertEqual(history[-1].user_id.login, login)

    def test_clarify_drag_admin(self):
        self._check_clarify("admin")

    def test_clarify_drag_salesman(self):
        self._check_clarify("cs_lead_tour_salesman")

    def _check_discard(self, login):
        lead = self._lead("Tour Lead")
        self.start_tour(
            "/odoo/action-client_status.crm_lead_action",
            "crm_lead_status_clarify_discard",
            login=login,
        )
        self.assertEqual(lead.client_status_id, self.status_new)
        self.assertEqual(
            self.env["client.status.history"].search_count([("lead_id", "=", lead.id)]),
            1,
        )

    def test_clarify_discard_admin(self):
        self._check_discard("admin")

    def test_clarify_discard_salesman(self):
        self._check_discard("cs_lead_tour_salesman")

    def _check_won_lost(self, login):
        won = self._lead("Tour Won Deal", "opportunity")
        lost = self._lead("Tour Lost Deal", "opportunity")
        self.start_tour(
            "/odoo/action-client_status.crm_lead_action",
            "crm_lead_status_won_lost",
            login=login,
        )
        self.assertEqual(won.client_status_id, self.won)
        self.assertEqual(won.probability, 100)
        self.assertTrue(won.stage_id.is_won)
        self.assertFalse(lost.active)
        self.assertEqual(lost.lost_reason_id.name, "Tour Too Expensive")
        self.assertEqual(lost.client_status_id, self.lost)

    def test_won_lost_drag_admin(self):
        self._check_won_lost("admin")

    def test_won_lost_drag_salesman(self):
        self._check_won_lost("cs_lead_tour_salesman")

    def _check_statusbar(self, login):
        opportunity = self._lead("Tour Opportunity", "opportunity")
        self.start_tour(
            f"/odoo/action-client_status.crm_lead_action/{opportunity.id}",
            "crm_lead_status_statusbar",
            login=login,
        )
        self.assertFalse(opportunity.active)
        self.assertEqual(opportunity.client_status_id, self.lost)
        history = self.env["client.status.history"].search(
            [("lead_id", "=", opportunity.id)], order="id"
        )
        self.assertEqual(
            history.status_to_id, self.status_new | self.waiting | self.won | self.lost
        )

    def test_statusbar_admin(self):
        self._check_statusbar("admin")

    def test_statusbar_salesman(self):
        self._check_statusbar("cs_lead_tour_salesman")
