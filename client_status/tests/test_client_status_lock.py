# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from ..models.client_status_history import ClientStatusSource
from .common import ClientStatusCommon

# The day of the manual change, the last day of its 90-day lock, the day after.
CHANGED = "2026-06-15 10:00:00"
LAST_LOCKED_DAY = "2026-09-13 10:00:00"
UNLOCKED_DAY = "2026-09-14 10:00:00"


@tagged("post_install", "-at_install", "client_status_lock")
class TestClientStatusLock(ClientStatusCommon):
    """A manual (or imported) change of status holds against the rules for the
    days of the company's setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._disable_shipped_rules_and_automations()
        cls.company.write(
            {"client_status_lock_days_partner": 90, "client_status_lock_days_lead": 90}
        )
        # an open lead: the rules say Prospect
        cls.rule_prospect = cls.env["client.status.rule"].create(
            {
                "name": "Open lead",
                "scope": "partner",
                "status_id": cls.status_prospect.id,
                "sequence": 10,
                "condition_ids": [
                    Command.create(
                        {"metric": "open_lead_count", "operator": ">=", "value": 1}
                    )
                ],
            }
        )
        cls.status_lead_progress = cls._create_status(
            "Test Progress", "t_progress", "lead", "open", 5
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer", "is_company": True})
        cls.env["crm.lead"].create({"name": "Buyer's lead", "partner_id": cls.buyer.id})

    def _run(self, day):
        """Run the engine over every scope on ``day``, as the daily job would."""
        self.env.flush_all()
        with freeze_time(day):
            runs = self.env["client.status.run"]._get_running()
            while any(run.state == "running" for run in runs):
                runs._process_batch()

    def _drag(self, records, status, day=CHANGED):
        """Change the status as the kanban drag and drop does."""
        with freeze_time(day):
            records.write({"client_status_id": status.id})

    @staticmethod
    def _lock_updates(queries):
        return [
            query
            for query in queries
            if "UPDATE" in query and "client_status_locked" in query
        ]

    def _assert_lock(self, record, until, locked=None):
        """``until``: the last day locked (False: none); ``locked``: whether
        locked, by default whether there is a day."""
        self.assertEqual(
            (record.client_status_locked, record.client_status_locked_until),
            (bool(until) if locked is None else locked, until),
        )

    def test_manual_change_locks_for_the_days_of_the_setting(self):
        self._drag(self.buyer, self.status_regular)
        self._assert_lock(self.buyer, date(2026, 9, 13))
        self.assertEqual(self._history(self.buyer)[-1].source, "manual")

    def test_full_run_leaves_the_lock_alone_until_the_day_passes(self):
        self._drag(self.buyer, self.status_regular)
        self._run(LAST_LOCKED_DAY)
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        # people see what the rules would give
        self.assertEqual(self.buyer.client_status_computed_id, self.status_prospect)
        self.assertTrue(self.buyer.client_status_rule_disagrees)
        self._run(UNLOCKED_DAY)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        self.assertFalse(self.buyer.client_status_rule_disagrees)
        self.assertEqual(self._history(self.buyer)[-1].source, "rule")

    def test_pending_job_leaves_the_lock_alone_until_the_day_passes(self):
        self._drag(self.buyer, self.status_regular)
        for day, status in (
            (LAST_LOCKED_DAY, self.status_regular),
            (UNLOCKED_DAY, self.status_prospect),
        ):
            self.buyer._client_status_mark_pending()
            self.env.flush_all()
            with freeze_time(day):
                self.env["client.status.run"]._cron_reclassify_pending()
            self.assertEqual(self.buyer.client_status_id, status)
            self.assertFalse(self.buyer.client_status_pending)

    def test_reclassify_now_leaves_the_lock_alone_until_the_day_passes(self):
        self._drag(self.buyer, self.status_regular)
        cron = self.env.ref("client_status.ir_cron_client_status_reclassify_runs")
        for day, status in (
            (LAST_LOCKED_DAY, self.status_regular),
            (UNLOCKED_DAY, self.status_prospect),
        ):
            with freeze_time(day):
                # the button starts the runs and their job at once; the job
                # runs here
                self.rule_prospect.action_reclassify_now()
            self.assertTrue(
                self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
            )
            self._run(day)
            # the events' reclassification (a won or lost lead) likewise
            with freeze_time(day):
                self.buyer._client_status_reclassify_now()
            self.assertEqual(self.buyer.client_status_id, status)

    def test_rules_and_automation_do_not_lock(self):
        self.buyer.write(
            {"client_status_id": self.status_regular.id, "client_status_locked": False}
        )
        self._run(CHANGED)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        self._assert_lock(self.buyer, False)
        self.buyer.with_context(
            client_status_source=ClientStatusSource("automation")
        ).write({"client_status_id": self.status_new.id})
        self._assert_lock(self.buyer, False)
        self.assertEqual(self._history(self.buyer)[-1].source, "automation")

    def test_zero_days_do_not_lock(self):
        self.company.client_status_lock_days_partner = 0
        self._drag(self.buyer, self.status_regular)
        self._assert_lock(self.buyer, False)
        self._run(CHANGED)
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)

    def test_import_locks(self):
        with freeze_time(CHANGED):
            result = (
                self.env["res.partner"]
                .with_context(import_file=True)
                .load(
                    ["id", "name", "is_company", "client_status_id"],
                    [
                        ["__import__.imported_vip", "Imported", "1", "Test Regular"],
                        ["__import__.imported_default", "Default", "1", "t_prospect"],
                    ],
                )
            )
        self.assertEqual(result["messages"], [])
        imported, default = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(self._history(imported).source, "import")
        self._assert_lock(imported, date(2026, 9, 13))
        # the default status is where the rules start from
        self._assert_lock(default, False)
        # a later import that changes the status locks again
        with freeze_time("2026-07-01 10:00:00"):
            self.env["res.partner"].with_context(import_file=True).load(
                ["id", "client_status_id"],
                [["__import__.imported_default", "t_new"]],
            )
        self._assert_lock(default, date(2026, 9, 29))

    def test_new_records_lock_only_a_chosen_status(self):
        with freeze_time(CHANGED):
            chosen, by_default = self.env["res.partner"].create(
                [
                    {
                        "name": "Chosen",
                        "is_company": True,
                        "client_status_id": self.status_regular.id,
                    },
                    {"name": "By Default", "is_company": True},
                ]
            )
            contact = self.env["res.partner"].create(
                {"name": "Chosen's contact", "parent_id": chosen.id}
            )
        self._assert_lock(chosen, date(2026, 9, 13))
        self._assert_lock(by_default, False)
        # a company's contacts take its status: the rules do not classify them
        self.assertEqual(contact.client_status_id, self.status_regular)
        self._assert_lock(contact, False)

    def test_setting_per_scope_and_company(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.client_status_lock_days_partner = 30
            settings.client_status_lock_days_lead = 7
        self.assertEqual(self.company.client_status_lock_days_partner, 30)
        self.assertEqual(self.company.client_status_lock_days_lead, 7)
        self.company_b.client_status_lock_days_partner = 10
        client_b = self.env["res.partner"].create(
            {"name": "Client B", "is_company": True, "company_id": self.company_b.id}
        )
        status_b = self._create_status_b(
            "B Regular", "b_regular", "partner", "customer"
        )
        self._drag(self.buyer | self.individual, self.status_regular)
        self._drag(client_b, status_b)
        self._drag(self.lead, self.status_lead_progress)
        self._assert_lock(self.buyer, date(2026, 7, 15))
        # no company: the setting of the company the user works in
        self._assert_lock(self.individual, date(2026, 7, 15))
        self._assert_lock(client_b, date(2026, 6, 25))
        self._assert_lock(self.lead, date(2026, 6, 22))

    def test_the_user_decides_the_lock(self):
        # the same write sets the lock: it wins
        with freeze_time(CHANGED):
            self.buyer.write(
                {"client_status_id": self.status_new.id, "client_status_locked": False}
            )
        self._assert_lock(self.buyer, False)
        # locked for good: a manual change keeps it so
        self.buyer.client_status_locked = True
        self._drag(self.buyer, self.status_regular)
        self._assert_lock(self.buyer, False, locked=True)
        # a lock until a later day keeps its day
        self.buyer.client_status_locked_until = "2027-01-01"
        self._drag(self.buyer, self.status_new)
        self._assert_lock(self.buyer, date(2027, 1, 1))

    def test_form_shows_the_lock_before_saving(self):
        with freeze_time(CHANGED):
            with Form(self.buyer) as form:
                form.client_status_id = self.status_regular
                self.assertTrue(form.client_status_locked)
                self.assertEqual(form.client_status_locked_until, date(2026, 9, 13))
                # back to the stored status: back to the stored lock
                form.client_status_id = self.status_prospect
                self.assertFalse(form.client_status_locked)
                form.client_status_id = self.status_regular
                # the user shortens the lock before saving
                form.client_status_locked_until = date(2026, 7, 1)
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        self._assert_lock(self.buyer, date(2026, 7, 1))
        # and clears it on the form
        with Form(self.buyer) as form:
            form.client_status_locked = False
        self._assert_lock(self.buyer, date(2026, 7, 1), locked=False)

    def test_salesman_locks_and_unlocks_own_records(self):
        # the lead form shows the lock on leads (not yet on opportunities)
        self.lead.type = "lead"
        lead = self.lead.with_user(self.salesman)
        with freeze_time(CHANGED):
            lead.write({"client_status_id": self.status_lead_progress.id})
        self._assert_lock(lead, date(2026, 9, 13))
        with Form(lead) as form:
            form.client_status_locked = False
        self.assertFalse(self.lead.client_status_locked)
        client = self.buyer.with_user(self.salesman)
        with Form(client) as form:
            form.client_status_locked = True
            form.client_status_locked_until = date(2026, 12, 31)
        self._assert_lock(self.buyer, date(2026, 12, 31))

    def test_archive_wizard_does_not_lock(self):
        self.buyer.write(
            {"client_status_id": self.status_new.id, "client_status_locked": False}
        )
        action = self.status_new.action_archive()
        form = Form(self.env["client.status.archive"].with_context(**action["context"]))
        form.target_status_id = self.status_regular
        form.save().action_confirm()
        self.assertEqual(self.buyer.client_status_id, self.status_regular)
        self._assert_lock(self.buyer, False)

    def test_card_hints(self):
        self._drag(self.buyer, self.status_regular)
        self._run(CHANGED)
        with freeze_time(CHANGED):
            self.buyer.invalidate_recordset(["client_status_lock_info"])
            self.assertEqual(
                self.buyer.client_status_lock_info,
                "Status locked until 09/13/2026: the rules leave it alone.",
            )
        self.assertEqual(
            self.buyer.client_status_computed_info,
            "The rules would give Test Prospect.",
        )
        with freeze_time(UNLOCKED_DAY):
            # the lock is over: no sign any more
            self.buyer.invalidate_recordset(["client_status_lock_info"])
            self.assertFalse(self.buyer.client_status_lock_info)
        self.buyer.client_status_locked_until = False
        self.assertEqual(
            self.buyer.client_status_lock_info,
            "Status locked for good: the rules leave it alone.",
        )

    def test_one_update_per_write_none_without_a_change_of_status(self):
        clients = self.env["res.partner"].create(
            [{"name": f"Client {i}", "is_company": True} for i in range(3)]
        )
        with self._capture_queries() as queries:
            self._drag(clients, self.status_regular)
        self.assertEqual(len(self._lock_updates(queries)), 1)
        for client in clients:
            self._assert_lock(client, date(2026, 9, 13))
        with self._capture_queries() as queries:
            clients.write({"phone": "+1 555 0100"})
            self._drag(clients, self.status_regular)
        self.assertFalse(self._lock_updates(queries))

    def test_cards_of_contacts_and_leads_show_the_signs(self):
        for model, view in (
            ("res.partner", "client_status.res_partner_view_kanban"),
            ("crm.lead", "client_status.crm_lead_view_kanban"),
        ):
            arch = self.env[model].get_views([(self.env.ref(view).id, "kanban")])[
                "views"
            ]["kanban"]["arch"]
            for field in ("client_status_lock_info", "client_status_computed_info"):
                self.assertIn(f't-att-title="record.{field}.value"', arch)
