# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_clarification")
class TestClientStatusClarification(ClientStatusCommon):
    """The clarifications asked of clients: one per time a lead waits for
    its client, the questionnaire sent by e-mail (and again by the
    escalation job), the answer, and the report that counts them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_client_answers()
        cls.Clarification = cls.env["client.status.clarification"]
        cls.template = cls.env.ref(
            "client_status.mail_template_clarification_questionnaire"
        )

    def _wait(self, leads, deadline=date(2026, 6, 20), topic="budget"):
        leads.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": topic,
                "clarification_question": "Which budget for the first year?",
                "clarification_deadline": deadline,
            }
        )
        return self.Clarification.search([("lead_id", "in", leads.ids)])

    def _send(self, lead, user=None):
        """Send the questionnaire as ``user`` from the lead's button."""
        lead = lead.with_user(user or self.salesman)
        action = lead.action_client_status_send_questionnaire()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(user or self.salesman)
            .with_context(**action["context"])
        )
        composer.save().action_send_mail()
        return self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("message_type", "=", "comment"),
            ],
            limit=1,
        )

    @freeze_time("2026-06-10 09:00:00")
    def test_a_clarification_per_wait(self):
        clarification = self._wait(self.lead)
        self.assertRecordValues(
            clarification,
            [
                {
                    "status_id": self.status_lead_waiting.id,
                    "user_id": self.salesman.id,
                    "topic": "budget",
                    "deadline": date(2026, 6, 20),
                    "asked_at": datetime(2026, 6, 10, 9, 0),
                    "state": "waiting",
                    "asked": 1,
                    "sent": 0,
                    "answered": 0,
                }
            ],
        )
        # a new deadline is the same clarification's
        self.lead.clarification_deadline = date(2026, 6, 25)
        self.assertEqual(clarification.deadline, date(2026, 6, 25))
        # leaving the status without an answer closes it
        self.lead.client_status_id = self.status_lead_open
        self.assertEqual(clarification.state, "unanswered")
        self.assertEqual(clarification.closed_at, datetime(2026, 6, 10, 9, 0))
        # waiting again is a new clarification
        self.assertEqual(len(self._wait(self.lead)), 2)
        # and so is another waiting status
        other_waiting = self._create_status(
            "Test Waiting 2", "t_waiting_2", "lead", "waiting", 6
        )
        token = self.lead.clarification_token
        self.lead.client_status_id = other_waiting
        clarifications = self.Clarification.search(
            [("lead_id", "=", self.lead.id)], order="id"
        )
        self.assertEqual(
            clarifications.mapped("state"), ["unanswered", "unanswered", "waiting"]
        )
        self.assertEqual(clarifications[-1].status_id, other_waiting)
        self.assertNotEqual(self.lead.clarification_token, token)

    def test_create_waiting_with_the_chatter(self):
        """A salesperson creates a lead waiting for its client with the
        chatter on (no ``tracking_disable``): the clarification's activity
        makes them a follower, and so does the lead's creation, once."""
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .with_context(tracking_disable=False)
            .create(
                {
                    "name": "Test Lead Created Waiting",
                    "partner_id": self.client.id,
                    "client_status_id": self.status_lead_waiting.id,
                    "clarification_topic": "budget",
                    "clarification_deadline": date(2026, 6, 20),
                }
            )
        )
        self.assertEqual(
            lead.message_partner_ids & self.salesman.partner_id,
            self.salesman.partner_id,
        )
        self.assertTrue(lead.clarification_activity_id)
        self.assertEqual(
            self.Clarification.search([("lead_id", "=", lead.id)]).state, "waiting"
        )

    def test_new_wording_is_no_new_deadline(self):
        """Rewording the question after the deadline is recorded, but does
        not escalate the clarification again."""
        clarification = self._wait(self.lead, deadline=date(2026, 6, 11))
        with freeze_time("2026-06-12 09:00:00"):
            self.env["crm.lead"]._cron_client_status_escalate()
        self.assertTrue(self.lead.clarification_escalated)
        self.lead.clarification_question = "Which budget for two years?"
        self.assertEqual(clarification.question, "Which budget for two years?")
        self.assertTrue(self.lead.clarification_escalated)

    def test_send_the_questionnaire(self):
        """The salesperson sends the questionnaire from the lead: an e-mail
        to the client with the link to the lead's page, counted as sent."""
        clarification = self._wait(self.lead)
        with freeze_time("2026-06-11 10:00:00"):
            message = self._send(self.lead)
        self.assertIn(self.lead.clarification_questionnaire_url, message.body)
        self.assertIn(
            f"/client_status/questionnaire/{self.lead.id}?access_token=",
            self.lead.clarification_questionnaire_url,
        )
        self.assertIn("Which budget for the first year?", message.body)
        self.assertEqual(message.partner_ids, self.client)
        self.assertEqual(message.author_id, self.salesman.partner_id)
        self.assertRecordValues(
            clarification,
            [{"sent_at": datetime(2026, 6, 11, 10, 0), "sent_count": 1, "sent": 1}],
        )
        # an e-mail of the composer without the questionnaire is not a
        # sending, nor is the questionnaire logged as a note
        lead_messages = [("model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        count = self.env["mail.message"].search_count(lead_messages)
        composer = self.env["mail.compose.message"].with_user(self.salesman)
        composer.with_context(
            default_composition_mode="comment",
            default_model="crm.lead",
            default_res_ids=self.lead.ids,
        ).create({"body": "Any news?"})._action_send_mail()
        composer.with_context(
            default_composition_mode="comment",
            default_model="crm.lead",
            default_res_ids=self.lead.ids,
            default_template_id=self.template.id,
            default_subtype_id=self.env.ref("mail.mt_note").id,
        ).create({})._action_send_mail()
        self.assertEqual(
            self.env["mail.message"].search_count(lead_messages), count + 2
        )
        self.assertEqual(clarification.sent_count, 1)

    def test_email_in_the_clients_language(self):
        """The e-mail is written in the client's language, whoever sends it
        (the salesperson from the lead, the escalation job's reminder)."""
        expected = {
            "pl_PL": ("pytanie w sprawie", "Odpowiedz na pytanie", "Dzień dobry"),
            "uk_UA": ("запитання щодо", "Відповісти на запитання", "Добрий день"),
            "ru_RU": ("вопрос по", "Ответить на вопрос", "Здравствуйте"),
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["client_status"], list(expected), overwrite=True
        )
        for lang, (subject, button, greeting) in expected.items():
            with self.subTest(lang=lang):
                client = self.client.copy({"name": f"Client {lang}", "lang": lang})
                lead = self.lead.copy({"partner_id": client.id})
                self._wait(lead, deadline=date(2026, 6, 11))
                message = self._send(lead)
                self.assertIn(subject, message.subject)
                self.assertIn(button, message.body)
                self.assertIn(greeting, message.body)
                self.assertNotIn("Answer the question", message.body)
                with freeze_time("2026-06-12 09:00:00"):
                    lead._client_status_remind_questionnaire()
                reminder = self.env["mail.message"].search(
                    [
                        ("model", "=", "crm.lead"),
                        ("res_id", "=", lead.id),
                        ("message_type", "=", "comment"),
                    ],
                    limit=1,
                )
                self.assertNotEqual(reminder, message)
                self.assertIn(button, reminder.body)
        # a lead with an e-mail address only: in the lead's language
        lead = self.env["crm.lead"].create(
            {
                "name": "Test Lead Without Customer",
                "email_from": "nowy@example.com",
                "lang_id": self.env["res.lang"]._lang_get("pl_PL").id,
                "user_id": self.salesman.id,
            }
        )
        self._wait(lead)
        lead.with_user(self.salesman)._client_status_send_questionnaire()
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("Odpowiedz na pytanie", message.body)
        self.assertEqual(message.partner_ids.email_normalized, "nowy@example.com")

    def test_send_to_several_leads(self):
        """Send Questionnaire on leads selected in a list, as a salesperson
        (no template editor): the e-mail as the template writes it, one per
        lead waiting for its client, the others left out."""
        others = self.lead.copy({"name": "Test Lead 2"}) | self.lead.copy(
            {"name": "Test Lead 3"}
        )
        self._wait(self.lead | others[0])
        leads = (self.lead | others).with_user(self.salesman)
        action = (
            self.env.ref("client_status.crm_lead_action_send_questionnaire")
            .with_user(self.salesman)
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .run()
        )
        self.assertEqual(action["tag"], "display_notification")
        # one request sends to so many leads at most
        with (
            patch(
                "odoo.addons.client_status.models.client_status_clarification_mixin.QUESTIONNAIRE_SEND_LIMIT",
                1,
            ),
            self._assert_refused("at most at once"),
        ):
            leads.action_client_status_send_questionnaire()
        self.assertEqual(
            self.Clarification.search(
                [("lead_id", "in", leads.ids), ("sent", "=", 1)]
            ).lead_id,
            self.lead | others[0],
        )
        for lead in self.lead | others[0]:
            message = self.env["mail.message"].search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("message_type", "=", "comment"),
                ]
            )
            self.assertEqual(len(message), 1)
            self.assertIn(lead.clarification_questionnaire_url, message.body)
            self.assertEqual(message.author_id, self.salesman.partner_id)

    def test_send_needs_a_waiting_lead(self):
        with self._assert_refused("waits for an answer of the client"):
            self.lead.with_user(self.salesman).action_client_status_send_questionnaire()

    def test_confirm_and_send(self):
        """From the dialog a waiting status opens: confirm, then the
        composer with the questionnaire."""
        action = self.lead.with_user(self.salesman).action_client_status_change(
            self.status_lead_waiting.id
        )
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        form.clarification_topic = "timeline"
        composer = form.save().action_confirm_send()
        self.assertEqual(composer["res_model"], "mail.compose.message")
        self.assertEqual(composer["context"]["default_template_id"], self.template.id)
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)

    def test_answer_in_time(self):
        """The answer closes the clarification: by which channel, in time or
        not, how many hours after the questionnaire was sent."""
        with freeze_time("2026-06-10 09:00:00"):
            clarification = self._wait(self.lead)
        with freeze_time("2026-06-11 09:00:00"):
            self._send(self.lead)
        with freeze_time("2026-06-12 15:00:00"):
            self.lead._client_status_questionnaire_answer(
                text="20k", amount=20000, currency=self.env.ref("base.EUR")
            )
        self.assertRecordValues(
            clarification,
            [
                {
                    "state": "answered",
                    "answer_channel": "questionnaire",
                    "answered": 1,
                    "answered_in_time": 1,
                    "hours_to_answer": 30.0,
                    "closed_at": False,
                }
            ],
        )
        self.assertEqual(self.lead.client_status_id, self.status_lead_progress)

    def test_answer_late_by_email(self):
        """An e-mail reply after the deadline: answered, not in time, hours
        counted from the question when no questionnaire was sent."""
        with freeze_time("2026-06-10 09:00:00"):
            clarification = self._wait(self.lead, deadline=date(2026, 6, 11))
        with freeze_time("2026-06-12 09:00:00"):
            self.lead.message_post(
                body="Our budget is 20k", message_type="email", author_id=self.client.id
            )
            self.lead._client_status_on_client_reply()
        self.assertRecordValues(
            clarification,
            [
                {
                    "state": "answered",
                    "answer_channel": "email",
                    "answered_in_time": 0,
                    "hours_to_answer": 48.0,
                }
            ],
        )

    def test_answer_without_a_next_status(self):
        """A waiting status that names no status for the answer: the lead
        keeps waiting, its clarification is answered."""
        self.status_lead_waiting.reply_status_id = False
        clarification = self._wait(self.lead, topic="requirements")
        self.lead._client_status_questionnaire_answer(text="40 seats")
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        self.assertEqual(clarification.state, "answered")
        self.assertFalse(self.lead._client_status_questionnaire_open())

    def test_email_answer_without_a_next_status(self):
        """An e-mail reply on a waiting status that names no status for the
        answer is an answer all the same: the clarification is answered,
        its activity done, the questionnaire closed, and the escalation job
        chases the client no more."""
        self.status_lead_waiting.reply_status_id = False
        with freeze_time("2026-06-10 09:00:00"):
            clarification = self._wait(self.lead, deadline=date(2026, 6, 11))
            activity = self.lead.clarification_activity_id
        with freeze_time("2026-06-10 15:00:00"):
            self.lead.message_post(
                body="We decided: 30k", message_type="email", author_id=self.client.id
            )
            self.lead._client_status_on_client_reply()
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        self.assertRecordValues(
            clarification,
            [{"state": "answered", "answer_channel": "email", "hours_to_answer": 6.0}],
        )
        self.assertFalse(activity.exists())
        self.assertFalse(self.lead._client_status_questionnaire_open())
        with freeze_time("2026-06-12 09:00:00"):
            self.env["crm.lead"]._cron_client_status_escalate()
        self.assertFalse(self.lead.clarification_escalated)
        self.assertFalse(self.lead.activity_ids)

    def test_merge_keeps_the_clarifications(self):
        other = self.lead.copy({"name": "Test Lead Duplicate"})
        clarifications = self._wait(self.lead | other)
        merged = (self.lead | other)._merge_opportunity(auto_unlink=True)
        self.assertEqual(clarifications.exists(), clarifications)
        self.assertEqual(clarifications.lead_id, merged)

    def test_reminder_sends_the_link_again(self):
        """The escalation job's reminder sends the questionnaire again to
        the clients it was sent to, and to them only."""
        other = self.lead.copy({"name": "Test Lead Not Sent"})
        with freeze_time("2026-06-10 09:00:00"):
            self._wait(self.lead | other, deadline=date(2026, 6, 11))
            self._send(self.lead)
        url = self.lead.clarification_questionnaire_url
        with freeze_time("2026-06-12 09:00:00"):
            self.env["crm.lead"]._cron_client_status_escalate()
        clarifications = self.Clarification.search(
            [("lead_id", "in", (self.lead | other).ids)]
        )
        self.assertEqual(
            {c.lead_id: c.sent_count for c in clarifications},
            {self.lead: 2, other: 0},
        )
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(len(messages), 2)
        # the reminder (newest first) and the first e-mail: the same link
        self.assertEqual(self.lead.clarification_questionnaire_url, url)
        self.assertIn(url, messages[0].body)
        self.assertIn(url, messages[1].body)
        # the link still answers
        self.assertTrue(self.lead._client_status_questionnaire_open())

    def test_report(self):
        """Per status and salesperson: asked, sent, answered, in time, and
        the median time to answer."""
        other_user = new_test_user(
            self.env, login="cs_salesman_2", groups="sales_team.group_sale_salesman"
        )
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Report Lead {index}", "partner_id": self.client.id}
                for index in range(5)
            ]
        )
        (leads[:3] | leads[4]).user_id = self.salesman
        leads[3].user_id = other_user
        with freeze_time("2026-06-10 08:00:00"):
            self._wait(leads, deadline=date(2026, 6, 11), topic="requirements")
            self._send(leads[0])
        for lead, moment in (
            (leads[0], "2026-06-10 10:00:00"),  # 2 hours after sending
            (leads[1], "2026-06-10 14:00:00"),  # 6 hours
            (leads[2], "2026-06-12 08:00:00"),  # 48 hours, late
        ):
            with freeze_time(moment):
                lead._client_status_questionnaire_answer(text="Answer")
        groups = self.Clarification.with_user(self.sales_manager).read_group(
            [("lead_id", "in", leads.ids)],
            ["asked", "sent", "answered", "answered_in_time", "hours_to_answer"],
            ["user_id"],
        )
        by_user = {group["user_id"][0]: group for group in groups}
        self.assertEqual(
            {
                key: by_user[self.salesman.id][key]
                for key in ("asked", "sent", "answered", "answered_in_time")
            },
            {"asked": 4, "sent": 1, "answered": 3, "answered_in_time": 2},
        )
        # the median of the answered ones (2, 6, 48 hours), the unanswered
        # one left out
        self.assertEqual(by_user[self.salesman.id]["hours_to_answer"], 6.0)
        self.assertEqual(by_user[other_user.id]["answered"], 0)
        self.assertFalse(by_user[other_user.id]["hours_to_answer"])
        self.assertEqual(
            self.Clarification._read_group(
                [("lead_id", "in", leads.ids), ("state", "=", "answered")],
                ["status_id"],
                ["hours_to_answer:median"],
            ),
            [(self.status_lead_waiting, 6.0)],
        )

    def test_clients_cannot_write_clarifications(self):
        clarification = self._wait(self.lead).with_user(self.salesman)
        self.assertEqual(clarification.state, "waiting")
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            clarification.write({"state": "answered"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.Clarification.with_user(self.salesman).create(
                {"lead_id": self.lead.id, "asked_at": "2026-06-01 00:00:00"}
            )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.lead.with_user(self.salesman).write(
                {"clarification_questionnaire_url": "https://evil.example.com"}
            )

    def test_salesman_sees_own_leads_clarifications(self):
        others_lead = self.lead.copy({"user_id": self.sales_manager.id})
        self._wait(self.lead | others_lead)
        visible = self.Clarification.with_user(self.salesman).search(
            [("lead_id", "in", (self.lead | others_lead).ids)]
        )
        self.assertEqual(visible.lead_id, self.lead)

    def test_upgrade_records_the_waiting_leads(self):
        """The update to 18.0.1.5.0 gives the leads waiting for their client
        the clarification they wait for."""
        with freeze_time("2026-06-10 09:00:00"):
            self._wait(self.lead)
        answered = self.lead.copy({"name": "Test Lead Answered"})
        self._wait(answered, topic="requirements")
        self.status_lead_waiting.reply_status_id = False
        answered._client_status_questionnaire_answer(text="40 seats")
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM client_status_clarification")
        # waiting since before the questionnaire: no link yet
        self.env.cr.execute(
            "UPDATE crm_lead SET clarification_token = NULL WHERE id = %s",
            [self.lead.id],
        )
        script = load_script(
            os.path.join(
                get_module_path("client_status"),
                "migrations",
                "18.0.1.5.0",
                "post-migration.py",
            ),
            "client_status_post_migration_15",
        )
        script.migrate(self.env.cr, "18.0.1.4.0")
        self.assertRecordValues(
            self.Clarification.search([("lead_id", "=", self.lead.id)]),
            [
                {
                    "state": "waiting",
                    "asked_at": datetime(2026, 6, 10, 9, 0),
                    "deadline": date(2026, 6, 20),
                    "status_id": self.status_lead_waiting.id,
                }
            ],
        )
        self.env.invalidate_all()
        self.assertTrue(self.lead.clarification_token)
        self.assertRecordValues(
            self.Clarification.search([("lead_id", "=", answered.id)]),
            [{"state": "answered", "answered": 1, "answer_channel": "questionnaire"}],
        )
