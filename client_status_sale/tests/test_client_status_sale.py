# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.client_status.tests.common import ClientStatusCommon

NOW = "2026-06-15 12:00:00"


@tagged("post_install", "-at_install")
class TestClientStatusSale(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["client.status.rule"].with_context(active_test=False).search(
            []
        ).active = False
        cls.product = cls.env["product.product"].create(
            {"name": "Client Status Widget", "list_price": 100.0}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Order Buyer", "is_company": True}
        )
        cls.banned = cls.env["res.partner"].create(
            {"name": "Bad Payer", "is_company": True}
        )
        cls.status_manager = new_test_user(
            cls.env,
            login="cs_sale_status_manager",
            groups="sales_team.group_sale_salesman,"
            "client_status.client_status_group_manager",
            name="Client Status Manager",
        )

    def _order(self, partner, price=100.0, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                        }
                    )
                ],
                **values,
            }
        )

    def _confirmed_order(self, **values):
        """A quotation for the blacklisted customer, confirmed by a Client
        Status Manager."""
        return (
            self.env["sale.order"]
            .with_user(self.status_manager)
            .create(
                {
                    "partner_id": self.banned.id,
                    "client_status_blacklist_confirmed": True,
                    **values,
                }
            )
        )

    def _blacklist(self, partner):
        partner.with_context(
            client_status_reason="Unpaid invoices"
        ).client_status_id = self.status_blacklist

    def assertRefused(self):
        return self._assert_refused(
            r"Bad Payer is blacklisted \(Test Blacklist\): Unpaid invoices"
        )

    def test_quotation_refused_for_blacklisted_customer(self):
        self._blacklist(self.banned)
        with self.assertRefused():
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.banned.id}
            )

    def test_copy_and_confirmation_refused(self):
        order = self._order(self.banned)
        self._blacklist(self.banned)
        with self.assertRefused():
            order.copy()
        with self.assertRefused():
            order.action_confirm()
        order.invalidate_recordset(["state"])
        self.assertEqual(order.state, "draft")

    def test_manager_override_logged(self):
        self._blacklist(self.banned)
        order = self._confirmed_order()
        row = self._history(self.banned)[-1]
        self.assertEqual(row.user_id, self.status_manager)
        self.assertEqual(
            row.reason,
            f"Blacklist overridden by Client Status Manager for {order.display_name}",
        )

    def test_order_metrics(self):
        rule = self.env["client.status.rule"].create(
            {
                "name": "Big recent buyer",
                "scope": "partner",
                "status_id": self.status_regular.id,
                "condition_ids": [
                    Command.create(
                        {
                            "metric": "order_revenue_window",
                            "operator": ">=",
                            "value": 500,
                            "window_days": 90,
                        }
                    ),
                    Command.create(
                        {
                            "metric": "days_since_last_order",
                            "operator": "<=",
                            "value": 30,
                        }
                    ),
                ],
            }
        )
        self.assertTrue(rule.condition_ids[0].is_windowed)
        small = self.env["res.partner"].create(
            {"name": "Small Buyer", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Buyer's Purchaser", "parent_id": self.buyer.id}
        )
        with freeze_time("2026-06-01 10:00:00"):
            # ordered through one of its contacts: counts for the company
            (self._order(contact, 600.0) | self._order(small, 100.0)).action_confirm()
        self.env.flush_all()
        with freeze_time(NOW):
            runs = self.env["client.status.run"]._get_running()
            while any(run.state == "running" for run in runs):
                runs._process_batch()
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        row = self._history(self.buyer)[-1]
        self.assertEqual(
            row.metrics, {"order_revenue_window_90": 600.0, "days_since_last_order": 14}
        )
        self.assertEqual(small.client_status_id, self.status_prospect)

    def test_confirmed_order_marks_customer_pending(self):
        order = self._order(self.buyer)
        # no rule tests the sales metrics: an order's writes mark nothing
        order.write({"note": "Delivery on Monday"})
        order.action_confirm()
        self.assertEqual(self.buyer.client_status_pending, False)
        order = self._order(self.buyer)
        self._create_rule(
            "Ordering clients",
            self.status_regular,
            10,
            [("order_count_window", ">=", 2, 365)],
        )
        self.buyer.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET client_status_pending = FALSE WHERE id = %s",
            [self.buyer.id],
        )
        self.buyer.invalidate_recordset(["client_status_pending"])
        with freeze_time(datetime(2026, 6, 1)):
            order.action_confirm()
        self.assertEqual(self.buyer.client_status_pending, True)

    def test_confirmed_order_goes_on_without_new_confirmation(self):
        self._blacklist(self.banned)
        order = self._confirmed_order(
            order_line=[
                Command.create({"product_id": self.product.id, "product_uom_qty": 1})
            ]
        )
        rows = len(self._history(self.banned))
        # confirmed by whoever (here the system, as a payment would): no new
        # refusal, no second override row
        order.with_user(self.salesman).sudo().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(self._history(self.banned)), rows)

    def test_customer_online_gets_no_internal_reason(self):
        order = self._order(self.banned)
        self._blacklist(self.banned)
        portal = new_test_user(
            self.env, login="cs_portal_customer", groups="base.group_portal"
        )
        with self._assert_refused(r"^This cannot be done online: please contact us\.$"):
            # as the portal's "accept and sign" does
            order.with_user(portal).sudo().action_confirm()


