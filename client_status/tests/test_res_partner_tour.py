# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_partner")
class TestResPartnerTour(HttpCase):
    """A salesperson changes a client's status from its form with the
    dropdown, typing to search, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()
        Status = cls.env["client.status"]
        cls.status_from = Status.create(
            {"name": "Tour Interested", "scope": "partner", "sequence": 1}
        )
        cls.status_to = Status.create(
            {
                "name": "Tour Signed",
                "scope": "partner",
                "kind": "customer",
                "sequence": 2,
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Tour Dropdown Client",
                "is_company": True,
                "client_status_id": cls.status_from.id,
            }
        )
        new_test_user(
            cls.env,
            login="cs_partner_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
        )

    def test_status_from_the_dropdown(self):
        self.start_tour(
            f"/odoo/action-client_status.res_partner_action/{self.client.id}",
            "client_status_partner_dropdown",
            login="cs_partner_salesman",
        )
        self.assertEqual(self.client.client_status_id, self.status_to)
        row = self.env["client.status.history"].search(
            [("partner_id", "=", self.client.id)], order="id desc", limit=1
        )
        self.assertEqual((row.status_from_id, row.source), (self.status_from, "manual"))
