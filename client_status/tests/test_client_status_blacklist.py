# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install")
class TestClientStatusBlacklist(ClientStatusCommon):
    """A blacklisted customer gets no new lead or opportunity, whatever the
    path, unless a Client Status Manager confirms it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.banned = cls.env["res.partner"].create(
            {"name": "Bad Payer", "is_company": True, "email": "bad@payer.example"}
        )
        cls.banned_contact = cls.env["res.partner"].create(
            {"name": "Bad Payer's Buyer", "parent_id": cls.banned.id}
        )
        cls.banned.with_context(
            client_status_reason="Three invoices unpaid"
        ).client_status_id = cls.status_blacklist
        cls.status_manager = new_test_user(
            cls.env,
            login="cs_status_manager",
            groups="sales_team.group_sale_salesman,"
            "client_status.client_status_group_manager",
            name="Client Status Manager",
        )

    def assertRefused(self):
        return self._assert_refused(
            r"Bad Payer is blacklisted \(Test Blacklist\): Three invoices"
        )

    def test_create_refused_for_company_and_contacts(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        with self.assertRefused():
            Lead.create({"name": "New deal", "partner_id": self.banned.id})
        with self.assertRefused():
            Lead.create({"name": "Via a contact", "partner_id": self.banned_contact.id})

    def test_copy_and_customer_change_refused(self):
        with self.assertRefused():
            self.lead.partner_id = self.banned
        self.lead.flush_recordset()
        self.banned.client_status_id = self.status_prospect
        lead = self.env["crm.lead"].create(
            {"name": "Old", "partner_id": self.banned.id}
        )
        self.banned.client_status_id = self.status_blacklist
        with self.assertRefused():
            lead.copy()

    def test_import_refused(self):
        result = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .load(["name", "partner_id"], [["Imported", "Bad Payer"]])
        )
        self.assertEqual(result["ids"], False)
        self.assertIn("Bad Payer is blacklisted", result["messages"][0]["message"])

    def test_mail_gateway_refused(self):
        with self.assertRefused():
            self.env["crm.lead"].message_new(
                {
                    "subject": "Order",
                    "from": "bad@payer.example",
                    "author_id": self.banned.id,
                }
            )

    def test_conversion_refused(self):
        lead = self.env["crm.lead"].create(
            {"name": "To convert", "type": "lead", "contact_name": "Someone"}
        )
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
            .create(
                {"action": "exist", "partner_id": self.banned.id, "name": "convert"}
            )
        )
        with self.assertRefused():
            wizard.action_apply()

    def test_manager_override_logged(self):
        with self.assertRaises(UserError):
            # the flag is the managers' only
            self.env["crm.lead"].with_user(self.salesman).sudo(False).create(
                {"name": "Forced", "partner_id": self.banned.id}
            )
        lead = (
            self.env["crm.lead"]
            .with_user(self.status_manager)
            .create(
                {
                    "name": "Accepted deal",
                    "partner_id": self.banned.id,
                    "client_status_blacklist_confirmed": True,
                }
            )
        )
        self.assertEqual(lead.partner_id, self.banned)
        row = self._history(self.banned)[-1]
        self.assertEqual(row.status_to_id, self.status_blacklist)
        self.assertEqual(row.user_id, self.status_manager)
        self.assertEqual(
            row.reason,
            "Blacklist overridden by Client Status Manager for Accepted deal",
        )
