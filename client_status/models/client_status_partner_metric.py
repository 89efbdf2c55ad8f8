# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import bisect
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL, LazyTranslate

from .client_status_engine import metric

_lt = LazyTranslate(__name__)

# Quantiles of the won revenue kept per run to rank a client (0.1 % steps).
REVENUE_QUANTILES = 1000
# What the lead aggregates read (``_client_status_lead_stats``): a lead's
# customer, state (won: active at 100 %, lost: archived at 0 %), close date
# and revenue.
STATE = {"partner_id", "active", "probability"}
WON = STATE | {"date_closed"}
REVENUE = WON | {"expected_revenue"}


class ClientStatusPartnerMetric(models.AbstractModel):
    """The metrics of the contact rules, per commercial entity (a company
    with its contacts, or a person of no company), from its deals in crm;
    and the marks of the entities whose inputs a lead or an order changed
    (pending for the pending job)."""

    _name = "client.status.partner.metric"
    _inherit = ["client.status.engine"]
    _description = "Client Status Metrics of Contacts"

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

    @metric(
        _lt("Days since the last contact"),
        reads={None: {"message_ids"}, "crm.lead": {"message_ids"}},
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

    @metric(_lt("Won deals"), reads={"crm.lead": WON})
    def _client_status_metric_won_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["won"])

    @metric(_lt("Won deals in the window"), windowed=True, reads={"crm.lead": WON})
    def _client_status_metric_won_count_window(self, window_days, context):
        stats = self._client_status_lead_stats(context, window_days)
        return self._client_status_zero_default(stats[f"won_{window_days}"])

    @metric(
        _lt("Won revenue in the window"),
        windowed=True,
        reads={"crm.lead": REVENUE},
    )
    def _client_status_metric_won_revenue_window(self, window_days, context):
        stats = self._client_status_lead_stats(context, window_days)
        return self._client_status_zero_default(stats[f"revenue_{window_days}"])

    @metric(_lt("Days since the last won deal"), reads={"crm.lead": WON})
    def _client_status_metric_days_since_last_won(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_days_since(stats["last_won"], context)

    @metric(_lt("Days since the first won deal"), reads={"crm.lead": WON})
    def _client_status_metric_days_since_first_won(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_days_since(stats["first_won"], context)

    @metric(_lt("Open leads"), reads={"crm.lead": STATE})
    def _client_status_metric_open_lead_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["open"])

    @metric(_lt("Lost leads"), reads={"crm.lead": STATE})
    def _client_status_metric_lost_lead_count(self, window_days, context):
        stats = self._client_status_lead_stats(context)
        return self._client_status_zero_default(stats["lost"])

    @metric(
        _lt("Rank by won revenue in the window (top %)"),
        windowed=True,
        reads={"crm.lead": REVENUE},
    )
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
