# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from textwrap import shorten

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize, format_date, formatLang, html2plaintext

from .client_status import KINDS
from .client_status_history import ClientStatusSource

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
# Leads escalated per run of the daily clarification job.
ESCALATION_BATCH_SIZE = 1000
# Characters of the client's answer kept in the history.
ANSWER_LENGTH = 300

# Characters of an answer the client types on the questionnaire.
QUESTIONNAIRE_ANSWER_SIZE = 2000
# Answers sent per questionnaire link in QUESTIONNAIRE_WINDOW at most.
QUESTIONNAIRE_ATTEMPTS = 5
QUESTIONNAIRE_WINDOW = timedelta(minutes=10)
# Leads whose clients get the questionnaire in one request at most (about
# 3 s for 200).
QUESTIONNAIRE_SEND_LIMIT = 200

# The lead values of the clarification workflow: those that plan its
# activity again, and all those the clarification records.
CLARIFICATION_INPUTS = {"clarification_deadline", "clarification_topic"}
CLARIFICATION_FIELDS = CLARIFICATION_INPUTS | {"clarification_question"}


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "client.status.mixin", "client.status.blacklist.mixin"]
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

    clarification_topic = fields.Selection(
        [
            ("budget", "Budget"),
            ("timeline", "Timeline"),
            ("requirements", "Requirements"),
            ("decision_maker", "Decision maker"),
            ("other", "Other"),
        ],
        string="To Clarify",
        copy=False,
        help="What the client must clarify while the lead waits for them.",
    )
    clarification_question = fields.Text(
        string="Question", copy=False, help="The question asked to the client."
    )
    clarification_deadline = fields.Date(
        string="Answer Expected By",
        copy=False,
        help="When the deadline passes without an answer, the daily job escalates"
        " as the status says.",
    )
    clarification_activity_id = fields.Many2one(
        "mail.activity", string="Clarification Activity", copy=False, readonly=True
    )
    clarification_escalated = fields.Boolean(copy=False, readonly=True)
    # the questionnaire: a token of its own rather than portal.mixin's, whose
    # access_token also opens the lead's chatter to the portal routes and
    # puts a link to the lead in every e-mail to the customer
    clarification_token = fields.Char(
        string="Questionnaire Token",
        copy=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    clarification_questionnaire_url = fields.Char(
        string="Questionnaire Link",
        compute="_compute_clarification_questionnaire_url",
        groups="sales_team.group_sale_salesman",
        help="The page where the client answers; it works until they answer or"
        " the lead leaves the waiting status.",
    )
    clarification_answer = fields.Text(
        string="Answer", copy=False, readonly=True, help="The client's answer."
    )
    clarification_answer_amount = fields.Monetary(
        string="Answered Amount",
        currency_field="clarification_answer_currency_id",
        copy=False,
        readonly=True,
    )
    clarification_answer_currency_id = fields.Many2one(
        "res.currency", string="Answered Currency", copy=False, readonly=True
    )
    clarification_answer_date = fields.Date(
        string="Answered Date", copy=False, readonly=True
    )
    clarification_answered_at = fields.Datetime(
        string="Answered On", copy=False, readonly=True
    )
    clarification_answer_attempts = fields.Integer(
        string="Questionnaire Attempts", copy=False, readonly=True
    )
    clarification_answer_attempt_at = fields.Datetime(
        string="Questionnaire First Attempt", copy=False, readonly=True
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

    @api.depends("clarification_token")
    def _compute_clarification_questionnaire_url(self):
        for lead in self:
            lead.clarification_questionnaire_url = (
                lead.clarification_token
                and lead.get_base_url() + lead._client_status_questionnaire_url()
            )

    @api.constrains("client_status_id", "clarification_topic", "clarification_deadline")
    def _check_clarification(self):
        for lead in self:
            if lead.client_status_kind != "waiting":
                continue
            if not lead.clarification_topic or not lead.clarification_deadline:
                raise ValidationError(
                    _(
                        "%(lead)s waits for the client (%(status)s): say what must"
                        " be clarified and by when.",
                        lead=lead.display_name,
                        status=lead.client_status_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if self.env["client.status.rule"]._get_rule_inputs("res.partner", self._name):
            leads.partner_id.commercial_partner_id._client_status_mark_pending()
        waiting = leads.filtered(lambda lead: lead.client_status_kind == "waiting")
        waiting._client_status_plan_clarification()
        waiting._client_status_new_clarification()
        leads._client_status_close_deals()
        return leads

    def write(self, vals):
        # Only what the written fields may change is read and done: a write
        # of other fields (a stage, a salesperson, a tag) costs nothing more.
        Partner = self.env["res.partner"]
        watched = Partner._client_status_watch_inputs(self, vals)
        waiting = (
            self.filtered(lambda lead: lead.client_status_kind == "waiting")
            if "client_status_id" in vals or CLARIFICATION_FIELDS & vals.keys()
            else None
        )
        waited_for = {lead: lead.client_status_id for lead in waiting or ()}
        res = super().write(vals)
        Partner._client_status_inputs_written(self, watched)
        changed = waiting
        if "client_status_id" in vals:
            now_waiting = self.filtered(
                lambda lead: lead.client_status_kind == "waiting"
            )
            entered = now_waiting - waiting
            entered._client_status_plan_clarification()
            # another waiting status is another clarification
            changed = now_waiting & waiting
            (
                entered
                | changed.filtered(
                    lambda lead: lead.client_status_id != waited_for[lead]
                )
            )._client_status_new_clarification()
            # no longer waiting for the client: nothing to expect any more
            left = waiting - now_waiting
            left.clarification_activity_id.exists().unlink()
            self.env["client.status.clarification"]._close(left)
            self._client_status_close_deals()
        if changed and CLARIFICATION_INPUTS & vals.keys():
            changed._client_status_plan_clarification()
        if changed and CLARIFICATION_FIELDS & vals.keys():
            self.env["client.status.clarification"]._update(changed)
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

    def action_client_status_send_questionnaire(self):
        """Send the questionnaire to the clients of the leads of ``self`` that
        wait for an answer, each in their client's language: for one lead,
        open the composer with the e-mail to review; for several, send them
        at once."""
        leads = self.filtered(lambda lead: lead._client_status_questionnaire_open())
        if not leads:
            raise UserError(
                _(
                    "None of these leads waits for an answer of the client:"
                    " move them to a status that waits for the client first."
                )
            )
        if len(leads) > QUESTIONNAIRE_SEND_LIMIT:
            raise UserError(
                _(
                    "Send the questionnaire to %(limit)s leads at most at once"
                    " (%(count)s selected wait for their client).",
                    limit=QUESTIONNAIRE_SEND_LIMIT,
                    count=len(leads),
                )
            )
        if len(leads) > 1:
            leads._client_status_send_questionnaire()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": _(
                        "The questionnaire was sent to the clients of %(count)s leads.",
                        count=len(leads),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        template = self._client_status_questionnaire_template()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send the Questionnaire"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": leads.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }

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
        # the clarification workflow's links and flags, and what the form
        # shows of the customer
        return super()._client_status_protected_fields() | {
            "partner_client_status_id",
            "partner_client_status_kind",
            "clarification_activity_id",
            "clarification_escalated",
            "clarification_token",
            "clarification_questionnaire_url",
            "clarification_answer",
            "clarification_answer_amount",
            "clarification_answer_currency_id",
            "clarification_answer_date",
            "clarification_answered_at",
            "clarification_answer_attempts",
            "clarification_answer_attempt_at",
        }

    def _merge_dependences(self, opportunities):
        # the clarifications asked on the merged leads count for the lead kept
        # sudo: the log of the workflow, which users only read
        self.env["client.status.clarification"].sudo().search(
            [("lead_id", "in", opportunities.ids)]
        ).lead_id = self
        return super()._merge_dependences(opportunities)

    def _client_status_change_reasons(self):
        # entering a waiting status: the question is the reason, in every
        # language (read in the reader's)
        translate = self.env["client.status.history"]._translate_reason
        return {
            lead.id: translate(
                lambda env, lead=lead: lead.with_env(
                    env
                )._client_status_clarification_text()
            )
            for lead in self
            if lead.client_status_kind == "waiting"
        }

    def _client_status_clarification_text(self):
        """What the client must clarify, and by when, in one line."""
        self.ensure_one()
        topic = dict(
            self._fields["clarification_topic"]._description_selection(self.env)
        )
        question = self.clarification_question
        return _(
            "To clarify: %(topic)s%(question)s (by %(deadline)s)",
            topic=topic.get(self.clarification_topic, ""),
            question=" - " + question if question else "",
            deadline=self.clarification_deadline,
        )

    # ------------------------------------------------------------------
    # Clarification workflow
    # ------------------------------------------------------------------

    def _client_status_plan_clarification(self):
        """Plan, for each lead of ``self`` (waiting for the client), an
        activity for its salesperson on the day the answer is expected,
        replacing the one planned before."""
        if not self:
            return
        self.clarification_activity_id.unlink()
        activities = self._client_status_create_todos(
            _("Answer expected from the client"), "clarification_deadline"
        )
        self._client_status_set_links("clarification_activity_id", activities)
        # sudo: a flag of the workflow (protected), reset for a new deadline
        self.sudo().clarification_escalated = False

    def _client_status_create_todos(self, summary, deadline_field=None):
        """One to-do activity per lead of ``self`` for its salesperson, about
        its clarification, due on ``deadline_field`` (today without one):
        created at once, returned in the order of ``self``."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        return self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "note": lead._client_status_clarification_text(),
                    "date_deadline": (deadline_field and lead[deadline_field]) or today,
                    # the salesperson, else the team leader
                    "user_id": (
                        lead.user_id or lead.team_id.user_id or self.env.user
                    ).id,
                }
                for lead in self
            ]
        )

    def _client_status_on_client_reply(self):
        """A message came from the client on leads of ``self`` waiting for
        them: each takes the message as the client's answer (see
        :meth:`_client_status_take_answer`)."""
        waiting = self.filtered(
            lambda lead: lead.client_status_kind == "waiting"
            and lead.client_status_id.reply_status_id
        )
        # the message just received: the newest email or comment of each lead,
        # read from the database (a cached message_ids may predate it)
        latest = dict(
            self.env["mail.message"]._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", waiting.ids),
                    ("message_type", "in", ("email", "comment")),
                ],
                ["res_id"],
                ["id:max"],
            )
        )
        for lead in waiting:
            lead._client_status_take_answer(
                html2plaintext(
                    self.env["mail.message"].browse(latest.get(lead.id)).body or ""
                ),
                "email",
            )

    def _client_status_take_answer(self, answer, channel):
        """The client answered the lead ``self`` waiting for them (an e-mail
        reply, the questionnaire): move it to the status its waiting status
        names ("On Reply Go To"), with the answer in the history, and close
        the clarification activity with the answer as feedback. Return
        whether the lead moved.

        :param str answer: the answer, as plain text
        :param str channel: how it came (see ``ANSWER_CHANNELS``)
        """
        self.ensure_one()
        if self.client_status_kind != "waiting":
            return False
        self.env["client.status.clarification"]._mark_answered(self, channel)
        target = self.client_status_id.reply_status_id
        if not target:
            return False
        answer = shorten(answer, ANSWER_LENGTH, placeholder="…")
        self.clarification_activity_id.action_feedback(feedback=answer)
        self.with_context(
            client_status_source=ClientStatusSource("automation"),
            client_status_reason=self.env["client.status.history"]._translate_reason(
                lambda env: env._("Answer from the client: %(answer)s", answer=answer)
            ),
        ).client_status_id = target
        return True

    # ------------------------------------------------------------------
    # Questionnaire: the client answers on a public page (see
    # controllers/questionnaire.py)
    # ------------------------------------------------------------------

    def _client_status_new_clarification(self):
        """A new clarification for the leads of ``self``, recorded for the
        report: a new questionnaire link (the links sent before stop working)
        and no answer yet."""
        if not self:
            return
        self.env["client.status.clarification"]._ask(self)
        # sudo: the token and the answer are kept by the workflow (protected)
        self.sudo().write(
            {
                "clarification_answer": False,
                "clarification_answer_amount": 0.0,
                "clarification_answer_currency_id": False,
                "clarification_answer_date": False,
                "clarification_answered_at": False,
                "clarification_answer_attempts": 0,
                "clarification_answer_attempt_at": False,
            }
        )
        # a random token per lead, in one query
        self.flush_recordset(["clarification_token"])
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET clarification_token = gen_random_uuid()::text"
                " WHERE id = ANY(%s)",
                self.ids,
            )
        )
        self.invalidate_recordset(["clarification_token"])

    def _client_status_questionnaire_url(self):
        """The path of the questionnaire of the lead ``self``, with its
        token."""
        self.ensure_one()
        # sudo: the token is for the salesperson to send, not for the form
        token = self.sudo().clarification_token
        return f"/client_status/questionnaire/{self.id}?access_token={token}"

    def _client_status_remind_questionnaire(self):
        """Send the questionnaire again to the clients of the leads of
        ``self`` who were sent it and have not answered: the same link."""
        # sudo: the log of the workflow, which users only read
        self.env["client.status.clarification"].sudo()._open_of(self).filtered(
            "sent_at"
        ).lead_id.with_env(self.env)._client_status_send_questionnaire()

    @api.model
    def _client_status_questionnaire_template(self):
        """The e-mail template of the questionnaire (None if deleted)."""
        return self.env.ref(
            "client_status.mail_template_clarification_questionnaire",
            raise_if_not_found=False,
        )

    def _client_status_send_questionnaire(self):
        """Send the questionnaire to the clients of the leads of ``self`` as
        the template writes it, unedited (each in their client's language):
        one composer for all."""
        template = self._client_status_questionnaire_template()
        if not self or not template:
            return
        self.env["mail.compose.message"].with_context(
            default_composition_mode="comment",
            default_model=self._name,
            default_res_ids=self.ids,
            default_template_id=template.id,
        ).create(
            {
                "message_type": "comment",
                "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.mt_comment"
                ),
                "email_layout_xmlid": "mail.mail_notification_light",
            }
        )._action_send_mail()

    def _client_status_questionnaire_open(self):
        """Whether the lead ``self`` still expects an answer on its
        questionnaire: waiting for the client, not answered yet."""
        self.ensure_one()
        return (
            self.client_status_kind == "waiting"
            and not self.clarification_answered_at
            and bool(self.sudo().clarification_token)
        )

    def _client_status_questionnaire_attempt(self):
        """Count an answer sent on the questionnaire of the lead ``self``;
        return False when the link sent too many in the last minutes."""
        self.ensure_one()
        now = fields.Datetime.now()
        lead = self.sudo()  # sudo: protected counters of the workflow
        if (
            not lead.clarification_answer_attempt_at
            or lead.clarification_answer_attempt_at < now - QUESTIONNAIRE_WINDOW
        ):
            lead.write(
                {
                    "clarification_answer_attempts": 1,
                    "clarification_answer_attempt_at": now,
                }
            )
            return True
        lead.clarification_answer_attempts += 1
        return lead.clarification_answer_attempts <= QUESTIONNAIRE_ATTEMPTS

    def _client_status_questionnaire_answer(
        self, text=None, amount=None, currency=None, answer_date=None
    ):
        """Store the answer the client gave on the questionnaire of the lead
        ``self`` (values checked by the caller), post it in the chatter as
        the customer and take it as the client's answer."""
        self.ensure_one()
        if self.clarification_topic == "budget":
            answer = formatLang(self.env, amount, currency_obj=currency)
        elif self.clarification_topic == "timeline":
            answer = format_date(self.env, answer_date)
        else:
            answer = None
        # a typed value, with the client's comment if any
        answer = " - ".join(part for part in (answer, text) if part)
        self.write(
            {
                "clarification_answer": text or False,
                "clarification_answer_amount": amount or 0.0,
                "clarification_answer_currency_id": currency.id if currency else False,
                "clarification_answer_date": answer_date or False,
                "clarification_answered_at": fields.Datetime.now(),
            }
        )
        question = (
            self.clarification_question or self._client_status_clarification_text()
        )
        self.message_post(
            # escaped: the client's words are text
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                _("Answer to the questionnaire: %(question)s", question=question),
                answer,
            ),
            author_id=self.partner_id.id or None,
            email_from=self.email_from or None,
            message_type="comment",
            # a note: the followers are not mailed, the automation rules of
            # incoming messages do not run (the answer is taken below)
            subtype_xmlid="mail.mt_note",
        )
        self._client_status_take_answer(answer, "questionnaire")

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

    @api.model
    def _cron_client_status_escalate(self):
        """Escalate the leads whose client did not answer by the deadline, as
        their status says: a reminder for the salesperson (once), or a move to
        another status."""
        leads = self.search(
            [
                ("client_status_kind", "=", "waiting"),
                ("clarification_deadline", "<", fields.Date.context_today(self)),
                ("clarification_escalated", "=", False),
            ],
            limit=ESCALATION_BATCH_SIZE,
        )
        for status, status_leads in leads.grouped("client_status_id").items():
            if status.escalation == "move" and status.escalation_status_id:
                status_leads.with_context(
                    client_status_source=ClientStatusSource("automation"),
                    client_status_reason=self.env[
                        "client.status.history"
                    ]._translate_reason(
                        lambda env: env._("No answer from the client by the deadline")
                    ),
                ).client_status_id = status.escalation_status_id
            else:
                status_leads._client_status_create_todos(
                    _("No answer from the client yet")
                )
                status_leads._client_status_remind_questionnaire()
            # sudo: a flag of the workflow (protected); the job may be run
            # by hand
            status_leads.sudo().clarification_escalated = True
        if len(leads) == ESCALATION_BATCH_SIZE:
            # more to escalate: the cron runs again at once
            self.env["ir.cron"]._notify_progress(done=len(leads), remaining=1)
