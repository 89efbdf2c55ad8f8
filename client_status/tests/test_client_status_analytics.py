# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
from datetime import datetime

from freezegun import freeze_time

from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_analytics")
class TestClientStatusAnalytics(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status_inactive = cls._create_status(
            "Test Inactive", "t_inactive", "partner", "inactive", 5
        )
        # before the hand-built history
        with freeze_time("2025-12-01 09:00:00"):
            cls.buyer = cls.env["res.partner"].create(
                {"name": "Analytics Buyer", "is_company": True}
            )
            cls.other = cls.env["res.partner"].create(
                {"name": "Analytics Other", "is_company": True}
            )

    def _move(self, partner, status, when):
        with freeze_time(when):
            partner.client_status_id = status
            partner.flush_recordset()

    def _hand_built_history(self):
        """buyer: Prospect (1 Jan) > New (11 Jan) > Regular (17 Jan) >
        Inactive (1 Mar); other: Prospect > New (1 Jan) > Prospect (21 Jan)."""
        self._move(self.buyer, self.status_prospect, "2026-01-01 09:00:00")
        self._move(self.buyer, self.status_new, "2026-01-11 09:00:00")
        self._move(self.buyer, self.status_regular, "2026-01-17 09:00:00")
        self._move(self.buyer, self.status_inactive, "2026-03-01 09:00:00")
        self._move(self.other, self.status_new, "2026-01-01 09:00:00")
        self._move(self.other, self.status_prospect, "2026-01-21 09:00:00")

    def test_direction_of_each_change(self):
        self._hand_built_history()
        directions = [
            (row.status_from_id, row.status_to_id, row.direction)
            for row in self._history(self.buyer)
        ]
        self.assertEqual(
            directions[1:],
            [
                (self.status_prospect, self.status_new, "up"),
                (self.status_new, self.status_regular, "up"),
                (self.status_regular, self.status_inactive, "down"),
            ],
        )
        self.assertEqual(self._history(self.other)[-1].direction, "down")
        # a first status is neither
        first = self._history(self.env["res.partner"].create({"name": "Fresh"}))
        self.assertEqual(first.direction, False)

    def test_transitions_matrix(self):
        self._hand_built_history()
        partners = self.buyer | self.other
        matrix = {
            (status_from, status_to): count
            for status_from, status_to, count in self.History._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("date", ">=", datetime(2026, 1, 1)),
                    ("date", "<", datetime(2026, 2, 1)),
                    ("status_from_id", "!=", False),
                ],
                ["status_from_id", "status_to_id"],
                ["__count"],
            )
        }
        self.assertEqual(
            matrix,
            {
                (self.status_prospect, self.status_new): 2,
                (self.status_new, self.status_regular): 1,
                (self.status_new, self.status_prospect): 1,
            },
        )
        upgrades = dict(
            self.History._read_group(
                [("partner_id", "in", partners.ids), ("direction", "!=", False)],
                ["direction"],
                ["__count"],
            )
        )
        self.assertEqual(upgrades, {"up": 3, "down": 2})
        self._assert_summaries_match_history()

    def test_transitions_summary(self):
        """The matrix and the graph read the summary: the same figures."""
        self._hand_built_history()
        Transition = self.env["client.status.transition"]
        domain = [
            ("status_from_id", "in", (self.status_prospect | self.status_new).ids),
            ("date", ">=", "2026-01-01"),
            ("date", "<", "2026-02-01"),
        ]
        matrix = Transition._read_group(
            domain, ["status_from_id", "status_to_id"], ["transition_count:sum"]
        )
        self.assertEqual(
            set(matrix),
            {
                (self.status_prospect, self.status_new, 2),
                (self.status_new, self.status_regular, 1),
                (self.status_new, self.status_prospect, 1),
            },
        )
        per_month = Transition._read_group(
            [
                ("direction", "!=", False),
                ("date", ">=", "2026-01-01"),
                ("date", "<", "2026-04-01"),
            ],
            ["date:month", "direction"],
            ["transition_count:sum"],
        )
        self.assertEqual(
            {(month.month, direction): count for month, direction, count in per_month},
            {(1, "up"): 3, (1, "down"): 1, (3, "down"): 1},
        )
        # the row of a cell opens the changes it counts
        cell = Transition.search(
            [
                ("status_from_id", "=", self.status_new.id),
                ("status_to_id", "=", self.status_regular.id),
            ]
        )
        action = cell.action_open_history()
        self.assertEqual(
            self.History.search(action["domain"]),
            self._history(self.buyer).filtered(
                lambda row: row.status_to_id == self.status_regular
            ),
        )

    def test_summaries_merged_daily(self):
        """A change set adds its own rows; the daily autovacuum merges them,
        and an upgrade's rebuild gives the same figures."""
        Transition = self.env["client.status.transition"]
        with freeze_time("2026-04-02 09:00:00"):
            self.buyer.client_status_id = self.status_new
            self.buyer.flush_recordset()
            self.other.client_status_id = self.status_new
            self.other.flush_recordset()
        domain = [
            ("date", "=", "2026-04-02"),
            ("status_to_id", "=", self.status_new.id),
        ]
        self.assertEqual(Transition.search(domain).mapped("transition_count"), [1, 1])
        # as the autovacuum calls it on every model, the abstract one too
        self.env["client.status.summary"]._gc_compact()
        for summary in self.env["client.status.summary"]._get_summary_models():
            summary._gc_compact()
        self.assertEqual(Transition.search(domain).mapped("transition_count"), [2])
        self._assert_summaries_match_history()
        # the upgrade to 18.0.1.1.0 gives the history rows the database has
        # their day, and sums them
        script = load_script(
            os.path.join(
                get_module_path("client_status"),
                "migrations",
                "18.0.1.1.0",
                "post-migration.py",
            ),
            "client_status_post_migration",
        )
        self.env.cr.execute("DELETE FROM client_status_transition")
        self.env.cr.execute("DELETE FROM client_status_duration")
        self.env.cr.execute("UPDATE client_status_history SET day = NULL")
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(Transition.search(domain).mapped("transition_count"), [2])
        self._assert_summaries_match_history()

    def test_upgrade_keeps_the_transitions_actions(self):
        """Before 18.0.1.1.0 the actions of the matrix and the graph had other
        names: the upgrade keeps their records (bookmarks, users' menus)."""
        action = self.env.ref("client_status.client_status_transition_action")
        self.env.cr.execute(
            """
            UPDATE ir_model_data SET name = 'client_status_history_action_transitions'
             WHERE module = 'client_status' AND name = 'client_status_transition_action'
            """
        )
        script = load_script(
            os.path.join(
                get_module_path("client_status"),
                "migrations",
                "18.0.1.1.0",
                "pre-migration.py",
            ),
            "client_status_pre_migration",
        )
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.registry.clear_cache()
        self.assertEqual(
            self.env.ref("client_status.client_status_transition_action"), action
        )

    def test_day_of_the_company(self):
        """A change counts on the day of its company's time zone (the main
        company's for a record of no company), and a row opens its changes."""
        main_company = self.env.ref("base.main_company")
        main_company.partner_id.tz = "Europe/Warsaw"
        self.company_b.partner_id.tz = "America/New_York"
        in_b = self.env["res.partner"].create(
            {"name": "B Client", "is_company": True, "company_id": self.company_b.id}
        )
        # 23:30 UTC: the next day in Warsaw, still the same in New York
        self._move(self.buyer, self.status_new, "2031-01-31 23:30:00")
        self._move(in_b, self.status_new, "2031-01-31 23:30:00")
        Transition = self.env["client.status.transition"]
        rows = Transition.search(
            [("status_to_id", "=", self.status_new.id), ("date", ">=", "2031-01-01")]
        )
        self.assertEqual(
            sorted((row.company_id.id, str(row.date)) for row in rows),
            [(False, "2031-02-01"), (self.company_b.id, "2031-01-31")],
        )
        for partner in (self.buyer, in_b):
            row = rows.filtered(lambda row, p=partner: row.company_id == p.company_id)
            self.assertEqual(
                self.History.search(row.action_open_history()["domain"]),
                self._history(partner)[-1],
            )
        # the day stays the one the change was counted on: a later change of
        # time zone does not unbalance the summary when the record goes
        main_company.partner_id.tz = "America/New_York"
        self.buyer.unlink()
        Transition._compact()
        rows = Transition.search(
            [("status_to_id", "=", self.status_new.id), ("date", ">=", "2031-01-01")]
        )
        self.assertEqual(
            [(row.company_id.id, str(row.date), row.transition_count) for row in rows],
            [(self.company_b.id, "2031-01-31", 1)],
        )
        self._assert_summaries_match_history()

    def test_summaries_forget_deleted_records(self):
        self._hand_built_history()
        lead = self.env["crm.lead"].create({"name": "Short-lived"})
        lead.client_status_id = self.status_lead_won
        self.buyer.unlink()
        lead.unlink()
        self._assert_summaries_match_history()
        # the merge drops the keys whose changes were all deleted
        Transition = self.env["client.status.transition"]
        Transition._compact()
        self.assertEqual(Transition.search([("transition_count", "<=", 0)]), Transition)
        self._assert_summaries_match_history()
        figures = self.env["client.status.duration"]._get_figures(
            self.status_new, self.env.companies
        )
        self.assertEqual(figures, {self.status_new.id: (20.0, 20.0)})

    def test_time_in_status(self):
        self._hand_built_history()
        with freeze_time("2026-03-13 09:00:00"):
            # New: 6 days (buyer), 20 days (other); Regular: 43 days
            self.assertEqual(self.status_new.days_average, 13.0)
            self.assertEqual(self.status_new.days_median, 13.0)
            self.assertEqual(self.status_regular.days_average, 43.0)
            # nobody left Inactive: the buyer has had it for 12 days
            self.assertEqual(self.status_inactive.days_average, 12.0)
            self.assertEqual(self.status_inactive.days_median, 12.0)
            self.buyer.invalidate_recordset(["client_status_days"])
            self.assertEqual(self.buyer.client_status_days, 12)

    def test_time_in_status_counts_current_periods(self):
        """The records that still have a status count with the days they have
        had it so far, beside the periods that ended: a status nobody left
        (as after the installation) does not read 0 days."""
        self._hand_built_history()
        in_b = self.env["res.partner"].create(
            {"name": "B Client", "is_company": True, "company_id": self.company_b.id}
        )
        archived = self.env["res.partner"].create({"name": "Gone", "is_company": True})
        self._move(self.other, self.status_regular, "2026-03-03 09:00:00")
        self._move(in_b, self.status_regular, "2026-03-03 09:00:00")
        self._move(archived, self.status_regular, "2026-03-03 09:00:00")
        archived.action_archive()
        Duration = self.env["client.status.duration"]
        with freeze_time("2026-03-13 09:00:00"):
            # Regular: 43 days (buyer, ended), 10 days so far (other); the
            # company B client counts for company B only, archived records not
            self.assertEqual(
                Duration._get_figures(self.status_regular, self.company),
                {self.status_regular.id: (26.5, 26.5)},
            )
            self.assertEqual(
                Duration._get_figures(
                    self.status_regular, self.company | self.company_b
                ),
                {self.status_regular.id: (21.0, 10.0)},
            )
            # the list of the times in status reads them
            statuses = self.Status.with_user(self.salesman).search_read(
                [("id", "=", self.status_regular.id)], ["days_average", "days_median"]
            )
            self.assertEqual(
                (statuses[0]["days_average"], statuses[0]["days_median"]), (26.5, 26.5)
            )
        # leads too
        qualified = self._create_status(
            "Test Qualified", "t_qualified", "lead", "open", 2
        )
        lead = self.env["crm.lead"].create({"name": "Current Lead"})
        self._move(lead, qualified, "2026-03-11 21:00:00")
        with freeze_time("2026-03-13 09:00:00"):
            self.assertEqual(
                Duration._get_figures(qualified, self.company),
                {qualified.id: (1.5, 1.5)},
            )

    def test_median_of_the_days(self):
        """The median is the middle of the days (the mean of the two middle
        ones for an even count), to a tenth of a day; the average is exact."""
        third = self.env["res.partner"].create(
            {"name": "Third", "is_company": True, "company_id": self.company_b.id}
        )
        companies = self.company | self.company_b
        moves = [
            (self.buyer, "2026-05-01 00:00:00", "2026-05-03 12:00:00"),
            (self.other, "2026-05-01 00:00:00", "2026-05-05 00:00:00"),
            (third, "2026-05-01 00:00:00", "2026-05-11 00:00:00"),
        ]
        for partner, start, end in moves:
            self._move(partner, self.status_regular, start)
            self._move(partner, self.status_blacklist, end)
        Duration = self.env["client.status.duration"]
        # 2.5, 4 and 10 days
        self.assertEqual(
            Duration._get_figures(self.status_regular, companies),
            {self.status_regular.id: (5.5, 4.0)},
        )
        self._move(third, self.status_regular, "2026-05-12 00:00:00")
        self._move(third, self.status_blacklist, "2026-05-21 00:00:00")
        # 2.5, 4, 9 and 10 days: (4 + 9) / 2
        self.assertEqual(
            Duration._get_figures(self.status_regular, companies),
            {self.status_regular.id: (6.375, 6.5)},
        )
        # without the other company's: 2.5 and 4 days
        self.assertEqual(
            Duration._get_figures(self.status_regular, self.company),
            {self.status_regular.id: (3.25, 3.25)},
        )

    def test_transitions_matrix_headers(self):
        """The matrix says From and To in its headers, and a first status
        (no previous one) is not a "None" row; by default it counts the
        changes of status only."""
        self._hand_built_history()
        with freeze_time("2026-01-05 09:00:00"):
            self.env["res.partner"].create({"name": "Newcomer", "is_company": True})
        Transition = self.env["client.status.transition"]
        domain = [
            ("scope", "=", "partner"),
            ("date", ">=", "2026-01-01"),
            ("date", "<", "2026-02-01"),
        ]
        groups = Transition.read_group(
            domain,
            ["transition_count:sum"],
            ["status_from_id", "status_to_id"],
            lazy=False,
        )
        self.assertEqual(
            {
                (group["status_from_id"][1], group["status_to_id"][1]): (
                    group["transition_count"]
                )
                for group in groups
            },
            {
                ("From: Test Prospect", "To: Test New"): 2,
                ("From: Test New", "To: Test Regular"): 1,
                ("From: Test New", "To: Test Prospect"): 1,
                ("(first status)", "To: Test Prospect"): 1,
            },
        )
        first = next(group for group in groups if not group["status_from_id"][0])
        self.assertEqual(Transition.search_count(first["__domain"]), 1)
        # the matrix opens on the changes of status: first statuses apart
        action = self.env.ref("client_status.client_status_transition_action")
        self.assertIn("'search_default_filter_changes': 1", action.context)
        search = Transition.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="filter_changes"', search)
        self.assertIn('name="filter_first"', search)

    def test_upgrades_graph_is_a_bar_chart_of_counts(self):
        """Upgrades and downgrades side by side, month by month, as whole
        numbers (the graph's axis of a float field reads "2.00")."""
        action = self.env.ref("client_status.client_status_transition_action_movement")
        self.assertEqual(action.view_mode.split(",")[0], "graph")
        graph = self.env["client.status.transition"].get_views([(False, "graph")])
        arch = graph["views"]["graph"]["arch"]
        self.assertIn('type="bar"', arch)
        self.assertIn('stacked="0"', arch)
        self.assertIn('interval="month"', arch)
        self.assertIn('widget="client_status_count"', arch)
        fields = self.env["client.status.transition"].fields_get(["transition_count"])
        self.assertEqual(fields["transition_count"]["type"], "integer")

    def test_lost_customer_shows_last_won_deal(self):
        lead = self.env["crm.lead"].create(
            {"name": "Old Deal", "partner_id": self.buyer.id}
        )
        lead.action_set_won()
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s WHERE id = %s",
            [datetime(2025, 5, 4, 10, 0), lead.id],
        )
        lead.invalidate_recordset(["date_closed"])
        self._hand_built_history()
        lost = self.History.search(
            [
                ("partner_id", "=", self.buyer.id),
                ("status_from_id.kind", "=", "customer"),
                ("status_to_id.kind", "=", "inactive"),
            ]
        )
        self.assertEqual(len(lost), 1)
        self.assertEqual(lost.partner_last_won_date, datetime(2025, 5, 4, 10, 0))

    def test_analysis_views_load(self):
        self._hand_built_history()
        for user in (self.salesman, self.sales_manager):
            for xmlid in (
                "client_status.res_partner_action_analysis",
                "client_status.crm_lead_action_analysis",
                "client_status.client_status_transition_action",
                "client_status.client_status_transition_action_movement",
                "client_status.client_status_history_action_lost",
                "client_status.client_status_action_time",
            ):
                action = self.env.ref(xmlid)
                Model = self.env[action.res_model].with_user(user)
                views = [
                    (view.view_id.id, view.view_mode) for view in action.view_ids
                ] or [(False, mode) for mode in action.view_mode.split(",")]
                loaded = Model.get_views(views)["views"]
                self.assertEqual(set(loaded), {mode for __, mode in views}, xmlid)
            history = self.History.with_user(user)
            groups = history.web_read_group(
                [], ["__count"], ["status_from_id", "status_to_id"], lazy=False
            )
            self.assertGreaterEqual(groups["length"], 1)
            statuses = self.Status.with_user(user).search_read(
                [("id", "=", self.status_new.id)], ["days_average", "days_median"]
            )
            self.assertEqual(statuses[0]["days_median"], 13.0)
