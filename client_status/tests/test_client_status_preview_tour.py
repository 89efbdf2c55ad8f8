# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools


@tagged("post_install", "-at_install", "client_status_preview")
class TestClientStatusPreviewTour(HttpCase):
    """A manager previews a run of the shipped rules and applies it; a
    salesperson reading the rules is offered neither button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()
        cls.potential = cls.env.ref("client_status.client_status_partner_potential")
        cls.client = cls.env["res.partner"].create(
            {"name": "Tour Preview Client", "is_company": True}
        )
        lead = cls.env["crm.lead"].create(
            {"name": "Tour Preview Deal", "partner_id": cls.client.id}
        )
        lead.action_set_won()
        # the customer's reclassification, as when the transaction commits
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        # the won deal made it New: back to Potential, unlocked, so
        # that a run of the rules has something to change
        cls.client.with_context(
            client_status_lock=False
        ).client_status_id = cls.potential
        cls.salesman = new_test_user(
            cls.env,
            login="cs_preview_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
        )

    def test_preview_and_apply_as_manager(self):
        self.start_tour(
            "/odoo/action-client_status.client_status_rule_action",
            "client_status_preview_apply",
            login="admin",
        )
        self.assertEqual(
            self.client.client_status_id,
            self.env.ref("client_status.client_status_partner_new"),
        )
        row = self.env["client.status.history"].search(
            [("partner_id", "=", self.client.id)], order="id desc", limit=1
        )
        self.assertEqual((row.status_from_id, row.source), (self.potential, "rule"))

    def test_preview_in_background(self):
        """Above the threshold the wizard shows the job's progress; the job
        done, a manager finds it among the background jobs and applies it."""
        parameter = self.env["ir.config_parameter"]
        parameter.set_param("client_status.background_threshold", "0")
        self.start_tour(
            "/odoo/action-client_status.client_status_rule_action",
            "client_status_preview_background",
            login="admin",
        )
        job = self.env["client.status.job"].search([], limit=1)
        self.assertEqual((job.kind, job.state), ("preview", "queued"))
        # the cron, batch after batch
        while job.state in ("queued", "running"):
            self.env["client.status.job"]._cron_process()
        self.assertEqual(job.state, "done")
        # few changes: Apply works in the request
        parameter.set_param("client_status.background_threshold", "10000")
        self.start_tour(
            "/odoo/action-client_status.client_status_job_action",
            "client_status_job_apply",
            login="admin",
        )
        self.assertEqual(
            self.client.client_status_id,
            self.env.ref("client_status.client_status_partner_new"),
        )

    def test_no_preview_for_a_salesperson(self):
        self.start_tour(
            "/odoo/action-client_status.client_status_rule_action",
            "client_status_preview_hidden",
            login="cs_preview_salesman",
        )
