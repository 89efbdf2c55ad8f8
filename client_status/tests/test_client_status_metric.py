# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ClientStatusRuleCommon


@tagged("post_install", "-at_install", "client_status_metric")
class TestClientStatusMetric(ClientStatusRuleCommon):
    """The metrics the conditions test, at their boundaries."""

    def test_lead_without_probability_is_open_or_lost(self):
        # crm leaves the probability empty until lead scoring has data
        lead = self.env["crm.lead"].create(
            {"name": "Unscored", "partner_id": self.buyer.id}
        )
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET probability = NULL WHERE id = %s", [lead.id]
        )
        lead.invalidate_recordset(["probability"])
        run = self.env["client.status.run"]._new_incremental("partner")
        context = dict(run._engine_context(), batch={}, windows=set())
        self.assertEqual(
            self.buyer._client_status_metric_open_lead_count(0, context),
            {self.buyer.id: 1},
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET active = FALSE WHERE id = %s", [lead.id]
        )
        lead.invalidate_recordset(["active"])
        context = dict(context, batch={})
        self.assertEqual(
            self.buyer._client_status_metric_lost_lead_count(0, context),
            {self.buyer.id: 1},
        )

    def test_days_since_last_won_boundaries(self):
        at_limit = self.env["res.partner"].create({"name": "At 90", "is_company": True})
        past_limit = self.env["res.partner"].create(
            {"name": "At 91", "is_company": True}
        )
        self._won(at_limit, datetime(2026, 3, 17, 12, 0))
        self._won(past_limit, datetime(2026, 3, 16, 12, 0))
        self._run()
        self.assertEqual(at_limit.client_status_id, self.status_new)
        self.assertEqual(past_limit.client_status_id, self.status_prospect)

    def test_won_count_boundary_and_history_explanation(self):
        self._won(self.buyer, datetime(2025, 1, 1), count=2)
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        self._won(self.buyer, datetime(2025, 2, 1))
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        row = self._history(self.buyer)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_regular))
        self.assertEqual(row.metrics, {"won_count": 3})
        self.assertEqual(row.metrics_display, "Won deals: 3")
        self.assertEqual(self.buyer.client_status_explanation, "Regular\nWon deals: 3")

    def test_revenue_top_percent(self):
        self._create_rule(
            "VIP",
            self.status_blacklist.copy(
                {"code": "t_vip", "name": "VIP", "kind": "customer"}
            ),
            1,
            [("revenue_top_percent", "<=", 10, 365)],
        )
        clients = self.env["res.partner"].create(
            [{"name": f"Client {i}", "is_company": True} for i in range(20)]
        )
        for rank, client in enumerate(clients):
            self._won(client, datetime(2026, 5, 1), revenue=1000.0 * (rank + 1))
        self._run()
        top = clients.filtered(lambda c: c.client_status_id.code == "t_vip")
        self.assertEqual(top, clients[-2:])

    def test_revenue_top_percent_few_clients(self):
        vip = self.status_blacklist.copy(
            {"code": "t_vip2", "name": "VIP 2", "kind": "customer"}
        )
        self._create_rule("VIP", vip, 1, [("revenue_top_percent", "<=", 10, 365)])
        clients = self.env["res.partner"].create(
            [{"name": f"Few {i}", "is_company": True} for i in range(11)]
        )
        for rank, client in enumerate(clients):
            self._won(client, datetime(2026, 5, 1), revenue=1000.0 * (rank + 1))
        self._run()
        # 1 of 11 clients is in the top 10 %, not 2
        self.assertEqual(
            clients.filtered(lambda c: c.client_status_id == vip), clients[-1]
        )

    def test_days_since_last_contact_counts_contacts_and_leads(self):
        self._create_rule(
            "Recently in touch",
            self.status_regular,
            1,
            [("days_since_last_contact", "<=", 30, 0)],
        )
        employee = self.env["res.partner"].create(
            {"name": "Buyer's accountant", "parent_id": self.buyer.id}
        )
        quiet = self.env["res.partner"].create({"name": "Quiet", "is_company": True})
        lead = self.env["crm.lead"].create({"name": "Talk", "partner_id": quiet.id})
        with freeze_time("2026-05-01 12:00:00"):  # 45 days before the run
            lead.message_post(body="Old call", message_type="comment")
        with freeze_time("2026-06-01 12:00:00"):  # 14 days before the run
            employee.message_post(body="Invoice question", message_type="comment")
            # a notification is not a contact with the client
            quiet.message_post(body="Address changed", message_type="notification")
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        self.assertEqual(
            self._history(self.buyer)[-1].metrics, {"days_since_last_contact": 14}
        )
        self.assertEqual(quiet.client_status_id, self.status_prospect)
        with freeze_time("2026-06-10 12:00:00"):
            lead.message_post(body="Budget confirmed", message_type="comment")
        self._run()
        self.assertEqual(quiet.client_status_id, self.status_regular)


@tagged("post_install", "-at_install", "client_status_metric")
class TestClientStatusMetricRegistry(ClientStatusRuleCommon):
    """The metrics as their providers declare them: once, per model."""

    def test_registry_declares_each_provider_once(self):
        registry = self.env["res.partner"]._client_status_metric_registry()
        for name in registry:
            self.assertTrue(
                callable(
                    getattr(self.env["res.partner"], f"_client_status_metric_{name}")
                )
            )
        self.assertTrue(registry["won_count_window"].windowed)
        self.assertFalse(registry["won_count"].windowed)
        # the contacts' last contact reads their leads' messages too, the
        # leads' their own only
        self.assertEqual(
            registry["days_since_last_contact"].reads,
            {"res.partner": {"message_ids"}, "crm.lead": {"message_ids"}},
        )
        lead_registry = self.env["crm.lead"]._client_status_metric_registry()
        self.assertEqual(
            set(lead_registry), {"days_in_status", "days_since_last_contact"}
        )
        self.assertEqual(
            lead_registry["days_since_last_contact"].reads,
            {"crm.lead": {"message_ids"}},
        )

    def test_selection_and_inputs_follow_the_registry(self):
        Condition = self.env["client.status.rule.condition"]
        selection = dict(Condition._selection_metric())
        self.assertEqual(selection["won_count"], "Won deals")
        self.assertEqual(
            self.env["res.partner"]._client_status_metric_inputs(
                {"won_count", "days_in_status"}, "crm.lead"
            ),
            {"partner_id", "active", "probability", "date_closed"},
        )

    def test_condition_on_unknown_metric_left_out(self):
        rule = self._create_rule(
            "Regular by deals", self.status_regular, 1, [("won_count", ">=", 1, 0)]
        )
        # a metric of an addon uninstalled since
        self.env.cr.execute(
            "UPDATE client_status_rule_condition SET metric = 'gone'"
            " WHERE rule_id = %s",
            [rule.id],
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        with self.assertLogs(
            "odoo.addons.client_status.models.client_status_rule", "WARNING"
        ):
            rules = self.env["client.status.rule"]._get_compiled_rules("partner")
        self.assertNotIn(rule.id, [compiled["id"] for compiled in rules])
