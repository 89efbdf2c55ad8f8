# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.client_status_history import ClientStatusSource
from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_crm_lead_status")
class TestCrmLeadStatus(ClientStatusCommon):
    """A lead's status as people change it: the clarification dialog of a
    waiting status, won and lost statuses that close the deal, the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["client.status.rule"].with_context(active_test=False).search(
            []
        ).active = False
        cls.status_lead_lost = cls._create_status(
            "Test Lost", "t_lost", "lead", "lost", 4, fold=True
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.lead_user = new_test_user(
            cls.env,
            login="cs_lead_user",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
            name="Lead Status Salesman",
        )
        cls.opportunity = cls.env["crm.lead"].create(
            {
                "name": "Test Opportunity",
                "type": "opportunity",
                "partner_id": cls.client.id,
                "user_id": cls.lead_user.id,
                "probability": 30,
            }
        )

    def _clarify(self, leads, status, **answers):
        action = leads.action_client_status_change(status.id)
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for field, value in answers.items():
            setattr(form, field, value)
        return form.save()

    # ------------------------------------------------------------------
    # Clarification dialog
    # ------------------------------------------------------------------

    def test_waiting_status_asks_clarification(self):
        action = self.lead.action_client_status_change(self.status_lead_waiting.id)
        self.assertEqual(action["res_model"], "client.status.clarify")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["default_lead_ids"], self.lead.ids)
        # other statuses are written at once
        self.assertFalse(self.lead.action_client_status_change(self.status_lead_won.id))
        self.assertFalse(
            self.lead.action_client_status_change(self.status_lead_open.id)
        )

    @freeze_time("2026-06-15 12:00:00")
    def test_clarification_confirm_writes_once(self):
        wizard = self._clarify(
            self.lead,
            self.status_lead_waiting,
            clarification_topic="budget",
            clarification_question="Which budget for the first year?",
        )
        self.assertEqual(str(wizard.clarification_deadline), "2026-06-22")
        before = len(self._history(self.lead))
        with self._capture_queries() as queries:
            wizard.action_confirm()
        self.assertEqual(self._count_history_inserts(queries), 1)
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        self.assertEqual(self.lead.clarification_topic, "budget")
        self.assertEqual(str(self.lead.clarification_deadline), "2026-06-22")
        history = self._history(self.lead)
        self.assertEqual(len(history), before + 1)
        self.assertIn("Which budget for the first year?", history[-1].reason)
        self.assertEqual(history[-1].source, "manual")
        self.assertTrue(self.lead.clarification_activity_id)

    def test_clarification_needs_topic_and_deadline(self):
        action = self.lead.action_client_status_change(self.status_lead_waiting.id)
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.clarification_deadline = False
        with self.assertRaises(AssertionError):
            form.save()
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)

    def test_clarification_discard_changes_nothing(self):
        self.lead.action_client_status_change(self.status_lead_waiting.id)
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)
        self.assertFalse(self.lead.clarification_topic)

    def test_clarification_refuses_other_status(self):
        wizard = self._clarify(
            self.lead, self.status_lead_waiting, clarification_topic="timeline"
        )
        wizard.status_id = self.status_lead_won
        with self._assert_refused("not a lead status that waits"):
            wizard.action_confirm()
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)

    def test_clarification_as_salesperson(self):
        self.lead.user_id = self.lead_user
        lead = self.lead.with_user(self.lead_user)
        wizard = self._clarify(
            lead.with_user(self.lead_user),
            self.status_lead_waiting,
            clarification_topic="requirements",
        ).with_user(self.lead_user)
        wizard.action_confirm()
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        self.assertEqual(self._history(self.lead)[-1].user_id, self.lead_user)

    def test_clarification_respects_lead_access(self):
        # a salesperson who sees only their own leads cannot clarify others'
        own_only = new_test_user(
            self.env,
            login="cs_own_leads",
            groups="sales_team.group_sale_salesman",
        )
        self.lead.user_id = self.salesman
        wizard = self._clarify(
            self.lead, self.status_lead_waiting, clarification_topic="budget"
        )
        # the leads they cannot see are not even read: refused, nothing written
        with self._assert_refused("None of these leads"):
            wizard.with_user(own_only).action_confirm()
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)

    # ------------------------------------------------------------------
    # Won and lost statuses close the deal
    # ------------------------------------------------------------------

    def test_won_status_by_hand_wins_the_deal(self):
        self.opportunity.client_status_id = self.status_lead_won
        self.assertEqual(self.opportunity.probability, 100)
        self.assertEqual(self.opportunity.stage_id, self.won_stage)
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_won)
        # one change, no loop with the automation rule of won leads
        history = self._history(self.opportunity)
        self.assertEqual(history[-1].status_to_id, self.status_lead_won)
        self.assertEqual(history[-1].source, "manual")
        self.assertEqual(
            len(history.filtered(lambda row: row.status_to_id == self.status_lead_won)),
            1,
        )

    def test_won_status_from_the_form(self):
        with Form(self.opportunity.with_user(self.lead_user)) as form:
            form.client_status_id = self.status_lead_won
        self.assertEqual(self.opportunity.probability, 100)
        self.assertTrue(self.opportunity.active)

    def test_lost_status_by_hand_loses_the_deal(self):
        self.opportunity.client_status_id = self.status_lead_lost
        self.assertFalse(self.opportunity.active)
        self.assertEqual(self.opportunity.probability, 0)
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_lost)
        self.assertEqual(len(self._history(self.opportunity)), 2)

    def test_lost_status_asks_the_lost_reason(self):
        action = self.opportunity.action_client_status_change(self.status_lead_lost.id)
        self.assertEqual(action["res_model"], "crm.lead.lost")
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        wizard = (
            self.env["crm.lead.lost"]
            .with_context(**action["context"])
            .create({"lost_reason_id": reason.id})
        )
        wizard.action_lost_reason_apply()
        self.assertFalse(self.opportunity.active)
        self.assertEqual(self.opportunity.lost_reason_id, reason)
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_lost)

    def test_won_status_on_import(self):
        result = (
            self.env["crm.lead"]
            .with_context(import_file=True)
            .load(
                ["name", "type", "client_status_id"],
                [["Imported won deal", "opportunity", self.status_lead_won.code]],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        lead = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(lead.probability, 100)
        self.assertEqual(self._history(lead)[-1].source, "import")

    def test_won_status_restores_a_lost_deal(self):
        self.opportunity.action_set_lost()
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_lost)
        self.opportunity.client_status_id = self.status_lead_won
        self.assertTrue(self.opportunity.active)
        self.assertEqual(self.opportunity.probability, 100)
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_won)

    def test_rule_and_automation_changes_leave_the_deal(self):
        for source in ("rule", "automation"):
            lead = self.opportunity.copy({"probability": 30})
            lead.with_context(
                client_status_source=ClientStatusSource(source)
            ).client_status_id = self.status_lead_won
            self.assertEqual(lead.probability, 30, source)

    def test_crm_buttons_still_set_statuses(self):
        won = self.opportunity.copy({"probability": 30})
        won.action_set_won()
        self.assertEqual(won.client_status_id, self.status_lead_won)
        self.assertEqual(len(self._history(won)), 2)
        self.opportunity.action_set_lost()
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_lost)
        self.assertEqual(len(self._history(self.opportunity)), 2)
        self.opportunity.toggle_active()
        self.env.cr.precommit.run()
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_open)

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------

    def test_form_waiting_status_requires_clarification(self):
        self.lead.user_id = self.lead_user
        form = Form(self.lead.with_user(self.lead_user))
        form.client_status_id = self.status_lead_waiting
        self.assertEqual(form.client_status_kind, "waiting")
        with self.assertRaises(AssertionError):
            form.save()
        form.clarification_topic = "budget"
        form.clarification_deadline = "2036-06-30"
        form.save()
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)

    def test_form_changes_an_opportunity_status(self):
        with Form(self.opportunity.with_user(self.lead_user)) as form:
            form.client_status_id = self.status_lead_waiting
            form.clarification_topic = "decision_maker"
            form.clarification_deadline = "2036-06-30"
        self.assertEqual(self.opportunity.client_status_id, self.status_lead_waiting)

    def test_rpc_waiting_status_without_answers_is_refused(self):
        with self.assertRaises(ValidationError):
            self.lead.client_status_id = self.status_lead_waiting

    def test_change_action_ignores_unknown_status(self):
        self.assertFalse(self.lead.action_client_status_change(0))
