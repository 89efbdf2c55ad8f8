# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models.client_status_job import THRESHOLD_PARAM
from .common import NOW, ClientStatusRuleCommon


@tagged("post_install", "-at_install", "client_status_job")
class TestClientStatusJob(ClientStatusRuleCommon):
    """Above the threshold, Preview, its Apply, the archive wizard and the
    presets run as jobs of the cron, a batch per call, with their progress;
    they end as the same work done in the request would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Job = cls.env["client.status.job"]
        cls.cron = cls.env.ref("client_status.ir_cron_client_status_job")

    def _background(self):
        """Every wizard's work from now on runs in the background."""
        self.env["ir.config_parameter"].set_param(THRESHOLD_PARAM, "0")

    def _run_cron(self, job, batch_size=None, max_calls=100):
        """Call the cron's method until ``job`` ends, as the cron would (each
        call with its progress record); return the progress records."""
        if batch_size:
            job.sudo().batch_size = batch_size
        progresses = []
        for __ in range(max_calls):
            if job.state not in ("queued", "running"):
                break
            progress = self.env["ir.cron.progress"].create(
                {"cron_id": self.cron.id, "done": 0, "remaining": 0}
            )
            self.Job.with_context(ir_cron_progress_id=progress.id)._cron_process()
            progresses.append(progress)
        self.assertIn(job.state, ("done", "failed"))
        return progresses

    def _notifications(self):
        """The browser notifications sent in this transaction (written to
        the bus when the transaction commits, or by a savepoint's flush)."""
        self.env.cr.precommit.run()
        messages = [
            json.loads(message)
            for message in self.env["bus.bus"].search([], order="id").mapped("message")
        ]
        return [
            message["payload"]
            for message in messages
            if message["type"] == "simple_notification"
        ]

    def _preview(self, user=None, companies=None):
        Rule = self.env["client.status.rule"]
        if user:
            Rule = Rule.with_user(user)
        if companies:
            Rule = Rule.with_context(allowed_company_ids=companies.ids)
        with freeze_time(NOW):
            action = Rule.action_preview()
        return self.env["client.status.reclassify.preview"].browse(action["res_id"])

    def _changes(self, job):
        return sorted(
            (line.partner_id.id, line.status_from_id.id, line.status_to_id.id)
            for line in job.line_ids
        )

    def _won_buyers(self):
        self._won(self.buyer, datetime(2026, 6, 1))
        other = self.env["res.partner"].create(
            {"name": "Second Buyer", "is_company": True}
        )
        self._won(other, datetime(2026, 6, 1), count=3)
        self.env.flush_all()
        return other

    def test_preview_in_background_as_in_request(self):
        """The preview's job reports its progress to the cron batch after
        batch, and plans what the preview in the request plans."""
        self._won_buyers()
        in_request = self._preview().preview_job_id
        self.assertFalse(in_request.background)
        self.assertEqual(in_request.state, "done")
        self._background()
        preview = self._preview()
        job = preview.job_id
        self.assertEqual(job, preview.preview_job_id)
        self.assertTrue(job.background)
        self.assertEqual(preview.job_state, "queued")
        self.assertEqual(preview.job_progress, 0)
        # the wizard shows the job again
        self.assertEqual(preview.action_refresh()["res_id"], preview.id)
        # the cron is triggered at once
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        )
        batch_size = max(job.record_count // 3, 1)
        with freeze_time(NOW):
            progresses = self._run_cron(job, batch_size=batch_size)
        self.assertEqual(job.state, "done")
        self.assertGreater(len(progresses), 2)
        # while work remains, the cron is told to call again
        self.assertTrue(progresses[0].done and progresses[0].remaining)
        self.assertEqual(progresses[-1].remaining, 0)
        self.assertEqual(job.done_count, job.record_count)
        self.assertEqual(job.progress, 100)
        self.assertEqual(job.counts, in_request.counts)
        self.assertEqual(self._changes(job), self._changes(in_request))
        self.assertEqual(
            job.counts,
            {
                f"{self.status_prospect.id},{self.status_new.id}": 1,
                f"{self.status_prospect.id},{self.status_regular.id}": 1,
            },
        )
        self.assertIn("+1", preview.summary)
        self.assertEqual(len(preview.line_ids), 2)
        # the user is told
        self.assertIn(
            {
                "type": "success",
                "title": job.name,
                "message": "Records the rules would change: 2.",
                "sticky": False,
            },
            self._notifications(),
        )

    def test_apply_in_background(self):
        """Apply of a large preview is a job too: it writes the changes
        still valid, with their history rows, and skips the others."""
        other = self._won_buyers()
        self._background()
        preview = self._preview()
        with freeze_time(NOW):
            self._run_cron(preview.job_id)
        # a client changed by hand since the preview is left alone
        other.client_status_id = self.status_blacklist
        count = self.History.search_count([])
        action = preview.action_apply()
        self.assertEqual(action["res_id"], preview.id)
        job = preview.job_id
        self.assertEqual(
            (job.kind, job.preview_job_id), ("apply", preview.preview_job_id)
        )
        self.assertEqual(self.buyer.client_status_id, self.status_prospect)
        with freeze_time(NOW):
            self._run_cron(job, batch_size=1)
        self.assertEqual(job.state, "done")
        self.assertEqual((job.done_count, job.changed_count), (2, 1))
        self.assertIn("1 of 2", job.result)
        self.assertEqual(self.buyer.client_status_id, self.status_new)
        self.assertEqual(other.client_status_id, self.status_blacklist)
        self.assertEqual(self.History.search_count([]), count + 1)
        row = self._history(self.buyer)[-1]
        self.assertEqual((row.source, row.rule_id), ("rule", self.rule_new))
        # once
        with self.assertRaisesRegex(Exception, "applied already"):
            preview.preview_job_id.action_apply()

    def _archive_wizard(self, statuses, target, reason=None):
        action = statuses.action_archive()
        form = Form(self.env["client.status.archive"].with_context(**action["context"]))
        form.target_status_id = target
        if reason:
            form.reason = reason
        return form.save()

    def test_archive_in_background(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners = Partner.create(
            [
                {"name": f"Archive {index}", "client_status_id": self.status_new.id}
                for index in range(4)
            ]
        )
        partners[0].active = False
        self._background()
        wizard = self._archive_wizard(self.status_new, self.status_regular, "Merged")
        action = wizard.action_confirm()
        self.assertEqual(action["res_id"], wizard.id)
        job = wizard.job_id
        self.assertEqual((job.kind, job.record_count), ("archive", 4))
        # nothing moved yet, the status still active
        self.assertTrue(self.status_new.active)
        progresses = self._run_cron(job, batch_size=3)
        self.assertEqual(len(progresses), 3)
        self.assertEqual((progresses[0].done, progresses[0].remaining), (3, 1))
        self.assertEqual(job.state, "done")
        self.assertEqual(job.result, "4 records moved to another status.")
        self.assertFalse(self.status_new.active)
        self.assertEqual(partners.client_status_id, self.status_regular)
        rows = self._history(partners).filtered(
            lambda row: row.status_to_id == self.status_regular
        )
        self.assertEqual(len(rows), 4)
        self.assertEqual(set(rows.mapped("reason")), {"Merged"})

    def test_failed_batch_leaves_nothing_half_done(self):
        """A batch that fails is rolled back whole: the job ends failed with
        the error, the records moved by the batches before stay moved."""
        partners = self.env["res.partner"].create(
            [
                {"name": f"Fail {index}", "client_status_id": self.status_new.id}
                for index in range(4)
            ]
        )
        self._background()
        wizard = self._archive_wizard(self.status_new, self.status_regular)
        wizard.action_confirm()
        job = wizard.job_id
        job.sudo().batch_size = 2
        self.Job._cron_process()
        self.assertEqual(job.state, "running")
        moved = partners.filtered(lambda p: p.client_status_id == self.status_regular)
        self.assertEqual(len(moved), 2)
        count = self.History.search_count([])
        # the target is archived behind the wizard's back: the next batch
        # writes its records, then their check fails
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE client_status SET active = FALSE WHERE id = %s",
                self.status_regular.id,
            )
        )
        self.env.invalidate_all()
        with mute_logger("odoo.addons.client_status.models.client_status_job"):
            self._run_cron(job)
        self.assertEqual(job.state, "failed")
        self.assertIn("archived", job.error)
        self.assertEqual(wizard.job_error, job.error)
        self.assertEqual(
            (partners - moved).client_status_id, self.status_new, "batch rolled back"
        )
        self.assertEqual(self.History.search_count([]), count)
        self.assertTrue(self.status_new.active)
        notification = self._notifications()[-1]
        self.assertEqual(
            (notification["type"], notification["sticky"]), ("danger", True)
        )

    def test_preset_in_background(self):
        Partner = self.env["res.partner"]
        newcomers = Partner.create(
            [
                {"name": f"Preset {index}", "client_status_id": self.status_new.id}
                for index in range(3)
            ]
        )
        self._background()
        form = Form(self.env["client.status.preset"])
        form.preset = "lifecycle"
        form.others = "archive"
        wizard = form.save()
        targets = {line.status_id: line.target_status_id for line in wizard.line_ids}
        wizard.action_load()
        job = wizard.job_id
        self.assertEqual(job.kind, "preset")
        self._run_cron(job, batch_size=2)
        self.assertEqual(job.state, "done")
        self.assertIn("records moved to another status", job.result)
        self.assertEqual(newcomers.client_status_id, targets[self.status_new])
        self.assertFalse(self.status_new.active)
        self.assertTrue(
            self.env.ref("client_status.client_status_partner_potential").is_default
        )

    def test_jobs_not_written_by_clients(self):
        """No client creates or writes a job (it would run any work as the
        cron); users read their own jobs, managers all."""
        job = self._preview(self.sales_manager).preview_job_id
        self.assertEqual(job.user_id, self.sales_manager)
        values = {"name": "Forged", "kind": "archive", "scope": "partner"}
        for user in (self.salesman, self.sales_manager):
            with self.assertRaises(AccessError):
                self.Job.with_user(user).create(values)
            with self.assertRaises(AccessError):
                job.with_user(user).write({"moves": {"1": 2}})
        # a salesperson neither sees the job nor previews the rules
        self.assertFalse(self.Job.with_user(self.salesman).search([]))
        with self.assertRaises(AccessError):
            self._preview(self.salesman)
        with self.assertRaises(AccessError):
            job.with_user(self.salesman).action_apply()
        # a manager sees another manager's job
        other_manager = new_test_user(
            self.env, login="cs_job_manager", groups="sales_team.group_sale_manager"
        )
        self.assertIn(job, self.Job.with_user(other_manager).search([]))

    def test_job_works_in_its_user_companies(self):
        """The job runs as its user, in the companies they worked in when
        they started it."""
        self._won_buyers()
        buyer_b = self.env["res.partner"].create(
            {"name": "Buyer B", "is_company": True, "company_id": self.company_b.id}
        )
        self._won(buyer_b, datetime(2026, 6, 1))
        self.env.flush_all()
        self._background()
        manager_a = new_test_user(
            self.env,
            login="cs_job_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[self.company.id, self.company_b.id],
        )
        preview = self._preview(manager_a, companies=self.company)
        job = preview.job_id
        self.assertEqual(job.company_ids, self.company)
        with freeze_time(NOW):
            self._run_cron(job)
        self.assertEqual(job.state, "done")
        self.assertIn(self.buyer, job.line_ids.partner_id)
        self.assertNotIn(buyer_b, job.line_ids.partner_id)
        self.assertEqual(set(job.line_ids.mapped("create_uid")), {manager_a})
