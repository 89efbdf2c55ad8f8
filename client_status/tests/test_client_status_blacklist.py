# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_blacklist")
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
            {
                "name": "Bad Payer's Buyer",
                "parent_id": cls.banned.id,
                "email": "buyer@payer.example",
            }
        )
        cls.banned.with_context(
            client_status_reason="Three invoices unpaid"
        ).client_status_id = cls.status_blacklist
        cls.status_manager = new_test_user(
            cls.env,
            login="cs_status_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
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

    # ------------------------------------------------------------------
    # The matrix: no bypass, driven as the roles (``with_user``: what RPC
    # executes), every path x (the company, its contact, its e-mail only) x
    # (salesperson: refused, manager confirming: allowed and logged)
    # ------------------------------------------------------------------

    # the lead values naming each target
    TARGETS = ("company", "contact", "email")

    def _customer_vals(self, target):
        if target == "email":
            return {"partner_id": False, "email_from": "Bad <bad@payer.example>"}
        partner = self.banned if target == "company" else self.banned_contact
        return {"partner_id": partner.id}

    def _counts(self):
        self.env.flush_all()
        Lead = self.env["crm.lead"].with_context(active_test=False)
        return (
            Lead.search_count([]),
            self.History.search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
        )

    def _assert_bypass_refused(self, operation, error=UserError, pattern=None):
        """``operation`` is refused with ``error`` (matching ``pattern``):
        no lead, no partner, no history row written."""
        counts = self._counts()
        with self.assertRaises(error) as caught:
            operation()
            self.env.flush_all()
        if pattern:
            self.assertRegex(str(caught.exception), pattern)
        self.assertEqual(self._counts(), counts)

    def _assert_override_logged(self, leads, count=1):
        rows = self._history(self.banned)[-count:]
        self.assertEqual(rows.user_id, self.status_manager)
        for row in rows:
            self.assertEqual(row.status_from_id, self.status_blacklist)
            self.assertEqual(row.status_to_id, self.status_blacklist)
        self.assertIn(leads[:1].display_name, rows[-1:].reason)

    def _lead_as(self, user, name="Deal", **values):
        return self.env["crm.lead"].with_user(user).create({"name": name, **values})

    def test_create(self):
        for target in self.TARGETS:
            with self.subTest(target=target):
                self._assert_bypass_refused(
                    lambda target=target: self._lead_as(
                        self.salesman, **self._customer_vals(target)
                    ),
                    pattern="Bad Payer is blacklisted",
                )
                lead = self._lead_as(
                    self.status_manager,
                    client_status_blacklist_confirmed=True,
                    **self._customer_vals(target),
                )
                self._assert_override_logged(lead)

    def test_email_of_a_contact_only(self):
        self._assert_bypass_refused(
            lambda: self._lead_as(self.salesman, email_from="BUYER@payer.example"),
            pattern="Bad Payer is blacklisted",
        )

    def test_copy(self):
        for target in self.TARGETS:
            with self.subTest(target=target):
                lead = self._lead_as(
                    self.status_manager,
                    client_status_blacklist_confirmed=True,
                    user_id=self.salesman.id,
                    **self._customer_vals(target),
                )
                # the confirmation is not copied
                self._assert_bypass_refused(
                    lead.with_user(self.salesman).copy, pattern="is blacklisted"
                )
                self._assert_bypass_refused(
                    lead.with_user(self.status_manager).copy,
                    pattern="is blacklisted",
                )
                copy = lead.with_user(self.status_manager).copy(
                    {"client_status_blacklist_confirmed": True}
                )
                self._assert_override_logged(copy)

    def test_write_customer(self):
        for target in self.TARGETS:
            with self.subTest(target=target):
                vals = self._customer_vals(target)
                self._assert_bypass_refused(
                    lambda vals=vals: self.lead.with_user(self.salesman).write(vals),
                    pattern="is blacklisted",
                )
                self.lead.with_user(self.status_manager).write(
                    dict(vals, client_status_blacklist_confirmed=True)
                )
                self._assert_override_logged(self.lead)
                self.lead.with_user(self.status_manager).write(
                    {"partner_id": self.client.id}
                )

    def test_contact_created_under_the_company(self):
        # a new contact, or a subsidiary, takes the blacklist (no way around)
        Partner = self.env["res.partner"].with_user(self.salesman)
        contact = Partner.create({"name": "New Buyer", "parent_id": self.banned.id})
        subsidiary = Partner.create(
            {
                "name": "Bad Payer Subsidiary",
                "is_company": True,
                "parent_id": self.banned.id,
                "client_status_id": self.status_prospect.id,
            }
        )
        self.assertEqual((contact | subsidiary).client_status_id, self.status_blacklist)
        for partner in contact | subsidiary:
            self._assert_bypass_refused(
                lambda partner=partner: self._lead_as(
                    self.salesman, partner_id=partner.id
                ),
                pattern="is blacklisted",
            )
            lead = self._lead_as(
                self.status_manager,
                partner_id=partner.id,
                client_status_blacklist_confirmed=True,
            )
            self.assertTrue(lead)

    def test_contact_moved_in_or_out(self):
        contact = self.client_contact.with_user(self.salesman)
        self._assert_bypass_refused(
            lambda: contact.write({"parent_id": self.banned.id}),
            AccessError,
            "Only a Client Status Manager",
        )
        self._assert_bypass_refused(
            lambda: self.banned_contact.with_user(self.salesman).write(
                {"parent_id": self.client.id}
            ),
            AccessError,
            "Only a Client Status Manager",
        )
        # a manager may
        self.banned_contact.with_user(self.status_manager).parent_id = self.client
        self.assertEqual(self.banned_contact.client_status_id, self.status_prospect)

    def test_import(self):
        for target, value in (
            ("company", "Bad Payer"),
            ("contact", "Bad Payer, Bad Payer's Buyer"),
        ):
            with self.subTest(target=target):
                result = (
                    self.env["crm.lead"]
                    .with_user(self.salesman)
                    .load(["name", "partner_id"], [["Imported", value]])
                )
                self.assertEqual(result["ids"], False)
                self.assertIn("is blacklisted", result["messages"][0]["message"])
        result = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .load(["name", "email_from"], [["Imported", "bad@payer.example"]])
        )
        self.assertEqual(result["ids"], False)
        # the confirmation column: managers only
        fields = ["name", "partner_id", "client_status_blacklist_confirmed"]
        result = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .load(fields, [["Imported", "Bad Payer", "1"]])
        )
        self.assertEqual(result["ids"], False)
        result = (
            self.env["crm.lead"]
            .with_user(self.status_manager)
            .load(fields, [["Imported", "Bad Payer", "1"]])
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])

    def test_mail_gateway(self):
        # the gateway has no confirmation: refused for everyone
        for values in (
            {"from": "bad@payer.example", "author_id": self.banned.id},
            {"from": "buyer@payer.example", "author_id": self.banned_contact.id},
            {"from": "Bad <bad@payer.example>"},
        ):
            with self.subTest(values=values):
                self._assert_bypass_refused(
                    lambda values=values: self.env["crm.lead"].message_new(
                        dict(values, subject="Order")
                    ),
                    pattern="is blacklisted",
                )

    def test_conversion(self):
        for target in ("company", "contact"):
            with self.subTest(target=target):
                lead = self._lead_as(
                    self.salesman,
                    type="lead",
                    contact_name="Someone",
                    user_id=self.salesman.id,
                )
                partner = self.banned if target == "company" else self.banned_contact
                wizard = (
                    self.env["crm.lead2opportunity.partner"]
                    .with_user(self.salesman)
                    .with_context(
                        active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
                    )
                    .create(
                        {"action": "exist", "partner_id": partner.id, "name": "convert"}
                    )
                )
                self._assert_bypass_refused(wizard.action_apply, pattern="blacklisted")
        # a lead of the e-mail only (from before the blacklisting) becomes
        # an opportunity: refused
        self.banned.client_status_id = self.status_prospect
        lead = self._lead_as(
            self.status_manager,
            type="lead",
            name="Mail only",
            email_from="bad@payer.example",
            user_id=self.salesman.id,
        )
        self.banned.client_status_id = self.status_blacklist
        self._assert_bypass_refused(
            lambda: lead.with_user(self.salesman).write({"type": "opportunity"}),
            pattern="is blacklisted",
        )
        lead.with_user(self.status_manager).write(
            {"type": "opportunity", "client_status_blacklist_confirmed": True}
        )
        self._assert_override_logged(lead)

    def test_merge(self):
        # leads of the client from before its blacklisting
        self.banned.client_status_id = self.status_prospect
        old = self.env["crm.lead"].create(
            [
                {"name": "Old 1", "partner_id": self.banned.id, "probability": 20},
                {"name": "Old 2", "partner_id": self.banned_contact.id},
            ]
        )
        orphan = self.env["crm.lead"].create({"name": "No customer yet"})
        self.banned.client_status_id = self.status_blacklist
        # merging into a lead without a customer gives it the blacklisted one
        self._assert_bypass_refused(
            lambda: (orphan | old[0]).with_user(self.sales_manager).merge_opportunity(),
            pattern="is blacklisted",
        )
        # the existing leads of the blacklisted customer still merge
        merged = old.with_user(self.status_manager).merge_opportunity()
        self.assertTrue(merged.exists())
        self.assertEqual(len(old.exists()), 1)

    def test_confirmation_only_by_managers(self):
        # finding 2: the flag's groups are not checked on create
        self._assert_bypass_refused(
            lambda: self._lead_as(
                self.salesman,
                partner_id=self.client.id,
                client_status_blacklist_confirmed=True,
            ),
            AccessError,
            "Only a Client Status Manager can confirm",
        )
        self._assert_bypass_refused(
            lambda: self.lead.with_user(self.salesman).write(
                {"client_status_blacklist_confirmed": True}
            ),
            AccessError,
        )

    def test_confirmation_holds_for_its_customer(self):
        other = self.env["res.partner"].create(
            {"name": "Other Bad Payer", "is_company": True}
        )
        other.client_status_id = self.status_blacklist
        lead = self._lead_as(
            self.status_manager,
            partner_id=self.banned.id,
            user_id=self.salesman.id,
            client_status_blacklist_confirmed=True,
        )
        # another contact of the same customer: still confirmed
        lead.with_user(self.salesman).partner_id = self.banned_contact
        for user in (self.salesman, self.status_manager):
            with self.subTest(user=user.login):
                self._assert_bypass_refused(
                    lambda user=user: lead.with_user(user).write(
                        {"partner_id": other.id}
                    ),
                    pattern="Other Bad Payer is blacklisted",
                )
        # away and back: a new confirmation is needed
        lead.with_user(self.salesman).partner_id = self.client
        self.assertFalse(lead.sudo().client_status_blacklist_confirmed)
        self._assert_bypass_refused(
            lambda: lead.with_user(self.salesman).write({"partner_id": self.banned.id}),
            pattern="Bad Payer is blacklisted",
        )

    def test_blacklist_status_by_managers_only(self):
        # finding 4: on, off, cleared, garbage; write, create, import
        Partner = self.env["res.partner"].with_user(self.salesman)
        client = self.client.with_user(self.salesman)
        for value in (self.status_blacklist.id, False):
            with self.subTest(value=value):
                self._assert_bypass_refused(
                    lambda value=value: client.write({"client_status_id": value}),
                    AccessError,
                    "Only a Client Status Manager",
                )
        for value in ("3", str(self.status_prospect.id), -1, True, 999999999):
            with self.subTest(value=value):
                self._assert_bypass_refused(
                    lambda value=value: client.write({"client_status_id": value}),
                    UserError,
                    "is not a client status",
                )
        banned = self.banned.with_user(self.salesman)
        for value in (self.status_prospect.id, False):
            with self.subTest(value=value):
                self._assert_bypass_refused(
                    lambda value=value: banned.write({"client_status_id": value}),
                    AccessError,
                    "Only a Client Status Manager",
                )
        self._assert_bypass_refused(
            lambda: Partner.create(
                {
                    "name": "Blacklisted at once",
                    "client_status_id": self.status_blacklist.id,
                }
            ),
            AccessError,
            "Only a Client Status Manager can put Blacklisted at once",
        )
        result = Partner.load(
            ["id", "client_status_id"],
            [[self.client.get_external_id()[self.client.id] or "", "Test Blacklist"]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self.client.client_status_id, self.status_prospect)

    def test_manager_blacklists_with_a_reason(self):
        self.status_blacklist.description = "Never again"
        self.client.with_user(
            self.status_manager
        ).client_status_id = self.status_blacklist
        self.assertEqual(self._history(self.client)[-1].reason, "Never again")
        self.client.with_user(self.status_manager).with_context(
            client_status_reason="Paid at last"
        ).client_status_id = self.status_prospect
        self.assertEqual(self._history(self.client)[-1].reason, "Paid at last")

    def test_reason_after_an_override(self):
        self._lead_as(
            self.status_manager,
            partner_id=self.banned.id,
            client_status_blacklist_confirmed=True,
        )
        self._assert_bypass_refused(
            lambda: self._lead_as(self.salesman, partner_id=self.banned.id),
            pattern=r"\(Test Blacklist\): Three invoices unpaid\n",
        )

    def test_shared_contact_keeps_a_shared_status(self):
        # finding 5
        status_b = self._create_status_b(
            "B Blacklist", "b_blacklist", "partner", "blacklist"
        )
        with self.assertRaisesRegex(ValidationError, "shared by every company"):
            self.individual.client_status_id = status_b
        # a shared contact created in a company with its own default status
        self._create_status_b(
            "B Prospect", "b_prospect", "partner", "prospect", is_default=True
        )
        partner = (
            self.env["res.partner"]
            .with_company(self.company_b)
            .create({"name": "Shared contact"})
        )
        self.assertEqual(partner.client_status_id, self.status_prospect)

    def test_rules_never_blacklist(self):
        with self.assertRaisesRegex(ValidationError, "cannot give a blacklist status"):
            self.env["client.status.rule"].create(
                {
                    "name": "Bad",
                    "scope": "partner",
                    "status_id": self.status_blacklist.id,
                }
            )
