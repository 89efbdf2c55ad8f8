# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, format_date, sql

from .client_status import KINDS
from .client_status_history import StatusChange
from .client_status_run import BATCH_SIZE_FIRST

_logger = logging.getLogger(__name__)

# The history sources of the changes that lock a status against the rules (a
# person's decision); those of rules, automation and installation do not.
LOCKING_SOURCES = ("manual", "import")
# The fields of the lock: a write that sets them decides the lock itself.
LOCK_FIELDS = {"client_status_locked", "client_status_locked_until"}
# The history sources a client (RPC, the web client) may cause: any other
# comes from the addon's own code only (see ``ClientStatusSource``).
CLIENT_SOURCES = ("manual", "import")


class ClientStatusSource(str):
    """A history source named by the addon's own code in the context
    (``client_status_source``): the context of an RPC call is JSON, which
    cannot build an instance of this class, so a source of another type is
    not trusted (see ``ClientStatusMixin._client_status_source``)."""

    __slots__ = ()


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

    The mixin also carries the rule engine's per-model part: the metric
    providers (``_client_status_metric_<name>``), the evaluation of compiled
    rules on a batch, the application of its result (one write per target
    status) and the lock, computed-status and pending marks.
    """

    _name = "client.status.mixin"
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
                record.id,
                before[record.id][0] or None,
                record.client_status_id.id or None,
                before[record.id][1] or None,
                record._client_status_company().id or None,
                *record._client_status_explanation(explanations),
                reasons.get(record.id),
            )
            for record in changed
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

    # ------------------------------------------------------------------
    # Rule engine
    # ------------------------------------------------------------------

    @api.model
    def _client_status_metrics(self):
        """The metrics rules can test on this model (names of
        ``client.status.rule.condition.metric``), each computed by a method
        ``_client_status_metric_<name>(window_days, context)``."""
        return {"days_in_status", "days_since_last_contact"}

    @api.model
    def _client_status_metric_inputs(self):
        """What the metric providers of this model read besides the records
        themselves, ``{metric: {model: field names}}``; ``message_ids``
        stands for the messages posted on a record. A change of one of those
        values on a record with a customer (a lead, an order) marks the
        customer for the pending job (``_client_status_inputs_changed``);
        writes of other fields cost nothing. Another metric declares its own."""
        return {
            "days_in_status": {},
            "days_since_last_contact": {self._name: {"message_ids"}},
        }

    def _client_status_metric_days_in_status(self, window_days, context):
        """Days since the status of each record changed."""
        now = context["now"]
        return {
            record.id: (now - record.client_status_date).days
            for record in self
            if record.client_status_date
        }

    def _client_status_metric_days_since_last_contact(self, window_days, context):
        """Days since the last message (email, note, done activity) on each
        record."""
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "mail_activity_type_id", "date"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, max(date) FROM mail_message
                 WHERE model = %s AND res_id = ANY(%s)
                   AND (message_type IN ('email', 'comment')
                        OR mail_activity_type_id IS NOT NULL)
                 GROUP BY res_id
                """,
                self._name,
                self.ids,
            )
        )
        return {
            res_id: (context["now"] - date).days
            for res_id, date in self.env.cr.fetchall()
        }

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
        if board := self._client_status_board_index():
            expressions, where = board
            create_index(
                self.env.cr,
                f"{self._table}_client_status_board_index",
                self._table,
                ["client_status_id", *expressions],
                where=where,
            )
        return super().init()

    @api.model
    def _client_status_board_index(self):
        """The board's index: ``(expressions, where)``, the model's order
        and the records its board shows, so that the first cards of a column
        come from the index rather than from sorting the whole column; None
        for no index."""
        return None

    def _client_status_mark_pending(self, pending=True):
        """Mark ``self`` for (or clear it from) the reclassification of the
        pending records (the pending job, every few minutes).

        Marks are gathered for the transaction and stored once, in one SQL
        UPDATE per model (no write() for a technical flag, nor its
        automations): when the transaction is about to commit, or earlier
        when something reads or searches the flag (``flush_model``), so that
        reads see them. Clearing (the engine, once a batch is done) is one
        UPDATE."""
        records = self.filtered("id")
        if not records:
            return
        field = self._fields["client_status_pending"]
        if pending:
            # those marked already, as far as the cache knows, are left alone
            records = self.env.cache.get_records_different_from(records, field, True)
            if records:
                records._client_status_at_commit("_client_status_store_pending")
                records.invalidate_recordset(["client_status_pending"])
            return
        records.flush_model(["client_status_pending"])
        records._client_status_store_pending(False)

    def _client_status_store_pending(self, pending=True, log_exceptions=True):
        """Store the pending marks of ``self`` (see
        ``_client_status_mark_pending``; the pending job, every few minutes,
        reclassifies them), or clear them, in one SQL statement; without
        ``log_exceptions``, a failure (a lock timeout) is the caller's to
        handle, not an error to log."""
        if pending:
            # those the transaction reclassifies before it commits need none
            reclassified = self.env.cr.precommit.data.get(
                self._client_status_at_commit_key("_client_status_reclassify_now")
            )
            if reclassified:
                self = self.browse(id_ for id_ in self._ids if id_ not in reclassified)
        if not self:
            return
        # rows already so (NULL included) are left alone: no new row
        # version, no lock; the marked ones are found by index
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET client_status_pending = %s WHERE id = ANY(%s) AND %s",
                SQL.identifier(self._table),
                pending,
                self.ids,
                SQL("client_status_pending IS NOT TRUE")
                if pending
                else SQL("client_status_pending"),
            ),
            log_exceptions=log_exceptions,
        )
        self.invalidate_recordset(["client_status_pending"])

    def flush_model(self, fnames=None):
        # searches flush the fields they test: the flag's gathered marks first
        if fnames is None or "client_status_pending" in fnames:
            self._client_status_store_gathered_pending()
        return super().flush_model(fnames)

    def _fetch_query(self, query, fields):
        # reads do not flush: the records marked for the commit read as
        # marked (every read of a contact fetches the flag: no UPDATE here)
        fetched = super()._fetch_query(query, fields)
        field = self._fields["client_status_pending"]
        key = self._client_status_at_commit_key("_client_status_store_pending")
        gathered = self.env.cr.precommit.data.get(key)
        if gathered and field in fields:
            marked = fetched.browse(id_ for id_ in fetched._ids if id_ in gathered)
            self.env.cache.update(marked, field, [True] * len(marked))
        return fetched

    @api.model
    def _client_status_store_gathered_pending(self):
        """Store the pending marks gathered for the commit now (the flag is
        about to be read or searched)."""
        key = self._client_status_at_commit_key("_client_status_store_pending")
        ids = self.env.cr.precommit.data.get(key)
        if ids:
            pending = self.browse(sorted(ids))
            ids.clear()
            pending._client_status_store_pending()

    def _client_status_at_commit(self, method):
        """Call ``method`` (a method name) once, when the transaction is
        about to commit, on the records of ``self`` and of every such call
        gathered (deleted ones included: the method copes), in the
        environment of the first call: side effects done once per
        transaction, whatever the number of writes. A failure there aborts
        the commit, as a failure of the write would have."""
        data = self.env.cr.precommit.data
        key = self._client_status_at_commit_key(method)
        ids = data.get(key)
        if ids is None:
            ids = data[key] = set()
            env = self.env

            def run():
                getattr(self.with_env(env).browse(sorted(data.pop(key, ()))), method)()
                # after the transaction's last flush: store what it changed
                env.flush_all()

            self.env.cr.precommit.add(run)
        ids.update(self.ids)

    @api.model
    def _client_status_at_commit_key(self, method):
        """The key of the records gathered for ``method`` in the data of the
        transaction's precommit hooks."""
        return f"client_status.{self._name}.{method}"

    @api.model
    def _client_status_pending_domain(self):
        """The pending records the rules classify."""
        return expression.AND(
            [
                [("client_status_pending", "=", True)],
                self._client_status_engine_domain(),
            ]
        )

    @api.model
    def _client_status_pending_batch(self):
        """The next batch of pending records, locked (see
        ``_client_status_read_batch``): those a user or a full run is
        writing now stay pending for the next call."""
        return self._client_status_read_batch(
            self._client_status_pending_domain(), BATCH_SIZE_FIRST, lock=True
        )

    def _client_status_reclassify_at_commit(self):
        """Reclassify the records of ``self`` as ``_client_status_reclassify_now``
        does, once for all those of the transaction, when it is about to
        commit (an event on many records: one run of the rules)."""
        self._client_status_at_commit("_client_status_reclassify_now")

    def _client_status_reclassify_now(self):
        """Reclassify the records of ``self`` the rules classify at once (an
        event changed their inputs), as the pending job would; return the
        records changed."""
        if not self:
            return self
        records, stored = self._client_status_read_batch(
            expression.AND(
                [[("id", "in", self.ids)], self._client_status_engine_domain()]
            ),
            None,
        )
        if not records:
            return records
        run = self.env["client.status.run"]._new_incremental(self._client_status_scope)
        return run._reclassify(records, stored, run._engine_context())

    @api.model
    def _client_status_read_batch(self, domain, limit, lock=False):
        """The first ``limit`` records of ``domain`` in id order and what the
        engine compares the rules' result with, read in the same query:
        ``(records, stored)``, ``stored`` being ``{id: (status_id,
        computed_status_id, pending)}``. The engine reads each value once:
        plain values cost less than the ORM cache for thousands of records.

        With ``lock``, the rows are locked for the transaction, in id order,
        and those another transaction is writing now are left out (``SKIP
        LOCKED``): the batch then never waits on a user, nor a user on a row
        the batch has yet to reach."""
        fnames = [
            "client_status_id",
            "client_status_computed_id",
            "client_status_pending",
        ]
        self.flush_model(fnames)
        query = self._search(domain, order="id", limit=limit)
        select = query.select(
            *(
                self._field_to_sql(self._table, fname, query)
                for fname in ["id", *fnames]
            )
        )
        if lock:
            select = SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                select,
                SQL.identifier(self._table),
            )
        # a conflict with a concurrent change is the caller's to retry, not
        # an error to log
        self.env.cr.execute(select, log_exceptions=not lock)
        rows = self.env.cr.fetchall()
        return self.browse([row[0] for row in rows]), {row[0]: row[1:] for row in rows}

    @api.model
    def _client_status_engine_domain(self):
        """The records the rules classify (all, by default)."""
        return []

    @api.model
    def _client_status_rule_domain(self, today):
        """The records rules may reclassify: not locked (or locked until a
        past day), and not with a blacklist-kind status."""
        return [
            ("client_status_kind", "!=", "blacklist"),
            "|",
            ("client_status_locked", "=", False),
            ("client_status_locked_until", "<", today),
        ]

    def _client_status_unlocked(self, today):
        """The records of ``self`` rules may change, in one query."""
        if not self:
            return self
        return self.browse(
            self._search(
                expression.AND(
                    [[("id", "in", self.ids)], self._client_status_rule_domain(today)]
                )
            )
        )

    def _client_status_evaluate(self, rules, context):
        """Return ``{record_id: (status_id, rule_id, metrics)}`` for the
        records of ``self`` that a rule matches (first match in sequence).

        :param rules: the compiled rules (``client.status.rule._compile()``)
        :param dict context: ``now``, ``today`` and a ``run`` cache shared by
            the batches of one run
        """
        keys = {key for rule in rules for key, *__ in rule["conditions"]}
        # the windows tested, so that a provider computes them all at once
        context = dict(context, batch={}, windows={key[1] for key in keys if key[1]})
        values = {
            key: getattr(self, f"_client_status_metric_{key[0]}")(key[1], context)
            for key in keys
        }
        matching = {
            rule["id"]: set(
                self.with_context(active_test=False)._search(
                    expression.AND([[("id", "in", self.ids)], rule["domain"]])
                )
            )
            for rule in rules
            if rule["domain"]
        }
        # rule after rule, on the set of records no earlier rule matched
        result = {}
        remaining = set(self.ids)
        for rule in rules:
            matched = remaining
            if rule["domain"]:
                matched = matched & matching[rule["id"]]
            for key, operator, low, high in rule["conditions"]:
                matched = _matching(values[key], matched, operator, low, high)
            columns = [
                (_metric_name(key), values[key]) for key, *__ in rule["conditions"]
            ]
            for record_id in matched:
                # a plain loop: thousands of records, no comprehension frame each
                metrics = {}
                for name, column in columns:
                    metrics[name] = column[record_id]
                result[record_id] = (rule["status_id"], rule["id"], metrics)
            remaining = remaining - matched
            if not remaining:
                break
        return result

    def _client_status_to_change(self, evaluation, stored):
        """The records of ``self`` whose status ``evaluation`` (from
        ``_client_status_evaluate``) changes, locked or not.

        :param dict stored: ``{id: (status_id, ...)}`` as read with the batch
        """
        return self.browse(
            record_id
            for record_id in self.ids
            if evaluation.get(record_id, (None,))[0] not in (None, stored[record_id][0])
        )

    def _client_status_apply(self, evaluation):
        """Give the records of ``self`` the statuses of ``evaluation`` (from
        ``_client_status_evaluate``) where they differ, with the records that
        follow them (``_client_status_followers``): one write per target
        status, through the ORM so that automations and checks run, without
        chatter tracking (the history is the record). Return the records
        changed."""
        targets = {}
        for record in self:
            status_id, rule_id, metrics = evaluation.get(record.id, (None, None, None))
            if status_id and status_id != record.client_status_id.id:
                targets.setdefault(status_id, []).append(record.id)
        explanations = {
            record_id: evaluation[record_id][1:]
            for record_ids in targets.values()
            for record_id in record_ids
        }
        followers = self.browse(
            record_id for record_ids in targets.values() for record_id in record_ids
        )._client_status_followers()
        changed = self.browse()
        now = fields.Datetime.now()
        for status_id, record_ids in targets.items():
            records = self.browse(record_ids)
            written = records.union(
                *(
                    followers[record_id]
                    for record_id in record_ids
                    if record_id in followers
                )
            ).with_context(
                client_status_source=ClientStatusSource("rule"),
                client_status_explanations=explanations,
                client_status_followers_written=True,
                tracking_disable=True,
            )
            # the date and the rules' status in the same UPDATE as the status;
            # they agree, no need to compute it record by record. sudo: the
            # engine writes them (protected fields), with the status the
            # rules computed; the history keeps the user who ran it
            written.sudo().write(
                {
                    "client_status_id": status_id,
                    "client_status_date": now,
                    "client_status_computed_id": status_id,
                    "client_status_rule_disagrees": False,
                }
            )
            changed |= records
        return changed

    def _client_status_followers(self):
        """The records whose status follows that of records of ``self`` (a
        company's contacts), given it in the same write by the engine:
        ``{record_id: followers}``. None by default."""
        return {}

    def _client_status_store_computed(self, evaluation, stored):
        """Store the status the rules computed for each record of ``self``
        (none where no rule matched) and whether it differs from the current
        one: one SQL statement for the records whose stored value differs,
        none when the rules still agree with what is stored.

        :param dict stored: ``{id: (status_id, computed_status_id, ...)}`` as
            read with the batch (the statement checks again: records changed
            since have their computed status already)
        """
        changes = {
            record_id: status_id
            for record_id in self.ids
            if (status_id := evaluation.get(record_id, (None,))[0])
            != stored[record_id][1]
        }
        fnames = [
            "client_status_id",
            "client_status_computed_id",
            "client_status_rule_disagrees",
        ]
        # what the batch changed goes to the database first, in one UPDATE
        # per row
        self.flush_recordset()
        if not changes:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS record
                   SET client_status_computed_id = result.status_id,
                       client_status_rule_disagrees =
                           result.status_id IS NOT NULL
                           AND record.client_status_id IS DISTINCT FROM result.status_id
                  FROM unnest(%(ids)s::int[], %(status_ids)s::int[])
                       AS result(id, status_id)
                 WHERE record.id = result.id
                   AND record.id = ANY(%(ids)s)
                   AND record.client_status_computed_id
                       IS DISTINCT FROM result.status_id
                """,
                table=SQL.identifier(self._table),
                ids=list(changes),
                status_ids=list(changes.values()),
            )
        )
        self.invalidate_recordset(fnames[1:])


def _matching(values, ids, operator, low, high):
    """The ids of ``ids`` whose value in ``values`` (``{id: value}``, no
    entry: no value, which meets no condition) meets the condition
    ``operator`` ``low`` (``high``: the upper bound of ``between``)."""
    if len(values) < len(ids):
        # a metric most records have no value of: only those that have one
        ids = values.keys() & ids
    if operator == ">=":
        return {i for i in ids if (value := values.get(i)) is not None and value >= low}
    if operator == "<=":
        return {i for i in ids if (value := values.get(i)) is not None and value <= low}
    if operator == "=":
        return {i for i in ids if (value := values.get(i)) is not None and value == low}
    return {
        i for i in ids if (value := values.get(i)) is not None and low <= value <= high
    }


def _metric_name(key):
    metric, window = key
    return f"{metric}_{window}" if window else metric
