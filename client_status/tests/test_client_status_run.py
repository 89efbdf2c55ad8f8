# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo import sql_db
from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.client_status.models import client_status_batched, client_status_run

from .common import NOW, ClientStatusCommon, ClientStatusRuleCommon

MIGRATION_1_4 = load_script(
    os.path.join(
        get_module_path("client_status"),
        "migrations",
        "18.0.1.4.0",
        "post-migration.py",
    ),
    "client_status_post_migration_1_4",
)


class ClientStatusRunCommon(ClientStatusCommon):
    """Rules, helpers and a company committed before the test (another
    connection can lock or change its row) for the tests of the runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._disable_shipped_rules_and_automations()
        cls.Run = cls.env["client.status.run"]
        cls.rule_new = cls._create_rule(
            "First deal", cls.status_new, 10, [("won_count", ">=", 1, 0)]
        )
        # a company of the database before the test (committed): another
        # connection can lock or change its row
        cls.committed = cls.env.ref("base.main_partner")
        cls.rule_committed = cls._create_rule(
            "Committed company",
            cls.status_regular,
            5,
            [("days_in_status", "<=", 100000, 0)],
            domain=f"[('id', '=', {cls.committed.id})]",
        )

    def _won(self, partner):
        lead = self.env["crm.lead"].create(
            {
                "name": f"Deal {partner.name}",
                "partner_id": partner.id,
                "company_id": (partner.company_id or self.company).id,
            }
        )
        lead.write({"probability": 100})
        return lead

    def _companies(self, count, company=None, contacts=0):
        clients = self.env["res.partner"].create(
            [
                {
                    "name": f"Run Client {index}",
                    "is_company": True,
                    "company_id": company and company.id,
                }
                for index in range(count)
            ]
        )
        if contacts:
            self.env["res.partner"].create(
                [
                    {"name": f"{client.name} contact {index}", "parent_id": client.id}
                    for client in clients
                    for index in range(contacts)
                ]
            )
        return clients

    def _run_to_the_end(self, runs):
        with freeze_time(NOW):
            while any(run.state == "running" for run in runs):
                runs._process_batch()

    def _run_from_committed(self):
        """A partner run starting at the committed company, everything the
        test wrote flushed, and another connection: ``(run, cursor)``."""
        run = self.Run.create(
            {"scope": "partner", "last_record_id": self.committed.id - 1}
        )
        self.env.flush_all()
        return run, self._other_connection()

    def _other_connection(self):
        """A cursor of a connection of its own: a transaction concurrent
        with the test's, which sees only committed rows."""
        cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cr.close)
        # a mistake in the test must fail it, not wait forever on the test
        cr.execute("SET lock_timeout = '5s'")
        return cr


