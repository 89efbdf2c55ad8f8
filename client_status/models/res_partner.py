# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import bisect
from datetime import timedelta

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Quantiles of the won revenue kept per run to rank a client (0.1 % steps).
REVENUE_QUANTILES = 1000


class ResPartner(models.Model):
    """The status of a contact belongs to its commercial entity: a company's
    status is synced to its individual contacts like its VAT number."""

    _name = "res.partner"
    _inherit = ["res.partner", "client.status.mixin"]
    _client_status_scope = "partner"
    _client_status_history_field = "partner_id"

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
        for vals in contact_vals:
            vals["client_status_id"] = status_by_parent[vals["parent_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if "client_status_id" in vals:
            self._check_client_status_owner(vals)
        return super().write(vals)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in ("email", "comment"):
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
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_to_children(fields_to_sync)

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
        return self.with_context(
            client_status_reason=_(
                "Status of the commercial entity %(name)s",
                name=self.commercial_partner_id.display_name,
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
        """Lead aggregates per record of ``self`` (commercial entities) in
        one query per batch, for every window the batch's rules test
        (``context["windows"]``), by column: ``{"won", "last_won",
        "first_won", "open", "lost", "won_<days>", "revenue_<days>"}``, each
        ``{id: value}``. Won: active at 100 %; lost: archived at 0 %. Records
        without a lead have no value; entities of the batch's id range outside
        ``self`` may have some (nobody asks for them)."""
        windows = sorted(set(context.get("windows", ())) | {window_days} - {0})
        key = ("lead_stats", *windows)
        if key in context["batch"]:
            return context["batch"][key]
        self._client_status_flush_lead_inputs()
        since = {days: context["now"] - timedelta(days=days) for days in windows}
        windowed = [
            SQL(
                "count(*) FILTER (WHERE won AND lead.date_closed >= %(since)s),"
                " coalesce(sum(lead.expected_revenue)"
                " FILTER (WHERE won AND lead.date_closed >= %(since)s), 0)",
                since=since[days],
            )
            for days in windows
        ]
        # The members of the batch's entities first (an index range), then
        # their leads through the partner index: the cost follows the batch,
        # not the size of crm_lead.
        self.env.cr.execute(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT member.commercial_partner_id,
                       count(*) FILTER (WHERE won),
                       max(lead.date_closed) FILTER (WHERE won),
                       min(lead.date_closed) FILTER (WHERE won),
                       count(*) FILTER (WHERE lead.active AND NOT won),
                       count(*) FILTER (WHERE lost)
                       %(windowed)s
                  FROM crm_lead AS lead
                  JOIN member ON member.id = lead.partner_id,
                       LATERAL (
                           SELECT lead.active AND lead.probability = 100 AS won,
                                  NOT lead.active AND lead.probability = 0 AS lost
                       ) AS state
                 WHERE lead.partner_id = ANY(ARRAY(SELECT id FROM member))
                 GROUP BY member.commercial_partner_id
                """,
                members=self._client_status_members_query(),
                windowed=SQL("").join(SQL(", %s", column) for column in windowed),
            )
        )
        names = ["won", "last_won", "first_won", "open", "lost"]
        for days in windows:
            names += [f"won_{days}", f"revenue_{days}"]
        rows = self.env.cr.fetchall()
        entity_ids = [row[0] for row in rows]
        stats = {
            name: dict(zip(entity_ids, (row[index] for row in rows), strict=True))
            for index, name in enumerate(names, 1)
        }
        context["batch"][key] = stats
        return stats

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
        return self._client_status_days_since(dict(self.env.cr.fetchall()), context)

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
            self._client_status_flush_lead_inputs()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT percentile_disc(%(fractions)s::float8[])
                           WITHIN GROUP (ORDER BY revenue DESC)
                      FROM (SELECT sum(lead.expected_revenue) AS revenue
                              FROM crm_lead AS lead
                              JOIN res_partner AS partner
                                ON partner.id = lead.partner_id
                             WHERE lead.active AND lead.probability = 100
                               AND lead.date_closed >= %(since)s
                             GROUP BY partner.commercial_partner_id) AS client
                     WHERE revenue > 0
                    """,
                    fractions=[
                        step / REVENUE_QUANTILES
                        for step in range(1, REVENUE_QUANTILES + 1)
                    ],
                    since=context["now"] - timedelta(days=window_days),
                )
            )
            context["run"][key] = self.env.cr.fetchone()[0] or []
        return context["run"][key]
