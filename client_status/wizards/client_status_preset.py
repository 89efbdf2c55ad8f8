# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

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
    of the scope (those in use through the archive wizard, which moves their
    records first). Loading a preset again changes nothing."""

    _name = "client.status.preset"
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
        " preset; records in an archived status move to another one first.",
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

    def action_load(self):
        self.ensure_one()
        default = self.default_status_id
        if not default or not self.status_ids:
            raise UserError(
                _(
                    "The statuses of the preset %(preset)s were deleted: it cannot be"
                    " loaded.",
                    preset=dict(
                        self._fields["preset"]._description_selection(self.env)
                    )[self.preset],
                )
            )
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
        if self.others == "archive" and self.other_status_ids:
            # the statuses in use go through the archive wizard
            action = self.other_status_ids.action_archive()
            if isinstance(action, dict):
                action["context"] = dict(
                    action["context"], default_target_status_id=default.id
                )
                return action
        return {"type": "ir.actions.client", "tag": "reload"}

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