@tagged("post_install", "-at_install", "client_status_run")
class TestClientStatusRun(ClientStatusRunCommon):
    """The full reclassification next to its users: batches that lock their
    records first and skip those being written, conflicts retried, runs per
    company, contacts written with their companies."""

    def test_record_being_written_skipped_then_reclassified(self):
        run, other = self._run_from_committed()
        # a user's transaction writes the company (not committed yet)
        other.execute(
            "UPDATE res_partner SET comment = 'busy' WHERE id = %s", [self.committed.id]
        )
        with patch.object(client_status_run, "RECLASSIFY_BATCH_SIZE", 2):
            run._process_batch()
        # the batch did not wait: the company is left for later
        self.assertEqual(run.skipped_ids, [self.committed.id])
        self.assertNotEqual(self.committed.client_status_id, self.status_regular)
        other.rollback()
        self._run_to_the_end(run)
        self.assertEqual(run.state, "done")
        self.assertFalse(run.skipped_ids)
        self.assertEqual(self.committed.client_status_id, self.status_regular)
        self.assertEqual(
            self._history(self.committed)[-1:].rule_id, self.rule_committed
        )

    def test_record_busy_to_the_end_left_pending(self):
        run, other = self._run_from_committed()
        other.execute(
            "SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.committed.id]
        )
        with (
            patch.object(client_status_run, "FINISH_LOCK_TIMEOUT", "100ms"),
            patch.object(client_status_batched, "RETRY_PAUSE", 0),
        ):
            # to the last batch: the company still busy cannot even be
            # marked pending; the end of the run is retried
            for __ in range(10):
                run._process_batch()
                if run.retry_count:
                    break
        self.assertEqual(run.state, "running")
        self.assertEqual(run.skipped_ids, [self.committed.id])
        self.assertEqual(run.retry_count, 1)
        other.rollback()
        self._run_to_the_end(run)
        self.assertEqual(run.state, "done")
        self.assertEqual(self.committed.client_status_id, self.status_regular)

    def test_conflict_retried_then_run_completes(self):
        buyer = self._companies(1)
        self._won(buyer)
        run = self.Run.create({"scope": "partner", "last_record_id": buyer.id - 1})
        Partner = type(self.env["res.partner"])
        apply = Partner._client_status_apply
        conflicts = []

        def conflicting_apply(records, evaluation):
            if not conflicts:
                conflicts.append(records)
                raise errors.SerializationFailure("could not serialize access")
            return apply(records, evaluation)

        with (
            patch.object(Partner, "_client_status_apply", conflicting_apply),
            patch.object(client_status_batched, "RETRY_PAUSE", 0),
        ):
            self._run_to_the_end(run)
        self.assertTrue(conflicts)
        self.assertEqual(run.state, "done")
        self.assertEqual(buyer.client_status_id, self.status_new)
        self.assertEqual(len(self._history(buyer)), 2)
        self._assert_summaries_match_history()

    def test_failed_run_leaves_other_companies_going(self):
        clients_a = self._companies(2, self.company)
        clients_b = self._companies(2, self.company_b)
        for client in clients_a | clients_b:
            self._won(client)
        Partner = type(self.env["res.partner"])
        apply = Partner._client_status_apply

        def failing_apply(records, evaluation):
            if records & clients_a:
                raise RuntimeError("company A's batch failed")
            return apply(records, evaluation)

        with (
            patch.object(Partner, "_client_status_apply", failing_apply),
            self.assertLogs(client_status_batched.__name__, "ERROR"),
        ):
            runs = self.Run._start(self.company | self.company_b)
            self._run_to_the_end(runs)
        failed = runs.filtered(lambda run: run.state == "failed")
        self.assertEqual(failed.company_id, self.company)
        self.assertIn("company A's batch failed", failed.error)
        self.assertEqual(clients_a.client_status_id, self.status_prospect)
        self.assertEqual(clients_b.client_status_id, self.status_new)

    def test_reclassify_now_runs_the_managers_companies_only(self):
        clients_a = self._companies(2, self.company)
        clients_b = self._companies(2, self.company_b)
        for client in clients_a | clients_b:
            self._won(client)
        manager = new_test_user(
            self.env,
            login="cs_run_manager_a",
            groups="sales_team.group_sale_manager,client_status.client_status_group_manager",
            company_id=self.company.id,
            company_ids=[self.company.id, self.company_b.id],
        )
        Rule = self.env["client.status.rule"].with_user(manager)
        Rule.with_context(allowed_company_ids=[self.company.id]).action_reclassify_now()
        runs = self.Run.search([("state", "=", "running")])
        self.assertEqual(runs.company_id, self.company)
        # every scope (another addon may add one)
        self.assertEqual(
            set(runs.mapped("scope")),
            set(self.env["client.status"]._get_status_models()),
        )
        self._run_to_the_end(runs)
        self.assertEqual(clients_a.client_status_id, self.status_new)
        self.assertEqual(clients_b.client_status_id, self.status_prospect)

    def test_daily_job_one_run_per_company_and_shared(self):
        self.env["client.status.run"]._cron_reclassify()
        runs = self.Run.search([("state", "=", "running")])
        companies = self.env["res.company"].with_context(active_test=False).search([])
        scopes = self.env["client.status"]._get_status_models()
        self.assertEqual(len(runs), len(scopes) * (len(companies) + 1))
        self.assertEqual(
            set(runs.filtered(lambda run: run.scope == "partner").company_id.ids),
            set(companies.ids),
        )
        # what each run has to do, counted when it starts
        shared = runs.filtered(
            lambda run: run.scope == "partner" and not run.company_id
        )
        self.assertEqual(
            shared.record_count,
            self.env["res.partner"].search_count(shared._batch_domain()),
        )
        self.assertTrue(shared.record_count)
        # started again while they run: no second set
        self.env["client.status.run"]._cron_reclassify()
        self.assertEqual(self.Run.search([("state", "=", "running")]), runs)

    def test_shared_contact_keeps_shared_statuses(self):
        self._create_status_b("B Prospect", "b_prospect", "partner", "prospect")
        user_b = new_test_user(
            self.env,
            login="cs_run_user_b",
            groups="sales_team.group_sale_salesman",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
        )
        shared = (
            self.env["res.partner"]
            .with_user(user_b)
            .create({"name": "Shared Contact", "is_company": True})
        )
        self.assertFalse(shared.company_id)
        self.assertEqual(shared.client_status_id, self.status_prospect)
        self._won(shared)
        runs = self.Run._start(self.company_b)
        self._run_to_the_end(runs.filtered("company_id"))
        # company B's run leaves the shared records to the shared run
        self.assertEqual(shared.client_status_id, self.status_prospect)
        self._run_to_the_end(runs)
        self.assertEqual(shared.client_status_id, self.status_new)
        self.assertFalse(self._history(shared).company_id)

    def test_contacts_written_with_their_companies(self):
        clients = self._companies(6, contacts=1)
        for client in clients:
            self._won(client)
        run = self.Run.create({"scope": "partner", "last_record_id": clients[0].id - 1})
        self.env.flush_all()
        with freeze_time(NOW), self._capture_queries() as queries:
            run._reclassify_next_batch()
        self.assertEqual(clients.client_status_id, self.status_new)
        contacts = clients.child_ids
        self.assertEqual(len(contacts), 6)
        self.assertEqual(contacts.client_status_id, self.status_new)
        # one write, one history INSERT for the batch's companies and contacts
        self.assertEqual(self._count_history_inserts(queries), 1)
        row = self._history(contacts[0])[-1]
        self.assertEqual(row.rule_id, self.rule_new)
        self.assertEqual(
            row.reason, f"Status of the commercial entity {clients[0].display_name}"
        )

    def test_batch_queries_with_contacts_constant(self):
        def batch_queries(count):
            clients = self._companies(count, contacts=1)
            for client in clients:
                self._won(client)
            run = self.Run.create(
                {"scope": "partner", "last_record_id": clients[0].id - 1}
            )
            self.env.flush_all()
            with freeze_time(NOW), self._capture_queries() as queries:
                run._reclassify_next_batch()
            self.assertEqual(clients.child_ids.client_status_id, self.status_new)
            return len(queries)

        batch_queries(2)  # warm the caches
        self.assertEqual(batch_queries(30), batch_queries(5))

    def test_batch_size_follows_time(self):
        run = self.Run.new({"batch_size": 1000})
        # a batch of 1,000 in 2 s: a quarter next time
        self.assertEqual(run._next_batch_size(1000, 2.0), 250)
        # fast batches grow, twice as large at most
        self.assertEqual(run._next_batch_size(1000, 0.01), 2000)
        self.assertEqual(
            run._next_batch_size(client_status_run.BATCH_SIZE_MIN, 60),
            client_status_run.BATCH_SIZE_MIN,
        )

    def test_pending_job_locks_its_batch_as_a_run_does(self):
        buyer = self._companies(1)
        self._won(buyer)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertTrue(buyer.client_status_pending)
        # the pending job reads its batch as a run's batch is read (locked,
        # SKIP LOCKED: the skipping itself is tested above with a second
        # connection), so neither waits on the other
        with self._capture_queries() as queries:
            self.env["client.status.run"]._cron_reclassify_pending()
        self.assertTrue(
            [
                query
                for query in queries
                if "FOR NO KEY UPDATE" in query and "SKIP LOCKED" in query
            ]
        )
        self.assertEqual(buyer.client_status_id, self.status_new)


