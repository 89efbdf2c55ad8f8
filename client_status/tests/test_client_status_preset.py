# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install")
class TestClientStatusPreset(ClientStatusCommon):
    def _load(self, preset, others="keep"):
        form = Form(self.env["client.status.preset"])
        form.preset = preset
        if form.other_status_ids:
            form.others = others
        return form.save().action_load()

    def _preset(self, preset):
        return self.Status.with_context(active_test=False).search(
            [("preset", "=", preset)]
        )

    def test_presets_shipped_complete(self):
        counts = {
            preset: len(self._preset(preset))
            for preset in ("lifecycle", "outbound", "hierarchical", "lead_follow_up")
        }
        self.assertEqual(
            counts,
            {"lifecycle": 6, "outbound": 5, "hierarchical": 11, "lead_follow_up": 6},
        )
        active = self.env.ref("client_status.client_status_partner_hier_active")
        self.assertEqual(
            active.with_context(active_test=False).child_ids.mapped("code"),
            ["hier_one_time", "hier_periodic", "hier_regular"],
        )

    def test_load_twice_keeps_the_others(self):
        statuses = self.Status.with_context(active_test=False).search_count([])
        self._load("hierarchical")
        hierarchical = self._preset("hierarchical")
        self.assertTrue(all(hierarchical.mapped("active")))
        interested = self.env.ref("client_status.client_status_partner_hier_interested")
        self.assertTrue(interested.is_default)
        self.assertFalse(self.status_prospect.is_default)
        # the other statuses are kept, records keep theirs
        self.assertTrue(self.status_new.active)
        self.assertEqual(self.client.client_status_id, self.status_prospect)
        self._load("hierarchical")
        self.assertEqual(
            self.Status.with_context(active_test=False).search_count([]), statuses
        )
        self.assertEqual(
            self.Status.search_count(
                [("scope", "=", "partner"), ("is_default", "=", True)]
            ),
            1,
        )

    def test_load_archiving_the_others_moves_their_records(self):
        action = self._load("outbound", others="archive")
        # statuses in use: the archive wizard moves their records first
        self.assertTrue(self.status_prospect.active)
        self.assertEqual(action["res_model"], "client.status.archive")
        default = self.env.ref("client_status.client_status_partner_call_potential")
        wizard = Form(
            self.env["client.status.archive"].with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.target_status_id, default)
        wizard.action_confirm()
        self.assertFalse(self.status_prospect.active)
        self.assertFalse(self.status_regular.active)
        self.assertEqual(self.client.client_status_id, default)
        self.assertEqual(self.client_contact.client_status_id, default)
        self.assertEqual(self._history(self.client)[-1].status_to_id, default)
        # no record of the scope is left without a status
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("client_status_id", "=", False)])
        )

    def test_load_unarchives_shipped_rules(self):
        rules = self.env["client.status.rule"].with_context(active_test=False)
        shipped = rules.search([("status_id.preset", "=", "lifecycle")])
        self.assertTrue(shipped)
        shipped.active = False
        own = rules.create(
            {
                "name": "Own rule",
                "scope": "partner",
                "status_id": self.env.ref("client_status.client_status_partner_vip").id,
                "active": False,
            }
        )
        self._load("lifecycle")
        self.assertTrue(all(shipped.mapped("active")))
        self.assertFalse(own.active)

    def test_salesman_cannot_load(self):
        with self.assertRaises(AccessError):
            self.env["client.status.preset"].with_user(self.salesman).create(
                {"preset": "hierarchical"}
            )

    def test_settings_offer_the_presets(self):
        action = self.env.ref("client_status.client_status_preset_action")
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        setting = arch.split('id="client_status_preset"')[1].split("</setting>")[0]
        self.assertIn(f'name="{action.id}"', setting)
