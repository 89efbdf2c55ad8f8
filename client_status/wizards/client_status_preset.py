# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.client_status import PRESETS

# The status each preset makes the default of its scope
PRESET_DEFAULTS = {
    "lifecycle": "client_status.client_status_partner_potential",
    "outbound": "client_status.client_status_partner_call_potential",
    "hierarchical": "client_status.client_status_partner_hier_interested",
    "lead_follow_up": "client_status.client_status_lead_new",
}


class ClientStatusPreset(models.TransientModel):
    """Load a ready catalogue: unarchive its statuses (and its rules), make
    its default status the scope's, and keep or archive the other statuses
    of the scope. The records of each status it archives move to the status
    of the preset the user maps it to (one line per status in use), with
    their history rows; blacklisted records never leave a blacklist status,
    and no two active statuses of the scope keep one name. Loading a preset
    again changes nothing."""

    _name = "client.status.preset"
    _inherit = "client.status.job.wizard"
    _description = "Load a Client Status Preset"

    preset = fields.Selection(PRESETS, required=True, default="lifecycle")
    scope = fields.Selection(
        related="default_status_id.scope", string="Scope", readonly=True
    )
    others = fields.Selection(
        [("keep", "Keep them"), ("archive", "Archive them")],
        string="Other Statuses",
        required=True,
        default="keep",
        help="What to do with the statuses of the scope that are not in the"
        " preset; records in an archived status move to another one first."
        " A status named like one of the preset is archived either way.",
    )
    default_status_id = fields.Many2one(
        "client.status", compute="_compute_statuses", string="Default Status"
    )
    status_ids = fields.Many2many(
        "client.status",
        compute="_compute_statuses",
        string="Statuses of the Preset",
        context={"active_test": False},
    )
    other_status_ids = fields.Many2many(
        "client.status",
        compute="_compute_statuses",
        string="Other Statuses of the Scope",
    )
    line_ids = fields.One2many(
        "client.status.preset.line",
        "wizard_id",
        string="Records to Move",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("preset")
    def _compute_statuses(self):
        Status = self.env["client.status"].with_context(active_test=False)
        # one read per preset and scope, whatever the number of wizards
        for preset, wizards in self.grouped("preset").items():
            default = (
                self.env.ref(PRESET_DEFAULTS[preset], raise_if_not_found=False)
                if preset
                else Status
            )
            statuses = Status.search([("preset", "=", preset)]) if preset else Status
            others = (
                Status.search([("scope", "=", default.scope), ("active", "=", True)])
                - statuses
                if default
                else Status
            )
            wizards.default_status_id = default
            wizards.status_ids = statuses
            wizards.other_status_ids = others

    @api.depends("preset", "others")
    def _compute_line_ids(self):
        for wizard in self:
            replaced = wizard._get_replaced_statuses()
            targets = wizard._get_default_targets(replaced)
            counts = replaced._get_usage_counts(with_archived=True)
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "sequence": sequence,
                        "status_id": status.id,
                        "record_count": counts[status.id],
                        "target_status_id": targets[status].id,
                    }
                )
                for sequence, status in enumerate(replaced)
                if counts[status.id]
            ]

    def action_load(self):
        self.ensure_one()
        default = self.default_status_id
        if not default or not self.status_ids:
            raise UserError(
                _(
                    "The statuses of the preset %(preset)s were deleted: it cannot be"
                    " loaded.",
                    preset=self._get_preset_name(),
                )
            )
        # the plan is computed again here: the lines only bring the user's
        # choices of targets, checked against it
        replaced = self._get_replaced_statuses()
        targets = self._get_default_targets(replaced)
        chosen = {line.status_id: line.target_status_id for line in self.line_ids}
        for status in replaced.filtered(lambda status: status.kind != "blacklist"):
            target = chosen.get(status)
            if not target:
                continue
            if target not in self.status_ids:
                raise UserError(
                    _(
                        "The records of %(status)s can only move to a status of the"
                        " preset %(preset)s.",
                        status=status.display_name,
                        preset=self._get_preset_name(),
                    )
                )
            targets[status] = target
        self.status_ids.filtered(lambda status: not status.active).write(
            {"active": True}
        )
        self._activate_rules()
        if not default.is_default:
            previous = self.env["client.status"].search(
                [
                    ("scope", "=", default.scope),
                    ("is_default", "=", True),
                    ("company_id", "=", default.company_id.id),
                ]
            )
            previous.is_default = False
            default.is_default = True
        archived = replaced.filtered(lambda status: targets[status])
        moves = {status.id: targets[status].id for status in archived}
        Job = self.env["client.status.job"]
        count = sum(archived._get_usage_counts(with_archived=True).values())
        if count > Job._get_threshold():
            Job._check_all_visible(self.scope, archived, count)
            job = Job._start(
                {
                    "name": _(
                        "Load the Preset %(preset)s", preset=self._get_preset_name()
                    ),
                    "kind": "preset",
                    "scope": self.scope,
                    "moves": moves,
                    "reason": self._get_move_reason(),
                    "status_ids": archived.ids,
                    "note": self._get_kept_message(replaced - archived),
                },
                count,
            )
            return self._show_job(job)
        moved = Job._move_records(self.scope, moves, self._get_move_reason())
        self.env["client.status.archive"]._archive_statuses(archived)
        return self._get_done_action(len(moved), replaced - archived)

    def _get_preset_name(self):
        """The name of the preset, in the user's language."""
        return dict(self._fields["preset"]._description_selection(self.env))[
            self.preset
        ]

    def _get_replaced_statuses(self):
        """Return the statuses of the scope the preset replaces: all the
        others with "Archive them", else those named like a status of the
        preset (no two active statuses of a scope share a name)."""
        # _origin: in the form, the wizard is a new record
        others = self.other_status_ids._origin
        if self.others == "archive":
            return others
        same_names = self._get_same_names(others)
        return others.filtered(lambda status: same_names[status.id])

    def _get_same_names(self, statuses):
        """Map the id of each status of ``statuses`` to the statuses of the
        preset that have its name in some language (case-insensitive), in
        one query."""
        same_names = defaultdict(lambda: self.env["client.status"])
        preset_statuses = self.status_ids._origin
        if not statuses or not preset_statuses:
            return same_names
        self.env["client.status"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """
                SELECT status.id, preset_status.id
                  FROM client_status AS status
                  JOIN client_status AS preset_status
                    ON EXISTS (
                           SELECT FROM jsonb_each_text(status.name) AS name,
                                       jsonb_each_text(preset_status.name) AS other
                            WHERE lower(name.value) = lower(other.value)
                       )
                 WHERE status.id IN %(statuses)s
                   AND preset_status.id IN %(preset_statuses)s
                """,
                statuses=tuple(statuses.ids),
                preset_statuses=tuple(preset_statuses.ids),
            )
        )
        for status_id, preset_status_id in self.env.cr.fetchall():
            same_names[status_id] |= preset_statuses.browse(preset_status_id)
        return same_names

    def _get_default_targets(self, statuses):
        """Map each status of ``statuses`` to the status of the preset its
        records move to by default: for a blacklist-kind status, the preset's
        blacklist-kind status (none: the status is kept, its records never
        leave a blacklist); for the others, a status of the same kind and the
        same name in some language, else of the same kind (the preset's
        default first), else the preset's default."""
        same_names = self._get_same_names(statuses)
        preset_statuses = self.status_ids._origin
        default = self.default_status_id._origin
        targets = {}
        for status in statuses:
            of_kind = preset_statuses.filtered(
                lambda preset_status, kind=status.kind: preset_status.kind == kind
            )
            if status.kind == "blacklist":
                targets[status] = of_kind[:1]
                continue
            named = of_kind & same_names[status.id]
            # among the statuses of the kind, the preset's default first
            of_kind = (of_kind & default) or of_kind
            targets[status] = named[:1] or of_kind[:1] or default
        return targets

    def _get_move_reason(self):
        """The reason on the history rows of the records moved, in every
        language."""
        return self.env["client.status.history"]._translate_reason(
            lambda env: env._(
                "Preset %(preset)s loaded",
                preset=self.with_env(env)._get_preset_name(),
            )
        )

    def _get_kept_message(self, kept):
        """What the user is told of the statuses ``kept`` (none: nothing)."""
        if not kept:
            return False
        return _(
            "Kept active: %(statuses)s (records never leave a blacklist"
            " status, and the preset has none).",
            statuses=", ".join(kept.mapped("display_name")),
        )

    def _get_done_action(self, moved, kept):
        """The notification saying what the load did, then a reload of the
        view behind the wizard."""
        messages = [_("%(count)s records moved to another status.", count=moved)]
        if kept:
            messages.append(self._get_kept_message(kept))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Preset %(preset)s loaded", preset=self._get_preset_name()),
                "message": " ".join(messages),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _activate_rules(self):
        """Unarchive the rules the module ships for the preset's statuses
        (users' own rules stay as they are)."""
        rules = (
            self.env["client.status.rule"]
            .with_context(active_test=False)
            .search([("status_id", "in", self.status_ids.ids), ("active", "=", False)])
        )
        xmlids = rules.get_external_id()
        shipped = rules.filtered(
            lambda rule: xmlids[rule.id].startswith("client_status.")
        )
        shipped.write({"active": True})