@tagged("post_install", "-at_install", "client_status_run")
class TestClientStatusRunCrons(ClientStatusRunCommon):
    """The jobs of the reclassification belong to the runs."""

    def test_upgrade_moves_the_jobs_to_the_runs(self):
        crons = self.env["ir.cron"].browse(
            self.env.ref(xmlid).id for xmlid in MIGRATION_1_4.RUN_CRONS
        )
        self.assertEqual(set(crons.mapped("model_id.model")), {"client.status.run"})
        # as an 18.0.1.3.0 database has them
        crons.model_id = self.env["ir.model"]._get("client.status.rule")
        MIGRATION_1_4.migrate(self.env.cr, "18.0.1.3.0")
        self.assertEqual(set(crons.mapped("model_id.model")), {"client.status.run"})
        # each job's code runs on its model
        for cron in crons:
            method = cron.code.removeprefix("model.").removesuffix("()")
            self.assertTrue(callable(getattr(self.env[cron.model_id.model], method)))


@tagged("post_install", "-at_install", "client_status_run")
class TestClientStatusRunConflict(ClientStatusRunCommon):
    """A change committed by another transaction since the test's began
    (its own class: the change conflicts with the class's transaction to
    its end)."""

    def test_conflicting_committed_write_retried(self):
        # the test's transaction started long ago; a user commits a change of
        # the company since: the batch cannot lock it (repeatable read)
        run, other = self._run_from_committed()
        other.execute(
            "UPDATE res_partner SET client_status_pending = TRUE WHERE id = %s",
            [self.committed.id],
        )
        # the user's transaction commits (its own connection, not the test's)
        other.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._undo_committed_pending)
        size = run.batch_size
        with (
            patch.object(client_status_batched, "RETRY_PAUSE", 0),
            patch.object(client_status_batched, "MAX_RETRIES", 2),
        ):
            run._process_batch()
            # rolled back, to be retried by the next call of the cron (a new
            # transaction), with a smaller batch
            self.assertEqual(run.state, "running")
            self.assertEqual(run.retry_count, 1)
            self.assertEqual(run.batch_size, size // 2)
            self.assertEqual(run.processed_count, 0)
            self.assertFalse(self._history(self.committed).rule_id)
            # in this transaction it conflicts again: bounded, the run fails
            run._process_batch()
            run._process_batch()
        self.assertEqual(run.state, "failed")
        self.assertIn("SerializationFailure", run.error)

    def _undo_committed_pending(self):
        cr = self._other_connection()
        cr.execute(
            "UPDATE res_partner SET client_status_pending = FALSE WHERE id = %s",
            [self.committed.id],
        )
        # undone as it was done: committed, on a connection of its own
        cr.commit()  # pylint: disable=invalid-commit


@tagged("post_install", "-at_install", "client_status_run")
class TestClientStatusRunBatches(ClientStatusRuleCommon):
    """A full run, batch after batch: nothing written twice, a failed batch,
    the queries of a batch, the run's snapshots."""

    def test_second_run_writes_nothing(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        self._run()
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        count = self.History.search_count([])
        runs = self._run()
        self.assertEqual(self.History.search_count([]), count)
        self.assertEqual(sum(runs.mapped("changed_count")), 0)

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
            with self.assertLogs(client_status_batched.__name__, "ERROR"):
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
            self.env["client.status.run"]._cron_reclassify_pending()
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
