# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

# when the records are created, and when the rules run
CREATED = "2026-01-01 12:00:00"
LATER = "2026-02-10 12:00:00"


class ClientStatusTestCommon(TransactionCase):
    """A catalogue of the test scope of its own, two rules and a salesperson:
    the engine on ``client.status.test.record``, with nothing of contacts
    or leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Record = cls.env["client.status.test.record"]
        cls.Status = cls.env["client.status"]
        cls.History = cls.env["client.status.history"]
        cls.Run = cls.env["client.status.run"]
        cls.company = cls.env.company
        cls.company.client_status_lock_days_test = 30
        cls.status_new = cls._create_status("New", "new", "prospect", 1, True)
        cls.status_active = cls._create_status("Active", "active", "customer", 2)
        cls.status_dormant = cls._create_status("Dormant", "dormant", "inactive", 3)
        cls.status_blacklist = cls._create_status("Blocked", "blocked", "blacklist", 4)
        # the first match in sequence: a large amount makes a record active,
        # else 30 days in its status make it dormant
        cls.rule_active = cls._create_rule(
            "Large amount",
            cls.status_active,
            10,
            [("days_in_status", ">=", 0)],
            domain="[('amount', '>=', 100)]",
        )
        cls.rule_dormant = cls._create_rule(
            "Quiet for a month", cls.status_dormant, 20, [("days_in_status", ">=", 30)]
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cs_test_salesman",
            groups="sales_team.group_sale_salesman",
            name="Client Status Test Salesman",
        )

    @classmethod
    def _create_status(cls, name, code, kind, sequence, is_default=False, **values):
        return cls.Status.create(
            dict(
                name=f"Test {name}",
                code=f"test_{code}",
                scope="test",
                kind=kind,
                sequence=sequence,
                is_default=is_default,
                **values,
            )
        )

    @classmethod
    def _create_rule(cls, name, status, sequence, conditions, **values):
        """A rule of the test scope giving ``status`` when all ``conditions``
        hold, each ``(metric, operator, value)``."""
        return cls.env["client.status.rule"].create(
            dict(
                name=name,
                scope="test",
                status_id=status.id,
                sequence=sequence,
                condition_ids=[
                    Command.create(
                        {"metric": metric, "operator": operator, "value": value}
                    )
                    for metric, operator, value in conditions
                ],
                **values,
            )
        )

    def _create_records(self, *amounts, **values):
        """Records of the given amounts, created on ``CREATED``."""
        with freeze_time(CREATED):
            return self.Record.create(
                [
                    dict(name=f"Record {index}", amount=amount, **values)
                    for index, amount in enumerate(amounts)
                ]
            )

    def _history(self, records):
        """The history rows of ``records``, oldest first."""
        return self.History.search([("test_record_id", "in", records.ids)], order="id")

    def _full_run(self, companies=None):
        """A full run of the test scope, batch after batch, as the cron
        processes it: the runs."""
        self.env.flush_all()
        with freeze_time(LATER):
            runs = self.Run._start(companies or self.company).filtered(
                lambda run: run.scope == "test"
            )
            while any(run.state == "running" for run in runs):
                runs._process_batch()
        return runs

    @contextmanager
    def _count_history_inserts(self):
        """Count the statements inserting history rows in the block:
        ``counter[0]``."""
        counter = [0]
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            code = query.code if isinstance(query, SQL) else query
            if "INSERT INTO client_status_history" in " ".join(str(code).split()):
                counter[0] += 1
            return execute(cr, query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(Cursor, "execute", spy):
            yield counter
            self.env.flush_all()
