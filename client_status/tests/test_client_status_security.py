# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_security")
class TestClientStatusSecurity(ClientStatusCommon):
    def test_groups_implied_by_sales_groups(self):
        self.assertEqual(
            self.salesman.has_group("client_status.client_status_group_user"), True
        )
        self.assertEqual(
            self.salesman.has_group("client_status.client_status_group_manager"), False
        )
        self.assertEqual(
            self.sales_manager.has_group("client_status.client_status_group_manager"),
            True,
        )

    def test_salesman_sets_statuses(self):
        lead = self.lead.with_user(self.salesman)
        lead.client_status_id = self.status_lead_won
        partner = self.individual.with_user(self.salesman)
        partner.client_status_id = self.status_regular
        self.assertEqual(self._history(self.lead)[-1].user_id, self.salesman)
        self.assertEqual(self._history(self.individual)[-1].user_id, self.salesman)
        self.assertEqual(partner.client_status_history_count, 2)

    def test_salesman_sees_history_of_own_leads_only(self):
        other = new_test_user(
            self.env, login="cs_other_salesman", groups="sales_team.group_sale_salesman"
        )
        other_lead = self.env["crm.lead"].create(
            {"name": "Not Mine", "user_id": other.id}
        )
        self.lead.client_status_id = self.status_lead_won
        self.lead.action_archive()
        History = self.History.with_user(self.salesman)
        self.assertEqual(
            History.search([("lead_id", "=", other_lead.id)]), self.History
        )
        self.assertEqual(
            History.search([("lead_id", "=", self.lead.id)]), self._history(self.lead)
        )
        # its own rows, and the loss the archiving means (an automation)
        self.assertGreaterEqual(len(self._history(self.lead)), 2)
        # contacts' history stays visible, and a manager sees every lead's
        self.assertEqual(
            History.search([("partner_id", "=", self.individual.id)]),
            self._history(self.individual),
        )
        manager_history = self.History.with_user(self.sales_manager)
        self.assertEqual(
            manager_history.search([("lead_id", "=", other_lead.id)]),
            self._history(other_lead),
        )

    def test_salesman_sees_summary_of_contacts_only(self):
        """The transitions summary does not tell whose leads it counts: a
        salesman who sees his own leads only sees the contacts' rows."""
        self.lead.client_status_id = self.status_lead_won
        self.individual.client_status_id = self.status_regular
        all_leads = new_test_user(
            self.env,
            login="cs_all_leads",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        Transition = self.env["client.status.transition"]
        for user, scopes in (
            (self.salesman, {"partner"}),
            (all_leads, {"partner", "lead"}),
            (self.sales_manager, {"partner", "lead"}),
        ):
            rows = Transition.with_user(user).search([])
            self.assertEqual(set(rows.mapped("scope")), scopes, user.login)

    def test_salesman_time_in_status_of_contacts_only(self):
        self.lead.client_status_id = self.status_lead_won
        self.individual.client_status_id = self.status_regular
        statuses = self.status_lead_open | self.status_prospect
        for user, expected in (
            (self.salesman, {self.status_prospect.id}),
            (self.sales_manager, set(statuses.ids)),
        ):
            figures = (
                self.env["client.status.duration"]
                .with_user(user)
                ._get_figures(statuses, self.env.companies)
            )
            self.assertEqual(set(figures), expected, user.login)

    def test_salesman_cannot_edit_catalogue(self):
        Status = self.Status.with_user(self.salesman)
        self.assertEqual(Status.browse(self.status_new.id).name, "Test New")
        with self.assertRaises(AccessError):
            Status.create({"name": "Sneaky", "code": "t_sneaky", "scope": "partner"})
        with self.assertRaises(AccessError):
            Status.browse(self.status_new.id).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            Status.browse(self.status_new.id).unlink()
        with self.assertRaises(AccessError):
            self.env["client.status.archive"].with_user(self.salesman).create(
                {
                    "status_ids": self.status_new.ids,
                    "target_status_id": self.status_regular.id,
                }
            )

    def test_manager_edits_catalogue(self):
        Status = self.Status.with_user(self.sales_manager)
        status = Status.create(
            {"name": "Managed", "code": "t_managed", "scope": "partner"}
        )
        status.name = "Renamed"
        status.unlink()
        self.assertEqual(status.exists(), Status)

    def test_employee_without_sales_rights_reads_statuses(self):
        employee = new_test_user(
            self.env, login="cs_employee", groups="base.group_user"
        )
        partner = self.individual.with_user(employee)
        self.assertEqual(partner.client_status_id.name, "Test Prospect")
        with self.assertRaises(AccessError):
            self.History.with_user(employee).search([])

    def test_other_company_statuses_invisible(self):
        status_b = self._create_status_b("B Only", "t_b_only", "partner", "customer")
        user_a = new_test_user(
            self.env,
            login="cs_salesman_a",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        visible = self.Status.with_user(user_a).search([("scope", "=", "partner")])
        self.assertIn(self.status_new, visible)
        self.assertNotIn(status_b, visible)
        # nor its history rows
        partner_b = self.env["res.partner"].create(
            {
                "name": "B Client",
                "company_id": self.company_b.id,
                "client_status_id": status_b.id,
            }
        )
        self.assertEqual(len(self._history(partner_b)), 1)
        self.assertEqual(
            self.History.with_user(user_a).search([("partner_id", "=", partner_b.id)]),
            self.History,
        )

    def test_views_consistent_with_field_groups(self):
        # an element shown to portal users that reads an employee-only field
        # is an "Access Rights Inconsistency" warning at install
        views = self.env["ir.ui.view"].search(
            [
                (
                    "id",
                    "in",
                    self.env["ir.model.data"]
                    .search(
                        [("module", "=", "client_status"), ("model", "=", "ir.ui.view")]
                    )
                    .mapped("res_id"),
                )
            ]
        )
        self.assertTrue(views)
        with self.assertNoLogs("odoo.addons.base.models.ir_ui_view", "WARNING"):
            views._check_xml()
