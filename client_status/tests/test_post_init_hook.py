# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .. import hooks
from ..hooks import post_init_hook
from ..models import client_status_batched, client_status_run
from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_post_init_hook")
class TestPostInitHook(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the hook's rules are the test's own ones
        cls._disable_shipped_rules_and_automations()
        cls.status_lead_lost = cls._create_status(
            "Test Lost", "t_lost", "lead", "lost", 4, fold=True
        )

    def _as_before_install(self, records):
        """Take the statuses and the history of ``records`` (contacts or
        leads) away, as before the addon was installed."""
        self.env.flush_all()
        for model_records in records:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET client_status_id = NULL WHERE id = ANY(%s)",
                    SQL.identifier(model_records._table),
                    model_records.ids,
                )
            )
            self.env.cr.execute(
                SQL(
                    "DELETE FROM client_status_history WHERE %s = ANY(%s)",
                    SQL.identifier(model_records._client_status_history_field),
                    model_records.ids,
                )
            )
        for summary in self.env["client.status.summary"]._get_summary_models():
            summary._rebuild()
        self.env.invalidate_all()

    def _won_lead(self, partner, **values):
        lead = self.env["crm.lead"].create(
            {"name": f"Won {partner.name}", "partner_id": partner.id, **values}
        )
        lead.write({"probability": 100})
        return lead

    def _rule_new(self):
        """A contact rule: a won deal makes a client New."""
        return self.env["client.status.rule"].create(
            {
                "name": "Test: a won deal",
                "scope": "partner",
                "status_id": self.status_new.id,
                "condition_ids": [
                    Command.create(
                        {"metric": "won_count", "operator": ">=", "value": 1}
                    )
                ],
            }
        )

    def test_backfill_default_status_with_install_rows(self):
        partner_b_default = self._create_status_b(
            "B Default", "t_b_default", "partner", "prospect", is_default=True
        )
        partner_b = self.env["res.partner"].create(
            {"name": "B Client", "company_id": self.company_b.id}
        )
        self.status_prospect.parent_id = self._create_status(
            "Open", "t_open_parent", "partner", "prospect", 9
        )
        partners = self.individual | self.client | partner_b
        self._as_before_install([partners, self.lead])

        post_init_hook(self.env)

        self.assertEqual(self.individual.client_status_id, self.status_prospect)
        # the stored related fields follow, as the search filters use them
        self.assertEqual(self.individual.client_status_kind, "prospect")
        self.assertEqual(
            self.individual.client_status_parent_id, self.status_prospect.parent_id
        )
        self.assertIn(
            self.individual,
            self.env["res.partner"].search([("client_status_kind", "=", "prospect")]),
        )
        self.assertEqual(self.lead.client_status_kind, "open")
        self.assertEqual(partner_b.client_status_id, partner_b_default)
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)
        rows = self._history(partners) | self._history(self.lead)
        self.assertEqual(len(rows), 4)
        self.assertEqual(set(rows.mapped("source")), {"install"})
        self.assertEqual(rows.status_from_id, self.Status)
        self.assertEqual(self.individual.client_status_history_count, 1)
        self._assert_summaries_match_history()

    def test_backfill_leaves_set_statuses_alone(self):
        self.individual.client_status_id = self.status_regular
        before = self.History.search_count([])
        post_init_hook(self.env)
        self.assertEqual(self.individual.client_status_id, self.status_regular)
        self.assertEqual(self.History.search_count([]), before)

    def test_leads_get_the_status_of_their_state(self):
        won = self._won_lead(self.client)
        lost = self.env["crm.lead"].create(
            {"name": "Lost Lead", "partner_id": self.individual.id}
        )
        lost.action_set_lost()
        self.assertFalse(lost.active)
        self.assertEqual(lost.probability, 0)
        # a lost-kind status of the lead's company comes before the shared one
        lead_b = self.env["crm.lead"].create(
            {"name": "B Lost Lead", "company_id": self.company_b.id}
        )
        lead_b.action_set_lost()
        lost_b = self._create_status_b("B Lost", "t_b_lost", "lead", "lost")
        leads = self.lead | won | lost | lead_b
        self._as_before_install([leads])

        post_init_hook(self.env)

        self.assertEqual(won.client_status_id, self.status_lead_won)
        self.assertEqual(won.client_status_kind, "won")
        self.assertEqual(lost.client_status_id, self.status_lead_lost)
        self.assertEqual(lead_b.client_status_id, lost_b)
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)
        for lead in leads:
            rows = self._history(lead)
            self.assertEqual(len(rows), 1, lead.name)
            self.assertEqual(rows.source, "install")
            self.assertEqual(rows.status_to_id, lead.client_status_id)
        self._assert_summaries_match_history()

    def test_contacts_get_the_status_of_their_deals(self):
        rule = self._rule_new()
        self._won_lead(self.client)
        other = self.env["res.partner"].create({"name": "Not a client yet"})
        self._as_before_install([self.client | self.client_contact | other])

        post_init_hook(self.env)

        self.assertEqual(self.client.client_status_id, self.status_new)
        self.assertEqual(self.client.client_status_computed_id, self.status_new)
        # the company's contacts take its status
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        # no rule matches: the default status
        self.assertEqual(other.client_status_id, self.status_prospect)
        installed, classified = self._history(self.client)
        self.assertEqual(
            (installed.source, installed.status_to_id),
            ("install", self.status_prospect),
        )
        # the rules' change, as in any run: the rule and what it tested
        self.assertEqual(
            (classified.source, classified.status_to_id, classified.rule_id),
            ("rule", self.status_new, rule),
        )
        self.assertIn(rule.name, self.client.client_status_explanation)
        self.assertEqual(self._history(other).source, "install")
        self._assert_summaries_match_history()

    def _leads_won_and_lost(self):
        won = self._won_lead(self.client)
        lost = self.env["crm.lead"].create(
            {"name": "Lost Lead", "partner_id": self.individual.id}
        )
        lost.action_set_lost()
        return won, lost

    def _install_in_background(self, records):
        """Run the hook with the limit of records classified at once below
        the number of ``records`` (without a status), as on a large
        database."""
        # the job's progress counts every running run: the test's alone (a
        # run committed by another process would make the figures its own)
        self.assertFalse(
            self.env["client.status.run"].search([("state", "=", "running")])
        )
        self._as_before_install(records)
        with patch.object(hooks, "INSTALL_RECLASSIFY_LIMIT", 2):
            post_init_hook(self.env)
        return self.env["client.status.run"].search(
            [("kind", "=", "install"), ("state", "=", "running")]
        )

    def _cron_call(self):
        """One call of the runs' job as the scheduler makes it: the
        progress it reports, ``(done, remaining)``."""
        cron = self.env.ref("client_status.ir_cron_client_status_reclassify_runs")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.env["client.status.run"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_reclassify_runs()
        return progress.done, progress.remaining

    def _cron_to_the_end(self, max_calls=50):
        Run = self.env["client.status.run"]
        for __ in range(max_calls):
            if not Run.search([("state", "=", "running")]):
                return
            self._cron_call()
        self.fail("the runs did not end")

    def test_large_database_installed_in_background(self):
        rule = self._rule_new()
        won, lost = self._leads_won_and_lost()
        partners = self.client | self.client_contact | self.individual
        leads = self.lead | won | lost
        cron = self.env.ref("client_status.ir_cron_client_status_reclassify_runs")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])

        with patch.object(client_status_run, "INSTALL_BATCH_SIZE", 1):
            runs = self._install_in_background([partners, leads])

            # the install returns with no status given: one run per scope
            # does it in the background, starting now
            self.assertEqual(sorted(runs.mapped("scope")), ["lead", "partner"])
            self.assertEqual(runs.mapped("record_count"), [3, 3])
            self.assertFalse(partners.client_status_id)
            self.assertFalse(leads.client_status_id)
            self.assertFalse(self._history(partners) | self._history(leads))
            trigger = (
                self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
                - triggers
            )
            self.assertEqual(len(trigger), 1)
            self.assertLessEqual(trigger.call_at, fields.Datetime.now())
            # each call of the job: one batch (one record here), its progress
            self.assertEqual(self._cron_call(), (1, 5))
            self.assertEqual(len(self._history(partners)), 1)
            self.assertEqual(self._cron_call(), (2, 4))
            self.assertEqual(len(self._history(partners)), 2)
            self._cron_to_the_end()

        self.assertEqual(runs.mapped("state"), ["done", "done"])
        self.assertEqual(runs.mapped("processed_count"), [3, 3])
        # then the rules classified them, in runs of their own
        rule_runs = self.env["client.status.run"].search(
            [("kind", "=", "rules"), ("id", ">", max(runs.ids))]
        )
        self.assertEqual(set(rule_runs.mapped("scope")), {"lead", "partner"})
        self.assertEqual(set(rule_runs.mapped("state")), {"done"})
        self.assertEqual(self.client.client_status_id, self.status_new)
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        self.assertEqual(self.individual.client_status_id, self.status_prospect)
        self.assertEqual(self.individual.client_status_kind, "prospect")
        self.assertEqual(won.client_status_id, self.status_lead_won)
        self.assertEqual(won.client_status_kind, "won")
        self.assertEqual(lost.client_status_id, self.status_lead_lost)
        self.assertEqual(self.lead.client_status_id, self.status_lead_open)
        # one install row per record, then the rules' changes
        for record in [*partners, *leads]:
            rows = self._history(record)
            installed = rows.filtered(lambda row: row.source == "install")
            self.assertEqual(len(installed), 1, record.display_name)
            self.assertFalse(installed.status_from_id)
        self.assertEqual(
            self._history(self.client).mapped("source"), ["install", "rule"]
        )
        self.assertEqual(self._history(self.client)[1].rule_id, rule)
        self._assert_summaries_match_history()

    def test_background_install_resumes_after_a_failed_batch(self):
        partners = self.client | self.client_contact | self.individual
        History = type(self.History)
        insert_rows = History._insert_rows
        failures = []

        def failing_insert_rows(history, *args, **kwargs):
            if not failures:
                failures.append(args)
                raise errors.SerializationFailure("could not serialize access")
            return insert_rows(history, *args, **kwargs)

        with (
            patch.object(client_status_run, "INSTALL_BATCH_SIZE", 2),
            patch.object(client_status_batched, "RETRY_PAUSE", 0),
            patch.object(History, "_insert_rows", failing_insert_rows),
        ):
            (run,) = self._install_in_background([partners])
            # (the job reports some work done, or the scheduler stops calling)
            self.assertEqual(self._cron_call(), (1, 3))
            self.assertEqual(run.processed_count, 0)
            # the batch is rolled back, its statuses with its history rows,
            # and retried by the next call
            self.assertTrue(failures)
            self.assertEqual(run.retry_count, 1)
            self.assertFalse(partners.client_status_id)
            self.assertFalse(self._history(partners))
            self.assertEqual(self._cron_call(), (2, 1))
            self._cron_to_the_end()
        self.assertEqual(run.state, "done")
        for partner in partners:
            self.assertEqual(self._history(partner).source, "install")
        self.assertEqual(partners.client_status_id, self.status_prospect)
        self._assert_summaries_match_history()

    def test_background_install_leaves_a_status_given_meanwhile(self):
        partners = self.client | self.client_contact | self.individual
        # the stored fields computed from the status follow it (the call
        # list's too, which the install's SQL used to leave empty)
        self.status_prospect.write(
            {
                "call_priority": True,
                "parent_id": self._create_status(
                    "Open", "t_open_parent", "partner", "prospect", 9
                ).id,
            }
        )
        (run,) = self._install_in_background([partners])
        # a user gives a contact its status before the job reaches it
        self.individual.client_status_id = self.status_regular
        self._cron_to_the_end()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.changed_count, 2)
        self.assertEqual(self.individual.client_status_id, self.status_regular)
        self.assertEqual(self._history(self.individual).source, "manual")
        self.assertEqual(self.client.client_status_id, self.status_prospect)
        self.assertEqual(
            self.client.client_status_parent_id, self.status_prospect.parent_id
        )
        self.assertTrue(self.client.client_status_call_priority)
        self.assertFalse(self.client.client_status_rule_disagrees)

    def test_daily_jobs_not_run_at_install(self):
        for xmlid in [
            "ir_cron_client_status_reclassify",
            "ir_cron_client_status_escalate",
            "ir_cron_client_status_follow_up",
        ]:
            cron = self.env.ref(f"client_status.{xmlid}")
            # the night after the install (and, once run, a day later)
            self.assertGreater(
                cron.nextcall, cron.create_date + timedelta(hours=1), xmlid
            )
            self.assertGreater(cron.nextcall.date(), cron.create_date.date(), xmlid)
            self.assertLess(cron.nextcall.hour, 6, xmlid)
