# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CREATED, LATER, ClientStatusTestCommon

# The fields of the mixin a client may write; every other field of the
# mixin is the addon's own (``_client_status_protected_fields``).
WRITABLE = {"client_status_id", "client_status_locked", "client_status_locked_until"}


@tagged("post_install", "-at_install", "client_status_engine")
class TestClientStatusEngine(ClientStatusTestCommon):
    """The engine of ``client.status.mixin`` on a model that is neither a
    contact nor a lead: statuses, history, rules, runs, locks and pending
    records work from the scope and the history field alone."""

    def test_default_status_and_history_at_create(self):
        record = self._create_records(0.0)
        self.assertEqual(record.client_status_id, self.status_new)
        self.assertEqual(record.client_status_kind, "prospect")
        self.assertEqual(record.client_status_date, datetime(2026, 1, 1, 12, 0))
        history = self._history(record)
        self.assertEqual(len(history), 1)
        self.assertEqual(history.scope, "test")
        self.assertFalse(history.status_from_id)
        self.assertEqual(history.status_to_id, self.status_new)
        self.assertEqual(history.source, "manual")
        self.assertEqual(history.user_id, self.env.user)
        self.assertIn("Record 0", history.display_name)
        self.assertEqual(record.client_status_history_count, 1)
        # a record of a company with a default of its own gets that one
        company_b = self.env["res.company"].create({"name": "Test Company B"})
        status_b = self._create_status(
            "B New", "b_new", "prospect", 1, True, company_id=company_b.id
        )
        record_b = self.Record.create({"name": "B", "company_id": company_b.id})
        self.assertEqual(record_b.client_status_id, status_b)

    def test_full_run_reclassifies(self):
        quiet, large = self._create_records(0.0, 500.0)
        with freeze_time("2026-02-05 12:00:00"):
            recent = self.Record.create({"name": "Recent"})
        runs = self._full_run()
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self.assertEqual(sum(runs.mapped("record_count")), 3)
        self.assertEqual(sum(runs.mapped("processed_count")), 3)
        self.assertEqual(sum(runs.mapped("changed_count")), 2)
        self.assertEqual(quiet.client_status_id, self.status_dormant)
        self.assertEqual(large.client_status_id, self.status_active)
        self.assertEqual(recent.client_status_id, self.status_new)
        self.assertEqual(quiet.client_status_date, datetime(2026, 2, 10, 12, 0))
        self.assertEqual(quiet.client_status_computed_id, self.status_dormant)
        self.assertFalse(quiet.client_status_rule_disagrees)
        last = self._history(quiet)[-1]
        self.assertEqual(last.source, "rule")
        self.assertEqual(last.rule_id, self.rule_dormant)
        self.assertEqual(last.metrics, {"days_in_status": 40})
        self.assertEqual(last.days_in_previous, 40.0)
        self.assertIn("Quiet for a month", quiet.client_status_explanation)
        # nothing changed since: a second run writes no history
        count = self.History.search_count([("scope", "=", "test")])
        runs = self._full_run()
        self.assertEqual(sum(runs.mapped("changed_count")), 0)
        self.assertEqual(self.History.search_count([("scope", "=", "test")]), count)

    def test_reclassify_now(self):
        quiet, large, kept = self._create_records(0.0, 500.0, 0.0)
        with freeze_time(LATER):
            changed = (quiet | large)._client_status_reclassify_now()
        self.assertEqual(changed, quiet | large)
        self.assertEqual(quiet.client_status_id, self.status_dormant)
        self.assertEqual(large.client_status_id, self.status_active)
        # only the records asked for
        self.assertEqual(kept.client_status_id, self.status_new)
        self.assertEqual(self._history(large)[-1].rule_id, self.rule_active)

    def test_lock_prevents_reclassification(self):
        locked, locked_until, blocked = self._create_records(0.0, 0.0, 0.0)
        locked.client_status_locked = True
        # locked until a day past at the time of the run: the rules apply
        locked_until.write(
            {"client_status_locked": True, "client_status_locked_until": "2026-02-01"}
        )
        # not locked by the change: the kind alone keeps the rules away
        blocked.with_context(
            client_status_lock=False
        ).client_status_id = self.status_blacklist
        self._full_run()
        self.assertEqual(locked.client_status_id, self.status_new)
        # the rules' status is kept, and told
        self.assertEqual(locked.client_status_computed_id, self.status_dormant)
        self.assertTrue(locked.client_status_rule_disagrees)
        self.assertEqual(locked_until.client_status_id, self.status_dormant)
        # the rules never touch a blacklist-kind status
        self.assertEqual(blocked.client_status_id, self.status_blacklist)

    def test_manual_change_records_source_and_user_and_locks(self):
        record = self._create_records(0.0)
        with freeze_time(CREATED):
            record.with_user(self.salesman).write(
                {"client_status_id": self.status_active.id}
            )
        last = self._history(record)[-1]
        self.assertEqual(last.source, "manual")
        self.assertEqual(last.user_id, self.salesman)
        self.assertEqual(last.status_from_id, self.status_new)
        # locked for the days of the company's setting of the scope
        self.assertTrue(record.client_status_locked)
        self.assertEqual(record.client_status_locked_until, date(2026, 1, 31))
        # a source a client names is not trusted
        record.with_user(self.salesman).with_context(
            client_status_source="rule"
        ).client_status_id = self.status_dormant
        self.assertEqual(self._history(record)[-1].source, "manual")
        # no lock when the company sets none for the scope
        self.company.client_status_lock_days_test = 0
        other = self._create_records(0.0)
        other.client_status_id = self.status_active
        self.assertFalse(other.client_status_locked)

    def test_pending_reclassified_by_the_pending_job(self):
        pending, other = self._create_records(0.0, 0.0)
        pending._client_status_mark_pending()
        self.assertTrue(pending.client_status_pending)
        self.assertFalse(other.client_status_pending)
        with freeze_time(LATER):
            self.env["client.status.run"]._cron_reclassify_pending()
        self.assertFalse(pending.client_status_pending)
        self.assertEqual(pending.client_status_id, self.status_dormant)
        self.assertEqual(self._history(pending)[-1].rule_id, self.rule_dormant)
        # the job reclassifies the pending records only
        self.assertEqual(other.client_status_id, self.status_new)

    def test_history_one_row_per_change(self):
        with self._count_history_inserts() as inserts:
            records = self._create_records(0.0, 0.0, 0.0)
        self.assertEqual(inserts[0], 1)
        self.assertEqual(len(self._history(records)), 3)
        records[0].client_status_id = self.status_active
        with self._count_history_inserts() as inserts:
            records.write({"client_status_id": self.status_active.id})
        # one statement; the record that had the status already has no row
        self.assertEqual(inserts[0], 1)
        self.assertEqual(len(self._history(records)), 6)
        self.assertEqual(len(self._history(records[0])), 2)
        # writing the same status again, or another field, logs nothing
        records.write({"client_status_id": self.status_active.id, "amount": 5.0})
        records.write({"amount": 6.0})
        self.assertEqual(len(self._history(records)), 6)

    def test_days_since_last_contact_from_messages(self):
        """The mixin's other generic metric: the last message on the record
        (``mail.thread``)."""
        self._create_rule(
            "Silent", self.status_dormant, 5, [("days_since_last_contact", ">=", 20)]
        )
        self.rule_dormant.active = False
        talked, silent = self._create_records(0.0, 0.0)
        with freeze_time("2026-01-05 12:00:00"):
            silent.message_post(body="First call", message_type="comment")
        with freeze_time("2026-02-01 12:00:00"):
            talked.message_post(body="Last call", message_type="comment")
        with freeze_time(LATER):
            (talked | silent)._client_status_reclassify_now()
        self.assertEqual(talked.client_status_id, self.status_new)
        self.assertEqual(silent.client_status_id, self.status_dormant)
        self.assertEqual(
            self._history(silent)[-1].metrics, {"days_since_last_contact": 36}
        )

    def test_salesman_cannot_write_kept_fields(self):
        record = self._create_records(0.0)
        mixin_fields = {
            fname for fname in record._fields if fname.startswith("client_status_")
        }
        protected = record._client_status_protected_fields()
        # every field of the mixin is either the client's or the addon's
        self.assertEqual(mixin_fields - protected, WRITABLE)
        as_salesman = record.with_user(self.salesman)
        Record = self.Record.with_user(self.salesman)
        for fname in sorted(protected & mixin_fields):
            value = record._fields[fname].convert_to_write(record[fname], record)
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    as_salesman.write({fname: value})
                with self.assertRaises(AccessError):
                    Record.create({"name": "Forged", fname: value})
        for fname in sorted(WRITABLE):
            value = record._fields[fname].convert_to_write(record[fname], record)
            as_salesman.write({fname: value})
