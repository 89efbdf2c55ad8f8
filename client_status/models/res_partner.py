# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import bisect
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .client_status_history import StatusChange

# Clients whose follow-up the daily job handles at once.
FOLLOW_UP_BATCH_SIZE = 5000
# Quantiles of the won revenue kept per run to rank a client (0.1 % steps).
REVENUE_QUANTILES = 1000


class ResPartner(models.Model):
    """The status of a contact belongs to its commercial entity: a company's
    status is synced to its individual contacts like its VAT number."""

    _name = "res.partner"
    _inherit = ["res.partner", "client.status.mixin"]
    _client_status_scope = "partner"
    _client_status_history_field = "partner_id"

    client_status_call_priority = fields.Boolean(
        string="Call List Priority",
        compute="_compute_client_status_call_priority",
        store=True,
        groups="base.group_user",
    )
    client_status_last_contact = fields.Datetime(
        string="Last Contact",
        readonly=True,
        copy=False,
        help="The last message or done activity with the client, its contacts or"
        " their leads (updated daily).",
        groups="base.group_user",
    )
    client_status_follow_up_date = fields.Date(
        string="Follow-up Due",
        readonly=True,
        copy=False,
        help="When the client is due a contact, by the cadence of its status"
        " (updated daily).",
        groups="base.group_user",
    )
    client_status_follow_up_activity_id = fields.Many2one(
        "mail.activity",
        string="Follow-up Activity",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    @api.depends("client_status_id.call_priority")
    def _compute_client_status_call_priority(self):
        for status, partners in self.grouped("client_status_id").items():
            partners.client_status_call_priority = status.call_priority

    @api.model_create_multi
    def create(self, vals_list):
        # A contact created under a company has the company's status from the
        # start (one history row), whatever the values say: the default status
        # the form sends would else be logged, then replaced by the sync.
        contact_vals = [
            vals
            for vals in vals_list
            if vals.get("parent_id") and not vals.get("is_company")
        ]
        parents = self.browse({vals["parent_id"] for vals in contact_vals})
        status_by_parent = {
            parent.id: parent.commercial_partner_id.client_status_id.id
            for parent in parents
        }
        self._check_client_status_blacklist_create(vals_list)
        for vals in contact_vals:
            vals["client_status_id"] = status_by_parent[vals["parent_id"]]
        self._client_status_inherit_blacklist(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "tz" in vals:
            # the time zones of the companies (client.status.history)
            self.env.registry.clear_cache()
        partners = self
        if "client_status_id" in vals:
            self._check_client_status_owner(vals)
            partners = self._check_client_status_blacklist_change(
                vals["client_status_id"]
            )
        elif vals.get("parent_id"):
            self._check_client_status_blacklist_move(vals)
        return super(ResPartner, partners).write(vals)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in (
            "email",
            "comment",
        ) and "message_ids" in self.env["client.status.rule"]._get_rule_inputs(
            self._name, self._name
        ):
            self.commercial_partner_id._client_status_mark_pending()
        return res

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["client_status_id"]

    def _commercial_sync_from_company(self):
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_from_company()

    def _commercial_sync_to_children(self, fields_to_sync=None):
        if self.env.context.get("client_status_followers_written"):
            # the engine wrote the contacts with their companies
            fields_to_sync = set(
                self._commercial_fields() if fields_to_sync is None else fields_to_sync
            ) - {"client_status_id"}
            if not fields_to_sync:
                return True
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_to_children(fields_to_sync)

    @api.model
    def _client_status_board_index(self):
        # Clients by Status: the commercial entities, in the order of contacts
        return (
            ["complete_name", "id DESC"],
            "active AND (is_company OR parent_id IS NULL)",
        )

    def _client_status_followers(self):
        # a company's contacts (and theirs) take its status in the write that
        # changes it: one write and one history INSERT per status, not one
        # per company (Odoo's commercial sync writes each company's contacts)
        # sudo: every contact follows, also those the user cannot read (the
        # engine writes them as superuser)
        contacts = self.sudo().search(
            [("commercial_partner_id", "in", self.ids), ("id", "not in", self.ids)]
        )
        return {
            partner.id: partner_contacts
            for partner, partner_contacts in contacts.grouped(
                "commercial_partner_id"
            ).items()
        }

    def _client_status_change_reasons(self):
        reasons = super()._client_status_change_reasons()
        if not self.env.context.get("client_status_followers_written"):
            return reasons
        # contacts written with their company: the reason the sync gives
        translate = self.env["client.status.history"]._translate_reason
        for entity, contacts in (
            self.filtered(lambda partner: partner.commercial_partner_id != partner)
            .grouped("commercial_partner_id")
            .items()
        ):
            name = entity.display_name
            reason = translate(
                lambda env, name=name: env._(
                    "Status of the commercial entity %(name)s", name=name
                )
            )
            reasons.update(dict.fromkeys(contacts.ids, reason))
        return reasons

    @api.model
    def _client_status_protected_fields(self):
        # the call list's fields, kept by the daily follow-up job
        return super()._client_status_protected_fields() | {
            "client_status_call_priority",
            "client_status_last_contact",
            "client_status_follow_up_date",
            "client_status_follow_up_activity_id",
        }

    def _client_status_follows_status(self):
        # a contact follows its commercial entity, archived status included
        return super()._client_status_follows_status() | self.filtered(
            lambda partner: partner.commercial_partner_id != partner
            and partner.commercial_partner_id.client_status_id
            == partner.client_status_id
        )

    def _client_status_explanation(self, explanations):
        # a contact's change follows its company's: same rule, same metrics
        return explanations.get(self.id) or explanations.get(
            self.commercial_partner_id.id, (None, None)
        )

    def _client_status_with_sync_reason(self):
        """Name the commercial entity as the reason of synced status changes,
        unless the change already carries a reason."""
        if (
            self.env.context.get("client_status_reason")
            or len(self.commercial_partner_id) != 1
        ):
            return self
        name = self.commercial_partner_id.display_name
        return self.with_context(
            client_status_reason=self.env["client.status.history"]._translate_reason(
                lambda env: env._("Status of the commercial entity %(name)s", name=name)
            )
        )

    def _check_client_status_owner(self, vals):
        """Refuse to give a contact of a company (as it is after ``vals``)
        another status than the company's, unless the company gets the same
        status in this write: the status is set on the commercial entity."""
        status_id = vals["client_status_id"] or False
        new_parent = self.browse(vals["parent_id"]) if "parent_id" in vals else None
        # only contacts with a parent (after the write) can break the rule
        if new_parent is None:
            partners = self.filtered("parent_id")
        else:
            partners = self if new_parent else self.browse()
        for partner in partners:
            parent = partner.parent_id if new_parent is None else new_parent
            is_company = vals.get("is_company", partner.is_company)
            entity = parent.commercial_partner_id
            if (
                parent
                and not is_company
                and entity not in self
                and entity.client_status_id.id != status_id
            ):
                raise UserError(
                    _(
                        "The status of %(contact)s is set on its company %(company)s:"
                        " change it there.",
                        contact=partner.display_name,
                        company=entity.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Rule metrics (crm): aggregated per commercial entity
    # ------------------------------------------------------------------

    @api.model
    def _client_status_metrics(self):
        return super()._client_status_metrics() | {
            "won_count",
            "won_count_window",
            "won_revenue_window",
            "revenue_top_percent",
            "days_since_first_won",
            "days_since_last_won",
            "open_lead_count",
            "lost_lead_count",
        }

    @api.model
    def _client_status_metric_inputs(self):
        # what the lead aggregates read (_client_status_lead_stats): a lead's
        # customer, state (won: active at 100 %, lost: archived at 0 %), close
        # date and revenue; the last contact reads the leads' messages too
        state = {"partner_id", "active", "probability"}
        won = state | {"date_closed"}
        revenue = won | {"expected_revenue"}
        inputs = super()._client_status_metric_inputs()
        inputs["days_since_last_contact"]["crm.lead"] = {"message_ids"}
        return inputs | {
            "won_count": {"crm.lead": won},
            "won_count_window": {"crm.lead": won},
            "won_revenue_window": {"crm.lead": revenue},
            "revenue_top_percent": {"crm.lead": revenue},
            "days_since_first_won": {"crm.lead": won},
            "days_since_last_won": {"crm.lead": won},
            "open_lead_count": {"crm.lead": state},
            "lost_lead_count": {"crm.lead": state},
        }

    @api.model
    def _client_status_engine_domain(self):
        # contacts of a company take its status: rules classify the companies
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    def _client_status_flush_lead_inputs(self):
        """Flush what the lead metrics read in SQL."""
        self.env["crm.lead"].flush_model(
            ["partner_id", "active", "probability", "date_closed", "expected_revenue"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    def _client_status_lead_stats(self, context, window_days=0):
        """Lead aggregates per record of ``self`` (commercial entities) for
        every window the batch's rules test (``context["windows"]``), by
        column: ``{"won", "last_won", "first_won", "open", "lost",
        "won_<days>", "revenue_<days>"}``, each ``{id: value}``: read from the
        run's snapshot (``_client_status_lead_snapshot``), or aggregated for
        the batch in one query. Records without a lead have no value; entities
        of the batch's id range outside ``self`` may have some (nobody asks
        for them)."""
        windows = self._client_status_windows(context, window_days)
        key = ("lead_stats", *windows)
        if key in context["batch"]:
            return context["batch"][key]
        names = ["won", "last_won", "first_won", "open", "lost"]
        for days in windows:
            names += [f"won_{days}", f"revenue_{days}"]
        snapshot = self._client_status_lead_snapshot(context, windows)
        if snapshot:
            query = SQL(
                "SELECT * FROM %s WHERE res_id BETWEEN %s AND %s",
                SQL.identifier(snapshot),
                min(self.ids, default=0),
                max(self.ids, default=-1),
            )
        else:
            self._client_status_flush_lead_inputs()
            # The members of the batch's entities first (an index range), then
            # their leads through the partner index: the cost follows the
            # batch, not the size of crm_lead.
            query = SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT member.commercial_partner_id, %(aggregates)s
                  FROM crm_lead AS lead
                  JOIN member ON member.id = lead.partner_id, %(state)s
                 WHERE lead.partner_id = ANY(ARRAY(SELECT id FROM member))
                 GROUP BY member.commercial_partner_id
                """,
                members=self._client_status_members_query(),
                aggregates=self._client_status_lead_aggregates(context, windows),
                state=self._client_status_lead_state(),
            )
        stats = self._client_status_columns(query, names)
        context["batch"][key] = stats
        return stats

    @api.model
    def _client_status_lead_snapshot(self, context, windows):
        """The table of the run's snapshot of the lead aggregates of every
        commercial entity (see ``client.status.run._snapshot``), or ``None``
        out of a full run."""
        run = context.get("snapshot_run")
        if not run:
            return None
        self._client_status_flush_lead_inputs()
        return run._snapshot(
            "_".join(["leads", *map(str, windows)]),
            SQL(
                """
                SELECT partner.commercial_partner_id AS res_id, %(aggregates)s
                  FROM crm_lead AS lead
                  JOIN res_partner AS partner ON partner.id = lead.partner_id,
                       %(state)s
                 GROUP BY partner.commercial_partner_id
                """,
                aggregates=self._client_status_lead_aggregates(context, windows),
                state=self._client_status_lead_state(),
            ),
            context,
        )

    @api.model
    def _client_status_lead_state(self):
        """SQL of a lateral subquery naming the state of ``lead``: won (active
        at 100 %) or lost (archived at 0 %); a lead without a probability
        (crm leaves it empty until lead scoring has data) is at 0 %, open
        while active."""
        return SQL(
            "LATERAL (SELECT lead.active AND coalesce(lead.probability, 0) = 100"
            " AS won, NOT lead.active AND coalesce(lead.probability, 0) = 0"
            " AS lost) AS state"
        )

    @api.model
    def _client_status_lead_aggregates(self, context, windows):
        """SQL of the aggregates of ``_client_status_lead_stats``, in the
        order of its columns, over ``lead`` and its ``state``."""
        aggregates = [
            SQL("count(*) FILTER (WHERE won) AS won"),
            SQL("max(lead.date_closed) FILTER (WHERE won) AS last_won"),
            SQL("min(lead.date_closed) FILTER (WHERE won) AS first_won"),
            SQL("count(*) FILTER (WHERE lead.active AND NOT won) AS open"),
            SQL("count(*) FILTER (WHERE lost) AS lost"),
        ]
        for days in windows:
            since = context["now"] - timedelta(days=days)
            aggregates += [
                SQL(
                    "count(*) FILTER (WHERE won AND lead.date_closed >= %s) AS %s",
                    since,
                    SQL.identifier(f"won_{days}"),
                ),
                SQL(
                    "coalesce(sum(lead.expected_revenue)"
                    " FILTER (WHERE won AND lead.date_closed >= %s), 0) AS %s",
                    since,
                    SQL.identifier(f"revenue_{days}"),
                ),
            ]
        return SQL(", ").join(aggregates)

    @api.model
    def _client_status_windows(self, context, window_days=0):
        """The windows (days) a batch's aggregate computes at once: those its
        rules test (``context["windows"]``) and ``window_days``."""
        return sorted(set(context.get("windows", ())) | {window_days} - {0})

    def _client_status_columns(self, query, names):
        """Run ``query``, whose first column is a commercial entity, and return
        its other columns by name: ``{name: {entity_id: value}}``."""
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        entity_ids = [row[0] for row in rows]
        return {
            name: dict(zip(entity_ids, (row[index] for row in rows), strict=True))
            for index, name in enumerate(names, 1)
        }

    def _client_status_members_query(self):
        """SQL selecting ``id, commercial_partner_id`` of the contacts of the
        commercial entities of ``self`` (themselves included), by the index
        range of the batch (batches come in id order)."""
        return SQL(
            "SELECT id, commercial_partner_id FROM res_partner"
            " WHERE commercial_partner_id BETWEEN %s AND %s",
            min(self.ids, default=0),
            max(self.ids, default=-1),
        )

    def _client_status_metric_days_since_last_contact(self, window_days, context):
        """Days since the last message (email, note, done activity) on the
        entity, any of its contacts or any of their leads."""
        return self._client_status_days_since(
            self._client_status_last_contact_dates(), context
        )

    def _client_status_last_contact_dates(self):
        """When the last message (email, note, done activity) was posted on
        each commercial entity of ``self``, any of its contacts or any of their
        leads: ``{entity_id: datetime}``, one query."""
        self._client_status_flush_lead_inputs()
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "mail_activity_type_id", "date"]
        )
        contact = SQL(
            "(message.message_type IN ('email', 'comment')"
            " OR message.mail_activity_type_id IS NOT NULL)"
        )
        self.env.cr.execute(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s),
                     lead AS MATERIALIZED (
                         SELECT lead.id, member.commercial_partner_id
                           FROM crm_lead AS lead
                           JOIN member ON member.id = lead.partner_id
                          WHERE lead.partner_id = ANY(ARRAY(SELECT id FROM member))
                     )
                SELECT entity_id, max(date) FROM (
                    SELECT member.commercial_partner_id AS entity_id, message.date
                      FROM mail_message AS message
                      JOIN member ON member.id = message.res_id
                     WHERE message.model = 'res.partner' AND %(contact)s
                       AND message.res_id = ANY(ARRAY(SELECT id FROM member))
                    UNION ALL
                    SELECT lead.commercial_partner_id, message.date
                      FROM mail_message AS message
                      JOIN lead ON lead.id = message.res_id
                     WHERE message.model = 'crm.lead' AND %(contact)s
                       AND message.res_id = ANY(ARRAY(SELECT id FROM lead))
                ) AS contact
                 GROUP BY entity_id
                """,
                members=self._client_status_members_query(),
                contact=contact,
            )
        )
        return dict(self.env.cr.fetchall())

    def _client_status_zero_default(self, values):
        """``values`` (``{id: value}``) with 0 for the records of ``self``
        without a value (no lead at all)."""
        result = dict.fromkeys(self.ids, 0)
        result.update(values)
        return result

    def _client_status_days_since(self, dates, context):
        """Days since each date of ``dates`` (``{id: datetime or None}``)."""
        now = context["now"]
        return {pid: (now - date).days for pid, date in dates.items() if date}

    def _client_status_metric_won_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["won"])

    def _client_status_metric_won_count_window(self, window_days, context):
        stats = self._client_status_lead_stats(context, window_days)
        return self._client_status_zero_default(stats[f"won_{window_days}"])

    def _client_status_metric_won_revenue_window(self, window_days, context):
        stats = self._client_status_lead_stats(context, window_days)
        return self._client_status_zero_default(stats[f"revenue_{window_days}"])

    def _client_status_metric_days_since_last_won(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_days_since(stats["last_won"], context)

    def _client_status_metric_days_since_first_won(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_days_since(stats["first_won"], context)

    def _client_status_metric_open_lead_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["open"])

    def _client_status_metric_lost_lead_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["lost"])

    def _client_status_metric_revenue_top_percent(self, window_days, context):
        """Rank of each client among the clients with won revenue in the
        window, in percent: the share of clients whose revenue is at least
        this client's (the top client of 20 ranks 5), from quantiles computed
        once per run."""
        quantiles = self._client_status_revenue_quantiles(window_days, context)
        if not quantiles:
            return {}
        ascending = quantiles[::-1]
        revenues = self._client_status_metric_won_revenue_window(window_days, context)
        return {
            pid: round(
                100.0
                * (len(ascending) - bisect.bisect_left(ascending, revenue))
                / len(ascending),
                1,
            )
            for pid, revenue in revenues.items()
            if revenue > 0
        }

    @api.model
    def _client_status_revenue_quantiles(self, window_days, context):
        """Won revenue per client in the window at each 0.1 % step, highest
        first; computed once per run (kept in ``context["run"]``)."""
        key = f"revenue_quantiles_{window_days}"
        if key not in context["run"]:
            snapshot = self._client_status_lead_snapshot(
                context, self._client_status_windows(context, window_days)
            )
            if snapshot:
                revenues = SQL(
                    "SELECT %s AS revenue FROM %s",
                    SQL.identifier(f"revenue_{window_days}"),
                    SQL.identifier(snapshot),
                )
            else:
                self._client_status_flush_lead_inputs()
                revenues = SQL(
                    """
                    SELECT sum(lead.expected_revenue) AS revenue
                      FROM crm_lead AS lead
                      JOIN res_partner AS partner ON partner.id = lead.partner_id
                     WHERE lead.active AND lead.probability = 100
                       AND lead.date_closed >= %s
                     GROUP BY partner.commercial_partner_id
                    """,
                    context["now"] - timedelta(days=window_days),
                )
            fractions = [
                step / REVENUE_QUANTILES for step in range(1, REVENUE_QUANTILES + 1)
            ]
            self.env.cr.execute(
                SQL(
                    """
                    SELECT percentile_disc(%s::float8[])
                           WITHIN GROUP (ORDER BY revenue DESC)
                      FROM (%s) AS client
                     WHERE revenue > 0
                    """,
                    fractions,
                    revenues,
                )
            )
            context["run"][key] = self.env.cr.fetchone()[0] or []
        return context["run"][key]

    # ------------------------------------------------------------------
    # Follow-up cadence
    # ------------------------------------------------------------------

    def _client_status_update_follow_up(self, today):
        """Store the last contact and the follow-up date of the commercial
        entities of ``self`` (one batch: an id range), in SQL, only where
        they changed; return the entities due a contact by ``today``."""
        last_contacts = self._client_status_last_contact_dates()
        rows = []
        for partner in self:
            last = last_contacts.get(partner.id)
            start = (last or partner.create_date).date()
            due = start + timedelta(days=partner.client_status_id.cadence_days)
            rows.append((partner.id, last, due))
        self.flush_recordset(
            ["client_status_last_contact", "client_status_follow_up_date"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS partner
                   SET client_status_last_contact = row.last_contact,
                       client_status_follow_up_date = row.due
                  FROM unnest(%s::int[], %s::timestamp[], %s::date[])
                       AS row(id, last_contact, due)
                 WHERE partner.id = row.id AND partner.id = ANY(%s)
                   AND (partner.client_status_last_contact
                            IS DISTINCT FROM row.last_contact
                        OR partner.client_status_follow_up_date
                            IS DISTINCT FROM row.due)
                """,
                [row[0] for row in rows],
                [row[1] for row in rows],
                [row[2] for row in rows],
                self.ids,
            )
        )
        self.invalidate_recordset(
            ["client_status_last_contact", "client_status_follow_up_date"]
        )
        return self.browse(row[0] for row in rows if row[2] <= today)

    def _client_status_plan_follow_up(self):
        """Plan a follow-up activity for each partner of ``self`` that has no
        open one (never two for the same reason): one create for the batch."""
        # a done activity is deleted: read the links as they are now
        self.invalidate_recordset(["client_status_follow_up_activity_id"])
        # done activities of some types are archived rather than deleted
        partners = self.filtered(
            lambda partner: not partner.client_status_follow_up_activity_id.active
        )
        if not partners:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": (
                        partner.client_status_id.activity_type_id or todo
                    ).id,
                    "summary": _(
                        "Follow-up: %(status)s, every %(days)s days",
                        status=partner.client_status_id.name,
                        days=partner.client_status_id.cadence_days,
                    ),
                    "note": partner.client_status_id.next_action,
                    "date_deadline": partner.client_status_follow_up_date,
                    "user_id": (partner.user_id or self.env.user).id,
                }
                for partner in partners
            ]
        )
        partners._client_status_set_links(
            "client_status_follow_up_activity_id", activities
        )

    # ------------------------------------------------------------------
    # Blacklist
    # ------------------------------------------------------------------

    @api.constrains("client_status_id", "company_id")
    def _check_client_status_shared(self):
        """A contact of no company (shared by every company) carries a status
        of no company: a status of one company would lock the others out."""
        for partner in self:
            if not partner.company_id and partner.client_status_id.company_id:
                raise ValidationError(
                    _(
                        "%(partner)s is shared by every company: it cannot have"
                        " the status %(status)s of %(company)s, only a status of"
                        " no company.",
                        partner=partner.display_name,
                        status=partner.client_status_id.display_name,
                        company=partner.client_status_id.company_id.name,
                    )
                )

    @api.model
    def _client_status_default_company(self):
        """A new contact without a company is shared: it gets the shared
        default status, not the current company's (those with a company get
        their company's, see ``_client_status_fill_defaults``)."""
        return self.env["res.company"]

    @api.model
    def _client_status_blacklist_manager(self):
        """Whether the current user may put clients on or off the blacklist
        and confirm new business for a blacklisted client: the Client Status
        Managers, and the addon's own code running as superuser (rules,
        automation, crons), which never does it with values a client sent."""
        return self.env.su or self.env.user.has_group(
            "client_status.client_status_group_manager"
        )

    @api.model
    def _client_status_blacklist_values(self, values):
        """The statuses the ``client_status_id`` values sent to create or
        write name (empty for none), in order, without a query (the ids of
        the catalogue are cached); anything but an existing status id is
        refused."""
        Status = self.env["client.status"]
        ids = [
            value.id if isinstance(value, models.BaseModel) else value
            for value in values
        ]
        existing = Status._get_status_ids()
        for value, id_ in zip(values, ids, strict=True):
            if (
                id_
                and (type(id_) is not int or id_ not in existing)
                or (isinstance(value, models.BaseModel) and value._name != Status._name)
            ):
                raise UserError(
                    _("%(value)s is not a client status.", value=repr(value))
                )
        return [Status.browse(id_ or ()) for id_ in ids]

    @api.model
    def _check_client_status_blacklist_create(self, vals_list):
        """Refuse new contacts given a blacklist-kind status by anyone but a
        Client Status Manager, unless they take it from their company (a
        contact or a subsidiary of a blacklisted company); values that are
        no status are refused to everyone."""
        with_status = [vals for vals in vals_list if "client_status_id" in vals]
        statuses = self._client_status_blacklist_values(
            [vals["client_status_id"] for vals in with_status]
        )
        if self._client_status_blacklist_manager():
            return
        for vals, status in zip(with_status, statuses, strict=True):
            if status.kind != "blacklist":
                continue
            parent = self.browse(vals.get("parent_id"))
            if parent.commercial_partner_id.client_status_id != status:
                raise AccessError(
                    _(
                        "Only a Client Status Manager can put %(partner)s on the"
                        " blacklist (%(status)s).",
                        partner=vals.get("name") or "?",
                        status=status.display_name,
                    )
                )

    @api.model
    def _client_status_inherit_blacklist(self, vals_list):
        """New companies created under a blacklisted company (subsidiaries)
        take its blacklist-kind status: a new entity is no way around the
        blacklist. (Contacts take their company's status anyway.)"""
        parents = self.browse(
            {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
        ).commercial_partner_id
        blacklisted = {
            parent.id: parent.client_status_id.id
            for parent in parents
            if parent.client_status_id.kind == "blacklist"
        }
        if not blacklisted:
            return
        for vals in vals_list:
            if not vals.get("parent_id"):
                continue
            parent = self.browse(vals["parent_id"]).commercial_partner_id
            if parent.id in blacklisted:
                vals["client_status_id"] = blacklisted[parent.id]

    def _check_client_status_blacklist_move(self, vals):
        """Check that the current user may move the contacts of ``self``
        under the company ``vals["parent_id"]``: they take its status (the
        commercial sync, which runs as superuser), so moving a contact onto
        or off the blacklist is a Client Status Manager's decision too."""
        entity = self.browse(vals["parent_id"]).commercial_partner_id
        contacts = self.filtered(
            lambda partner: not vals.get("is_company", partner.is_company)
        )
        contacts._check_client_status_blacklist_change(entity.client_status_id.id)

    def _check_client_status_blacklist_change(self, value):
        """Check that the current user may give the partners of ``self`` the
        status ``value`` (a ``client_status_id`` value of ``write``), and
        return ``self`` with the reason to record.

        Only a Client Status Manager (or the addon's own code, see
        ``_client_status_blacklist_manager``) puts a client on a
        blacklist-kind status, takes it off one or clears a status, whatever
        the path (form, kanban, import, a contact moved under another
        company: the status follows its company). A client put on the
        blacklist without a reason gets the status's description as the
        reason of its history row.

        :raise AccessError: for anyone else
        """
        status = self._client_status_blacklist_values([value])[0]
        changed = self.filtered(lambda partner: partner.client_status_id != status)
        if not changed:
            return self
        entering = status.kind == "blacklist"
        if not self._client_status_blacklist_manager():
            if not status:
                raise AccessError(
                    _(
                        "Only a Client Status Manager can clear the status of"
                        " %(partner)s.",
                        partner=changed[0].display_name,
                    )
                )
            leaving = changed.filtered(
                lambda partner: partner.client_status_id.kind == "blacklist"
            )
            if entering or leaving:
                partner = (leaving or changed)[0]
                raise AccessError(
                    _(
                        "Only a Client Status Manager can put %(partner)s on or"
                        " off the blacklist (%(status)s).",
                        partner=partner.display_name,
                        status=(leaving[:1].client_status_id or status).display_name,
                    )
                )
        if entering and not self.env.context.get("client_status_reason"):
            description = status.description
            if description:
                return self.with_context(
                    client_status_reason=self.env[
                        "client.status.history"
                    ]._translate_reason(
                        lambda env: status.with_env(env).description or description
                    )
                )
        return self

    @api.model
    def _client_status_inputs_changed(self, records, before=None):
        """The values the contact rules read changed on ``records`` (leads,
        orders...: with a ``partner_id``): mark their customers pending, and
        ``before``, the customers they had before the change."""
        partners = records.partner_id.commercial_partner_id
        (partners | before if before else partners)._client_status_mark_pending()

    @api.model
    def _client_status_watch_inputs(self, records, vals):
        """Before ``records`` (leads, orders...) are written with ``vals``:
        the fields of ``vals`` the active contact rules read and their
        current values, ``(fields, {id: values})``, to pass to
        ``_client_status_inputs_written`` after the write; ``None`` when the
        write touches none of them (it costs nothing then)."""
        fnames = sorted(
            self.env["client.status.rule"]._get_rule_inputs(self._name, records._name)
            & vals.keys()
        )
        if not fnames or not records:
            return None
        return fnames, {
            record.id: tuple(record[fname] for fname in fnames) for record in records
        }

    @api.model
    def _client_status_inputs_written(self, records, watched):
        """After ``records`` were written: mark the customers (before and
        after the write) of those whose values watched by
        ``_client_status_watch_inputs`` changed."""
        if watched is None:
            return
        fnames, before = watched
        changed = records.filtered(
            lambda record: tuple(record[fname] for fname in fnames)
            != before.get(record.id)
        )
        if not changed:
            return
        customers = changed.partner_id
        if "partner_id" in fnames:
            index = fnames.index("partner_id")
            customers |= self.browse().union(
                *(before[record.id][index] for record in changed)
            )
        customers.commercial_partner_id._client_status_mark_pending()

    @api.model
    def _client_status_blacklisted(self, partners):
        """The commercial entities of ``partners`` with a blacklist-kind
        status (read from the status itself)."""
        return partners.commercial_partner_id.filtered(
            lambda partner: partner.client_status_id.kind == "blacklist"
        )

    @api.model
    def _client_status_blacklist_state(self, records):
        """What the blacklist check of ``records`` (leads, orders) reads:
        ``{record: (blacklisted customers, other inputs)}``."""
        customers = records._client_status_blacklisted_customers()
        return {
            record: (customers[record], record._client_status_blacklist_key())
            for record in records
        }

    @api.model
    def _check_client_status_confirm_access(self, vals_list):
        """Refuse values that confirm new business despite the blacklist
        (``client_status_blacklist_confirmed``) unless the current user is a
        Client Status Manager: the field's ``groups`` are not checked on
        create.

        :raise AccessError: for anyone else
        """
        if (
            any(vals.get("client_status_blacklist_confirmed") for vals in vals_list)
            and not self._client_status_blacklist_manager()
        ):
            raise AccessError(
                _(
                    "Only a Client Status Manager can confirm new business"
                    " for a blacklisted customer."
                )
            )

    @api.model
    def _client_status_check_blacklist(
        self, records, refusal, confirming=False, before=None
    ):
        """Refuse ``records`` (leads, orders...: with a
        ``client_status_blacklist_confirmed`` flag and a
        ``_client_status_blacklisted_customers`` method) that have a
        blacklisted customer, unless they were confirmed: by a Client Status
        Manager when ``confirming`` (the operation sets the flag), earlier
        otherwise; the confirmations made by this operation are recorded in
        the customers' history (``_client_status_log_override``).

        ``before``: for a write, ``_client_status_blacklist_state`` of the
        records before it. Records whose blacklisted customers and other
        inputs did not change are left alone (a merge or an edit of existing
        business), and a confirmation holds for the customers it was given
        for: records whose blacklisted customers changed lose it.

        :param refusal: ``refusal(partner)`` returns the translated message
            of the refusal for the blacklisted commercial entity ``partner``
        :raise UserError: with that message
        """
        customers = records._client_status_blacklisted_customers()
        if before is not None:
            moved = records.filtered(
                lambda record: record in before
                and before[record][0] != customers[record]
            )
            if moved:
                # in SQL: a write would run this check again (and the flag is
                # the managers' only); taking a confirmation back grants nothing
                moved.flush_recordset(["client_status_blacklist_confirmed"])
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET client_status_blacklist_confirmed = FALSE"
                        " WHERE id = ANY(%s)",
                        SQL.identifier(moved._table),
                        moved.ids,
                    )
                )
                moved.invalidate_recordset(["client_status_blacklist_confirmed"])
            records = records.filtered(
                lambda record: record not in before
                or before[record]
                != (customers[record], record._client_status_blacklist_key())
            )
        blacklisted = records.filtered(lambda record: customers[record])
        if not blacklisted:
            return records.browse()
        # sudo: the confirmation flag is readable by managers only
        confirmed = blacklisted.sudo().filtered("client_status_blacklist_confirmed")
        confirmed = confirmed.with_env(records.env)
        refused = blacklisted - confirmed
        if refused:
            if not self.env.user._is_internal():
                # a customer (accepting a quotation online): no internal reason
                raise UserError(_("This cannot be done online: please contact us."))
            record = refused[0]
            partners = customers[record]
            if before is not None and record in before:
                # name the customer this operation brings
                partners = (partners - before[record][0]) or partners
            raise UserError(refusal(partners[0]))
        # new records (checked before their INSERT) are recorded once created
        confirmed = confirmed.filtered("id") if confirming else records.browse()
        if confirmed:
            partners = self.browse().union(*(customers[record] for record in confirmed))
            partners._client_status_log_override(confirmed, customers)

    @api.model
    def _client_status_check_blacklist_new(self, model, vals_list):
        """Run ``model``'s blacklist check on the values of records about to
        be created, before their INSERT (the mail gateway commits what a
        failed create wrote); return whether they confirm a blacklisted
        customer (for the check once created)."""
        self._check_client_status_confirm_access(vals_list)
        confirming = any(
            vals.get("client_status_blacklist_confirmed") for vals in vals_list
        )
        model.concat(
            *(model.new(vals) for vals in vals_list)
        )._check_client_status_blacklist(confirming)
        return confirming

    def _client_status_blacklist_reason(self):
        """Why the partner is blacklisted: the last reason recorded when it
        got its status (not a manager's override, which keeps the status),
        else the description of the status."""
        self.ensure_one()
        # sudo: the reason is shown to whoever is refused a lead
        row = (
            self.env["client.status.history"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("status_to_id", "=", self.client_status_id.id),
                    ("status_from_id", "!=", self.client_status_id.id),
                    ("reason", "!=", False),
                ],
                limit=1,
            )
        )
        return row.reason or self.client_status_id.description or ""

    def _client_status_log_override(self, records, customers):
        """Record in the history of the blacklisted partners of ``self`` that
        a manager accepted ``records`` (leads, orders) for them (the status
        does not change): one row per partner, one insert.

        :param customers: ``{record: partners}``, the blacklisted customers
            of each record
        """
        changes = []
        for partner in self:
            partner_records = records.filtered(
                lambda record, partner=partner: partner in customers[record]
            )
            status_id = partner.client_status_id.id
            names = ", ".join(partner_records.mapped("display_name"))
            reason = self.env["client.status.history"]._translate_reason(
                lambda env, names=names: env._(
                    "Blacklist overridden by %(user)s for %(leads)s",
                    user=env.user.name,
                    leads=names,
                )
            )
            company_id = partner.company_id.id or None
            changes.append(
                StatusChange(
                    partner.id,
                    status_id,
                    status_id,
                    company_id=company_id,
                    reason=reason,
                )
            )
        self.env["client.status.history"]._insert_rows(
            "partner_id", "partner", changes, "manual"
        )

    @api.model
    def _cron_client_status_follow_up(self):
        """Daily: update the last contact and follow-up date of the clients
        whose status has a cadence, and plan a follow-up activity for those
        due (one open activity at most per client)."""
        # archived statuses too, as the Call List reads them
        statuses = (
            self.env["client.status"]
            .with_context(active_test=False)
            .search([("scope", "=", "partner"), ("cadence_days", ">", 0)])
        )
        # clients whose status has no cadence (any more) are due no contact:
        # no follow-up date, no follow-up activity left open
        no_cadence = self.search(
            [
                ("client_status_follow_up_date", "!=", False),
                ("client_status_id", "not in", statuses.ids),
            ]
        )
        # (done activities of some types are archived: those stay)
        no_cadence.client_status_follow_up_activity_id.filtered("active").unlink()
        no_cadence.client_status_follow_up_date = False
        domain = expression.AND(
            [
                [("client_status_id", "in", statuses.ids)],
                self._client_status_engine_domain(),
            ]
        )
        today = fields.Date.context_today(self)
        last_id = 0
        while partners := self.search(
            expression.AND([domain, [("id", ">", last_id)]]),
            order="id",
            limit=FOLLOW_UP_BATCH_SIZE,
        ):
            partners._client_status_update_follow_up(
                today
            )._client_status_plan_follow_up()
            last_id = partners[-1].id
