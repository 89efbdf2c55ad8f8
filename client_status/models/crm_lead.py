# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import _, api, fields, models
from odoo.tools import SQL, email_normalize

from .client_status import KINDS

# The lead values that make a lead new business for its customer (a new
# customer, a lead converted to an opportunity, a lead restored): checked
# against the blacklist.
BLACKLIST_INPUTS = {
    "partner_id",
    "email_from",
    "type",
    "active",
    "client_status_blacklist_confirmed",
}


class CrmLead(models.Model):
    _name = "crm.lead"
    # the clarification workflow before the status mixin, whose hooks it
    # extends
    _inherit = [
        "crm.lead",
        "client.status.clarification.mixin",
        "client.status.mixin",
        "client.status.blacklist.mixin",
    ]
    _client_status_scope = "lead"
    _client_status_history_field = "lead_id"

    # not tracked in the chatter: the history records every change, and the
    # events crm tracks itself (won, lost, a merge) keep their own messages
    client_status_id = fields.Many2one(string="Lead Status", tracking=False)
    partner_client_status_id = fields.Many2one(
        related="partner_id.commercial_partner_id.client_status_id",
        string="Customer Status",
        help="The status of the lead's customer (set on the contact).",
        # not tracked: a related field inherits the tracking of the customer's
        # status, and reading it before every write of a lead or an order
        # costs queries (the customer's own history records its changes)
        tracking=False,
    )

    # shown on the form only: depends on the customer, not on its status, so
    # that changing the status of thousands of contacts does not look for leads
    partner_client_status_kind = fields.Selection(
        KINDS,
        string="Customer Status Kind",
        compute="_compute_partner_client_status_kind",
    )
    client_status_blacklist_confirmed = fields.Boolean(
        help="A Client Status Manager accepts this lead although its customer is"
        " blacklisted (recorded in the customer's status history).",
    )

    @api.depends("partner_id")
    def _compute_partner_client_status_kind(self):
        for lead in self:
            lead.partner_client_status_kind = (
                lead.partner_id.commercial_partner_id.client_status_kind
            )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if self.env["client.status.rule"]._get_rule_inputs("res.partner", self._name):
            leads.partner_id.commercial_partner_id._client_status_mark_pending()
        leads._client_status_clarification_created()
        leads._client_status_close_deals()
        return leads

    def write(self, vals):
        # Only what the written fields may change is read and done: a write
        # of other fields (a stage, a salesperson, a tag) costs nothing more.
        Partner = self.env["res.partner"]
        watched = Partner._client_status_watch_inputs(self, vals)
        clarification = self._client_status_clarification_watch(vals)
        res = super().write(vals)
        Partner._client_status_inputs_written(self, watched)
        self._client_status_clarification_written(vals, clarification)
        if "client_status_id" in vals:
            self._client_status_close_deals()
        return res

    def unlink(self):
        partners = (
            self.partner_id.commercial_partner_id
            if self.env["client.status.rule"]._get_rule_inputs(
                "res.partner", self._name
            )
            else None
        )
        res = super().unlink()
        if partners:
            partners._client_status_mark_pending()
        return res

    def _merge_dependences(self, opportunities):
        # the clarifications asked on the merged leads count for the lead kept
        # sudo: the log of the workflow, which users only read
        self.env["client.status.clarification"].sudo().search(
            [("lead_id", "in", opportunities.ids)]
        ).lead_id = self
        return super()._merge_dependences(opportunities)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in ("email", "comment"):
            # the last contact: for the rules that read it only
            Rule = self.env["client.status.rule"]
            if "message_ids" in Rule._get_rule_inputs(self._name, self._name):
                self._client_status_mark_pending()
            if "message_ids" in Rule._get_rule_inputs("res.partner", self._name):
                self.partner_id.commercial_partner_id._client_status_mark_pending()
        return res

    def action_client_status_change(self, status_id):
        """What the web client does before giving the leads of ``self`` the
        status ``status_id`` (a kanban drop, a click in the status bar): the
        dialog to open, or False to write the status at once.

        A waiting-kind status asks what to clarify and by when (the
        clarification wizard writes everything at once); a lost-kind status
        asks the lost reason (crm's *Mark Lost* wizard, whose *Mark as Lost*
        gives the lost-kind status through the automation rules)."""
        status = self.env["client.status"].browse(status_id).exists()
        if not status or not self:
            return False
        if status.kind == "waiting":
            return self.env["client.status.clarify"]._action_open(self, status)
        if status.kind == "lost" and self.filtered("active"):
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "crm.crm_lead_lost_action"
            )
            action["context"] = {
                "dialog_size": "medium",
                "default_lead_ids": self.filtered("active").ids,
            }
            return action
        return False

    @api.model
    def _client_status_install_kind_sql(self):
        # a lead is won when active at 100 %, lost when archived at 0 %, as
        # the contact rules read it (_client_status_lead_state)
        return SQL(
            "CASE WHEN rec.active AND rec.probability = 100 THEN 'won'"
            " WHEN NOT rec.active AND coalesce(rec.probability, 0) = 0"
            " THEN 'lost' END"
        )

    @api.model
    def _client_status_board_index(self):
        # Leads by Status: the active leads, in crm's order
        return (["priority DESC", "id DESC"], "active")

    @api.model
    def _client_status_protected_fields(self):
        # what the form shows of the customer
        return super()._client_status_protected_fields() | {
            "partner_client_status_id",
            "partner_client_status_kind",
        }

    def _client_status_close_deals(self):
        """Keep the pipeline true to statuses a person set (by hand, drag and
        drop or import): leads of ``self`` given a won-kind status are marked
        won (won stage, 100 %), those given a lost-kind status are marked
        lost (archived). Changes made by the rules or the automation rules
        (which themselves follow won and lost deals) are left alone, so that
        nothing loops."""
        if self._client_status_source() not in ("manual", "import"):
            return
        to_win = self.filtered(
            lambda lead: lead.client_status_kind == "won"
            and (lead.probability < 100 or not lead.active)
        )
        to_lose = self.filtered(
            lambda lead: lead.client_status_kind == "lost" and lead.active
        )
        if to_win:
            to_win.action_set_won()
        if to_lose:
            to_lose.action_set_lost()

    # ------------------------------------------------------------------
    # Event transitions, called by the automation rules of
    # data/base_automation_data.xml (admins can deactivate or edit them)
    # ------------------------------------------------------------------

    def _client_status_set_kind(self, kind):
        """Give the leads of ``self`` the first lead status of ``kind`` of
        their company (one write per status), unless they have one of that
        kind already."""
        Status = self.env["client.status"]
        leads = self.filtered(lambda lead: lead.client_status_kind != kind)
        for company, company_leads in leads.grouped("company_id").items():
            status = Status._get_status_of_kind("lead", kind, company)
            if status:
                company_leads.client_status_id = status

    def _client_status_on_lead_for_contact(self):
        """A lead was created for (or given to) a contact: a contact without a
        status or with a prospect-kind one gets the default contact status
        (Potential)."""
        Status = self.env["client.status"]
        partners = self.partner_id.commercial_partner_id.filtered(
            lambda partner: partner.client_status_kind in (False, "prospect")
        )
        for company, company_partners in partners.grouped("company_id").items():
            status = Status._get_default_status("partner", company)
            company_partners.filtered(
                lambda partner, status=status: partner.client_status_id != status
            ).client_status_id = status

    def _client_status_on_lead_won(self):
        """Leads were won: they get the won-kind status and their contacts are
        reclassified by the rules when the transaction commits, once for all
        the leads won in it (New on the first won deal, Regular or VIP when
        the rules say so)."""
        self._client_status_set_kind("won")
        self.partner_id.commercial_partner_id._client_status_reclassify_at_commit()

    def _client_status_on_lead_lost(self):
        """Leads were lost: they get the lost-kind status. Their contacts are
        reclassified when the transaction commits unless they are customers
        already: a lost deal does not demote a customer."""
        self._client_status_set_kind("lost")
        self.partner_id.commercial_partner_id.filtered(
            lambda partner: partner.client_status_kind != "customer"
        )._client_status_reclassify_at_commit()

    def _client_status_on_lead_reopened(self):
        """Won leads were reopened or lost leads restored: those of a won or
        lost status go back to the default lead status, and their contacts
        are reclassified when the transaction commits (no stale customer)."""
        Status = self.env["client.status"]
        for company, leads in self.grouped("company_id").items():
            leads.filtered(
                lambda lead: lead.client_status_kind in ("won", "lost")
            ).client_status_id = Status._get_default_status("lead", company)
        self.partner_id.commercial_partner_id._client_status_reclassify_at_commit()

    def _client_status_on_lead_restored(self):
        """Lost leads were restored: reopen them (see
        :meth:`_client_status_on_lead_reopened`) once the transaction is about
        to commit, if they are still active below 100 %: restoring is also the
        first step of *Mark as Won*, which must go from lost to won directly."""
        self._client_status_at_commit("_client_status_reopen_restored")

    def _client_status_reopen_restored(self):
        """Reopen the restored leads of ``self`` still active below 100 %."""
        self.exists().filtered(
            lambda lead: lead.active and lead.probability < 100
        )._client_status_on_lead_reopened()

    def _client_status_on_won_lead_deleted(self):
        """Won leads are being deleted: their contacts are reclassified once
        the deletion is done (before the transaction commits)."""
        self.partner_id.commercial_partner_id._client_status_reclassify_at_commit()

    # ------------------------------------------------------------------
    # Blacklist
    # ------------------------------------------------------------------

    @api.model
    def _client_status_blacklist_inputs(self):
        return super()._client_status_blacklist_inputs() | BLACKLIST_INPUTS

    def _client_status_blacklist_check_needed(self, vals):
        # confirming checks every lead; else those whose inputs change, unless
        # the write archives them all (archived leads are no new business)
        return super()._client_status_blacklist_check_needed(vals) and (
            "client_status_blacklist_confirmed" in vals
            or not ("active" in vals and not vals["active"])
            or {"partner_id", "email_from"} & vals.keys()
        )

    def _client_status_blacklist_records(self):
        # archived leads are no new business
        return self.filtered("active")

    def _client_status_blacklist_refusal(self, partner):
        return _(
            "%(partner)s is blacklisted (%(status)s): %(reason)s\n"
            "No new lead or opportunity for them, unless a Client Status"
            " Manager confirms it.",
            partner=partner.display_name,
            status=partner.client_status_id.display_name,
            reason=partner._client_status_blacklist_reason(),
        )

    def _client_status_blacklist_key(self):
        """The inputs of the blacklist check of the lead ``self`` besides its
        customer: a lead turned into an opportunity or restored is new
        business."""
        return (self.type, self.active)

    @api.model
    def _client_status_blacklist_suspect(self, vals_list):
        """Whether the values of new leads may name a blacklisted customer
        (checked then only: new leads of other customers cost nothing more):
        their customer's commercial entity has a blacklist-kind status, or
        for those without a customer a contact with their e-mail address
        belongs to such an entity (one query, whoever may read it: the check
        itself runs as the user)."""
        blacklist_ids = self.env["client.status"]._get_status_ids_of_kind(
            "partner", "blacklist"
        )
        if not blacklist_ids:
            return False
        Partner = self.env["res.partner"]
        customers = Partner.browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        if set(customers.commercial_partner_id.client_status_id.ids) & set(
            blacklist_ids
        ):
            return True
        emails = {
            email_normalize(vals["email_from"])
            for vals in vals_list
            if not vals.get("partner_id") and vals.get("email_from")
        } - {False}
        if not emails:
            return False
        Partner.flush_model(
            ["email_normalized", "commercial_partner_id", "client_status_id"]
        )
        # from the few blacklisted entities to their contacts, by index
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM res_partner AS entity
                  JOIN res_partner AS contact
                    ON contact.commercial_partner_id = entity.id
                 WHERE entity.client_status_id = ANY(%s)
                   AND contact.email_normalized = ANY(%s)
                 LIMIT 1
                """,
                list(blacklist_ids),
                list(emails),
            )
        )
        return bool(self.env.cr.fetchone())

    def _client_status_blacklisted_customers(self):
        """The blacklisted commercial entities of each lead of ``self``: its
        customer's, or for a lead without a customer those of the contacts
        with its e-mail address (those the user can read), ``{lead:
        partners}``; one search for the leads without a customer."""
        Partner = self.env["res.partner"]
        emails = {
            lead.email_normalized
            for lead in self
            if not lead.partner_id and lead.email_normalized
        }
        by_email = {}
        if emails:
            for partner in Partner.search(
                [
                    ("email_normalized", "in", list(emails)),
                    ("commercial_partner_id.client_status_id.kind", "=", "blacklist"),
                ]
            ):
                by_email[partner.email_normalized] = (
                    by_email.get(partner.email_normalized, Partner)
                    | partner.commercial_partner_id
                )
        return {
            lead: (
                Partner._client_status_blacklisted(lead.partner_id)
                if lead.partner_id
                else by_email.get(lead.email_normalized, Partner)
            )
            for lead in self
        }
