# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_import")
class TestClientStatusImport(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.status_regular.update_field_translations("name", {"pl_PL": "Stały test"})

    def _import(self, rows, model="res.partner", **context):
        return (
            self.env[model]
            .with_context(import_file=True, **context)
            .load(["name", "client_status_id"], rows)
        )

    def test_valid_rows_by_name_code_and_translation(self):
        result = self._import(
            [
                ["By Name", "Test Regular"],
                ["By Code", "t_new"],
                ["By Polish Name", "stały TEST"],
            ]
        )
        self.assertEqual(result["messages"], [])
        partners = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(
            partners.mapped("client_status_id"),
            self.status_regular | self.status_new | self.status_regular,
        )
        self.assertEqual(
            {
                (row.partner_id.name, row.source, row.status_to_id)
                for row in self._history(partners)
            },
            {
                ("By Name", "import", self.status_regular),
                ("By Code", "import", self.status_new),
                ("By Polish Name", "import", self.status_regular),
            },
        )
        self._assert_summaries_match_history()

    def test_unknown_status_names_row_and_value(self):
        count = self.env["res.partner"].search_count([])
        result = self._import([["Good", "Test New"], ["Bad", "Gold Client"]])
        self.assertEqual(result["ids"], False)
        (message,) = result["messages"]
        self.assertEqual(message["type"], "error")
        self.assertEqual(message["rows"], {"from": 1, "to": 1})
        self.assertIn("Gold Client", message["message"])
        # nothing is created, not even the valid row
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_status_of_the_other_scope_refused(self):
        result = self._import([["Wrong Scope", "Test Waiting"]])
        self.assertEqual(result["ids"], False)
        self.assertIn("Test Waiting", result["messages"][0]["message"])
        lead_result = self._import([["Lead", "t_open"]], model="crm.lead")
        self.assertEqual(lead_result["messages"], [])
        lead = self.env["crm.lead"].browse(lead_result["ids"])
        self.assertEqual(lead.client_status_id, self.status_lead_open)

    def test_possible_values_of_the_importing_scope(self):
        """ "See possible values" of an unknown status lists the statuses of
        the importing model's scope, not the other scope's."""
        for model, scope in (("res.partner", "partner"), ("crm.lead", "lead")):
            result = self._import([["Unknown", "Gold Client"]], model=model)
            (message,) = result["messages"]
            action = message["moreinfo"]
            self.assertEqual(action["res_model"], "client.status")
            self.assertEqual(action["domain"], [("scope", "=", scope)])
            possible = self.env["client.status"].search(action["domain"])
            self.assertIn(
                self.status_new if scope == "partner" else self.status_lead_open,
                possible,
            )
            self.assertEqual(set(possible.mapped("scope")), {scope})

    def test_create_new_values_refused(self):
        """ "Create new values" does not create a status from a name alone: a
        clear error names the value, nothing is imported, no status created."""
        statuses = self.Status.with_context(active_test=False).search_count([])
        count = self.env["res.partner"].search_count([])
        for model, scope_label in (("res.partner", "Contacts"), ("crm.lead", "Leads")):
            result = self._import(
                [
                    ["Good", "t_new" if model == "res.partner" else "t_open"],
                    ["Bad", "Gold Client"],
                ],
                model=model,
                name_create_enabled_fields={"client_status_id": True},
            )
            self.assertEqual(result["ids"], False)
            (message,) = result["messages"]
            self.assertEqual(message["type"], "error")
            self.assertEqual(message["rows"], {"from": 1, "to": 1})
            self.assertIn(
                f"The client status “Gold Client” does not exist for {scope_label},"
                " and an import does not create statuses",
                message["message"],
            )
            self.assertEqual(message["value"], "Gold Client")
        self.assertEqual(
            self.Status.with_context(active_test=False).search_count([]), statuses
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        # a known value is still imported with the option on
        result = self._import(
            [["Known", "Test Regular"]],
            name_create_enabled_fields={"client_status_id": True},
        )
        self.assertEqual(result["messages"], [])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.client_status_id, self.status_regular)

    def test_export_columns(self):
        with freeze_time("2026-03-01 09:00:00"):
            self.client.client_status_id = self.status_regular
            self.client.flush_recordset()
        self.status_regular.parent_id = self.status_new
        with freeze_time("2026-03-11 12:00:00"):
            rows = self.client.export_data(
                [
                    "name",
                    "client_status_id",
                    "client_status_parent_id",
                    "client_status_days",
                    "client_status_date",
                ]
            )["datas"]
        (row,) = rows
        self.assertEqual(
            row[:4], ["Test Client Company", "Test New / Test Regular", "Test New", 10]
        )
        # dates are exported in the user's time zone
        self.assertEqual(
            row[4],
            fields.Datetime.context_timestamp(
                self.client, datetime(2026, 3, 1, 9, 0)
            ).replace(tzinfo=None),
        )
