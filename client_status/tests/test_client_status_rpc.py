# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a client (RPC, the web client) may write: the calls an XML-RPC or
JSON-RPC client makes, as ``with_user`` calls of create/write and public
methods, and a few through the real XML-RPC endpoint."""

from xmlrpc.client import Fault

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models.client_status_history import ClientStatusSource
from .common import ClientStatusCommon

ADDON_MODULES = {"client_status", "client_status_sale"}
# Every field the addon adds, as a salesperson may write it: "writable",
# "protected" (kept by the addon: refused to every client) or "manager"
# (Client Status Managers only). A new field must be classed here.
PARTNER_FIELDS = {
    "client_status_id": "writable",
    "client_status_locked": "writable",
    "client_status_locked_until": "writable",
    "client_status_color": "protected",
    "client_status_kind": "protected",
    "client_status_parent_id": "protected",
    "client_status_date": "protected",
    "client_status_days": "protected",
    "client_status_lock_info": "protected",
    "client_status_computed_id": "protected",
    "client_status_rule_disagrees": "protected",
    "client_status_computed_info": "protected",
    "client_status_pending": "protected",
    "client_status_explanation": "protected",
    "client_status_history_count": "protected",
    "client_status_next_action": "protected",
    "client_status_stale": "protected",
    "client_status_call_priority": "protected",
    "client_status_last_contact": "protected",
    "client_status_follow_up_date": "protected",
    "client_status_follow_up_activity_id": "protected",
}
LEAD_FIELDS = {
    **{
        fname: kind
        for fname, kind in PARTNER_FIELDS.items()
        if fname
        not in {
            "client_status_call_priority",
            "client_status_last_contact",
            "client_status_follow_up_date",
            "client_status_follow_up_activity_id",
        }
    },
    "clarification_topic": "writable",
    "clarification_question": "writable",
    "clarification_deadline": "writable",
    "client_status_blacklist_confirmed": "manager",
    "partner_client_status_id": "protected",
    "partner_client_status_kind": "protected",
    "clarification_activity_id": "protected",
    "clarification_escalated": "protected",
    "clarification_token": "protected",
    "clarification_questionnaire_url": "protected",
    "clarification_answer": "protected",
    "clarification_answer_amount": "protected",
    "clarification_answer_currency_id": "protected",
    "clarification_answer_date": "protected",
    "clarification_answered_at": "protected",
    "clarification_answer_attempts": "protected",
    "clarification_answer_attempt_at": "protected",
}


def addon_fields(model):
    """The fields of ``model`` the addon defines (no other module does)."""
    return {
        fname
        for fname, field in model._fields.items()
        if field._modules and set(field._modules) <= ADDON_MODULES
    }


@tagged("post_install", "-at_install", "client_status_rpc")
class TestClientStatusRpc(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="cs_portal", groups="base.group_portal", name="CS Portal"
        )

    def _assert_fields_classed(self, record, classes):
        self.assertEqual(
            addon_fields(record),
            set(classes),
            f"every field the addon adds to {record._name} is classed",
        )
        as_salesman = record.with_user(self.salesman)
        Model = record.env[record._name].with_user(self.salesman)
        for fname, kind in classes.items():
            field = record._fields[fname]
            value = field.convert_to_write(record[fname], record)
            with self.subTest(field=fname):
                if kind == "writable":
                    as_salesman.write({fname: value})
                    continue
                with self.assertRaises(AccessError):
                    as_salesman.write({fname: value})
                if kind == "protected":
                    with self.assertRaises(AccessError):
                        Model.create({"name": "Forged", fname: value})

    def test_partner_fields_writable_by_salesman(self):
        self._assert_fields_classed(self.individual, PARTNER_FIELDS)

    def test_lead_fields_writable_by_salesman(self):
        self._assert_fields_classed(self.lead, LEAD_FIELDS)

    def test_protected_fields_not_by_default_values(self):
        """A client's context defaults are values too."""
        Partner = self.env["res.partner"].with_user(self.salesman)
        with self._assert_refused("Status Kind"):
            Partner.with_context(default_client_status_kind="blacklist").create(
                {"name": "Forged"}
            )

    def test_finding_1_kind_not_writable(self):
        """A blacklisted client cannot be made a prospect by writing its
        kind: refused, nothing written, no history row."""
        self.individual.client_status_id = self.status_blacklist
        rows = self._history(self.individual)
        partner = self.individual.with_user(self.salesman)
        for vals in (
            {"client_status_kind": "prospect"},
            {"client_status_parent_id": self.status_prospect.id},
            {"client_status_computed_id": self.status_prospect.id},
            {"client_status_call_priority": True},
        ):
            with self._assert_refused("kept by Client Status"):
                partner.write(vals)
        self.env.invalidate_all()
        self.assertEqual(self.individual.client_status_kind, "blacklist")
        self.assertFalse(self.individual.client_status_computed_id)
        self.assertEqual(self._history(self.individual), rows)
        # nor the reverse: a normal client made blacklisted by its kind
        with self.assertRaises(AccessError):
            self.client.with_user(self.salesman).client_status_kind = "blacklist"
        self.assertEqual(self.client.client_status_kind, "prospect")

    def test_finding_3_activities_not_linkable(self):
        """A salesman cannot link an activity of another record (of another
        company) to his lead or a client."""
        lead_b = self.env["crm.lead"].create(
            {"name": "Lead of B", "company_id": self.company_b.id}
        )
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead_b.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": "B's own",
            }
        )
        with self.assertRaises(AccessError):
            self.lead.with_user(self.salesman).clarification_activity_id = activity
        with self.assertRaises(AccessError):
            self.individual.with_user(self.salesman).write(
                {
                    "client_status_follow_up_activity_id": activity.id,
                    "client_status_follow_up_date": "2020-01-01",
                }
            )
        self.assertFalse(self.lead.clarification_activity_id)
        self.assertFalse(self.individual.client_status_follow_up_activity_id)
        self.assertTrue(activity.exists())

    def test_finding_3_workflow_still_links(self):
        """The clarification workflow, run by the salesman, still links its
        activity and resets its flag (protected fields, written by the
        addon)."""
        lead = self.lead.with_user(self.salesman)
        lead.write(
            {
                "client_status_id": self.status_lead_waiting.id,
                "clarification_topic": "budget",
                "clarification_deadline": "2030-01-01",
            }
        )
        self.assertTrue(self.lead.clarification_activity_id)
        self.assertFalse(self.lead.clarification_escalated)

    def test_finding_6_sources_closed(self):
        """A client's ``client_status_source`` is Manual (Import during an
        import), whatever it says; only the addon's own code names the
        others."""
        partner = self.individual.with_user(self.salesman)
        statuses = [self.status_new, self.status_regular] * 4
        forged = ["rule", "install');--", "{a}", "automation", "bogus"]
        for source, status in zip(forged, statuses, strict=False):
            partner.with_context(
                client_status_source=source,
                client_status_explanations={
                    self.individual.id: (False, {"won_count": 99})
                },
            ).client_status_id = status
        partner.with_context(
            client_status_source="rule", import_file=True
        ).client_status_id = self.status_regular
        partner.with_context(
            client_status_source=ClientStatusSource("automation")
        ).client_status_id = self.status_new
        rows = self._history(self.individual)[1:]
        self.assertEqual(
            rows.mapped("source"), ["manual"] * len(forged) + ["import", "automation"]
        )
        self.assertFalse(any(rows.mapped("metrics")))
        self._assert_summaries_match_history()

    def test_finding_6_status_date_not_writable(self):
        partner = self.individual.with_user(self.salesman)
        date = self.individual.client_status_date
        for vals in (
            {"client_status_date": "1900-01-01 00:00:00"},
            {"client_status_id": self.status_new.id, "client_status_date": False},
        ):
            with self._assert_refused("Status Since"):
                partner.write(vals)
        with self._assert_refused("Status Since"):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Forged", "client_status_date": "2150-01-01 00:00:00"}
            )
        self.assertEqual(self.individual.client_status_date, date)
        self.assertEqual(len(self._history(self.individual)), 1)

    def test_finding_7_portal_reads_no_status(self):
        """A portal user does not read nor search the addon's fields of his
        own contact, which still got its default status."""
        partner = self.portal.partner_id
        self.assertEqual(partner.client_status_id, self.status_prospect)
        as_portal = partner.with_user(self.portal)
        self.assertEqual(as_portal.read(["name"])[0]["name"], "CS Portal")
        for fname in addon_fields(partner):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                as_portal.read([fname])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.portal).search(
                [("client_status_kind", "=", "prospect")]
            )
        # what the portal's own forms write (in sudo) still works
        as_portal.sudo().write({"city": "Portal City"})
        self.assertEqual(partner.city, "Portal City")

    def test_condition_window_bounded(self):
        with self._assert_refused("at most"):
            self.env["client.status.rule"].with_user(self.sales_manager).create(
                {
                    "name": "Forever",
                    "scope": "partner",
                    "status_id": self.status_new.id,
                    "condition_ids": [
                        Command.create(
                            {
                                "metric": "won_count_window",
                                "operator": ">=",
                                "value": 1,
                                "window_days": 1000000,
                            }
                        )
                    ],
                }
            )

    def test_preview_lines_not_writable(self):
        """A manager can neither write the changes of a preview nor give a
        preview a job: Apply writes only what the preview computed."""
        rule = self.env["client.status.rule"].create(
            {"name": "Any", "scope": "partner", "status_id": self.status_new.id}
        )
        Preview = self.env["client.status.reclassify.preview"].with_user(
            self.sales_manager
        )
        job = (
            self.env["client.status.job"]
            .with_user(self.sales_manager)
            ._start_preview("partner")
        )
        line = {
            "job_id": job.id,
            "partner_id": self.individual.id,
            "status_from_id": self.status_prospect.id,
            "status_to_id": self.status_regular.id,
            "rule_id": rule.id,
            "metrics": {"won_count": 1000},
        }
        with self.assertRaises(AccessError):
            self.env["client.status.job.line"].with_user(self.sales_manager).create(
                line
            )
        with self.assertRaises(AccessError):
            job.line_ids[:1].with_user(self.sales_manager).write(
                {"status_to_id": self.status_regular.id}
            )
        for values in ({"job_id": job.id}, {"preview_job_id": job.id}):
            with self.assertRaises(AccessError):
                Preview.create(dict(values, scope="partner"))
        with self.assertRaises(AccessError):
            Preview.with_context(default_preview_job_id=job.id).create(
                {"scope": "partner"}
            )
        preview = Preview.create({"scope": "partner"})
        with self.assertRaises(AccessError):
            preview.write({"preview_job_id": job.id})
        self.assertEqual(self.individual.client_status_id, self.status_prospect)
        self.assertEqual(len(self._history(self.individual)), 1)

    def test_preview_apply_as_manager(self):
        """The preview's own lines are applied as a run would: the rule's
        source, metrics and status."""
        rule = self.env["client.status.rule"].create(
            {
                "name": "Just one",
                "scope": "partner",
                "status_id": self.status_new.id,
                "domain": repr([("id", "=", self.individual.id)]),
            }
        )
        action = (
            self.env["client.status.rule"]
            .with_user(self.sales_manager)
            .action_preview()
        )
        preview = self.env["client.status.reclassify.preview"].browse(action["res_id"])
        self.assertIn(self.individual, preview.line_ids.partner_id)
        preview.with_user(self.sales_manager).action_apply()
        row = self._history(self.individual)[-1]
        self.assertEqual(
            (row.source, row.rule_id, row.user_id),
            ("rule", rule, self.sales_manager),
        )
        self.assertEqual(self.individual.client_status_computed_id, self.status_new)

    def test_metrics_display_non_numeric(self):
        """A metric that is not a number (the engine writes numbers only) is
        shown as it is, not a crash."""
        self.individual.client_status_id = self.status_new
        row = self._history(self.individual)[-1]
        self.env.cr.execute(
            SQL(
                "UPDATE client_status_history SET metrics = %s WHERE id = %s",
                '{"won_count": "abc", "won_count_window_365": 2.5}',
                row.id,
            )
        )
        row.invalidate_recordset(["metrics"])
        self.assertIn("abc", row.metrics_display)
        self.assertIn("2.5", row.metrics_display)

    def test_archived_status_not_assignable(self):
        archived = self._create_status("Test Old", "t_old", "partner", "customer", 8)
        archived.active = False
        # a company kept on a status archived since (archived with the wizard)
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET client_status_id = %s WHERE id = %s",
                archived.id,
                self.client.id,
            )
        )
        self.client.invalidate_recordset()
        with self._assert_refused("archived"):
            self.individual.with_user(self.salesman).client_status_id = archived
        with self._assert_refused("archived"):
            self.env["res.partner"].create(
                {"name": "New", "client_status_id": archived.id}
            )
        self.env.invalidate_all()
        self.assertEqual(self.individual.client_status_id, self.status_prospect)
        # a contact follows its company, archived status or not
        contact = self.env["res.partner"].create(
            {"name": "New Contact", "parent_id": self.client.id}
        )
        self.assertEqual(contact.client_status_id, archived)

    def test_rule_filter_checked_as_its_author(self):
        """A manager cannot test, in a rule's filter, a field he may not read
        (the engine evaluates it as the superuser)."""
        Partner = self.env["res.partner"].with_user(self.sales_manager)
        hidden = next(
            fname
            for fname, field in Partner._fields.items()
            if field.store
            and field.column_type
            and field.type in ("float", "monetary", "integer", "char")
            and not field.is_accessible(Partner.env)
        )
        with self._assert_refused("not valid"):
            self.env["client.status.rule"].with_user(self.sales_manager).create(
                {
                    "name": "Spy",
                    "scope": "partner",
                    "status_id": self.status_new.id,
                    "domain": repr([(hidden, "!=", False)]),
                }
            )

    def test_run_stats_for_administrators(self):
        run = self.env["client.status.run"].create(
            {"scope": "partner", "state": "done", "stats": {"quantiles": [1, 2]}}
        )
        as_manager = run.with_user(self.sales_manager)
        self.assertEqual(as_manager.read(["state"])[0]["state"], "done")
        with self.assertRaises(AccessError):
            as_manager.read(["stats"])
        # the engine still reads them, for any user
        incremental = (
            self.env["client.status.run"]
            .with_user(self.sales_manager)
            ._new_incremental("partner")
        )
        self.assertEqual(incremental.stats, {"quantiles": [1, 2]})

    def test_merge_keeps_working(self):
        """Merging contacts (the wizard writes every stored field, the
        protected ones included) still works for those who may (in Odoo 18,
        settings administrators: the wizard reads admin-only fields)."""
        self.individual.client_status_id = self.status_new
        other = self.env["res.partner"].create({"name": "Test Individual Twin"})
        admin = self.env.ref("base.user_admin")
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(admin)
        self.assertFalse(wizard.env.su)
        with mute_logger("odoo.addons.base.wizard.base_partner_merge"):
            wizard._merge((self.individual | other).ids, self.individual)
        self.assertFalse(other.exists())
        self.assertEqual(self.individual.client_status_id, self.status_new)
        self.assertTrue(self.individual.client_status_date)
        self.assertLessEqual(self.individual.client_status_date, fields.Datetime.now())


