# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

# Clients whose follow-up the daily job handles at once.
FOLLOW_UP_BATCH_SIZE = 5000


class ClientStatusFollowUp(models.AbstractModel):
    """The follow-up cadence of the clients (contacts): the daily job
    stores each client's last contact and the day its status's cadence makes
    it due a contact, and plans one follow-up activity for those due."""

    _name = "client.status.follow.up"
    _description = "Client Status Follow-up"

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
