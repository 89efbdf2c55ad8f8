# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_catalogue")
class TestClientStatusCatalogue(ClientStatusCommon):
    def test_default_one_per_scope_and_company(self):
        with self.assertRaises(ValidationError):
            self._create_status(
                "Second Default", "t_second", "partner", "prospect", 9, is_default=True
            )
        # the other scope and another company each have their own default
        lead_default = self._create_status(
            "Lead Default", "t_lead_default", "lead", "open", 9
        )
        with self.assertRaises(ValidationError):
            lead_default.is_default = True
        company_default = self._create_status_b(
            "B Default", "t_b_default", "partner", "prospect", is_default=True
        )
        self.assertEqual(
            self.Status._get_default_status("partner", self.company_b), company_default
        )
        self.assertEqual(
            self.Status._get_default_status("partner", self.company),
            self.status_prospect,
        )

    def test_default_status_on_new_records(self):
        partner = self.env["res.partner"].create({"name": "Fresh"})
        lead = self.env["crm.lead"].create({"name": "Fresh Lead"})
        self.assertEqual(partner.client_status_id, self.status_prospect)
        self.assertEqual(lead.client_status_id, self.status_lead_open)

    def test_default_status_of_the_record_company(self):
        lead_default_b = self._create_status_b(
            "B Open", "t_b_open", "lead", "open", is_default=True
        )
        leads = self.env["crm.lead"].create(
            [
                {"name": "B Lead", "company_id": self.company_b.id},
                {"name": "A Lead", "company_id": self.company.id},
            ]
        )
        self.assertEqual(leads[0].client_status_id, lead_default_b)
        self.assertEqual(leads[1].client_status_id, self.status_lead_open)

    def test_status_of_the_record_scope_and_company(self):
        with self.assertRaises(ValidationError):
            self.individual.client_status_id = self.status_lead_open
        status_b = self._create_status_b("B Waiting", "t_b_waiting", "lead", "waiting")
        self.assertEqual(self.lead.company_id, self.company)
        with self.assertRaises(ValidationError):
            self.lead.client_status_id = status_b
        # a contact without company (shared) has a status of no company
        # (issue 12: one company would lock the others out)
        status_b_partner = self._create_status_b(
            "B Partner", "t_b_partner", "partner", "customer"
        )
        with self.assertRaises(ValidationError):
            self.individual.client_status_id = status_b_partner
        self.individual.company_id = self.company_b
        self.individual.client_status_id = status_b_partner
        self.assertEqual(self.individual.client_status_id, status_b_partner)

    def test_unique_code_per_scope_and_company(self):
        with self.assertRaises(ValidationError):
            self._create_status("Duplicate", "t_new", "partner", "customer", 9)
        # same code in the other scope, or in another company, is fine
        other_scope = self._create_status("Lead New", "t_new", "lead", "open", 9)
        other_company = self._create_status_b("B New", "t_new", "partner", "customer")
        self.assertEqual(
            (other_scope | other_company).mapped("code"), ["t_new", "t_new"]
        )

    def test_used_status_keeps_scope_and_company(self):
        with self.assertRaises(UserError):
            self.status_prospect.scope = "lead"
        with self.assertRaises(UserError):
            self.status_prospect.company_id = self.company_b
        self.status_regular.write({"company_id": self.company_b.id})
        self.assertEqual(self.status_regular.company_id, self.company_b)

    def test_unique_code_counts_archived_statuses(self):
        self.status_regular.copy(
            {"code": "t_archived", "name": "Archived"}
        ).active = False
        with self.assertRaises(ValidationError):
            self._create_status("Again", "t_archived", "partner", "customer", 9)

    def test_parent_same_scope(self):
        with self.assertRaises(ValidationError):
            self._create_status(
                "Wrong Scope",
                "t_wrong",
                "lead",
                "open",
                9,
                parent_id=self.status_new.id,
            )

    def test_parent_two_levels(self):
        child = self._create_status(
            "One-time",
            "t_one_time",
            "partner",
            "customer",
            9,
            parent_id=self.status_regular.id,
        )
        self.assertEqual(child.display_name, "Test Regular / One-time")
        with self.assertRaises(ValidationError):
            self._create_status(
                "Too Deep", "t_deep", "partner", "customer", 9, parent_id=child.id
            )
        with self.assertRaises(ValidationError):
            # a parent cannot itself become a sub-status
            self.status_regular.parent_id = self.status_new

    def test_parent_no_cycle(self):
        with self.assertRaises(ValidationError):
            self.status_new.parent_id = self.status_new

    def test_form_defaults_scope_from_context(self):
        form = Form(self.Status.with_context(default_scope="lead"))
        form.name = "From the Form"
        form.code = "t_form"
        status = form.save()
        self.assertEqual(status.scope, "lead")
        self.assertEqual(status.record_count, 0)

    def test_record_count(self):
        count = self.status_prospect.record_count
        self.env["res.partner"].create([{"name": "A"}, {"name": "B", "active": False}])
        self.status_prospect.invalidate_recordset(["record_count"])
        # archived records are not counted
        self.assertEqual(self.status_prospect.record_count, count + 1)

    def test_name_search_web_client_signature(self):
        # the 18.0 web client calls name_search(name, args=..., operator=...,
        # limit=...) for every many2one dropdown
        found = self.Status.with_context(client_status_scope="partner").name_search(
            "Test Reg", args=[("kind", "=", "customer")], operator="ilike", limit=8
        )
        self.assertEqual(
            [status_id for status_id, __ in found], self.status_regular.ids
        )
        found = self.Status.name_search(name="Test Open", args=[("scope", "=", "lead")])
        self.assertEqual(
            [status_id for status_id, __ in found], self.status_lead_open.ids
        )

    def test_kinds_of_the_scope(self):
        with self.assertRaisesRegex(ValidationError, "not a kind of"):
            self._create_status("Wrong", "t_wrong", "lead", "customer", 9)
        with self.assertRaisesRegex(ValidationError, "not a kind of"):
            self.status_prospect.kind = "won"
        # a status of a scope gets a kind of that scope unless told otherwise
        self.assertEqual(
            self.Status.create({"name": "Fresh", "scope": "lead"}).kind, "open"
        )
        # the form offers the kinds of the status's scope only
        form = Form(self.Status.with_context(default_scope="lead"))
        form.name = "Asked"
        self.assertNotIn("customer", dict(self.Status._fields["lead_kind"].selection))
        form.lead_kind = "waiting"
        self.assertEqual(form.save().kind, "waiting")

    def test_code_made_from_the_name(self):
        # a status created from a dropdown ("Create ...") or an import names
        # only itself: it gets a code of its own
        status_id, __ = self.Status.with_context(default_scope="lead").name_create(
            "Qualified Twice"
        )
        again = self.Status.create({"name": "Qualified twice", "scope": "partner"})
        self.assertEqual(self.Status.browse(status_id).code, "qualified_twice")
        self.assertEqual(again.code, "qualified_twice_2")
        self.assertEqual(self.Status.create({"name": "Стały"}).code, "стały")

    def test_sub_status_placed_under_its_parent(self):
        child = self.Status.create(
            {
                "name": "Test Regular Monthly",
                "scope": "partner",
                "kind": "customer",
                "parent_id": self.status_regular.id,
            }
        )
        partner_statuses = (
            self.Status.search([("scope", "=", "partner"), ("code", "like", "t_")])
            | child
        )
        ordered = self.Status.search([("id", "in", partner_statuses.ids)])
        self.assertEqual(
            ordered.mapped("name")[:5],
            [
                "Test Prospect",
                "Test New",
                "Test Regular",
                "Test Regular Monthly",
                "Test Blacklist",
            ],
        )

    def test_record_count_as_the_board_shows(self):
        # the company and its contact person share the status: the board
        # shows the company, the catalogue counts it once
        self.client.client_status_id = self.status_new
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        self.assertEqual(self.status_new.record_count, 1)
        action = self.status_new.action_open_records()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.client)

    def test_rule_buttons_for_managers_only(self):
        for user, shown in ((self.salesman, False), (self.sales_manager, True)):
            arch = (
                self.env["client.status.rule"]
                .with_user(user)
                .get_views([(False, "list")])["views"]["list"]["arch"]
            )
            for button in ("action_preview", "action_reclassify_now"):
                self.assertEqual(button in arch, shown, f"{button} for {user.login}")
