# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.client_status_history import ClientStatusSource
from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_history")
class TestClientStatusHistory(ClientStatusCommon):
    def test_create_logs_one_row(self):
        with freeze_time("2026-03-01 10:00:00"):
            partner = self.env["res.partner"].create({"name": "Created"})
        history = self._history(partner)
        self.assertEqual(len(history), 1)
        self.assertEqual(history.status_from_id, self.Status)
        self.assertEqual(history.status_to_id, self.status_prospect)
        self.assertEqual(history.source, "manual")
        self.assertEqual(history.user_id, self.env.user)
        self.assertEqual(history.date, datetime(2026, 3, 1, 10, 0))
        self.assertEqual(history.days_in_previous, 0.0)
        self.assertEqual(partner.client_status_date, datetime(2026, 3, 1, 10, 0))

    def test_write_logs_change_with_days_in_previous(self):
        with freeze_time("2026-03-01 10:00:00"):
            partner = self.env["res.partner"].create({"name": "Mover"})
        with freeze_time("2026-03-04 22:00:00"):
            partner.write({"client_status_id": self.status_new.id})
        last = self._history(partner)[-1]
        self.assertEqual(last.status_from_id, self.status_prospect)
        self.assertEqual(last.status_to_id, self.status_new)
        self.assertEqual(last.days_in_previous, 3.5)
        self.assertEqual(partner.client_status_date, datetime(2026, 3, 4, 22, 0))

    def test_write_same_status_logs_nothing(self):
        before = self._history(self.individual)
        self.individual.write(
            {"client_status_id": self.status_prospect.id, "city": "Lviv"}
        )
        self.individual.write({"city": "Kyiv"})
        self.assertEqual(self._history(self.individual), before)

    def test_multi_record_write_one_insert(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {i}"} for i in range(5)]
        )
        partners[0].client_status_id = self.status_new
        before = self._history(partners)
        with self._capture_queries() as queries:
            partners.write({"client_status_id": self.status_new.id})
        self.assertEqual(self._count_history_inserts(queries), 1)
        rows = self._history(partners) - before
        # partners[0] had the status already: no row for it
        self.assertEqual(rows.partner_id, partners[1:])
        self.assertEqual(rows.status_from_id, self.status_prospect)
        self.assertEqual(rows.status_to_id, self.status_new)

    def test_multi_record_create_one_insert(self):
        with self._capture_queries() as queries:
            leads = self.env["crm.lead"].create(
                [
                    {
                        "name": f"Lead {i}",
                        "client_status_id": self.status_lead_won.id,
                    }
                    for i in range(4)
                ]
            )
        self.assertEqual(self._count_history_inserts(queries), 1)
        self.assertEqual(self._history(leads).lead_id, leads)
        self.assertEqual(set(self._history(leads).mapped("scope")), {"lead"})

    def test_context_source_and_reason(self):
        self.lead.with_context(
            client_status_source=ClientStatusSource("automation"),
            client_status_reason="Client replied",
        ).client_status_id = self.status_lead_won
        last = self._history(self.lead)[-1]
        self.assertEqual((last.source, last.reason), ("automation", "Client replied"))

    def test_import_logs_import_source(self):
        # a lead status of the same name must not be picked for a contact
        self._create_status("Test Regular", "t_lead_regular", "lead", "open", 0)
        result = (
            self.env["res.partner"]
            .with_context(import_file=True)
            .load(["name", "client_status_id"], [["Imported Client", "Test Regular"]])
        )
        self.assertEqual(result["messages"], [])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.client_status_id, self.status_regular)
        history = self._history(partner)
        self.assertEqual(len(history), 1)
        self.assertEqual(history.source, "import")

    def test_kanban_drag_and_drop_logs_row(self):
        # what the kanban view sends when a card is dropped in another column
        self.lead.web_save({"client_status_id": self.status_lead_won.id}, {})
        last = self._history(self.lead)[-1]
        self.assertEqual(last.status_to_id, self.status_lead_won)
        self.assertEqual(last.source, "manual")

    def test_history_is_read_only(self):
        row = self._history(self.individual)
        self.assertEqual(len(row), 1)
        for user in (self.salesman, self.sales_manager):
            history = row.with_user(user)
            self.assertEqual(history.status_to_id, self.status_prospect)
            with self.assertRaises(AccessError):
                history.write({"reason": "rewritten"})
            with self.assertRaises(AccessError):
                history.unlink()
            with self.assertRaises(AccessError):
                self.History.with_user(user).create(
                    {"scope": "partner", "date": "2026-01-01", "source": "manual"}
                )

    def test_history_smart_button(self):
        self.individual.client_status_id = self.status_new
        self.assertEqual(self.individual.client_status_history_count, 2)
        action = self.individual.action_open_client_status_history()
        self.assertEqual(
            self.History.search(action["domain"]), self._history(self.individual)
        )
