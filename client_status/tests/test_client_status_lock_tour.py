# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.client_status_history import ClientStatusSource
from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_lock")
class TestClientStatusLockTour(HttpCase):
    """The lock of a manual change and the rules' disagreement on the cards of
    "Clients by Status", in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()

        Status = cls.env["client.status"]
        Status.with_context(active_test=False).search(
            [("scope", "=", "partner")]
        ).write({"sequence": 9999, "fold": True})
        cls.status_from = Status.create(
            {
                "name": "Tour Lock Interested",
                "code": "tour_lock_from",
                "scope": "partner",
                "sequence": 1,
            }
        )
        cls.status_to = Status.create(
            {
                "name": "Tour Lock Signed",
                "code": "tour_lock_to",
                "scope": "partner",
                "kind": "customer",
                "sequence": 2,
            }
        )
        cls.env.company.client_status_lock_days_partner = 90
        cls.salesman = new_test_user(
            cls.env,
            login="cs_lock_tour_salesman",
            groups="sales_team.group_sale_salesman",
        )
        # set up as the rules would: no lock
        Partner = cls.env["res.partner"].with_context(
            client_status_source=ClientStatusSource("rule")
        )
        cls.client = Partner.create(
            {
                "name": "Lock Tour Client",
                "is_company": True,
                "user_id": cls.salesman.id,
                "client_status_id": cls.status_from.id,
            }
        )
        cls.disagreeing = Partner.create(
            {
                "name": "Disagree Client",
                "is_company": True,
                "client_status_id": cls.status_from.id,
            }
        )

    def test_drag_locks_the_client(self):
        self.start_tour(
            "/odoo/action-client_status.res_partner_action",
            "client_status_lock_drag",
            login="cs_lock_tour_salesman",
        )
        self.assertEqual(self.client.client_status_id, self.status_to)
        self.assertTrue(self.client.client_status_locked)
        self.assertEqual(
            self.client.client_status_locked_until,
            fields.Date.context_today(self.client.with_user(self.salesman))
            + timedelta(days=90),
        )

    def test_rules_disagree_sign(self):
        # the rules' last run gave another status
        self.disagreeing.client_status_computed_id = self.status_to
        self.assertTrue(self.disagreeing.client_status_rule_disagrees)
        self.start_tour(
            "/odoo/action-client_status.res_partner_action",
            "client_status_lock_rules_disagree",
            login="admin",
        )
