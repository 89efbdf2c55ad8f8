# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools, create_tour_lead_statuses


@tagged("post_install", "-at_install", "client_status_questionnaire_tour")
class TestClientStatusQuestionnaireTour(HttpCase):
    """The questionnaire end to end, in headless Chromium: the salesperson
    moves a lead to Clarification and sends the questionnaire (in the
    client's language, Polish), the client opens the link in an anonymous
    session and answers in Polish, and the salesperson finds the lead in
    progress with the answer on the form, in the chatter and the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["client_status"], ["pl_PL"], overwrite=True
        )
        cls.new, cls.progress, cls.waiting = create_tour_lead_statuses(
            cls.env,
            [
                ("Tour New", "tour_q_new", "open"),
                ("Tour In Progress", "tour_q_progress", "open"),
                ("Tour Clarification", "tour_q_waiting", "waiting"),
            ],
        )
        cls.waiting.reply_status_id = cls.progress
        cls.salesman = new_test_user(
            cls.env,
            login="cs_questionnaire_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
            email="salesman@example.com",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Klient Testowy",
                "is_company": True,
                "email": "klient@example.com",
                "lang": "pl_PL",
            }
        )

    def _check_journey(self, login):
        lead = self.env["crm.lead"].create(
            {
                "name": "Meble biurowe",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
            }
        )
        self.start_tour(
            f"/odoo/action-client_status.crm_lead_action/{lead.id}",
            "client_status_questionnaire_send",
            login=login,
        )
        self.assertEqual(lead.client_status_id, self.waiting)
        clarification = self.env["client.status.clarification"].search(
            [("lead_id", "=", lead.id)]
        )
        self.assertEqual(clarification.sent_count, 1)
        # the client, not logged in
        self.start_tour(
            lead._client_status_questionnaire_url(),
            "client_status_questionnaire_answer",
        )
        self.env.invalidate_all()
        self.assertEqual(lead.client_status_id, self.progress)
        self.assertEqual(lead.clarification_answer_amount, 25000)
        self.assertEqual(lead.clarification_answer, "Na pierwszy rok, z wdrożeniem")
        self.assertEqual(clarification.answer_channel, "questionnaire")
        self.assertFalse(lead._client_status_questionnaire_open())
        history = self.env["client.status.history"].search(
            [("lead_id", "=", lead.id)], order="id desc", limit=1
        )
        self.assertEqual(history.status_to_id, self.progress)
        self.assertIn("Na pierwszy rok", history.reason)
        self.start_tour(
            f"/odoo/action-client_status.crm_lead_action/{lead.id}",
            "client_status_questionnaire_answered",
            login=login,
        )

    def test_questionnaire_salesman(self):
        self._check_journey("cs_questionnaire_salesman")

    def test_questionnaire_admin(self):
        self._check_journey("admin")

    def _check_list_and_report(self, login):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "partner_id": self.customer.id,
                    "user_id": self.salesman.id,
                    "client_status_id": self.waiting.id,
                    "clarification_topic": "requirements",
                    "clarification_deadline": "2026-06-20",
                }
                for name in ("Meble A", "Meble B")
            ]
        )
        self.start_tour(
            "/odoo/action-client_status.crm_lead_action",
            "client_status_questionnaire_send_list",
            login=login,
        )
        clarifications = self.env["client.status.clarification"].search(
            [("lead_id", "in", leads.ids)]
        )
        self.assertEqual(clarifications.mapped("sent_count"), [1, 1])
        leads[0]._client_status_questionnaire_answer(text="Dwa biurka")
        self.start_tour("/odoo/crm", "client_status_clarification_report", login=login)

    def test_list_and_report_salesman(self):
        self._check_list_and_report("cs_questionnaire_salesman")

    def test_list_and_report_admin(self):
        self._check_list_and_report("admin")
