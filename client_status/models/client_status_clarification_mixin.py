# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from textwrap import shorten

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang, html2plaintext

from .client_status_history import ClientStatusSource

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


class ClientStatusClarificationMixin(models.AbstractModel):
    """The clarification a lead waits for while its status is of the
    waiting kind: what the client must clarify and by when, the activity of
    the salesperson, the escalation when the deadline passes, the answer (an
    e-mail reply or the questionnaire's page, see
    controllers/questionnaire.py) that moves the lead on, and the
    clarifications recorded for the report (``client.status.clarification``).

    Inherited by crm.lead, which it expects (a customer, a salesperson, a
    chatter, a status of the ``client.status.mixin``)."""

    _name = "client.status.clarification.mixin"
    _description = "Client Status Clarification Workflow"

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

    @api.model
    def _client_status_protected_fields(self):
        # the clarification workflow's links, flags and answers
        return super()._client_status_protected_fields() | {
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

    @api.model
    def _client_status_clarification_topics(self):
        """What a client may be asked to clarify, ``[(value, label)]`` in the
        user's language, as the lead's field has it (an addon adds its own
        to the field): the clarification dialog and the report offer the
        same."""
        return self._fields["clarification_topic"]._description_selection(self.env)

    def _client_status_clarification_text(self):
        """What the client must clarify, and by when, in one line."""
        self.ensure_one()
        topic = dict(self._client_status_clarification_topics())
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

    # The model calls these from its create and write, after the chatter's
    # (which subscribes the creator: the clarification's activity subscribes
    # its salesperson, who may be the same).

    def _client_status_clarification_created(self):
        """The records of ``self`` were created: those waiting for the
        client get their clarification."""
        waiting = self.filtered(lambda lead: lead.client_status_kind == "waiting")
        waiting._client_status_plan_clarification()
        waiting._client_status_new_clarification()

    def _client_status_clarification_watch(self, vals):
        """Before ``vals`` is written on the records of ``self``: those
        waiting for the client and their status, or None when the write
        touches neither the status nor the clarification (it then costs
        nothing more). Give it to
        :meth:`_client_status_clarification_written`."""
        if "client_status_id" not in vals and not CLARIFICATION_FIELDS & vals.keys():
            return None
        return {
            lead: lead.client_status_id
            for lead in self
            if lead.client_status_kind == "waiting"
        }

    def _client_status_clarification_written(self, vals, watched):
        """``vals`` was written on the records of ``self``: a new
        clarification for those that entered a waiting status (or another
        one), none any more for those that left it, the open one told what
        changed.

        :param dict watched: what :meth:`_client_status_clarification_watch`
            returned before the write
        """
        if watched is None:
            return
        waiting = self.filtered(lambda lead: lead in watched)
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
                | changed.filtered(lambda lead: lead.client_status_id != watched[lead])
            )._client_status_new_clarification()
            # no longer waiting for the client: nothing to expect any more
            left = waiting - now_waiting
            left.clarification_activity_id.exists().unlink()
            self.env["client.status.clarification"]._close(left)
        if changed and CLARIFICATION_INPUTS & vals.keys():
            changed._client_status_plan_clarification()
        if changed and CLARIFICATION_FIELDS & vals.keys():
            self.env["client.status.clarification"]._update(changed)

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
        waiting = self.filtered(lambda lead: lead.client_status_kind == "waiting")
        # the message just received: the newest email or comment of each lead,
        # read from the database (a cached message_ids may predate it)
        latest = self.env["mail.message"]._read_group(
            [
                ("model", "=", self._name),
                ("res_id", "in", waiting.ids),
                ("message_type", "in", ("email", "comment")),
            ],
            ["res_id"],
            ["id:max"],
        )
        # their bodies read at once
        messages = self.env["mail.message"].browse(
            message_id for __, message_id in latest
        )
        bodies = {message.res_id: message.body for message in messages}
        for lead in waiting:
            lead._client_status_take_answer(
                html2plaintext(bodies.get(lead.id) or ""), "email"
            )

    def _client_status_take_answer(self, answer, channel):
        """The client answered the lead ``self`` waiting for them (an e-mail
        reply, the questionnaire): its clarification is answered (the
        questionnaire closed, no escalation), the clarification activity done
        with the answer as feedback, and the lead moves to the status its
        waiting status names ("On Reply Go To"), with the answer in the
        history. Return whether the lead moved.

        :param str answer: the answer, as plain text
        :param str channel: how it came (see ``ANSWER_CHANNELS``)
        """
        self.ensure_one()
        if self.client_status_kind != "waiting":
            return False
        self.env["client.status.clarification"]._mark_answered(self, channel)
        # sudo: when the client answered is kept by the workflow (protected)
        self.sudo().clarification_answered_at = fields.Datetime.now()
        answer = shorten(answer, ANSWER_LENGTH, placeholder="…")
        self.clarification_activity_id.action_feedback(feedback=answer)
        target = self.client_status_id.reply_status_id
        if not target:
            return False
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
                # answered on a status that names no next one: nothing to chase
                ("clarification_answered_at", "=", False),
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
