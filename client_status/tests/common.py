# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.sql_db import Cursor
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

# when the rule tests run the engine
NOW = "2026-06-15 12:00:00"


class ClientStatusCommon(TransactionCase):
    """Own catalogues, companies, contacts and users for the client_status
    tests; the seeded catalogue is pushed out of the way, demo data unused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Status = cls.env["client.status"]
        cls.History = cls.env["client.status.history"]
        seeded = cls.Status.with_context(active_test=False).search([])
        seeded.write({"is_default": False, "sequence": 9999})

        cls.status_prospect = cls._create_status(
            "Test Prospect", "t_prospect", "partner", "prospect", 1, is_default=True
        )
        cls.status_new = cls._create_status(
            "Test New", "t_new", "partner", "customer", 2
        )
        cls.status_regular = cls._create_status(
            "Test Regular", "t_regular", "partner", "customer", 3
        )
        cls.status_blacklist = cls._create_status(
            "Test Blacklist", "t_blacklist", "partner", "blacklist", 4, fold=True
        )
        cls.status_lead_open = cls._create_status(
            "Test Open", "t_open", "lead", "open", 1, is_default=True
        )
        cls.status_lead_waiting = cls._create_status(
            "Test Waiting", "t_waiting", "lead", "waiting", 2
        )
        cls.status_lead_won = cls._create_status(
            "Test Won", "t_won", "lead", "won", 3, fold=True
        )

        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Client Status Company B"}
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Test Client Company", "is_company": True}
        )
        cls.client_contact = cls.env["res.partner"].create(
            {"name": "Test Client Contact", "parent_id": cls.client.id}
        )
        cls.individual = cls.env["res.partner"].create({"name": "Test Individual"})

        cls.salesman = new_test_user(
            cls.env,
            login="cs_salesman",
            groups="sales_team.group_sale_salesman",
            name="Client Status Salesman",
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="cs_sales_manager",
            groups="sales_team.group_sale_manager",
            name="Client Status Sales Manager",
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Test Lead",
                "partner_id": cls.client.id,
                "user_id": cls.salesman.id,
            }
        )

    @classmethod
    def _setup_client_answers(cls):
        """Leads waiting for the client move on to *Test In Progress* when
        the client (who has an e-mail address) answers."""
        cls.status_lead_progress = cls._create_status(
            "Test In Progress", "t_progress", "lead", "open", 5
        )
        cls.status_lead_waiting.reply_status_id = cls.status_lead_progress
        cls.client.email = "client@example.com"

    @classmethod
    def _create_status(cls, name, code, scope, kind, sequence, **values):
        return cls.Status.create(
            dict(
                name=name,
                code=code,
                scope=scope,
                kind=kind,
                sequence=sequence,
                **values,
            )
        )

    @classmethod
    def _create_status_b(cls, name, code, scope, kind, **values):
        """A status of the second company."""
        return cls._create_status(
            name, code, scope, kind, 9, company_id=cls.company_b.id, **values
        )

    @classmethod
    def _create_rule(cls, name, status, sequence, conditions, **values):
        """A rule giving ``status`` when all ``conditions`` hold, each
        ``(metric, operator, value, window_days)`` (window 0: none)."""
        return cls.env["client.status.rule"].create(
            dict(
                name=name,
                scope=status.scope,
                status_id=status.id,
                sequence=sequence,
                condition_ids=[
                    Command.create(
                        {
                            "metric": metric,
                            "operator": operator,
                            "value": value,
                            "window_days": window,
                        }
                        if window
                        else {"metric": metric, "operator": operator, "value": value}
                    )
                    for metric, operator, value, window in conditions
                ],
                **values,
            )
        )

    @classmethod
    def _disable_shipped_rules_and_automations(cls):
        """Leave the engine alone with the test's own rules: the shipped rules
        archived, and the event automations (which reclassify at once) off."""
        cls.env["client.status.rule"].with_context(active_test=False).search(
            []
        ).active = False
        cls.env["base.automation"].search(
            [("model_id.model", "in", ["crm.lead", "res.partner"])]
        ).active = False

    def _commit_hooks(self):
        """Run what waits for the transaction's commit (the customers'
        reclassification after won or lost deals, the pending marks), as
        committing would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @contextmanager
    def _assert_refused(self, pattern):
        """Expect a UserError matching ``pattern``; Odoo's assertRaises rolls
        back (savepoint) what the refused operation wrote before the check."""
        with self.assertRaises(UserError) as error:
            yield
        self.assertRegex(str(error.exception), pattern)

    def _history(self, records):
        """The history rows of ``records`` (contacts or leads), oldest first."""
        field = records._client_status_history_field
        return self.History.search([(field, "in", records.ids)], order="id")

    @contextmanager
    def _capture_queries(self):
        """Collect the SQL statements run inside the block (flushed first and
        last, so that the ORM's pending writes land where they belong)."""
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            queries.append(query.code if isinstance(query, SQL) else query)
            return execute(cr, query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(Cursor, "execute", spy):
            yield queries
            self.env.flush_all()

    @staticmethod
    def _count_history_inserts(queries):
        return sum(
            1
            for query in queries
            if "INSERT INTO client_status_history" in " ".join(query.split())
        )

    def _assert_summaries_match_history(self):
        """What the summaries of the history sum, key by key, is what the
        history holds now (the summaries are kept change set by change set)."""
        self.env.flush_all()
        cr = self.env.cr
        for summary in self.env["client.status.summary"]._get_summary_models():
            keys = summary._summary_keys()
            measures = summary._summary_measures(1)
            cr.execute(
                SQL(
                    """
                    SELECT %(keys)s, %(measures)s
                      FROM client_status_history AS history
                     WHERE %(condition)s
                     GROUP BY %(keys)s
                    """,
                    keys=SQL(", ").join(keys.values()),
                    measures=SQL(", ").join(
                        SQL("round((%s)::numeric, 6)", measure)
                        for measure in measures.values()
                    ),
                    condition=summary._summary_condition(),
                )
            )
            expected = set(cr.fetchall())
            cr.execute(
                SQL(
                    """
                    SELECT %(keys)s, %(measures)s
                      FROM %(table)s
                     GROUP BY %(keys)s
                    HAVING sum(%(first)s) != 0
                    """,
                    keys=SQL(", ").join(map(SQL.identifier, keys)),
                    measures=SQL(", ").join(
                        SQL("round(sum(%s)::numeric, 6)", SQL.identifier(measure))
                        for measure in measures
                    ),
                    table=SQL.identifier(summary._table),
                    first=SQL.identifier(next(iter(measures))),
                )
            )
            self.assertEqual(set(cr.fetchall()), expected, summary._name)


class ClientStatusRuleCommon(ClientStatusCommon):
    """The engine alone with two rules of its own (Regular: 3 won deals; New:
    a deal won in the last 90 days), a buyer, and the leads of the database
    made lost deals (they must not weigh in the revenue ranking)."""

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
