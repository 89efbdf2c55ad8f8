# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

SCOPES = [("partner", "Contacts"), ("lead", "Leads")]

# The semantic kinds a status can carry, whatever its (translated) name. Later
# features key on them: rules never touch a blacklist-kind status, a won-kind
# lead status is what "won" means, etc.
KINDS = [
    ("prospect", "Prospect"),
    ("customer", "Customer"),
    ("inactive", "Inactive"),
    ("blacklist", "Blacklist"),
    ("open", "Open"),
    ("waiting", "Waiting for the client"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("archive", "Archive"),
]
# The kinds a status of each scope can have
SCOPE_KINDS = {
    "partner": ("prospect", "customer", "inactive", "blacklist", "archive"),
    "lead": ("open", "waiting", "won", "lost", "archive"),
}
# The kind a new status of each scope gets unless told otherwise
DEFAULT_KINDS = {"partner": "prospect", "lead": "open"}
# The fields that decide the statuses cached per scope, kind and company
# (_get_default_status_id, _get_status_of_kind_id).
CACHED_FIELDS = {"scope", "kind", "is_default", "company_id", "sequence", "active"}
# Ready catalogues shipped as archived data (Client Statuses › Load a Preset)
PRESETS = [
    ("lifecycle", "Lifecycle"),
    ("outbound", "Outbound Calls"),
    ("hierarchical", "Hierarchical"),
    ("lead_follow_up", "Lead Follow-up"),
]
# How the kinds rank when a change is told an upgrade or a downgrade (higher is
# better); statuses of a kind rank by their order in the catalogue.
KIND_RANKS = {
    "blacklist": 0,
    "lost": 0,
    "archive": 0,
    "inactive": 1,
    "prospect": 2,
    "open": 2,
    "waiting": 2,
    "customer": 3,
    "won": 4,
}


class ClientStatus(models.Model):
    _name = "client.status"
    # by kind and the defaults cached (_get_status_of_kind_id, ...)
    _inherit = ["client.status.cached.mixin"]
    _client_status_cached_fields = CACHED_FIELDS
    _description = "Client Status"
    _order = "scope, sequence, id"
    _parent_name = "parent_id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical name, unique per scope and company; "
        "used by rules and imports.",
    )
    scope = fields.Selection(
        SCOPES,
        required=True,
        default=lambda self: self.env.context.get("default_scope", "partner"),
        help="Whether the status applies to contacts or to leads.",
    )
    kind = fields.Selection(
        KINDS,
        required=True,
        default=lambda self: DEFAULT_KINDS[
            self.env.context.get("default_scope", "partner")
        ],
        help="What the status means, whatever its name: "
        "automation and rules rely on it.",
    )
    # the kind as the form offers it: only the kinds of the status's scope
    partner_kind = fields.Selection(
        [kind for kind in KINDS if kind[0] in SCOPE_KINDS["partner"]],
        string="Kind of Contact Status",
        compute="_compute_scope_kind",
        inverse="_inverse_scope_kind",
        help="What the status means, whatever its name: "
        "automation and rules rely on it.",
    )
    lead_kind = fields.Selection(
        [kind for kind in KINDS if kind[0] in SCOPE_KINDS["lead"]],
        string="Kind of Lead Status",
        compute="_compute_scope_kind",
        inverse="_inverse_scope_kind",
        help="What the status means, whatever its name: "
        "automation and rules rely on it.",
    )
    parent_id = fields.Many2one(
        "client.status",
        string="Parent Status",
        index=True,
        ondelete="restrict",
        domain="[('scope', '=', scope), ('parent_id', '=', False), ('id', '!=', id)]",
        help="Groups statuses in two levels, "
        "e.g. Active > One-time, Periodic, Regular.",
    )
    child_ids = fields.One2many("client.status", "parent_id", string="Sub-statuses")
    # not stored: the names of the status and its parent in the language of
    # whoever reads them
    complete_name = fields.Char(compute="_compute_complete_name")
    sequence = fields.Integer(default=10)
    color = fields.Integer(string="Color")
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="The column of this status is folded in kanban views grouped by status.",
    )
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="The criteria of the status: who belongs here and what to do with them.",
    )
    is_default = fields.Boolean(
        string="Default",
        help="Given to new records of the scope (one default per scope and company).",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the status between companies.",
    )
    preset = fields.Selection(
        PRESETS,
        readonly=True,
        help="The ready catalogue the status comes with (Load a Preset).",
    )
    record_count = fields.Integer(
        string="Records",
        compute="_compute_record_count",
        help="The active records of the status as its board shows them: companies"
        " and individuals (their contact persons share their status and are not"
        " counted again), or leads and opportunities.",
    )
    days_average = fields.Float(
        string="Average Days",
        digits=(16, 1),
        compute="_compute_days_in_status",
        help="How long records kept this status, on average (recorded changes).",
    )
    days_median = fields.Float(
        string="Median Days",
        digits=(16, 1),
        compute="_compute_days_in_status",
        help="How long records kept this status: half kept it less, half more"
        " (to a tenth of a day).",
    )
    rule_ids = fields.One2many("client.status.rule", "status_id", string="Rules")
    # waiting for the client (kind "waiting"): where a reply leads, what the
    # daily job does when the deadline passes without one
    reply_status_id = fields.Many2one(
        "client.status",
        string="On Reply Go To",
        ondelete="set null",
        domain="[('scope', '=', scope), ('id', '!=', id)]",
        help="Status given when the client replies (a message from the client).",
    )
    escalation = fields.Selection(
        [("activity", "Plan a reminder"), ("move", "Move to another status")],
        string="When the Deadline Passes",
        default="activity",
        help="What the daily job does when the client has not answered by the"
        " deadline.",
    )
    escalation_status_id = fields.Many2one(
        "client.status",
        string="Move To",
        ondelete="set null",
        domain="[('scope', '=', scope), ('id', '!=', id)]",
    )
    # the playbook: what to do with the records of the status, how often
    next_action = fields.Char(
        translate=True,
        help="The recommended next action, shown on the cards and forms.",
    )
    cadence_days = fields.Integer(
        string="Contact Every (Days)",
        help="A follow-up activity is planned when the last contact with a client"
        " of this status is older (0: no follow-up).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Activity",
        ondelete="set null",
        help="The activity planned for the follow-up (a to-do when empty).",
    )
    call_priority = fields.Boolean(
        string="Call List Priority",
        help="Clients of this status come first in the call list.",
    )
    stale_days = fields.Integer(
        string="Stale After (Days)",
        help="Records that keep this status longer are marked stale (0: never).",
    )

    @api.depends("name", "parent_id.name")
    @api.depends_context("lang")
    def _compute_complete_name(self):
        for status in self:
            if status.parent_id:
                status.complete_name = f"{status.parent_id.name} / {status.name}"
            else:
                status.complete_name = status.name

    @api.depends("kind", "scope")
    def _compute_scope_kind(self):
        for status in self:
            status.partner_kind = status.kind if status.scope == "partner" else False
            status.lead_kind = status.kind if status.scope == "lead" else False

    def _inverse_scope_kind(self):
        for status in self:
            kind = (
                status.partner_kind if status.scope == "partner" else status.lead_kind
            )
            if kind:
                status.kind = kind

    def _compute_record_count(self):
        counts = self._get_usage_counts(with_archived=False, on_boards=True)
        for status in self:
            status.record_count = counts.get(status.id, 0)

    def _compute_days_in_status(self):
        # over the history of the user's companies as the record rules read it
        figures = self.env["client.status.duration"]._get_figures(
            self._origin, self.env.companies
        )
        for status in self:
            status.days_average, status.days_median = figures.get(
                status._origin.id, (0.0, 0.0)
            )

    @api.depends("complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for status in self:
            status.display_name = status.complete_name or status.name

    @api.constrains("code", "scope", "company_id")
    def _check_code_unique(self):
        domain = [
            ("code", "in", self.mapped("code")),
            ("scope", "in", self.mapped("scope")),
        ]
        groups = self.with_context(active_test=False)._read_group(
            domain, ["code", "scope", "company_id"], ["__count"]
        )
        duplicates = [(code, scope) for code, scope, __, count in groups if count > 1]
        if duplicates:
            raise ValidationError(
                _(
                    "The code %(code)s is already used by another status of the same "
                    "scope and company: codes must be unique.",
                    code=duplicates[0][0],
                )
            )

    @api.constrains("is_default", "scope", "company_id", "active")
    def _check_is_default(self):
        scopes = self.filtered("is_default").mapped("scope")
        if not scopes:
            return
        groups = self._read_group(
            [("is_default", "=", True), ("scope", "in", scopes)],
            ["scope", "company_id"],
            ["__count"],
        )
        for scope, company, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "Only one status can be the default for %(scope)s"
                        " in %(company)s.",
                        scope=dict(
                            self._fields["scope"]._description_selection(self.env)
                        )[scope],
                        company=company.name or _("all companies"),
                    )
                )

    @api.constrains("parent_id", "scope")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A status cannot be its own parent."))
        for status in self.filtered("parent_id"):
            if status.parent_id.scope != status.scope:
                raise ValidationError(
                    _(
                        "The status %(status)s and its parent %(parent)s must have"
                        " the same scope.",
                        status=status.name,
                        parent=status.parent_id.name,
                    )
                )
            if status.parent_id.parent_id or status.child_ids:
                raise ValidationError(
                    _(
                        "Statuses have two levels at most: %(status)s cannot be both"
                        " a parent and a sub-status.",
                        status=status.name,
                    )
                )

    @api.constrains("kind", "scope")
    def _check_kind(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        scope_kinds = self._get_scope_kinds()
        for status in self:
            if status.kind not in scope_kinds[status.scope]:
                raise ValidationError(
                    _(
                        "%(kind)s is not a kind of %(scope)s: choose one of %(kinds)s.",
                        kind=kinds[status.kind],
                        scope=scopes[status.scope],
                        kinds=", ".join(
                            kinds[kind] for kind in scope_kinds[status.scope]
                        ),
                    )
                )

    @api.constrains("cadence_days", "stale_days")
    def _check_days(self):
        if any(status.cadence_days < 0 or status.stale_days < 0 for status in self):
            raise ValidationError(_("A number of days cannot be negative."))

    @api.constrains("reply_status_id", "escalation_status_id", "scope")
    def _check_workflow_statuses(self):
        for status in self:
            targets = status.reply_status_id | status.escalation_status_id
            if any(target.scope != status.scope for target in targets):
                raise ValidationError(
                    _(
                        "The status %(status)s can only lead to statuses of its own"
                        " scope.",
                        status=status.name,
                    )
                )

    @api.onchange("name")
    def _onchange_name_code(self):
        # the form proposes the code a status created without one gets
        for status in self.filtered(lambda status: status.name and not status.code):
            vals = {"name": status.name}
            self._fill_codes([vals])
            status.code = vals["code"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "kind" not in vals and vals.get("scope") in DEFAULT_KINDS:
                vals["kind"] = DEFAULT_KINDS[vals["scope"]]
        self._fill_codes(vals_list)
        self._fill_sub_status_sequences(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("active") is False:
            self._check_archivable()
        if {"scope", "company_id"} & vals.keys():
            self._check_scope_company_change(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used, counts = self._get_used(with_history=True)
        if used:
            raise UserError(
                _(
                    "The status %(status)s is in use (%(count)s records or history"
                    " rows) and cannot be deleted: archive it instead.",
                    status=used[0].display_name,
                    count=counts[used[0].id],
                )
            )

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        # Odoo 18.0's signature: the web client calls it with ``args=``.
        # An imported status column names no scope: the import converter
        # passes the importing model's scope in the context.
        scope = self.env.context.get("client_status_scope")
        if scope:
            args = expression.AND([args or [], [("scope", "=", scope)]])
            if operator == "=" and name:
                # a spreadsheet names the status in any language, or by code
                statuses = self.browse(self._search_exact_name(name, args, limit))
                if statuses:
                    return [(status.id, status.display_name) for status in statuses]
        return super().name_search(name, args, operator, limit)

    @api.model
    def _search_exact_name(self, name, domain, limit):
        """The statuses of ``domain`` whose code is ``name`` or whose name is
        ``name`` in any language (case-insensitive), in one query."""
        self.flush_model(["name", "code"])
        query = self._search(domain, limit=limit)
        query.add_where(
            SQL(
                "(%(code)s = %(name)s OR EXISTS (SELECT FROM jsonb_each_text(%(names)s)"
                " AS translation WHERE lower(translation.value) = lower(%(name)s)))",
                code=SQL.identifier(self._table, "code"),
                names=SQL.identifier(self._table, "name"),
                name=name,
            )
        )
        return list(query)

    def action_archive(self):
        """Archive the statuses; when records still use them, open the wizard
        that asks which status to move those records to first."""
        self._check_archivable(check_usage=False)
        if self._get_used()[0]:
            return self.env["client.status.archive"]._action_open(self)
        return super().action_archive()

    def action_open_records(self):
        """Open the records (contacts or leads) that have this status."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "client_status.res_partner_action"
            if self.scope == "partner"
            else "client_status.crm_lead_action"
        )
        action.update(
            {
                "domain": expression.AND(
                    [
                        [("client_status_id", "=", self.id)],
                        self._get_board_domains()[self.scope],
                    ]
                ),
                "context": {"default_client_status_id": self.id},
            }
        )
        return action

    @api.model
    def _get_status_models(self):
        """Map each scope to the model whose records carry a status of it.

        Override to add a scope served by another model."""
        return {"partner": "res.partner", "lead": "crm.lead"}

    @api.model
    def _get_scope_kinds(self):
        """Map each scope to the kinds its statuses can have.

        Override with ``_get_status_models``."""
        return SCOPE_KINDS

    @api.model
    def _get_board_domains(self):
        """Map each scope to the domain of the records its board shows (and
        the catalogue counts): the commercial entities for contacts, their
        persons sharing their status.

        Override with ``_get_status_models``."""
        return {
            "partner": ["|", ("is_company", "=", True), ("parent_id", "=", False)],
            "lead": [],
        }

    @api.model
    def _fill_codes(self, vals_list):
        """Give the values without a code one made from the name, unique in
        the catalogue (a status created from a dropdown or an import names
        only itself). One query for all of them."""
        missing = [vals for vals in vals_list if not vals.get("code")]
        if not missing:
            return
        bases = [
            re.sub(r"\W+", "_", (vals.get("name") or "").lower()).strip("_") or "status"
            for vals in missing
        ]
        taken = set(
            self.with_context(active_test=False)
            .search_fetch(
                expression.OR([[("code", "=like", f"{base}%")] for base in set(bases)]),
                ["code"],
            )
            .mapped("code")
        )
        for vals, base in zip(missing, bases, strict=True):
            code, suffix = base, 1
            while code in taken:
                suffix += 1
                code = f"{base}_{suffix}"
            taken.add(code)
            vals["code"] = code

    @api.model
    def _fill_sub_status_sequences(self, vals_list):
        """Place a new sub-status without a sequence right after its parent
        and the parent's other sub-statuses, rather than at the default
        place. One query for all of them."""
        parent_ids = list(
            {
                vals["parent_id"]
                for vals in vals_list
                if vals.get("parent_id") and "sequence" not in vals
            }
        )
        if not parent_ids:
            return
        statuses = self.with_context(active_test=False).search_fetch(
            ["|", ("id", "in", parent_ids), ("parent_id", "in", parent_ids)],
            ["sequence", "parent_id"],
        )
        last = {}
        for status in statuses:
            parent_id = status.parent_id.id or status.id
            last[parent_id] = max(last.get(parent_id, status.sequence), status.sequence)
        for vals in vals_list:
            if vals.get("parent_id") in last and "sequence" not in vals:
                vals["sequence"] = last[vals["parent_id"]]

    @api.model
    def _get_default_status(self, scope, company):
        """Return the default status of ``scope`` for ``company``: the
        company's own default, else the shared one (only the shared one when
        ``company`` is empty)."""
        return self.browse(self._get_default_status_id(scope, company.id))

    @api.model
    @tools.ormcache("scope", "company_id")
    def _get_default_status_id(self, scope, company_id):
        """The id of ``_get_default_status``: every new record asks for it,
        cached until a status changes."""
        # sudo: the catalogue is configuration; records created by users who
        # cannot read it (portal sign-up, public forms) still get their default.
        return (
            self.sudo()
            .search(
                [
                    ("scope", "=", scope),
                    ("is_default", "=", True),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            .id
        )

    @api.model
    def _direction_sql(self, status_from, status_to):
        """SQL telling whether a change from the status aliased
        ``status_from`` to ``status_to`` (``client_status`` rows, ``NULL``
        for none) is an ``up``grade, a ``down``grade or ``lateral``: the
        kinds rank by ``KIND_RANKS``, then the statuses by sequence; ``NULL``
        for a first status."""
        cases = SQL(" ").join(
            SQL("WHEN %s THEN %s", kind, rank) for kind, rank in KIND_RANKS.items()
        )
        rank_from, rank_to = (
            SQL(
                "(CASE %(status)s.kind %(cases)s ELSE 2 END, %(status)s.sequence)",
                status=SQL.identifier(alias),
                cases=cases,
            )
            for alias in (status_from, status_to)
        )
        return SQL(
            """
            CASE WHEN %(status_from)s.id IS NULL OR %(status_to)s.id IS NULL
                 THEN NULL
                 WHEN %(rank_to)s > %(rank_from)s THEN 'up'
                 WHEN %(rank_to)s < %(rank_from)s THEN 'down'
                 ELSE 'lateral'
            END
            """,
            status_from=SQL.identifier(status_from),
            status_to=SQL.identifier(status_to),
            rank_from=rank_from,
            rank_to=rank_to,
        )

    @api.model
    def _get_status_of_kind(self, scope, kind, company):
        """Return the first status (in sequence) of ``kind`` in ``scope`` for
        ``company``: the company's own, else a shared one."""
        return self.browse(self._get_status_of_kind_id(scope, kind, company.id))

    @api.model
    @tools.ormcache("scope", "kind", "company_id")
    def _get_status_of_kind_id(self, scope, kind, company_id):
        """The id of ``_get_status_of_kind``, cached until a status changes."""
        # sudo: the catalogue is configuration; automations run for any user
        return (
            self.sudo()
            .search(
                [
                    ("scope", "=", scope),
                    ("kind", "=", kind),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id, sequence, id",
                limit=1,
            )
            .id
        )

    @api.model
    @tools.ormcache()
    def _get_status_ids(self):
        """The ids of every status (archived ones and every company's
        included), cached until a status is created or deleted: what a value
        sent for a status is checked against without a query."""
        # sudo: the catalogue is configuration
        return frozenset(self.sudo().with_context(active_test=False).search([]).ids)

    @api.model
    @tools.ormcache("scope", "kind")
    def _get_status_ids_of_kind(self, scope, kind):
        """The ids of every status of ``kind`` in ``scope`` (archived ones
        and every company's included), cached until a status changes."""
        # sudo: the catalogue is configuration
        return tuple(
            self.sudo()
            .with_context(active_test=False)
            .search([("scope", "=", scope), ("kind", "=", kind)])
            .ids
        )

    def _get_usage_counts(self, with_archived, with_history=False, on_boards=False):
        """Count, per status of ``self``, the records that use it (archived
        records too when ``with_archived``), plus the history rows that name it
        when ``with_history``; only those the boards show with ``on_boards``
        (see ``_get_board_domains``). One grouped query per model."""
        counts = dict.fromkeys(self.ids, 0)
        boards = self._get_board_domains() if on_boards else {}
        for scope, model in self._get_status_models().items():
            statuses = self.filtered(lambda s, scope=scope: s.scope == scope)
            if not statuses:
                continue
            # sudo: usage is counted over every record, also those the user
            # cannot see, so that no record is left with an archived status.
            records = self.env[model].with_context(active_test=not with_archived).sudo()
            for status, count in records._read_group(
                expression.AND(
                    [[("client_status_id", "in", statuses.ids)], boards.get(scope, [])]
                ),
                ["client_status_id"],
                ["__count"],
            ):
                counts[status.id] += count
        if with_history:
            history = self.env["client.status.history"].sudo()  # idem
            for field in ("status_from_id", "status_to_id"):
                for status, count in history._read_group(
                    [(field, "in", self.ids)], [field], ["__count"]
                ):
                    counts[status.id] += count
        return counts

    def _get_used(self, with_history=False):
        """Return the statuses of ``self`` that records (archived ones too)
        use, or the history names with ``with_history``, and the counts."""
        counts = self._get_usage_counts(with_archived=True, with_history=with_history)
        return self.filtered(lambda status: counts[status.id]), counts

    def _check_scope_company_change(self, vals):
        """Refuse to move a status that records use to another scope or
        company: they would keep a status they cannot have."""
        changing = self.filtered(
            lambda status: ("scope" in vals and vals["scope"] != status.scope)
            or (
                "company_id" in vals
                and (vals["company_id"] or False) != status.company_id.id
            )
        )
        used = changing._get_used()[0]
        if used:
            raise UserError(
                _(
                    "Records use the status %(status)s: its scope and company cannot"
                    " change. Create another status instead.",
                    status=used[0].display_name,
                )
            )

    def _check_archivable(self, check_usage=True):
        """Refuse to archive a default status or, with ``check_usage``, a
        status still in use (the archive wizard moves its records first)."""
        defaults = self.filtered("is_default")
        if defaults:
            raise UserError(
                _(
                    "The status %(status)s is the default of its scope: make another"
                    " status the default before archiving it.",
                    status=defaults[0].display_name,
                )
            )
        if not check_usage:
            return
        used, counts = self._get_used()
        if used:
            raise UserError(
                _(
                    "%(count)s records still have the status %(status)s: use the"
                    " Archive action, which moves them to another status first.",
                    count=counts[used[0].id],
                    status=used[0].display_name,
                )
            )
