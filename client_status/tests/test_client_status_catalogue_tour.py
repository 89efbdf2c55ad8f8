# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_catalogue")
class TestClientStatusCatalogueTour(HttpCase):
    """An admin edits the catalogue in headless Chromium: a sub-status with
    its parent picked from the dropdown, a status in use archived through
    the wizard that moves its records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()
        Status = cls.env["client.status"]
        cls.regular = Status.create(
            {
                "name": "Tour Regular",
                "scope": "partner",
                "kind": "customer",
                "sequence": 1,
            }
        )
        cls.old = Status.create(
            {"name": "Tour Old", "scope": "partner", "kind": "prospect", "sequence": 2}
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Tour Old Client",
                "is_company": True,
                "client_status_id": cls.old.id,
            }
        )

    def test_create_sub_status(self):
        self.start_tour(
            "/odoo/action-client_status.client_status_action_partner",
            "client_status_sub_status",
            login="admin",
        )
        child = self.env["client.status"].search([("name", "=", "Tour Monthly")])
        self.assertEqual(child.parent_id, self.regular)
        self.assertEqual(child.kind, "customer")
        self.assertTrue(child.code)

    def test_archive_used_status(self):
        self.start_tour(
            "/odoo/action-client_status.client_status_action_partner",
            "client_status_archive_used",
            login="admin",
        )
        self.assertFalse(self.old.active)
        self.assertEqual(self.client.client_status_id, self.regular)
        row = self.env["client.status.history"].search(
            [("partner_id", "=", self.client.id)], order="id desc", limit=1
        )
        self.assertEqual(
            (row.status_from_id, row.status_to_id), (self.old, self.regular)
        )
