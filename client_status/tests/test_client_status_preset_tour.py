# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_preset_tour")
class TestClientStatusPresetTour(HttpCase):
    """Load Outbound Calls, changing a target in the mapping, then Lifecycle
    back, as an administrator in headless Chromium: the blacklisted client
    stays blacklisted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()

        ref = cls.env.ref
        cls.blacklist = ref("client_status.client_status_partner_blacklist")
        cls.regular = ref("client_status.client_status_partner_regular")
        Partner = cls.env["res.partner"]
        cls.banned = Partner.create(
            {
                "name": "Tour Banned",
                "is_company": True,
                "client_status_id": cls.blacklist.id,
            }
        )
        cls.regular_client = Partner.create(
            {
                "name": "Tour Regular",
                "is_company": True,
                "client_status_id": cls.regular.id,
            }
        )

    def test_load_outbound_then_lifecycle(self):
        self.start_tour(
            "/odoo/action-client_status.client_status_action_partner",
            "client_status_preset_load",
            login="admin",
        )
        self.assertEqual(self.banned.client_status_id, self.blacklist)
        self.assertTrue(self.regular.active)
        self.assertFalse(
            self.env["client.status"].search([("preset", "=", "outbound")])
        )
        # Regular went to Probable, then back to Lifecycle's default
        history = self.env["client.status.history"].search(
            [("partner_id", "=", self.regular_client.id)], order="id"
        )
        self.assertEqual(
            history[-2:].mapped("status_to_id.code"),
            ["call_probable", "potential"],
        )
