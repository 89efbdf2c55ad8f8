# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_questionnaire")
class TestClientStatusQuestionnaire(HttpCase, ClientStatusCommon):
    """The questionnaire of a lead waiting for the client: a public page
    opened by its link's token, which answers once and moves the lead as an
    e-mail reply does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_client_answers()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.lead.write(
            {
                "client_status_id": cls.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_question": "Which budget for the first year?",
                "clarification_deadline": date(2026, 6, 20),
            }
        )

    def _url(self, lead=None, token=None):
        lead = lead or self.lead
        token = token or lead.clarification_token
        return f"/client_status/questionnaire/{lead.id}?access_token={token}"

    def _post(self, data, lead=None, token=None):
        page = self.url_open(self._url(lead, token))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            self._url(lead, token), data=dict(data, csrf_token=csrf)
        )
        self.env.invalidate_all()
        return response

    def _budget(self, amount="20000", **values):
        return {
            "amount": amount,
            "currency_id": str(self.eur.id),
            "answer": "",
            **values,
        }

    def test_page_shows_the_question(self):
        self.assertTrue(self.lead.clarification_token)
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Which budget for the first year?", response.text)
        self.assertIn('name="amount"', response.text)
        self.assertIn('name="answer"', response.text)
        self.assertIn(self.lead.company_id.name or self.env.company.name, response.text)

    def test_wrong_token_not_found(self):
        for token in ("forged", self.lead.clarification_token[:-1] + "x"):
            self.assertEqual(self.url_open(self._url(token=token)).status_code, 404)
        no_token = f"/client_status/questionnaire/{self.lead.id}"
        self.assertEqual(self.url_open(no_token).status_code, 404)
        # another lead's token opens nothing
        other = self.lead.copy({"name": "Other Lead"})
        self.assertEqual(
            self.url_open(self._url(other, self.lead.clarification_token)).status_code,
            404,
        )

    def test_lead_no_longer_waiting(self):
        url = self._url()
        self.lead.client_status_id = self.status_lead_open
        self.assertEqual(self.url_open(url).status_code, 404)
        # waiting again: a new link, the old one is dead
        self.lead.client_status_id = self.status_lead_waiting
        self.assertNotEqual(self._url(), url)
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def test_budget_answer(self):
        activity = self.lead.clarification_activity_id
        url = self._url()
        response = self._post(self._budget(answer="For the first year."))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_client_status_thanks", response.text)
        lead = self.lead
        self.assertEqual(lead.clarification_answer_amount, 20000)
        self.assertEqual(lead.clarification_answer_currency_id, self.eur)
        self.assertTrue(lead.clarification_answered_at)
        self.assertEqual(lead.client_status_id, self.status_lead_progress)
        row = self._history(lead)[-1:]
        self.assertEqual(row.source, "automation")
        self.assertIn("Answer from the client:", row.reason)
        self.assertIn("20,000.00", row.reason)
        self.assertIn("For the first year.", row.reason)
        self.assertEqual(lead.clarification_answer, "For the first year.")
        self.assertFalse(activity.exists())
        message = lead.message_ids.filtered(
            lambda message: "Answer to the questionnaire" in message.body
        )
        self.assertEqual(message.author_id, self.client)
        self.assertIn("20,000.00", message.body)
        # the form shows the answer
        form = Form(lead)
        self.assertEqual(form.clarification_answer_amount, 20000)
        self.assertEqual(form.clarification_answer, "For the first year.")
        # answered: the link is dead
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_answer_once(self):
        self.status_lead_waiting.reply_status_id = False
        page = self.url_open(self._url())
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = dict(self._budget(), csrf_token=csrf)
        self.assertEqual(self.url_open(self._url(), data=data).status_code, 200)
        self.env.invalidate_all()
        # still waiting (no status to go to), but answered
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        self.assertEqual(self.url_open(self._url(), data=data).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 404)

    def test_negative_amount_refused(self):
        for amount in ("-5", "abc", "nan"):
            response = self._post(self._budget(amount))
            self.assertEqual(response.status_code, 400)
            self.assertIn("o_client_status_errors", response.text)
        self.assertFalse(self.lead.clarification_answered_at)
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)

    def test_text_answer_size_and_escaping(self):
        self.lead.clarification_topic = "requirements"
        response = self._post({"answer": "x" * 2001})
        self.assertEqual(response.status_code, 400)
        self.assertIn("too long", response.text)
        # the answer is given back to correct, escaped
        self.assertIn("x" * 2001 + "</textarea>", response.text)
        self.assertFalse(self.lead.clarification_answer)
        self.assertEqual(self.lead.client_status_id, self.status_lead_waiting)
        response = self._post({"answer": "   "})
        self.assertEqual(response.status_code, 400)

        response = self._post({"answer": "<script>alert(1)</script> 40 seats"})
        self.assertEqual(response.status_code, 200)
        lead = self.lead
        self.assertEqual(
            lead.clarification_answer, "<script>alert(1)</script> 40 seats"
        )
        message = lead.message_ids.filtered(
            lambda message: "Answer to the questionnaire" in message.body
        )
        self.assertNotIn("<script>", message.body)
        self.assertIn("&lt;script&gt;", message.body)
        self.assertEqual(lead.client_status_id, self.status_lead_progress)

    def test_timeline_answer(self):
        self.lead.clarification_topic = "timeline"
        self.assertEqual(self._post({"date": "not a date"}).status_code, 400)
        self.assertEqual(self._post({"date": "2026-09-01"}).status_code, 200)
        self.assertEqual(self.lead.clarification_answer_date, date(2026, 9, 1))

    def test_rate_limit(self):
        for _attempt in range(5):
            self.assertEqual(self._post(self._budget("-1")).status_code, 400)
        response = self._post(self._budget())
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.lead.clarification_answered_at)

    def test_answer_fields_protected(self):
        lead = self.lead.with_user(self.salesman)
        for fname, value in [
            ("clarification_answer", "Made up"),
            ("clarification_answered_at", "2026-06-01 00:00:00"),
            ("clarification_token", "mine"),
            ("clarification_answer_attempts", 0),
        ]:
            with self.assertRaises(AccessError):
                lead.write({fname: value})

    def test_page_in_the_client_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["client_status"], ["pl_PL"], overwrite=True
        )
        self.client.lang = "pl_PL"
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        # the topic, as the client reads it
        self.assertIn("Budżet", response.text)
