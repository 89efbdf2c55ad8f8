# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.base_automation.models.base_automation import WRITE_TRIGGERS

from .common import ClientStatusCommon

NOW = "2026-06-15 12:00:00"


@tagged("post_install", "-at_install", "client_status_overhead")
class TestCrmOverhead(ClientStatusCommon):
    """What Odoo's own CRM operations pay for the addon: nothing for a write
    that changes no status input, one run per transaction for those that do
    (bench/bench_crm_overhead.py measures the figures)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["client.status.rule"]
        Rule.with_context(active_test=False).search([]).active = False
        cls.rule_new = cls._create_rule(
            "First deal", cls.status_new, 10, [("won_count", ">=", 1, 0)]
        )
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Overhead Customer {index}"} for index in range(5)]
        )
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Overhead Deal {index}",
                    "partner_id": customer.id,
                    "type": "opportunity",
                }
                for index, customer in enumerate(cls.customers)
            ]
        )
        cls.stages = cls.env["crm.stage"].search([("is_won", "=", False)], limit=2)
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.customers._client_status_mark_pending(False)

    def _pending(self, partners):
        return partners.filtered("client_status_pending")

    def test_rules_of_a_model_read_once(self):
        BaseAutomation = self.env["base.automation"]
        BaseAutomation._get_actions(self.leads, WRITE_TRIGGERS)
        with self.assertQueryCount(0):
            actions = BaseAutomation._get_actions(self.leads, WRITE_TRIGGERS)
        self.assertIn(self.env.ref("client_status.base_automation_lead_won"), actions)
        self.env.ref("client_status.base_automation_lead_won").active = False
        self.assertNotIn(
            self.env.ref("client_status.base_automation_lead_won"),
            BaseAutomation._get_actions(self.leads, WRITE_TRIGGERS),
        )

    def test_unrelated_writes_skip_the_automation_rules(self):
        calls = []
        Automation = type(self.env["base.automation"])
        filter_pre = Automation._filter_pre

        def spy(automation, records, feedback=False):
            calls.append(automation)
            return filter_pre(automation, records, feedback)

        with patch.object(Automation, "_filter_pre", spy):
            for lead in self.leads:
                lead.write({"priority": "2", "date_deadline": "2026-07-01"})
            self.assertEqual(calls, [])
            self.leads[0].write({"probability": 30})
            self.assertTrue(calls)

    def test_stage_and_salesperson_mark_nothing_pending(self):
        for lead in self.leads:
            lead.write({"stage_id": self.stages[1].id, "user_id": self.salesman.id})
        # no rule reads the revenue: a new amount marks nothing either
        self.leads.write({"expected_revenue": 5000})
        self._commit_hooks()
        self.assertFalse(self._pending(self.customers))
        # a rule input: the customer of the lead, before and after
        self.leads[0].partner_id = self.customers[1]
        self.assertEqual(self._pending(self.customers), self.customers[:2])

    def test_rule_inputs_follow_the_active_rules(self):
        self.leads.write({"expected_revenue": 1000})
        self.assertFalse(self._pending(self.customers))
        self._create_rule(
            "Big spender",
            self.status_regular,
            10,
            [("won_revenue_window", ">=", 10000, 365)],
        )
        self.leads.write({"expected_revenue": 2000})
        self.assertEqual(self._pending(self.customers), self.customers)

    def test_pending_marks_stored_once_per_transaction(self):
        with self._capture_queries() as queries:
            for lead, customer in zip(self.leads, self.customers[1:], strict=False):
                lead.partner_id = customer
            self.env.cr.precommit.run()
        marks = [
            query
            for query in queries
            if "client_status_pending IS NOT TRUE" in query and "UPDATE" in query
        ]
        self.assertEqual(len(marks), 1)
        self.assertEqual(self._pending(self.customers), self.customers)

    def test_won_leads_reclassify_their_customers_once_at_commit(self):
        with freeze_time(NOW), self._capture_queries() as queries:
            for lead in self.leads:
                lead.action_set_won()
            # the leads have their status at once
            self.assertEqual(self.leads.client_status_id, self.status_lead_won)
            self.assertEqual(self.customers.client_status_id, self.status_prospect)
            self._commit_hooks()
        self.assertEqual(self.customers.client_status_id, self.status_new)
        partner_rows = [
            query
            for query in queries
            if "INSERT INTO client_status_history" in " ".join(query.split())
            and '"partner_id"' in query
        ]
        self.assertEqual(len(partner_rows), 1)
        for customer in self.customers:
            self.assertEqual(self._history(customer)[-1:].status_to_id, self.status_new)

    def test_customer_reclassified_at_commit_not_marked_pending(self):
        # the mark would be stored, then cleared by the reclassification
        with freeze_time(NOW), self._capture_queries() as queries:
            self.leads[0].action_set_won()
            self._commit_hooks()
        self.assertEqual(self.customers[0].client_status_id, self.status_new)
        self.assertFalse(self._pending(self.customers))
        self.assertFalse(
            [query for query in queries if "SET client_status_pending" in query]
        )

    def test_trigger_fields_of_a_rule_read_once(self):
        rule = self.env.ref("client_status.base_automation_lead_won")
        lead = self.leads[0]
        old_values = {lead.id: {"probability": 10, "active": True}}
        rule._check_trigger_fields(lead)  # the cache of the configuration
        lead.read(["probability", "active"])
        rule.invalidate_recordset()
        with self.assertQueryCount(0):
            self.assertTrue(
                rule.with_context(old_values=old_values)._check_trigger_fields(lead)
            )
            self.assertFalse(
                rule.with_context(
                    old_values={lead.id: {"probability": lead.probability}}
                )._check_trigger_fields(lead)
            )

    def test_notifications_skip_the_mail_automation(self):
        # Odoo's patch of message_post reads the subtype of every message
        # (tracking included) before ignoring notifications
        lead = self.leads[0].with_context(tracking_disable=False)
        lead.stage_id = self.stages[1]
        self._commit_hooks()
        self.env.invalidate_all()
        with self._capture_queries() as queries:
            lead.stage_id = self.stages[0]
            self._commit_hooks()
        self.assertEqual(
            lead.message_ids[:1].tracking_value_ids.new_value_char,
            self.stages[0].name,
        )
        self.assertFalse(
            [
                query
                for query in queries
                if 'FROM "mail_message_subtype"' in query and '."internal"' in query
            ]
        )

    def test_customer_status_change_reads_no_lead(self):
        # the customer's status on the lead is not tracked: a lead write does
        # not cache it, a status change of the customer looks for no lead
        self.leads[0].with_context(tracking_disable=False).stage_id = self.stages[1]
        with self._capture_queries() as queries:
            self.customers[0].client_status_id = self.status_new
            self.env.flush_all()
        self.assertFalse(
            [query for query in queries if 'FROM "crm_lead"' in query],
        )

    def test_mass_won_runs_each_automation_once(self):
        with freeze_time(NOW), self._capture_queries() as queries:
            self.leads.action_set_won()
            self._commit_hooks()
        self.assertEqual(self._count_history_inserts(queries), 2)  # leads, customers
        self.assertEqual(len(self.leads.client_status_id), 1)
        self.assertEqual(self.leads.client_status_id.kind, "won")
        self.assertEqual(len(self._history(self.leads)), 2 * len(self.leads))

    def test_leads_created_won_get_their_status_at_commit(self):
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with freeze_time(NOW):
            leads = self.env["crm.lead"].create(
                [
                    {"name": "Imported won deal", "partner_id": customer.id}
                    | {"stage_id": won_stage.id, "probability": 100}
                    for customer in self.customers[:2]
                ]
            )
            self._commit_hooks()
        self.assertEqual(leads.client_status_id.kind, "won")
        self.assertEqual(self.customers[:2].client_status_id, self.status_new)

    def test_default_status_read_once(self):
        Status = self.env["client.status"]
        Status._get_default_status("lead", self.company)
        with self.assertQueryCount(0):
            self.assertEqual(
                Status._get_default_status("lead", self.company),
                self.status_lead_open,
            )
        self.status_lead_open.is_default = False
        self.status_lead_won.is_default = True
        self.assertEqual(
            Status._get_default_status("lead", self.company), self.status_lead_won
        )
