# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from odoo.addons.client_status.models import client_status_mixin

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_kanban")
class TestClientStatusKanban(ClientStatusCommon):
    def _columns(self, model, domain):
        # what the kanban view asks for (lazy grouping, as the web client does)
        result = self.env[model].web_read_group(
            domain, ["client_status_id"], ["client_status_id"]
        )
        return {
            group["client_status_id"][0]: (
                group["client_status_id_count"],
                group["__fold"],
            )
            for group in result["groups"]
            if group["client_status_id"]
        }

    def test_partner_columns_include_empty_statuses(self):
        columns = self._columns("res.partner", [("id", "=", self.individual.id)])
        self.assertEqual(columns[self.status_prospect.id], (1, False))
        # empty columns are there, folded as their status says
        self.assertEqual(columns[self.status_regular.id], (0, False))
        self.assertEqual(columns[self.status_blacklist.id], (0, True))
        # lead statuses are not contact columns
        self.assertNotIn(self.status_lead_open.id, columns)

    def test_lead_columns_include_empty_statuses(self):
        columns = self._columns("crm.lead", [("id", "=", self.lead.id)])
        self.assertEqual(columns[self.status_lead_open.id], (1, False))
        self.assertEqual(columns[self.status_lead_waiting.id], (0, False))
        self.assertEqual(columns[self.status_lead_won.id], (0, True))
        self.assertNotIn(self.status_prospect.id, columns)

    def test_archived_statuses_are_not_columns(self):
        self.status_regular.action_archive()
        columns = self._columns("res.partner", [("id", "=", self.individual.id)])
        self.assertNotIn(self.status_regular.id, columns)

    def _plan(self, model, domain):
        """The plan of the query of a column's first cards (the board's
        domain, the model's order, 40 cards), the sort disabled: the index
        must give the order."""
        Model = self.env[model]
        query = Model._search(domain, order=Model._order, limit=40)
        cr = self.env.cr
        cr.execute("SET LOCAL enable_sort = off")
        try:
            cr.execute(SQL("EXPLAIN %s", query.select()))
            return "\n".join(row[0] for row in cr.fetchall())
        finally:
            cr.execute("RESET enable_sort")

    def test_first_cards_of_a_column_from_the_board_index(self):
        board = ["|", ("is_company", "=", True), ("parent_id", "=", False)]
        plan = self._plan(
            "res.partner", [*board, ("client_status_id", "=", self.status_new.id)]
        )
        self.assertIn("res_partner_client_status_board_index", plan)
        self.assertNotIn("Sort", plan)
        plan = self._plan(
            "crm.lead", [("client_status_id", "=", self.status_lead_open.id)]
        )
        self.assertIn("crm_lead_client_status_board_index", plan)
        self.assertNotIn("Sort", plan)

    def test_board_index_of_a_large_table_left_to_the_runs(self):
        Partner = self.env["res.partner"]
        name = "res_partner_client_status_board_index"
        self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        # a table larger than the limit: the install leaves the index out
        with patch.object(client_status_mixin, "BOARD_INDEX_INSTALL_LIMIT", 0):
            self.assertFalse(Partner._client_status_create_board_index(deferrable=True))
        self.assertFalse(index_exists(self.env.cr, name))
        # the runs (the daily job, the end of the installation runs) create it
        self.env["client.status.run"]._create_board_indexes()
        self.assertTrue(index_exists(self.env.cr, name))
