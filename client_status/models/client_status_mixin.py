# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, format_date, sql

from .client_status import KINDS
from .client_status_history import ClientStatusSource, StatusChange

_logger = logging.getLogger(__name__)

# The history sources of the changes that lock a status against the rules (a
# person's decision); those of rules, automation and installation do not.
LOCKING_SOURCES = ("manual", "import")
# The fields of the lock: a write that sets them decides the lock itself.
LOCK_FIELDS = {"client_status_locked", "client_status_locked_until"}
# Tables of more rows get the board's index from the background runs, not
# from the install (see ``_client_status_create_board_index``).
BOARD_INDEX_INSTALL_LIMIT = 100000
# The history sources a client (RPC, the web client) may cause: any other
# comes from the addon's own code only (see ``ClientStatusSource``).
CLIENT_SOURCES = ("manual", "import")


class ClientStatusMixin(models.AbstractModel):
    """A client status on a model, with its history.

    The inheriting model sets ``_client_status_scope`` (the scope of its
    statuses) and ``_client_status_history_field`` (the field of
    ``client.status.history`` pointing to it). Every change of
    ``client_status_id`` made through the ORM (create, write, import, kanban
    drag and drop, commercial-entity sync) gets its history row, written with
    one INSERT per create/write call.

    The context may name the origin of a change: ``client_status_source`` (one
    of the history sources, ``manual`` by default, ``import`` during an import;
    a ``ClientStatusSource``, which only the addon's code builds, for the
    others) and ``client_status_reason`` (free text).

    The fields the addon keeps itself (``_client_status_protected_fields``:
    computed, or kept by the engine, the jobs and the workflows) are not
    written by clients: ``create`` and ``write`` refuse them unless the
    environment is the superuser's (the addon's code writes them in SQL or
    with ``sudo()``).

    A manual or imported change locks the status against the rules for the
    days its company sets per scope (``_client_status_lock``), unless the
    same write sets the lock itself or the context says
    ``client_status_lock=False``.

    The rules that classify the records are ``client.status.engine``'s.
    """

    _name = "client.status.mixin"
    _inherit = ["client.status.engine"]
    _description = "Client Status Mixin"
    _client_status_scope = None
    _client_status_history_field = None

    client_status_id = fields.Many2one(
        "client.status",
        string="Client Status",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_client_status_id",
        default=lambda self: self._default_client_status_id(),
        domain=lambda self: (
            f"[('scope', '=', '{self._client_status_scope}'),"
            " '|', ('company_id', '=', False), ('company_id', '=?', company_id)]"
        ),
        groups="base.group_user",
    )
    client_status_color = fields.Integer(
        related="client_status_id.color",
        string="Status Color",
        groups="base.group_user",
    )
    # computed per status rather than related (per record): the rule engine
    # changes thousands of records at once
    client_status_kind = fields.Selection(
        KINDS,
        string="Status Kind",
        compute="_compute_client_status_kind",
        store=True,
        groups="base.group_user",
    )
    client_status_parent_id = fields.Many2one(
        "client.status",
        string="Parent Status",
        compute="_compute_client_status_kind",
        store=True,
        help="Groups statuses in two levels, "
        "e.g. Active > One-time, Periodic, Regular.",
        groups="base.group_user",
    )
    client_status_date = fields.Datetime(
        string="Status Since",
        readonly=True,
        copy=False,
        help="When the status last changed.",
        groups="base.group_user",
    )
    client_status_days = fields.Integer(
        string="Days in Status",
        compute="_compute_client_status_days",
        help="Days since the status last changed.",
        groups="base.group_user",
    )
    client_status_locked = fields.Boolean(
        string="Status Locked",
        copy=False,
        help="Rules do not change a locked status (until the given day, if any).",
        groups="base.group_user",
    )
    client_status_locked_until = fields.Date(
        string="Locked Until",
        copy=False,
        help="The last day the rules leave the status alone; empty: for good."
        " Set for the days of the settings when the status is changed by hand.",
        groups="base.group_user",
    )
    client_status_lock_info = fields.Char(
        string="Lock",
        compute="_compute_client_status_lock_info",
        help="Until when the rules leave the status alone.",
        groups="base.group_user",
    )
    client_status_computed_id = fields.Many2one(
        "client.status",
        string="Status by Rules",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The status the rules gave at their last run, when one matched.",
        groups="base.group_user",
    )
    client_status_rule_disagrees = fields.Boolean(
        string="Rule Disagrees",
        compute="_compute_client_status_rule_disagrees",
        store=True,
        help="The rules would give another status than the current one.",
        groups="base.group_user",
    )
    client_status_computed_info = fields.Char(
        string="Rules Would Give",
        compute="_compute_client_status_computed_info",
        groups="base.group_user",
    )
    client_status_pending = fields.Boolean(
        string="Status to Reclassify",
        copy=False,
        readonly=True,
        help="The inputs of the rules changed since their last run on this record.",
        groups="base.group_user",
    )
    client_status_explanation = fields.Text(
        string="Why this Status",
        compute="_compute_client_status_explanation",
        groups="client_status.client_status_group_user",
        help="The rule that gave the current status, with the metric values it tested.",
    )
    client_status_history_count = fields.Integer(
        string="Status Changes",
        compute="_compute_client_status_history_count",
        groups="client_status.client_status_group_user",
    )
    client_status_next_action = fields.Char(
        related="client_status_id.next_action",
        string="Next Action",
        groups="base.group_user",
    )
    client_status_stale = fields.Boolean(
        string="Stale",
        compute="_compute_client_status_stale",
        search="_search_client_status_stale",
        help="The record has kept its status longer than the status allows.",
        groups="base.group_user",
    )

    @api.model
    def _default_client_status_id(self):
        return self.env["client.status"]._get_default_status(
            self._client_status_scope, self._client_status_default_company()
        )

    @api.model
    def _client_status_stored_values(self, status):
        """The stored fields computed from the status alone, with their
        values for ``status`` (a record of the catalogue): the engine writes
        them with the status rather than having them computed record by
        record."""
        return {
            "client_status_kind": status.kind,
            "client_status_parent_id": status.parent_id.id,
        }

    @api.model
    def _client_status_install_kind_sql(self):
        """SQL naming the kind of status a record (its row aliased ``rec``)
        gets at install instead of the default status (``NULL``: the
        default), or None when the model has no such states."""
        return None

    @api.depends("client_status_id.kind", "client_status_id.parent_id")
    def _compute_client_status_kind(self):
        for status, records in self.grouped("client_status_id").items():
            records.client_status_kind = status.kind
            records.client_status_parent_id = status.parent_id

    @api.depends("client_status_id", "client_status_computed_id")
    def _compute_client_status_rule_disagrees(self):
        for record in self:
            computed = record.client_status_computed_id
            record.client_status_rule_disagrees = bool(
                computed and computed != record.client_status_id
            )

    @api.depends("client_status_locked", "client_status_locked_until")
    def _compute_client_status_lock_info(self):
        today = fields.Date.context_today(self)
        for record in self:
            until = record.client_status_locked_until
            if not record.client_status_locked or (until and until < today):
                # not locked, or no longer: the rules apply again
                record.client_status_lock_info = False
            elif record.client_status_locked_until:
                record.client_status_lock_info = _(
                    "Status locked until %(date)s: the rules leave it alone.",
                    date=format_date(self.env, until),
                )
            else:
                record.client_status_lock_info = _(
                    "Status locked for good: the rules leave it alone."
                )

    @api.depends("client_status_rule_disagrees", "client_status_computed_id")
    def _compute_client_status_computed_info(self):
        for record in self:
            record.client_status_computed_info = (
                _(
                    "The rules would give %(status)s.",
                    status=record.client_status_computed_id.display_name,
                )
                if record.client_status_rule_disagrees
                else False
            )

    def _compute_client_status_explanation(self):
        field = self._client_status_history_field
        History = self.env["client.status.history"]
        last_ids = [
            last_id
            for __, last_id in History._read_group(
                [(field, "in", self.ids)], [field], ["id:max"]
            )
        ]
        last_rows = {row[field]: row for row in History.browse(last_ids)}
        for record in self:
            row = last_rows.get(record)
            if row and row.rule_id and row.status_to_id == record.client_status_id:
                record.client_status_explanation = _(
                    "%(rule)s\n%(metrics)s",
                    rule=row.rule_id.name,
                    metrics=row.metrics_display,
                )
            else:
                record.client_status_explanation = False

    def _compute_client_status_days(self):
        now = fields.Datetime.now()
        for record in self:
            date = record.client_status_date
            record.client_status_days = (now - date).days if date else 0

    def _compute_client_status_stale(self):
        now = fields.Datetime.now()
        for record in self:
            days = record.client_status_id.stale_days
            record.client_status_stale = bool(
                days
                and record.client_status_date
                and record.client_status_date < now - timedelta(days=days)
            )

    def _search_client_status_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Stale."))
        now = fields.Datetime.now()
        # archived statuses too: their records still go stale
        statuses = (
            self.env["client.status"]
            .with_context(active_test=False)
            .search([("scope", "=", self._client_status_scope), ("stale_days", ">", 0)])
        )
        limits = [
            (status, now - timedelta(days=status.stale_days)) for status in statuses
        ]
        if (operator == "=") == value:
            return expression.OR(
                [
                    [
                        ("client_status_id", "=", status.id),
                        ("client_status_date", "<", limit),
                    ]
                    for status, limit in limits
                ]
            )
        # the complement, spelled out: a negated "<" would leave out the
        # records without a status date, which are not stale
        return expression.OR(
            [
                [("client_status_id", "not in", statuses.ids)],
                [("client_status_date", "=", False)],
                *(
                    [
                        ("client_status_id", "=", status.id),
                        ("client_status_date", ">=", limit),
                    ]
                    for status, limit in limits
                ),
            ]
        )

    def _compute_client_status_history_count(self):
        field = self._client_status_history_field
        counts = dict(
            self.env["client.status.history"]._read_group(
                [(field, "in", self.ids)], [field], ["__count"]
            )
        )
        for record in self:
            record.client_status_history_count = counts.get(record, 0)

    @api.constrains("client_status_id", "company_id")
    def _check_client_status_id(self):
        # per status: the rule engine changes thousands of records at once
        for status, records in self.grouped("client_status_id").items():
            if not status:
                continue
            if status.scope != self._client_status_scope:
                raise ValidationError(
                    _(
                        "The status %(status)s is not a status for %(model)s.",
                        status=status.display_name,
                        model=self._description,
                    )
                )
            if not status.company_id:
                continue
            for record in records:
                if record.company_id and record.company_id != status.company_id:
                    raise ValidationError(
                        _(
                            "The status %(status)s belongs to %(status_company)s,"
                            " not to %(company)s, the company of %(record)s.",
                            status=status.display_name,
                            status_company=status.company_id.name,
                            company=record.company_id.name,
                            record=record.display_name,
                        )
                    )

    @api.onchange("client_status_id")
    def _onchange_client_status_id_lock(self):
        """Show on the form the lock a change of status gets when saved (the
        user may change it first), and the stored lock again when the status
        is put back. New records: ``create`` decides."""
        for record in self:
            origin = record._origin
            if not origin:
                continue
            if record.client_status_id == origin.client_status_id:
                record.client_status_locked = origin.client_status_locked
                record.client_status_locked_until = origin.client_status_locked_until
                continue
            days = record._client_status_lock_days()
            if (
                days <= 0
                or not record.filtered_domain(self._client_status_engine_domain())
                or (
                    record.client_status_locked
                    and not record.client_status_locked_until
                )
            ):
                continue
            until = fields.Date.context_today(record) + timedelta(days=days)
            if record.client_status_locked:
                until = max(until, record.client_status_locked_until)
            record.client_status_locked = True
            record.client_status_locked_until = until

    @api.model
    def _read_group_client_status_id(self, statuses, domain):
        """Kanban columns: every active status of the scope, plus those the
        grouped records already have."""
        return statuses.search(
            [
                "|",
                ("id", "in", statuses.ids),
                ("scope", "=", self._client_status_scope),
            ],
            order=statuses._order,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._client_status_check_protected(
            {fname for vals in vals_list for fname in vals}
            | {
                key.removeprefix("default_")
                for key in self.env.context
                if key.startswith("default_")
            }
        )
        # a status chosen (not filled in by default) may lock the record
        chosen = [
            bool(vals.get("client_status_id")) and not LOCK_FIELDS & vals.keys()
            for vals in vals_list
        ]
        self._client_status_fill_defaults(vals_list)
        records = super().create(vals_list)
        changed = records._client_status_log_changes(
            dict.fromkeys(records.ids, (False, False))
        )
        changed._client_status_check_active()
        chosen_ids = {
            record.id for record, lock in zip(records, chosen, strict=True) if lock
        }
        # a default status is where the rules start from: no lock
        changed.filtered(
            lambda record: record.id in chosen_ids
            and not record.client_status_id.is_default
        )._client_status_lock_changes()
        return records

    def write(self, vals):
        self._client_status_check_protected(vals)
        if "client_status_id" not in vals:
            return super().write(vals)
        done = self.env.context.get("client_status_automation_done")
        if done is not None and self._client_status_source() == "automation":
            # automation rules change a record's status once per event: a
            # pair of rules A -> B, B -> A must not loop (nor flip twice)
            again = self.filtered(lambda record: (record._name, record.id) in done)
            if again:
                _logger.info(
                    "Automation rules changed the status of %s in this event"
                    " already: not again.",
                    again,
                )
                other_vals = dict(vals)
                del other_vals["client_status_id"]
                if other_vals:
                    super(ClientStatusMixin, again).write(other_vals)
                # the others go on below
                self -= again
                if not self:
                    return True
            done.update((record._name, record.id) for record in self)
        before = {
            record.id: (record.client_status_id.id, record.client_status_date)
            for record in self
        }
        res = super().write(vals)
        changed = self._client_status_log_changes(
            before, stamp="client_status_date" not in vals
        )
        changed._client_status_check_active()
        if not LOCK_FIELDS & vals.keys():
            changed._client_status_lock_changes()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_client_status_summaries(self):
        """The history rows go with the records (ON DELETE CASCADE): take
        them out of the analysis summaries first. Not a check, but here
        rather than in ``unlink`` so that it runs after the access checks."""
        self.env["client.status.history"].flush_model()
        self.env["client.status.history"]._summarize(
            SQL(
                "%s = ANY(%s)",
                SQL.identifier("history", self._client_status_history_field),
                self.ids,
            ),
            sign=-1,
        )

    @api.model
    def _client_status_protected_fields(self):
        """The fields of the addon that clients do not write: computed, or
        kept by the rule engine, the jobs and the workflows. Another model
        or addon adds its own."""
        return {
            "client_status_color",
            "client_status_kind",
            "client_status_parent_id",
            "client_status_date",
            "client_status_days",
            "client_status_lock_info",
            "client_status_computed_id",
            "client_status_rule_disagrees",
            "client_status_computed_info",
            "client_status_pending",
            "client_status_explanation",
            "client_status_history_count",
            "client_status_next_action",
            "client_status_stale",
        }

    @api.model
    def _client_status_check_protected(self, fnames):
        """Refuse the values of protected fields (see
        ``_client_status_protected_fields``) unless the environment is the
        superuser's: ``readonly`` on a view protects nothing over RPC."""
        if self.env.su:
            return
        protected = self._client_status_protected_fields() & set(fnames)
        if protected:
            raise AccessError(
                _(
                    "The fields %(fields)s of %(model)s are kept by Client Status"
                    " itself: they cannot be written.",
                    fields=", ".join(
                        sorted(self._fields[fname].string for fname in protected)
                    ),
                    model=self._description,
                )
            )

    def _client_status_check_active(self):
        """Refuse an archived status given to the records of ``self`` (whose
        status just changed), except where the record only follows the
        status of another record (``_client_status_follows_status``)."""
        # per status: the rule engine changes thousands of records at once
        if all(self.client_status_id.mapped("active")):
            return
        archived = self.filtered(
            lambda record: record.client_status_id
            and not record.client_status_id.active
        )
        archived -= archived._client_status_follows_status()
        if archived:
            raise ValidationError(
                _(
                    "The status %(status)s is archived: it cannot be given to"
                    " %(record)s.",
                    status=archived[0].client_status_id.display_name,
                    record=archived[0].display_name,
                )
            )

    def _client_status_follows_status(self):
        """The records of ``self`` whose status follows another record's
        (e.g. a contact its company's), which may be an archived status
        already: none by default."""
        return self.browse()

    def action_open_client_status_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "client_status.client_status_history_action"
        )
        action["domain"] = [(self._client_status_history_field, "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _client_status_default_company(self):
        """The company whose default status new records get when their own
        company is not known: the current company."""
        return self.env.company

    @api.model
    def _client_status_fill_defaults(self, vals_list):
        """Give the values that name a company but no status the default
        status of that company (the field default knows the current company
        only). One search per company."""
        pending = [
            vals
            for vals in vals_list
            if vals.get("company_id") and "client_status_id" not in vals
        ]
        Status = self.env["client.status"]
        defaults = {
            company_id: Status._get_default_status(
                self._client_status_scope, self.env["res.company"].browse(company_id)
            ).id
            for company_id in {vals["company_id"] for vals in pending}
        }
        for vals in pending:
            vals["client_status_id"] = defaults[vals["company_id"]]

    def _client_status_source(self):
        """The history source of the changes made in the current context: the
        ``client_status_source`` of the context when the addon's code named
        it (a ``ClientStatusSource``) or when it is one clients may name
        (``CLIENT_SOURCES``); else ``import`` during an import, ``manual``
        otherwise. The one place that decides."""
        source = self.env.context.get("client_status_source")
        valid = dict(self.env["client.status.history"]._fields["source"].selection)
        if isinstance(source, ClientStatusSource) and source in valid:
            return str(source)
        if self.env.context.get("import_file"):
            return "import"
        if source in CLIENT_SOURCES:
            return source
        return "manual"

    def _client_status_reason(self):
        """The reason recorded with the changes made in the current context."""
        return self.env.context.get("client_status_reason")

    def _client_status_change_reasons(self):
        """Reasons of the changes of the records of ``self`` that have one of
        their own, ``{record_id: text}``; the others get the reason of the
        context. None by default."""
        return {}

    def _client_status_explanation(self, explanations):
        """The ``(rule_id, metrics)`` that explain a record's change, from the
        ``client_status_explanations`` of the context; ``(None, None)``."""
        self.ensure_one()
        return explanations.get(self.id, (None, None))

    def _client_status_company(self):
        """The company a record's history rows belong to (for multi-company
        rules); the record's own company by default."""
        self.ensure_one()
        return self.company_id

    def _client_status_log_changes(self, before, stamp=True):
        """Write the history rows of the records of ``self`` whose status
        differs from ``before`` and, with ``stamp``, set their
        ``client_status_date`` (a write that sets it itself passes False);
        return those records.

        :param dict before: ``{record_id: (status_id, status_date)}`` as they
            were before the change
        """
        changed = self.filtered(
            lambda rec: rec.client_status_id.id != before[rec.id][0]
        )
        if not changed:
            return changed
        # the rule and metrics of a change: the addon's own (a rule's), not a
        # client's
        explanations = (
            self.env.context.get("client_status_explanations") or {}
            if isinstance(
                self.env.context.get("client_status_source"), ClientStatusSource
            )
            else {}
        )
        reasons = changed._client_status_change_reasons()
        changes = [
            StatusChange(
                record_id=record.id,
                from_id=before[record.id][0] or None,
                to_id=record.client_status_id.id or None,
                previous_date=before[record.id][1] or None,
                company_id=record._client_status_company().id or None,
                rule_id=rule_id,
                metrics=metrics,
                reason=reasons.get(record.id),
            )
            for record in changed
            for rule_id, metrics in [record._client_status_explanation(explanations)]
        ]
        now = fields.Datetime.now()
        self.env["client.status.history"]._insert_rows(
            self._client_status_history_field,
            self._client_status_scope,
            changes,
            self._client_status_source(),
            reason=self._client_status_reason(),
            date=now,
        )
        if stamp:
            changed._client_status_stamp_date(now)
        changed.invalidate_recordset(["client_status_history_count"])
        return changed

    def _client_status_lock_changes(self):
        """Lock the records of ``self``, whose status just changed, against
        the rules when a person made the change (``LOCKING_SOURCES``), unless
        the context says ``client_status_lock=False``."""
        if (
            not self
            or self._client_status_source() not in LOCKING_SOURCES
            or self.env.context.get("client_status_lock") is False
            # a record of a data file (demo data, a module's records): the
            # module's author, not a person judging the client
            or self.env.context.get("install_filename")
        ):
            return
        self._client_status_lock()

    def _client_status_lock_days(self):
        """The days a manual change of the status of a record locks it: the
        setting of its company for the scope (of the current company for a
        record of no company); 0: no lock."""
        self.ensure_one()
        fname = f"client_status_lock_days_{self._client_status_scope}"
        company = self.company_id or self.env.company
        return company[fname] if fname in company._fields else 0

    def _client_status_lock(self):
        """Lock the statuses of the records of ``self`` the rules classify
        until today plus the days of ``_client_status_lock_days``, in one
        SQL statement (an ORM write would run write() and its automations a
        second time for one change). A lock for good stays so, a lock until a
        later day keeps its day; 0 days locks nothing."""
        records = self.filtered_domain(self._client_status_engine_domain())
        fname = f"client_status_lock_days_{self._client_status_scope}"
        Company = self.env["res.company"]
        if not records or fname not in Company._fields:
            return
        Company.flush_model([fname])
        fnames = ["company_id", "client_status_locked", "client_status_locked_until"]
        records.flush_recordset(fnames)
        until = SQL(
            "%s::date + %s",
            fields.Date.context_today(self),
            SQL.identifier("company", fname),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS record
                   SET client_status_locked = TRUE,
                       client_status_locked_until = CASE
                           WHEN record.client_status_locked IS NOT TRUE THEN %(until)s
                           WHEN record.client_status_locked_until IS NULL THEN NULL
                           ELSE GREATEST(record.client_status_locked_until, %(until)s)
                       END
                  FROM res_company AS company
                 WHERE record.id = ANY(%(ids)s)
                   AND company.id = COALESCE(record.company_id, %(company_id)s)
                   AND %(days)s > 0
                """,
                table=SQL.identifier(self._table),
                until=until,
                ids=records.ids,
                company_id=self.env.company.id,
                days=SQL.identifier("company", fname),
            )
        )
        records.invalidate_recordset(fnames[1:])

    def _client_status_set_links(self, fname, targets):
        """Set the technical many2one ``fname`` of the records of ``self`` to
        ``targets`` (one record each, in the same order) in one SQL
        statement: no write(), nor its automations, for a technical link."""
        self.flush_recordset([fname])
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS record
                   SET %(column)s = link.target_id
                  FROM unnest(%(ids)s::int[], %(target_ids)s::int[])
                       AS link(id, target_id)
                 WHERE record.id = link.id AND record.id = ANY(%(ids)s)
                """,
                table=SQL.identifier(self._table),
                column=SQL.identifier(fname),
                ids=self.ids,
                target_ids=targets.ids,
            )
        )
        self.invalidate_recordset([fname])

    def _client_status_stamp_date(self, date):
        """Set ``client_status_date`` to ``date`` on ``self`` as a change to
        store at the next flush, with the status in the same UPDATE: an ORM
        write would run write() and its automations a second time for one
        change."""
        records = self.filtered("id")
        self.env.cache.update(
            records,
            self._fields["client_status_date"],
            [date] * len(records),
            dirty=True,
        )

    def _auto_init(self):
        # Installing the addon: the status column is new, no record has a
        # status yet, and the addon's stored fields computed from it (kind,
        # parent, rule disagreement...) are empty on every record: their
        # columns are created empty here rather than computed row by row by
        # the ORM (minutes at a million records). The statuses come from the
        # post-init hook (in the background on a large database).
        cr = self.env.cr
        if (
            self._auto
            and not self._abstract
            and sql.table_exists(cr, self._table)
            and not sql.column_exists(cr, self._table, "client_status_id")
        ):
            for field in self._fields.values():
                if (
                    field.store
                    and field.compute
                    and field.column_type
                    and field._module == "client_status"
                    and not sql.column_exists(cr, self._table, field.name)
                ):
                    sql.create_column(
                        cr, self._table, field.name, field.column_type[1], field.string
                    )
        return super()._auto_init()

    def init(self):
        if self._abstract:
            return super().init()
        # the pending records are few: a partial index finds them
        create_index(
            self.env.cr,
            f"{self._table}_client_status_pending_index",
            self._table,
            ["id"],
            where="client_status_pending",
        )
        self._client_status_create_board_index(deferrable=True)
        return super().init()

    @api.model
    def _client_status_board_index(self):
        """The board's index: ``(expressions, where)``, the model's order
        and the records its board shows, so that the first cards of a column
        come from the index rather than from sorting the whole column; None
        for no index."""
        return None

    @api.model
    def _client_status_create_board_index(self, deferrable=False):
        """Create the board's index (``_client_status_board_index``) unless
        it exists; with ``deferrable`` (installing or updating the addon),
        not on a table of more than ``BOARD_INDEX_INSTALL_LIMIT`` rows, whose
        index the background runs create (seconds at a million rows: the
        install returns sooner). Return whether the index exists."""
        board = self._client_status_board_index()
        if not board:
            return True
        name = f"{self._table}_client_status_board_index"
        cr = self.env.cr
        if sql.index_exists(cr, name):
            return True
        if deferrable:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM (SELECT FROM %s LIMIT %s) AS row",
                    SQL.identifier(self._table),
                    BOARD_INDEX_INSTALL_LIMIT + 1,
                )
            )
            if cr.fetchone()[0] > BOARD_INDEX_INSTALL_LIMIT:
                _logger.info("%s: the board's index is left to the runs", self._name)
                return False
        expressions, where = board
        create_index(
            cr, name, self._table, ["client_status_id", *expressions], where=where
        )
        return True
