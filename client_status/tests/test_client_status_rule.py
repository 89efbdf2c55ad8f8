# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import NOW, ClientStatusRuleCommon


@tagged("post_install", "-at_install", "client_status_rule")
class TestClientStatusRule(ClientStatusRuleCommon):
    """Rules: the first that matches wins, on the records they may change."""

    def test_first_matching_rule_wins(self):
        self._won(self.buyer, datetime(2026, 6, 1), count=3)
        self._run()
        # both rules match; Regular comes first
        self.assertEqual(self.buyer.client_status_id, self.status_regular)

    def test_rules_to_archived_statuses_ignored(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        self.status_new.action_archive()
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        with self.assertRaises(ValidationError):
            # a contact metric on a lead rule
            self.rule_regular.write(
                {"scope": "lead", "status_id": self.status_lead_won.id}
            )

    def test_locked_and_blacklisted_untouched(self):
        locked = self.env["res.partner"].create(
            {"name": "Locked", "is_company": True, "client_status_locked": True}
        )
        lock_over = self.env["res.partner"].create(
            {
                "name": "Lock Over",
                "is_company": True,
                "client_status_locked": True,
                "client_status_locked_until": "2026-06-14",
            }
        )
        blacklisted = self.env["res.partner"].create(
            {"name": "Bad Payer", "is_company": True}
        )
        for partner in locked | lock_over | blacklisted:
            self._won(partner, datetime(2026, 6, 1))
        # blacklisted after the deal (no new lead for it since)
        blacklisted.client_status_id = self.status_blacklist
        self._run()
        self.assertEqual(locked.client_status_id, self.status_prospect)
        self.assertEqual(lock_over.client_status_id, self.status_new)
        self.assertEqual(blacklisted.client_status_id, self.status_blacklist)
        # the rules' opinion shows beside the locked status
        self.assertEqual(locked.client_status_computed_id, self.status_new)
        self.assertEqual(locked.client_status_rule_disagrees, True)
        self.assertIn(
            locked,
            self.env["res.partner"].search(
                [("client_status_rule_disagrees", "=", True)]
            ),
        )

    def test_contacts_follow_their_company_with_the_rule(self):
        self._won(self.client, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        row = self._history(self.client_contact)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))

    def test_multi_company_rules(self):
        status_b = self._create_status_b("B Star", "t_b_star", "partner", "customer")
        self._create_rule(
            "B only",
            status_b,
            1,
            [("won_count", ">=", 1, 0)],
            company_id=self.company_b.id,
        )
        partner_a = self.env["res.partner"].create(
            {"name": "A Client", "is_company": True, "company_id": self.company.id}
        )
        partner_b = self.env["res.partner"].create(
            {"name": "B Client", "is_company": True, "company_id": self.company_b.id}
        )
        self._won(partner_a, datetime(2026, 6, 1))
        self._won(partner_b, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(partner_b.client_status_id, status_b)
        self.assertEqual(partner_a.client_status_id, self.status_new)

    def test_invalid_rules_refused(self):
        with self.assertRaises(ValidationError):
            self._create_rule(
                "Unknown field",
                self.status_new,
                1,
                [],
                domain="[('no_such_field', '=', 1)]",
            )
        with self.assertRaises(ValidationError):
            self._create_rule("Not a list", self.status_new, 1, [], domain="{'a': 1}")
        with self.assertRaises(ValidationError):
            self._create_rule(
                "Negative window",
                self.status_new,
                1,
                [("won_revenue_window", ">=", 1, -5)],
            )
        with self.assertRaises(ValidationError):
            self._create_rule(
                "Wrong scope", self.status_lead_won, 1, [("won_count", ">=", 1, 0)]
            )

    def test_salesman_cannot_edit_rules_nor_run(self):
        salesman = self.salesman
        Rule = self.env["client.status.rule"].with_user(salesman)
        self.assertEqual(Rule.browse(self.rule_new.id).name, "New")
        with self.assertRaises(AccessError):
            Rule.create(
                {"name": "Sneaky", "scope": "partner", "status_id": self.status_new.id}
            )
        with self.assertRaises(AccessError):
            Rule.browse(self.rule_new.id).write({"sequence": 1})
        with self.assertRaises(AccessError):
            Rule.action_reclassify_now()
        Rule = self.env["client.status.rule"].with_user(self.sales_manager)
        action = Rule.action_reclassify_now()
        self.assertEqual(action["tag"], "display_notification")

    def test_no_chatter_tracking_for_rule_changes(self):
        def status_trackings(partner):
            self.env.flush_all()
            self.env.cr.precommit.run()  # where mail writes the tracking
            partner.invalidate_recordset(["message_ids"])
            return partner.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "client_status_id"
            )

        tracked = self.env(context={})  # tracking on, as for users
        # a record created in this very transaction would not be tracked
        manual = tracked["res.partner"].browse(self.individual.id)
        manual.client_status_id = self.status_regular
        self.env.flush_all()
        self.assertEqual(len(status_trackings(manual)), 1)
        self._won(self.buyer, datetime(2026, 6, 1))
        self.env.flush_all()
        with freeze_time(NOW):
            runs = tracked["client.status.run"]._get_running()
            while any(run.state == "running" for run in runs):
                runs._process_batch()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(len(status_trackings(self.buyer)), 0)

    def test_user_automation_fires_on_rule_changes(self):
        automation = self.env["base.automation"].create(
            {
                "name": "Welcome new clients",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set(
                        self.env["ir.model.fields"]
                        ._get("res.partner", "client_status_id")
                        .ids
                    )
                ],
                "filter_domain": repr([("client_status_id", "=", self.status_new.id)]),
            }
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": "Mark the client",
                "model_id": automation.model_id.id,
                "base_automation_id": automation.id,
                "usage": "base_automation",
                "state": "code",
                "code": "records.write({'ref': 'welcomed'})",
            }
        )
        automation.action_server_ids = [Command.set(action.ids)]
        self._won(self.buyer, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(self.buyer.ref, "welcomed")
        self.assertEqual(self.individual.ref, False)
