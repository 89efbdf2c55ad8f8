# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_import_tour")
class TestClientStatusImportTour(HttpCase):
    """Import clients through Odoo's import dialog, in headless Chromium, and
    read the analytics as a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()

        Status = cls.env["client.status"]
        Status.with_context(active_test=False).search([]).write(
            {"sequence": 9999, "fold": True}
        )
        cls.status_from = Status.create(
            {
                "name": "Tour Interested",
                "code": "tour_from",
                "scope": "partner",
                "sequence": 1,
            }
        )
        cls.status_regular = Status.create(
            {
                "name": "Tour Regular",
                "code": "tour_regular",
                "scope": "partner",
                "kind": "customer",
                "sequence": 2,
            }
        )
        cls.status_to = cls.status_vip = Status.create(
            {
                "name": "Tour Signed",
                "code": "tour_vip",
                "scope": "partner",
                "kind": "customer",
                "sequence": 3,
            }
        )
        Status.create(
            {
                "name": "Tour Lead Status",
                "code": "tour_lead",
                "scope": "lead",
                "kind": "open",
                "sequence": 1,
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cs_import_tour_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
        )

    def _tour_partners(self):
        return self.env["res.partner"].search(
            [("name", "like", "Import Tour %")], order="name"
        )

    def test_import_clients_with_an_unknown_status(self):
        self.start_tour(
            "/odoo/action-client_status.res_partner_action",
            "client_status_import_clients",
            login="admin",
            # two previews and two imports of the contacts' fields
            timeout=300,
        )
        # the first attempt imported nothing: each row once, with its status
        partners = self._tour_partners()
        self.assertEqual(
            partners.mapped("name"), ["Import Tour Alpha", "Import Tour Beta"]
        )
        self.assertEqual(
            partners.mapped("client_status_id"), self.status_regular | self.status_vip
        )
        history = self.env["client.status.history"].search(
            [("partner_id", "in", partners.ids)]
        )
        self.assertEqual(set(history.mapped("source")), {"import"})

    def test_analytics_as_a_salesperson(self):
        client = self.env["res.partner"].create(
            {
                "name": "Tour Client",
                "is_company": True,
                "client_status_id": self.status_from.id,
            }
        )
        client.client_status_id = self.status_to
        self.start_tour(
            "/odoo/action-client_status.client_status_transition_action",
            "client_status_analytics_salesman",
            login="cs_import_tour_salesman",
        )
