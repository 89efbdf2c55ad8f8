# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_archive")
class TestClientStatusArchive(ClientStatusCommon):
    def _archive_with_wizard(self, statuses, target, reason=None):
        action = statuses.action_archive()
        self.assertEqual(action["res_model"], "client.status.archive")
        form = Form(self.env["client.status.archive"].with_context(**action["context"]))
        form.target_status_id = target
        if reason:
            form.reason = reason
        wizard = form.save()
        self.action = wizard.action_confirm()
        return wizard

    def test_archive_used_status_moves_records_first(self):
        archived_partner = self.env["res.partner"].create(
            {
                "name": "Archived Client",
                "client_status_id": self.status_new.id,
                "active": False,
            }
        )
        self.individual.client_status_id = self.status_new
        wizard = self._archive_with_wizard(
            self.status_new, self.status_regular, "Catalogue simplified"
        )
        self.assertEqual(wizard.record_count, 0)  # everything moved
        self.assertEqual(self.status_new.active, False)
        self.assertEqual(self.individual.client_status_id, self.status_regular)
        self.assertEqual(archived_partner.client_status_id, self.status_regular)
        row = self._history(self.individual)[-1]
        self.assertEqual(
            (row.status_from_id, row.status_to_id),
            (self.status_new, self.status_regular),
        )
        self.assertEqual(row.reason, "Catalogue simplified")

    def test_archive_status_of_company_with_contacts(self):
        self.client.client_status_id = self.status_new
        self._archive_with_wizard(self.status_new, self.status_regular)
        self.assertEqual(self.status_new.active, False)
        self.assertEqual(self.client.client_status_id, self.status_regular)
        self.assertEqual(self.client_contact.client_status_id, self.status_regular)

    def test_archive_refused_while_hidden_records_use_status(self):
        manager_a = new_test_user(
            self.env,
            login="cs_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.env["res.partner"].create(
            {
                "name": "B Only",
                "company_id": self.company_b.id,
                "client_status_id": self.status_new.id,
            }
        )
        self.individual.client_status_id = self.status_new
        wizard = (
            self.env["client.status.archive"]
            .with_user(manager_a)
            .create(
                {
                    "status_ids": self.status_new.ids,
                    "target_status_id": self.status_regular.id,
                }
            )
        )
        self.assertEqual(wizard.record_count, 2)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.status_new.active, True)
        self.assertEqual(self.individual.client_status_id, self.status_new)

    def test_wizard_counts_records_to_move(self):
        self.individual.client_status_id = self.status_new
        action = self.status_new.action_archive()
        # the web client needs the views of the action it opens
        self.assertEqual(action["views"], [(False, "form")])
        wizard = (
            self.env["client.status.archive"]
            .with_context(**action["context"])
            .create({"target_status_id": self.status_regular.id})
        )
        self.assertEqual(wizard.record_count, 1)
        self.assertEqual(self.status_new.active, True)

    def test_wizard_refuses_target_of_other_scope(self):
        self.individual.client_status_id = self.status_new
        wizard = self.env["client.status.archive"].create(
            {
                "status_ids": self.status_new.ids,
                "target_status_id": self.status_lead_open.id,
            }
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.individual.client_status_id, self.status_new)
        self.assertEqual(self.status_new.active, True)

    def test_archive_unused_status_directly(self):
        self.assertEqual(self.status_regular.record_count, 0)
        self.status_regular.action_archive()
        self.assertEqual(self.status_regular.active, False)

    def test_archive_refused_for_default_and_used(self):
        with self.assertRaises(UserError):
            self.status_prospect.action_archive()
        self.individual.client_status_id = self.status_new
        with self.assertRaises(UserError):
            self.status_new.write({"active": False})
        self.assertEqual(self.status_new.active, True)

    def test_archive_mixed_scopes_refused(self):
        self.individual.client_status_id = self.status_new
        self.lead.client_status_id = self.status_lead_won
        with self.assertRaises(UserError):
            (self.status_new | self.status_lead_won).action_archive()

    def test_delete_used_status_refused(self):
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.status_prospect.unlink()
        # a status that only the history names is kept too
        self.individual.client_status_id = self.status_new
        self.individual.client_status_id = self.status_prospect
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.status_new.unlink()

    def test_delete_unused_status(self):
        status = self._create_status("Never Used", "t_never", "partner", "customer", 9)
        status.unlink()
        self.assertEqual(status.exists(), self.Status)

    def test_archive_says_how_many_records_moved(self):
        archived_partner = self.env["res.partner"].create(
            {
                "name": "Archived Client",
                "client_status_id": self.status_new.id,
                "active": False,
            }
        )
        self.individual.client_status_id = self.status_new
        self._archive_with_wizard(self.status_new, self.status_regular)
        self.assertEqual(archived_partner.client_status_id, self.status_regular)
        self.assertEqual(self.action["tag"], "display_notification")
        self.assertEqual(
            self.action["params"]["message"], "2 records moved to Test Regular."
        )
        self.assertEqual(
            self.action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )

    def test_archive_archives_the_rules_of_the_statuses(self):
        Rule = self.env["client.status.rule"]
        rule = Rule.create(
            {"name": "Gives New", "scope": "partner", "status_id": self.status_new.id}
        )
        other = Rule.create(
            {
                "name": "Gives Regular",
                "scope": "partner",
                "status_id": self.status_regular.id,
            }
        )
        self.individual.client_status_id = self.status_new
        self._archive_with_wizard(self.status_new, self.status_regular)
        self.assertFalse(rule.active)
        self.assertTrue(other.active)
