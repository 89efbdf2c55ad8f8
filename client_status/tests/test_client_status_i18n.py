# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientStatusCommon

# One seeded status per catalogue, in each shipped language.
EXPECTED = {
    "pl_PL": {
        "partner_regular": "Stały",
        "lead_clarification": "Wyjaśnienie",
        "partner_call_probable": "Prawdopodobny",
    },
    "uk_UA": {
        "partner_regular": "Постійний",
        "lead_clarification": "Уточнення",
        "partner_call_probable": "Ймовірний",
    },
    "ru_RU": {
        "partner_regular": "Постоянный",
        "lead_clarification": "Уточнение",
        "partner_call_probable": "Вероятный",
    },
}


@tagged("post_install", "-at_install", "client_status_i18n")
class TestClientStatusTranslations(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in EXPECTED:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["client_status"], list(EXPECTED), overwrite=True
        )

    def test_seeded_statuses_translated(self):
        for lang, names in EXPECTED.items():
            for xmlid, name in names.items():
                status = self.env.ref(
                    f"client_status.client_status_{xmlid}"
                ).with_context(lang=lang)
                self.assertEqual(status.name, name, f"{xmlid} in {lang}")

    def test_errors_translated(self):
        messages = set()
        for lang in EXPECTED:
            with self.assertRaises(ValidationError) as error:
                self.Status.with_context(lang=lang).create(
                    {
                        "name": "Dup",
                        "code": "t_new",
                        "scope": "partner",
                        "kind": "customer",
                    }
                )
            messages.add(str(error.exception))
        self.assertEqual(len(messages), 3)
        for message in messages:
            self.assertIn("t_new", message)
            self.assertNotIn("is already used", message)

    def test_clarification_error_and_next_action_translated(self):
        for lang in EXPECTED:
            with self.assertRaises(ValidationError) as error:
                self.lead.with_context(
                    lang=lang
                ).client_status_id = self.status_lead_waiting
            self.assertNotIn("say what must be clarified", str(error.exception))
            self.assertIn("Test Lead", str(error.exception))
            vip = self.env.ref("client_status.client_status_partner_vip")
            self.assertNotEqual(
                vip.with_context(lang=lang).next_action,
                "Personal contact; special conditions.",
            )

    def test_display_names_in_the_reader_language(self):
        # columns, status bars, badges and pivots show the display name: the
        # reader's language, for a sub-status its parent's name too
        regular = self.env.ref("client_status.client_status_partner_regular")
        child = self.Status.create(
            {
                "name": "Monthly",
                "scope": "partner",
                "kind": "customer",
                "parent_id": regular.id,
            }
        )
        child.with_context(lang="pl_PL").name = "Miesięczny"
        self.assertEqual(
            child.with_context(lang="pl_PL").display_name, "Stały / Miesięczny"
        )
        self.assertEqual(
            child.with_context(lang="en_US").display_name, "Regular / Monthly"
        )
        self.client.client_status_id = regular
        groups = (
            self.env["res.partner"]
            .with_context(lang="uk_UA")
            .web_read_group(
                [("id", "=", self.client.id)],
                ["client_status_id"],
                ["client_status_id"],
            )["groups"]
        )
        # every status is a column: the client's is the regular one
        labels = dict(group["client_status_id"] for group in groups)
        self.assertEqual(labels[regular.id], "Постійний")

    def test_history_reasons_in_the_reader_language(self):
        # a reason the addon writes is read in the reader's language, whoever
        # wrote it: here a Polish user's change synced to a company's contact
        self.client.with_context(lang="pl_PL").client_status_id = self.status_new
        row = self._history(self.client_contact)[-1]
        reasons = {lang: row.with_context(lang=lang).reason for lang in EXPECTED}
        self.assertEqual(
            row.with_context(lang="en_US").reason,
            "Status of the commercial entity Test Client Company",
        )
        self.assertEqual(len(set(reasons.values())), 3)
        for reason in reasons.values():
            self.assertIn("Test Client Company", reason)
            self.assertNotIn("Status of the commercial entity", reason)

    def test_person_reason_kept_as_written(self):
        self.client.with_context(
            lang="pl_PL", client_status_reason="Dzwonił wczoraj"
        ).client_status_id = self.status_new
        row = self._history(self.client)[-1]
        for lang in ("en_US", *EXPECTED):
            self.assertEqual(row.with_context(lang=lang).reason, "Dzwonił wczoraj")

    def test_clarification_reason_in_the_reader_language(self):
        # a Polish salesperson asks; an English reader reads the question in
        # English around the client's own words
        self.lead.with_context(lang="pl_PL").write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_question": "Ile?",
                "clarification_deadline": "2026-12-31",
            }
        )
        row = self._history(self.lead)[-1]
        self.assertEqual(
            row.with_context(lang="en_US").reason,
            "To clarify: Budget - Ile? (by 2026-12-31)",
        )
        self.assertNotIn("To clarify", row.with_context(lang="pl_PL").reason)