@tagged("post_install", "-at_install")
class TestClientStatusSaleBlacklist(ClientStatusCommon):
    """No bypass of the blacklist on quotations and orders, driven as the
    roles (``with_user``: what RPC executes): every path x (the company, its
    contact, as customer or as invoice/delivery address) x (salesperson:
    refused, manager confirming: allowed and logged)."""

    _confirmed_order = TestClientStatusSale._confirmed_order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Client Status Widget", "list_price": 100.0}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Order Buyer", "is_company": True}
        )
        cls.banned = cls.env["res.partner"].create(
            {"name": "Bad Payer", "is_company": True}
        )
        cls.status_manager = new_test_user(
            cls.env,
            login="cs_sale_status_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
            "client_status.client_status_group_manager",
            name="Client Status Manager",
        )
        cls.banned_contact = cls.env["res.partner"].create(
            {"name": "Bad Payer's Buyer", "parent_id": cls.banned.id}
        )
        cls.banned.with_context(
            client_status_reason="Unpaid invoices"
        ).client_status_id = cls.status_blacklist
        cls.ok_order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create({"partner_id": cls.buyer.id, "user_id": cls.salesman.id})
        )

    def _targets(self):
        """The values that name the blacklisted customer, in every way."""
        for partner in (self.banned, self.banned_contact):
            yield {"partner_id": partner.id}
            for field in ("partner_invoice_id", "partner_shipping_id"):
                yield {"partner_id": self.buyer.id, field: partner.id}

    def _counts(self):
        self.env.flush_all()
        Order = self.env["sale.order"]
        return (
            Order.search_count([]),
            Order.search_count([("state", "=", "sale")]),
            self.History.search_count([]),
        )

    def _assert_bypass_refused(self, operation, error=None, pattern="is blacklisted"):
        counts = self._counts()
        with self.assertRaises(error or Exception) as caught:
            operation()
            self.env.flush_all()
        self.assertRegex(str(caught.exception), pattern)
        self.assertEqual(self._counts(), counts)

    def _assert_override_logged(self, order):
        row = self._history(self.banned)[-1]
        self.assertEqual(row.user_id, self.status_manager)
        self.assertEqual(row.status_from_id, self.status_blacklist)
        self.assertIn(order.display_name, row.reason)

    def test_create_and_confirm(self):
        Order = self.env["sale.order"]
        for vals in self._targets():
            with self.subTest(vals=vals):
                self._assert_bypass_refused(
                    lambda vals=vals: Order.with_user(self.salesman).create(vals)
                )
                line = Command.create({"product_id": self.product.id})
                order = Order.with_user(self.status_manager).create(
                    dict(
                        vals,
                        client_status_blacklist_confirmed=True,
                        order_line=[line],
                        user_id=self.salesman.id,
                    )
                )
                self._assert_override_logged(order)
                order.with_user(self.salesman).action_confirm()
                self.assertEqual(order.state, "sale")

    def test_write_customer_or_address(self):
        for vals in self._targets():
            with self.subTest(vals=vals):
                self._assert_bypass_refused(
                    lambda vals=vals: self.ok_order.with_user(self.salesman).write(vals)
                )
                self.ok_order.with_user(self.status_manager).write(
                    dict(vals, client_status_blacklist_confirmed=True)
                )
                self._assert_override_logged(self.ok_order)
                self.ok_order.with_user(self.status_manager).write(
                    {
                        "partner_id": self.buyer.id,
                        "partner_invoice_id": self.buyer.id,
                        "partner_shipping_id": self.buyer.id,
                    }
                )
                self.assertFalse(self.ok_order.sudo().client_status_blacklist_confirmed)

    def test_copy(self):
        order = self._confirmed_order(user_id=self.salesman.id)
        self._assert_bypass_refused(order.with_user(self.salesman).copy)
        copy = order.with_user(self.status_manager).copy(
            {"client_status_blacklist_confirmed": True}
        )
        self._assert_override_logged(copy)

    def test_confirmation_only_by_managers(self):
        self._assert_bypass_refused(
            lambda: self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {"partner_id": self.buyer.id, "client_status_blacklist_confirmed": True}
            ),
            AccessError,
            "Only a Client Status Manager can confirm",
        )

    def test_confirmation_holds_for_its_customer(self):
        other = self.env["res.partner"].create(
            {"name": "Other Bad Payer", "is_company": True}
        )
        other.client_status_id = self.status_blacklist
        order = self._confirmed_order(
            user_id=self.salesman.id,
            order_line=[Command.create({"product_id": self.product.id})],
        )
        for user in (self.salesman, self.status_manager):
            with self.subTest(user=user.login):
                self._assert_bypass_refused(
                    lambda user=user: order.with_user(user).write(
                        {"partner_id": other.id}
                    ),
                    pattern="Other Bad Payer is blacklisted",
                )
                self._assert_bypass_refused(
                    lambda user=user: order.with_user(user).write(
                        {"partner_shipping_id": other.id}
                    ),
                    pattern="Other Bad Payer is blacklisted",
                )
        # the confirmation still holds for its customer
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
