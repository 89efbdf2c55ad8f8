# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import client_status_run
from .common import ClientStatusCommon

NOW = "2026-06-15 12:00:00"


@tagged("post_install", "-at_install")
class TestClientStatusRule(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._disable_shipped_rules_and_automations()
        # the leads already in the database (demo data) must not weigh in the
        # revenue ranking: they become lost deals
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE crm_lead SET active = FALSE, probability = 0")
        cls.env.invalidate_all()
        cls.rule_regular = cls._create_rule(
            "Regular", cls.status_regular, 10, [("won_count", ">=", 3, 0)]
        )
        cls.rule_new = cls._create_rule(
            "New", cls.status_new, 20, [("days_since_last_won", "<=", 90, 0)]
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer", "is_company": True})

    def _won(self, partner, closed, count=1, revenue=1000.0):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {partner.name}",
                    "partner_id": partner.id,
                    "expected_revenue": revenue,
                    "company_id": (partner.company_id or self.company).id,
                }
                for __ in range(count)
            ]
        )
        leads.write({"probability": 100})
        leads.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s WHERE id = ANY(%s)",
            [closed, leads.ids],
        )
        leads.invalidate_recordset(["date_closed"])
        return leads

    def _run(self):
        """Run the engine over every scope, as the cron would."""
        self.env.flush_all()
        with freeze_time(NOW):
            runs = self.env["client.status.run"]._get_running()
            while any(run.state == "running" for run in runs):
                runs._process_batch()
        return runs

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

    def test_first_matching_rule_wins(self):
        self._won(self.buyer, datetime(2026, 6, 1), count=3)
        self._run()
        # both rules match; Regular comes first
        self.assertEqual(self.buyer.client_status_id, self.status_regular)

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

    def test_second_run_writes_nothing(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        count = self.History.search_count([])
        runs = self._run()
        self.assertEqual(self.History.search_count([]), count)
        self.assertEqual(sum(runs.mapped("changed_count")), 0)

    def test_contacts_follow_their_company_with_the_rule(self):
        self._won(self.client, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        row = self._history(self.client_contact)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))

    def test_failed_batch_fails_its_run_and_keeps_earlier_batches(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        other = self.env["res.partner"].create(
            {"name": "Other Buyer", "is_company": True}
        )
        self._won(other, datetime(2026, 6, 1))
        self.env.flush_all()
        Partner = self.registry["res.partner"]
        apply = Partner._client_status_apply

        def failing_apply(records, evaluation):
            if other in records:
                raise RuntimeError("batch failed")
            return apply(records, evaluation)

        with (
            freeze_time(NOW),
            patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", 1),
            patch.object(Partner, "_client_status_apply", failing_apply),
        ):
            runs = self.env["client.status.run"]._get_running()
            with self.assertLogs(client_status_run.__name__, "ERROR"):
                while any(run.state == "running" for run in runs):
                    runs._process_batch()
        # the run fails (the others go on), the batches before the failure
        # are written with their history, nothing of the failed one
        failed = runs.filtered(lambda run: run.state == "failed")
        self.assertEqual(failed.scope, "partner")
        self.assertEqual(failed.error, "RuntimeError: batch failed")
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(other.client_status_id, self.status_prospect)
        self.assertEqual(len(self._history(other)), 1)
        # the next run changes what the failed one did not reach, nothing else
        rows = len(self._history(self.buyer))
        self._run()
        self.assertEqual(other.client_status_id, self.status_new)
        self.assertEqual(len(self._history(self.buyer)), rows)
        # nor in the analysis summaries
        self._assert_summaries_match_history()

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

    def _batch_queries(self, count):
        """Queries of one engine batch over ``count`` new clients, each of
        which gets the New status."""
        clients = self.env["res.partner"].create(
            [{"name": f"Batch {count} {i}", "is_company": True} for i in range(count)]
        )
        for client in clients:
            self._won(client, datetime(2026, 6, 1))
        run = self.env["client.status.run"].create(
            {"scope": "partner", "last_record_id": clients[0].id - 1}
        )
        with (
            freeze_time(NOW),
            patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", count),
            self._capture_queries() as queries,
        ):
            run._reclassify_next_batch()
        self.assertEqual(clients.client_status_id, self.status_new)
        return len(queries)

    def test_queries_per_batch_constant(self):
        self._batch_queries(3)  # warm the caches (rules, statuses)
        # the same queries for a batch of 5 and of 40 clients ...
        self.assertEqual(self._batch_queries(40), self._batch_queries(5))
        # ... and this many (metrics, rules, one write per target status,
        # one history INSERT per write and the companies' time zones for its
        # days, the computed statuses, the run); the run's first batch takes
        # the snapshot of the lead aggregates
        clients = self.env["res.partner"].create(
            [{"name": f"Counted {i}", "is_company": True} for i in range(20)]
        )
        for client in clients:
            self._won(client, datetime(2026, 6, 1))
        run = self.env["client.status.run"].create(
            {"scope": "partner", "last_record_id": clients[0].id - 1}
        )
        self.env.flush_all()
        with (
            freeze_time(NOW),
            patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", 10),
        ):
            with self.assertQueryCount(11):
                run._reclassify_next_batch()
            with self.assertQueryCount(10):
                run._reclassify_next_batch()
        self.assertEqual(clients.client_status_id, self.status_new)

    def _start_run(self):
        """A partner run starting at the buyer, one client per batch."""
        self.env.flush_all()
        return self.env["client.status.run"].create(
            {"scope": "partner", "last_record_id": self.buyer.id - 1}
        )

    def _snapshots(self, run):
        return self.env["client.status.run"]._snapshot_tables().get(run.id, [])

    def test_full_run_reads_its_snapshot(self):
        other = self.env["res.partner"].create(
            {"name": "Other Buyer", "is_company": True}
        )
        run = self._start_run()
        with (
            freeze_time(NOW),
            patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", 1),
        ):
            run._reclassify_next_batch()
            self.assertEqual(len(self._snapshots(run)), 1)
            # a deal won once the run has taken its snapshot: the run does not
            # see it, the pending job does
            self._won(other, datetime(2026, 6, 1))
            self.env.flush_all()
            run._reclassify_next_batch()
            self.assertEqual(run.last_record_id, other.id)
            self.assertEqual(other.client_status_id, self.status_prospect)
            self.assertEqual(other.client_status_pending, True)
            self.env["client.status.rule"]._cron_reclassify_pending()
            self.assertEqual(other.client_status_id, self.status_new)
            self.assertEqual(other.client_status_pending, False)
            while run.state == "running":
                run._reclassify_next_batch()
        # the snapshot goes with the run
        self.assertEqual(self._snapshots(run), [])

    def test_snapshot_taken_again_when_stale_or_lost(self):
        other = self.env["res.partner"].create(
            {"name": "Other Buyer", "is_company": True}
        )
        third = self.env["res.partner"].create(
            {"name": "Third Buyer", "is_company": True}
        )
        run = self._start_run()
        with patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", 1):
            with freeze_time(NOW):
                run._reclassify_next_batch()
            self._won(other, datetime(2026, 6, 1))
            self.env.flush_all()
            # resumed two hours later: the snapshot is too old
            with freeze_time("2026-06-15 14:00:00"):
                run._reclassify_next_batch()
            self.assertEqual(other.client_status_id, self.status_new)
            # a crash of the database empties the unlogged snapshot table
            self._won(third, datetime(2026, 6, 1))
            self.env.flush_all()
            (table,) = self._snapshots(run)
            self.env.cr.execute(SQL("TRUNCATE %s", SQL.identifier(table)))
            with freeze_time("2026-06-15 14:05:00"):
                run._reclassify_next_batch()
            self.assertEqual(third.client_status_id, self.status_new)

    def test_snapshots_of_stopped_runs_dropped(self):
        run = self._start_run()
        with freeze_time(NOW):
            run._reclassify_next_batch()
        self.assertEqual(len(self._snapshots(run)), 1)
        Run = self.env["client.status.run"]
        Run._gc_snapshots()
        self.assertEqual(len(self._snapshots(run)), 1)
        run.unlink()
        Run._gc_snapshots()
        self.assertEqual(self._snapshots(run), [])

    def test_preview_then_apply(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        other = self.env["res.partner"].create(
            {"name": "Second Buyer", "is_company": True}
        )
        self._won(other, datetime(2026, 6, 1), count=3)
        self.env.flush_all()
        count = self.History.search_count([])
        with freeze_time(NOW):
            action = self.env["client.status.rule"].action_preview()
        preview = self.env["client.status.reclassify.preview"].browse(action["res_id"])
        # nothing written yet
        self.assertEqual(self.History.search_count([]), count)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        changes = {line.partner_id: line.status_to_id for line in preview.line_ids}
        self.assertEqual(changes[self.buyer], self.status_new)
        self.assertEqual(changes[other], self.status_regular)
        self.assertIn("+1", preview.summary)
        self.assertNotIn("+0", preview.summary)
        self.assertNotIn("-0", preview.summary)
        # a client changed by hand since the preview is left alone
        other.client_status_id = self.status_blacklist
        action = preview.action_apply()
        # and the user is told how many changed
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 of 2", action["params"]["message"])
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(other.client_status_id, self.status_blacklist)
        row = self._history(self.buyer)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))

    def test_changed_inputs_reclassified_between_runs(self):
        self.assertEqual(self.buyer.client_status_pending, False)
        lead = self.env["crm.lead"].create(
            {"name": "Fresh Deal", "partner_id": self.buyer.id, "expected_revenue": 10}
        )
        self.assertEqual(self.buyer.client_status_pending, True)
        with freeze_time(NOW):
            self.env["client.status.rule"]._cron_reclassify_pending()
        self.assertEqual(self.buyer.client_status_pending, False)
        # an open lead alone does not change the status of a prospect
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        with freeze_time(NOW):
            lead.write({"probability": 100})
            self.assertEqual(self.buyer.client_status_pending, True)
            self.env["client.status.rule"]._cron_reclassify_pending()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(self._history(self.buyer)[-1].rule_id, self.rule_new)
        self.env["client.status.rule"]._cron_reclassify_pending()
        # no rule reads the last contact: a message marks nothing
        self.buyer.message_post(body="Called back", message_type="comment")
        lead.message_post(body="Budget confirmed", message_type="comment")
        self.assertEqual(self.buyer.client_status_pending, False)
        self.assertEqual(lead.client_status_pending, False)
        # rules that read it: a message makes the client (and the lead)
        # pending
        self._create_rule(
            "Silent",
            self.status_regular,
            30,
            [("days_since_last_contact", ">=", 90, 0)],
        )
        self._create_rule(
            "Quiet lead",
            self.status_lead_waiting,
            30,
            [("days_since_last_contact", ">=", 30, 0)],
        )
        self.buyer.message_post(body="Called back", message_type="comment")
        self.assertEqual(self.buyer.client_status_pending, True)
        self.assertEqual(lead.client_status_pending, False)
        lead.message_post(body="Budget confirmed", message_type="comment")
        self.assertEqual(lead.client_status_pending, True)

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