@tagged("post_install", "-at_install", "client_status_rpc")
class TestClientStatusXmlRpc(HttpCase, ClientStatusCommon):
    """The findings 1 and 6 through Odoo's XML-RPC endpoint, as a salesman
    with a password."""

    def _execute(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.salesman.id,
            "cs_salesman",  # new_test_user gives the login as password
            model,
            method,
            list(args),
            kwargs,
        )

    def test_kind_refused_over_xmlrpc(self):
        self.individual.client_status_id = self.status_blacklist
        rows = self._history(self.individual)
        with (
            mute_logger("odoo.http", "odoo.addons.base.models.ir_model"),
            self.assertRaises(Fault) as error,
        ):
            self._execute(
                "res.partner",
                "write",
                [self.individual.id],
                {"client_status_kind": "prospect"},
            )
        self.assertIn("kept by Client Status", error.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(self.individual.client_status_kind, "blacklist")
        self.assertEqual(self._history(self.individual), rows)

    def test_source_forged_over_xmlrpc(self):
        self._execute(
            "res.partner",
            "write",
            [self.individual.id],
            {"client_status_id": self.status_new.id},
            context={"client_status_source": "rule"},
        )
        self.env.invalidate_all()
        row = self._history(self.individual)[-1]
        self.assertEqual(
            (row.status_to_id, row.source, row.user_id),
            (self.status_new, "manual", self.salesman),
        )
