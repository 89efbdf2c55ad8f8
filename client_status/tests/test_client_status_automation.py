# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ClientStatusCommon

NOW = "2026-06-15 12:00:00"


@tagged("post_install", "-at_install", "client_status_automation")
class TestClientStatusAutomation(ClientStatusCommon):
    """The event transitions shipped as automation rules
    (data/base_automation_data.xml) and the clarification workflow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["client.status.rule"].with_context(active_test=False).search(
            []
        ).active = False
        cls.status_lead_progress = cls._create_status(
            "Test In Progress", "t_progress", "lead", "open", 2
        )
        cls.status_lead_lost = cls._create_status(
            "Test Lost", "t_lost", "lead", "lost", 4, fold=True
        )
        cls.status_lead_waiting.reply_status_id = cls.status_lead_progress
        cls.status_probable = cls._create_status(
            "Test Probable", "t_probable", "partner", "prospect", 5
        )
        cls.rule_new = cls._create_rule(
            "First deal", cls.status_new, 10, [("won_count", ">=", 1, 0)]
        )
        cls.rule_prospect = cls._create_rule(
            "No deal", cls.status_prospect, 20, [("won_count", "=", 0, 0)]
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Automation Buyer", "is_company": True}
        )

    def _new_lead(self, partner, **values):
        return self.env["crm.lead"].create(
            {"name": f"Deal {partner.name}", "partner_id": partner.id, **values}
        )

    def _last_history(self, record):
        return self._history(record)[-1:]

    def test_lead_makes_prospect_contact_potential(self):
        self.buyer.client_status_id = self.status_probable
        customer = self.env["res.partner"].create(
            {"name": "Customer", "is_company": True}
        )
        customer.client_status_id = self.status_regular
        self._new_lead(self.buyer)
        self._new_lead(customer)
        # the default contact status (Potential in the seeded catalogue)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        row = self._last_history(self.buyer)
        self.assertEqual(row.source, "automation")
        self.assertEqual(
            row.reason, "Client status: a lead makes its contact Potential"
        )
        self.assertEqual(customer.client_status_id, self.status_regular)

    def test_won_lead_makes_contact_customer_when_saved(self):
        lead = self._new_lead(self.buyer)
        with freeze_time(NOW):
            lead.action_set_won()
            self.assertEqual(lead.client_status_id, self.status_lead_won)
            self.assertEqual(self._last_history(lead).source, "automation")
            # the customer is reclassified once, when the transaction commits
            self.assertEqual(self.buyer.client_status_id, self.status_prospect)
            self._commit_hooks()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        row = self._last_history(self.buyer)
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))
        self.assertEqual(
            row.reason, "Client status: a won lead makes its contact a customer"
        )

    def test_salesperson_wins_a_lead_in_several_languages(self):
        # the rule's name, the reason of the history row, is read in every
        # installed language: as superuser (salespeople cannot read rules)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.salesman.lang = "fr_FR"
        lead = self._new_lead(self.buyer, user_id=self.salesman.id)
        self.env.invalidate_all()
        with freeze_time(NOW):
            lead.with_user(self.salesman).action_set_won()
            self._commit_hooks()
        self.assertEqual(lead.client_status_id, self.status_lead_won)
        self.assertEqual(self.buyer.client_status_id, self.status_new)

    def test_lost_lead_does_not_demote_customer(self):
        self.buyer.client_status_id = self.status_regular
        lead = self._new_lead(self.buyer)
        lead.action_set_lost()
        self.assertEqual(lead.client_status_id, self.status_lead_lost)
        # no won deal: the rules would make it a prospect, but it is a customer
        self.assertEqual(self.buyer.client_status_id, self.status_regular)

    def test_reopened_won_lead_reclassifies_contact(self):
        lead = self._new_lead(self.buyer)
        with freeze_time(NOW):
            lead.action_set_won()
            self._commit_hooks()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        with freeze_time(NOW):
            lead.write({"probability": 40, "stage_id": False})
            self._commit_hooks()
        self.assertEqual(lead.client_status_id, self.status_lead_open)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)

    def test_restored_lost_lead_reopens(self):
        lead = self._new_lead(self.buyer)
        lead.action_set_lost()
        self.assertEqual(lead.client_status_id, self.status_lead_lost)
        lead.action_unarchive()
        self.env.cr.precommit.run()  # where the reopening waits
        self.assertEqual(lead.client_status_id, self.status_lead_open)
        row = self._last_history(lead)
        self.assertEqual(
            (row.status_from_id, row.source), (self.status_lead_lost, "automation")
        )

    def test_lost_lead_marked_won_goes_to_won_directly(self):
        lead = self._new_lead(self.buyer)
        lead.action_set_lost()
        lead.action_set_won()  # restores the lead first
        self.env.cr.precommit.run()
        self.assertEqual(lead.client_status_id, self.status_lead_won)
        self.assertEqual(
            [row.status_to_id for row in self._history(lead)][-2:],
            [self.status_lead_lost, self.status_lead_won],
        )

    def test_deleted_won_lead_reclassifies_contact(self):
        lead = self._new_lead(self.buyer)
        with freeze_time(NOW):
            lead.action_set_won()
            self._commit_hooks()
            self.assertEqual(self.buyer.client_status_id, self.status_new)
            lead.unlink()
            self._commit_hooks()  # where the reclassification waits
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)

    def test_waiting_status_needs_topic_and_deadline(self):
        with self.assertRaisesRegex(ValidationError, "say what must be clarified"):
            self.lead.client_status_id = self.status_lead_waiting

    def test_clarification_planned_then_answered(self):
        lead = self.lead
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_question": "Which budget for the first year?",
                "clarification_deadline": date(2026, 6, 20),
            }
        )
        activity = lead.clarification_activity_id
        self.assertEqual(activity.date_deadline, date(2026, 6, 20))
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(
            self._last_history(lead).reason,
            "To clarify: Budget - Which budget for the first year? (by 2026-06-20)",
        )
        # an older message, and the lead's messages read (cached) before the
        # answer comes
        lead.message_post(body="Asked by phone too", message_type="comment")
        self.assertEqual(len(lead.message_ids), 1)
        # queued, not sent: no mail server here
        lead.with_context(mail_notify_force_send=False).message_post(
            body="About 20,000 EUR.",
            author_id=self.client.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(lead.client_status_id, self.status_lead_progress)
        row = self._last_history(lead)
        self.assertEqual(row.source, "automation")
        self.assertEqual(row.reason, "Answer from the client: About 20,000 EUR.")
        # the activity is done, with the answer as feedback
        self.assertFalse(activity.exists())

    def test_clarification_for_the_team_leader_without_salesperson(self):
        leader = new_test_user(
            self.env, login="cs_leader", groups="sales_team.group_sale_manager"
        )
        team = self.env["crm.team"].create(
            {"name": "Client Status Team", "user_id": leader.id}
        )
        lead = self.env["crm.lead"].create(
            {"name": "Nobody's Lead", "user_id": False, "team_id": team.id}
        )
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_deadline": date(2026, 6, 20),
            }
        )
        self.assertEqual(lead.clarification_activity_id.user_id, leader)

    def test_internal_note_is_no_answer(self):
        lead = self.lead
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "timeline",
                "clarification_deadline": date(2026, 6, 20),
            }
        )
        lead.message_post(body="Still waiting", message_type="comment")
        self.assertEqual(lead.client_status_id, self.status_lead_waiting)

    def test_deadline_passed_reminder_once(self):
        lead = self.lead
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "requirements",
                "clarification_deadline": date(2026, 6, 10),
            }
        )
        with freeze_time(NOW):
            self.env["crm.lead"]._cron_client_status_escalate()
            self.env["crm.lead"]._cron_client_status_escalate()
        reminders = lead.activity_ids.filtered(
            lambda activity: activity.summary == "No answer from the client yet"
        )
        self.assertEqual(len(reminders), 1)
        self.assertEqual(lead.client_status_id, self.status_lead_waiting)

    def test_deadline_passed_move(self):
        self.status_lead_waiting.write(
            {"escalation": "move", "escalation_status_id": self.status_lead_lost.id}
        )
        lead = self.lead
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "decision_maker",
                "clarification_deadline": date(2026, 6, 10),
            }
        )
        with freeze_time(NOW):
            self.env["crm.lead"]._cron_client_status_escalate()
        self.assertEqual(lead.client_status_id, self.status_lead_lost)
        row = self._last_history(lead)
        self.assertEqual(row.source, "automation")
        self.assertEqual(row.reason, "No answer from the client by the deadline")

    def test_automation_pair_changes_status_once(self):
        field = self.env["ir.model.fields"]._get("res.partner", "client_status_id")

        def flip(name, when, then):
            automation = self.env["base.automation"].create(
                {
                    "name": name,
                    "model_id": field.model_id.id,
                    "trigger": "on_create_or_write",
                    "trigger_field_ids": [Command.set(field.ids)],
                    "filter_domain": repr([("client_status_id", "=", when.id)]),
                }
            )
            automation.action_server_ids = [
                Command.create(
                    {
                        "name": name,
                        "model_id": field.model_id.id,
                        "usage": "base_automation",
                        "state": "code",
                        "code": f"records.write({{'client_status_id': {then.id}}})",
                    }
                )
            ]

        flip("Regular to VIP", self.status_regular, self.status_new)
        flip("VIP to Regular", self.status_new, self.status_regular)
        self.buyer.client_status_id = self.status_regular
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        changes = self._history(self.buyer).filtered(
            lambda row: row.date >= datetime(2000, 1, 1) and row.source == "automation"
        )
        self.assertEqual(len(changes), 1)
        # a later event may change it again, once
        self.buyer.client_status_id = self.status_regular
        self.assertEqual(self.buyer.client_status_id, self.status_new)

    def test_on_status_set_trigger(self):
        automation = self.env["base.automation"].create(
            {
                "name": "Welcome regulars",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "trigger": "on_client_status_set",
                "trg_field_ref": self.status_regular.id,
            }
        )
        self.assertEqual(automation.trigger_field_ids.name, "client_status_id")
        self.assertEqual(
            automation.filter_domain,
            f"[('client_status_id', '=', {self.status_regular.id})]",
        )
        automation.action_server_ids = [
            Command.create(
                {
                    "name": "Mark",
                    "model_id": automation.model_id.id,
                    "usage": "base_automation",
                    "state": "code",
                    "code": "records.write({'ref': 'regular now'})",
                }
            )
        ]
        self.buyer.client_status_id = self.status_new
        self.assertEqual(self.buyer.ref, False)
        self.buyer.client_status_id = self.status_regular
        self.assertEqual(self.buyer.ref, "regular now")

    def test_leaving_clarification_cancels_its_activity(self):
        lead = self.lead
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_deadline": date(2026, 6, 20),
            }
        )
        activity = lead.clarification_activity_id
        self.assertTrue(activity.exists())
        lead.client_status_id = self.status_lead_progress
        self.assertFalse(activity.exists())
