# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ClientStatusCommon

NOW = "2026-06-15 12:00:00"


@tagged("post_install", "-at_install", "client_status_cadence")
class TestClientStatusCadence(ClientStatusCommon):
    """Playbook per status: next action, contact cadence and its daily job,
    the call list, stale records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status_regular.write(
            {"cadence_days": 30, "next_action": "Propose the usual order"}
        )
        cls.status_new.write({"cadence_days": 14, "call_priority": True})
        cls.regular = cls.env["res.partner"].create(
            {"name": "Regular Client", "is_company": True}
        )
        cls.newcomer = cls.env["res.partner"].create(
            {"name": "New Client", "is_company": True}
        )
        cls.in_touch = cls.env["res.partner"].create(
            {"name": "Client in Touch", "is_company": True}
        )
        (cls.regular | cls.in_touch).client_status_id = cls.status_regular
        cls.newcomer.client_status_id = cls.status_new
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
            [datetime(2026, 1, 1), (cls.regular | cls.newcomer | cls.in_touch).ids],
        )
        cls.env.invalidate_all()

    def _follow_ups(self, partner):
        return partner.activity_ids.filtered(
            lambda activity: activity.summary.startswith("Follow-up")
        )

    def _run(self):
        with freeze_time(NOW):
            self.env["res.partner"]._cron_client_status_follow_up()

    def test_follow_up_planned_once_for_overdue_clients(self):
        with freeze_time("2026-06-01 10:00:00"):
            self.in_touch.message_post(body="Ordered again", message_type="comment")
        self._run()
        activity = self._follow_ups(self.regular)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Follow-up: Test Regular, every 30 days")
        self.assertEqual(activity.date_deadline, date(2026, 1, 31))
        self.assertEqual(len(self._follow_ups(self.newcomer)), 1)
        # contacted 14 days ago, every 30 days: not due before 1 July
        self.assertEqual(self._follow_ups(self.in_touch).ids, [])
        self.assertEqual(self.in_touch.client_status_follow_up_date, date(2026, 7, 1))
        # idempotent: a second run plans nothing more
        self._run()
        self.assertEqual(len(self._follow_ups(self.regular)), 1)
        # done, it is a contact: the next follow-up is due 30 days later
        with freeze_time(NOW):
            activity.action_feedback(feedback="Called")
        self._run()
        self.assertEqual(self._follow_ups(self.regular).ids, [])
        self.assertEqual(self.regular.client_status_follow_up_date, date(2026, 7, 15))

    def test_call_list_priority_then_most_overdue(self):
        self._run()
        action = self.env.ref("client_status.res_partner_action_call_list")
        with freeze_time(NOW):
            domain = [
                ("client_status_follow_up_date", "<=", "2026-06-15"),
                ("id", "in", (self.regular | self.newcomer | self.in_touch).ids),
            ]
            self.assertIn("client_status_follow_up_date", action.domain)
            listed = self.env["res.partner"].search(
                domain,
                order="client_status_call_priority desc, client_status_follow_up_date",
            )
        # the priority status first, though less overdue
        self.assertEqual(listed, self.newcomer | self.regular | self.in_touch)
        self.assertEqual(listed[0], self.newcomer)

    def test_status_without_cadence_leaves_the_call_list(self):
        self._run()
        action = self.env.ref("client_status.res_partner_action_call_list")
        call_list = safe_eval(
            action.domain, {"context_today": lambda: date(2026, 6, 15)}
        )
        clients = self.regular | self.newcomer | self.in_touch
        self.assertEqual(
            self.env["res.partner"].search([*call_list, ("id", "in", clients.ids)]),
            clients,
        )
        # at once, and its follow-up date goes with the next daily job
        self.newcomer.client_status_id = self.status_prospect
        self.assertEqual(
            self.env["res.partner"].search([*call_list, ("id", "in", clients.ids)]),
            self.regular | self.in_touch,
        )
        self.assertEqual(len(self._follow_ups(self.newcomer)), 1)
        self._run()
        self.assertEqual(self.newcomer.client_status_follow_up_date, False)
        self.assertEqual(self._follow_ups(self.newcomer).ids, [])
        self.assertEqual(self.regular.client_status_follow_up_date, date(2026, 1, 31))

    def test_next_action_on_the_form(self):
        form = Form(self.regular)
        self.assertEqual(form.client_status_next_action, "Propose the usual order")

    def test_stale_leads(self):
        self.status_lead_open.stale_days = 3
        with freeze_time("2026-06-01 12:00:00"):
            old = self.env["crm.lead"].create({"name": "Old lead"})
        with freeze_time("2026-06-14 12:00:00"):
            fresh = self.env["crm.lead"].create({"name": "Fresh lead"})
            undated = self.env["crm.lead"].create({"name": "Undated lead"})
        # a status date lost (e.g. an import through SQL) is no staleness
        undated.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET client_status_date = NULL WHERE id = %s", [undated.id]
        )
        undated.invalidate_recordset(["client_status_date"])
        leads = old | fresh | undated
        with freeze_time(NOW):
            self.assertEqual(leads.mapped("client_status_stale"), [True, False, False])
            stale = self.env["crm.lead"].search(
                [("client_status_stale", "=", True), ("id", "in", leads.ids)]
            )
            not_stale = self.env["crm.lead"].search(
                [("client_status_stale", "=", False), ("id", "in", leads.ids)]
            )
        self.assertEqual(stale, old)
        self.assertEqual(not_stale, fresh | undated)
