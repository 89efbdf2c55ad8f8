# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_preset")
class TestClientStatusPreset(ClientStatusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.lifecycle_potential = ref("client_status.client_status_partner_potential")
        cls.lifecycle_new = ref("client_status.client_status_partner_new")
        cls.lifecycle_blacklist = ref("client_status.client_status_partner_blacklist")
        cls.call_potential = ref("client_status.client_status_partner_call_potential")
        cls.call_archive = ref("client_status.client_status_partner_call_archive")
        Partner = cls.env["res.partner"]
        cls.individual.client_status_id = cls.status_blacklist
        cls.banned = Partner.create(
            {"name": "Banned", "client_status_id": cls.lifecycle_blacklist.id}
        )
        cls.newcomer = Partner.create(
            {"name": "Newcomer", "client_status_id": cls.status_new.id}
        )
        cls.lifecycle_client = Partner.create(
            {"name": "Lifecycle Client", "client_status_id": cls.lifecycle_new.id}
        )
        cls.potential = Partner.create(
            {"name": "Potential", "client_status_id": cls.lifecycle_potential.id}
        )

    def _load(self, preset, others="keep"):
        form = Form(self.env["client.status.preset"])
        form.preset = preset
        if form.other_status_ids:
            form.others = others
        return form.save().action_load()

    def _partners_of(self, statuses):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("client_status_id", "in", statuses.ids)])
        )

    def _assert_no_duplicate_names(self):
        statuses = self.Status.search([("scope", "=", "partner")])
        names = Counter(statuses.mapped("name"))
        self.assertEqual([name for name, count in names.items() if count > 1], [])

    def _assert_moved(self, action, count):
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(f"{count} records moved", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")

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
        self._load("outbound", others="archive")
        self.assertFalse(self.status_prospect.active)
        self.assertFalse(self.status_regular.active)
        default = self.call_potential
        self.assertEqual(self.client.client_status_id, default)
        self.assertEqual(self.client_contact.client_status_id, default)
        row = self._history(self.client)[-1]
        self.assertEqual(row.status_to_id, default)
        self.assertEqual(row.source, "manual")
        self.assertEqual(row.reason, "Preset Outbound Calls loaded")
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

    def test_mapping_defaults(self):
        form = Form(self.env["client.status.preset"])
        form.preset = "outbound"
        form.others = "archive"
        lines = {line.status_id: line for line in form.save().line_ids}
        # only the statuses in use, with their records (archived ones too)
        self.assertNotIn(self.status_regular, lines)
        self.assertEqual(
            lines[self.status_prospect].record_count,
            len(self._partners_of(self.status_prospect)),
        )
        targets = {status: line.target_status_id for status, line in lines.items()}
        # same kind and same name
        self.assertEqual(targets[self.lifecycle_potential], self.call_potential)
        # same kind: the preset's default first
        self.assertEqual(targets[self.status_prospect], self.call_potential)
        # no customer in Outbound Calls: the preset's default
        self.assertEqual(targets[self.status_new], self.call_potential)
        # no blacklist in Outbound Calls: kept, and said so
        self.assertFalse(targets[self.status_blacklist])
        self.assertTrue(lines[self.status_blacklist].note)
        self.assertFalse(lines[self.status_new].note)
        # an archive-kind status maps to the archive of Outbound Calls, a
        # prospect named Probable in another language to Probable
        archive = self._create_status("Test Gone", "t_gone", "partner", "archive", 5)
        maybe = self._create_status("Test Maybe", "t_maybe", "partner", "prospect", 6)
        self.env["res.lang"]._activate_lang("fr_FR")
        maybe.update_field_translations("name", {"fr_FR": "probable"})
        self.newcomer.client_status_id = archive
        self.lifecycle_client.client_status_id = maybe
        wizard = self.env["client.status.preset"].create(
            {"preset": "outbound", "others": "archive"}
        )
        targets = {line.status_id: line.target_status_id for line in wizard.line_ids}
        self.assertEqual(targets[archive], self.call_archive)
        self.assertEqual(
            targets[maybe],
            self.env.ref("client_status.client_status_partner_call_probable"),
        )
        # back: Outbound Calls' statuses map onto Lifecycle's, the blacklist
        # onto Lifecycle's blacklist
        wizard.action_load()
        wizard = self.env["client.status.preset"].create(
            {"preset": "lifecycle", "others": "archive"}
        )
        targets = {line.status_id: line.target_status_id for line in wizard.line_ids}
        self.assertEqual(targets[self.call_potential], self.lifecycle_potential)
        self.assertEqual(targets[self.status_blacklist], self.lifecycle_blacklist)

    def test_user_changes_a_target(self):
        probable = self.env.ref("client_status.client_status_partner_call_probable")
        form = Form(self.env["client.status.preset"])
        form.preset = "outbound"
        form.others = "archive"
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                if line.status_id == self.status_new:
                    line.target_status_id = probable
        form.save().action_load()
        self.assertEqual(self.newcomer.client_status_id, probable)
        self.assertEqual(self.client.client_status_id, self.call_potential)

    def test_outbound_then_lifecycle_keeps_the_blacklist(self):
        blacklisted = self.individual | self.banned
        to_move = self._partners_of(
            self.Status.search([("scope", "=", "partner"), ("kind", "!=", "blacklist")])
        )
        # set by hand in the setup: unlocked, to see that the load locks none
        to_move.client_status_locked = False
        action = self._load("outbound", others="archive")
        self._assert_moved(action, len(to_move))
        self.assertIn("Test Blacklist", action["params"]["message"])
        # blacklisted records stay where they were, their statuses active
        self.assertEqual(self.individual.client_status_id, self.status_blacklist)
        self.assertEqual(self.banned.client_status_id, self.lifecycle_blacklist)
        self.assertTrue(self.status_blacklist.active)
        self.assertTrue(self.lifecycle_blacklist.active)
        self.assertFalse(self.lifecycle_new.active)
        self.assertEqual(self.lifecycle_client.client_status_id, self.call_potential)
        # catalogue upkeep: the preset's rules may classify the records moved
        self.assertFalse(to_move.filtered("client_status_locked"))
        # the reason is read in the reader's language
        row = self._history(self.lifecycle_client)[-1]
        self.assertEqual(
            row.with_context(lang="en_US").reason, "Preset Outbound Calls loaded"
        )
        # the rules of the archived statuses are archived with them
        rules = self.env["client.status.rule"].with_context(active_test=False)
        lifecycle_rules = rules.search([("status_id.preset", "=", "lifecycle")])
        self.assertTrue(lifecycle_rules)
        self.assertFalse(any(lifecycle_rules.mapped("active")))
        self.assertFalse(
            rules.search([("active", "=", True), ("status_id.active", "=", False)])
        )
        self._assert_no_duplicate_names()

        # go back: Outbound's statuses map onto Lifecycle's
        to_move = (
            self._partners_of(self.Status.search([("preset", "=", "outbound")]))
            | self.individual
        )
        action = self._load("lifecycle", others="archive")
        self._assert_moved(action, len(to_move))
        self.assertNotIn("Kept active", action["params"]["message"])
        self.assertEqual(
            blacklisted.mapped("client_status_id"), self.lifecycle_blacklist
        )
        self.assertFalse(self.status_blacklist.active)
        self.assertEqual(self.potential.client_status_id, self.lifecycle_potential)
        self.assertFalse(any(self.Status.search([("preset", "=", "outbound")])))
        self.assertTrue(all(lifecycle_rules.mapped("active")))
        self.assertFalse(
            rules.search([("active", "=", True), ("status_id.active", "=", False)])
        )
        self._assert_no_duplicate_names()

    def test_keep_archives_statuses_of_the_same_name(self):
        action = self._load("outbound")
        self._assert_no_duplicate_names()
        # Lifecycle's Potential is replaced by Outbound's, the others are kept
        self.assertFalse(self.lifecycle_potential.active)
        self.assertEqual(self.potential.client_status_id, self.call_potential)
        self.assertTrue(self.lifecycle_new.active)
        self.assertEqual(self.newcomer.client_status_id, self.status_new)
        self.assertEqual(self.individual.client_status_id, self.status_blacklist)
        self.assertEqual(
            self.env.ref("client_status.client_status_rule_potential").active, False
        )
        self.assertIn("records moved", action["params"]["message"])
        self._load("lifecycle")
        self._assert_no_duplicate_names()
        self.assertFalse(self.call_potential.active)
        self.assertTrue(self.lifecycle_potential.active)
        self.assertEqual(self.potential.client_status_id, self.lifecycle_potential)
        self.assertTrue(
            self.env.ref("client_status.client_status_rule_potential").active
        )

    def test_blacklist_target_cannot_be_forced(self):
        wizard = self.env["client.status.preset"].create(
            {"preset": "outbound", "others": "archive"}
        )
        line = wizard.line_ids.filtered(
            lambda line: line.status_id == self.status_blacklist
        )
        # a client sends a target for the blacklist: it is not followed
        line.target_status_id = self.call_potential
        wizard.action_load()
        self.assertEqual(self.individual.client_status_id, self.status_blacklist)
        self.assertTrue(self.status_blacklist.active)

    def test_target_outside_the_preset_refused(self):
        wizard = self.env["client.status.preset"].create(
            {"preset": "outbound", "others": "archive"}
        )
        wizard.line_ids.filtered(
            lambda line: line.status_id == self.status_new
        ).target_status_id = self.status_regular
        with self._assert_refused("can only move to a status of the preset"):
            wizard.action_load()
        self.assertEqual(self.newcomer.client_status_id, self.status_new)
        self.assertTrue(self.status_new.active)
        self.assertFalse(self.call_potential.active)
