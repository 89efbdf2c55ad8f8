# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

ANSWER_CHANNELS = [
    ("email", "E-mail reply"),
    ("questionnaire", "Questionnaire"),
]


class ClientStatusClarification(models.Model):
    """A clarification asked of a client: one per time a lead enters a
    waiting-kind status, kept when the lead moves on. It says whether the
    questionnaire was sent, whether and when the client answered, and is
    what the clarification report reads.

    The workflow of the leads writes them (see crm.lead); users read them."""

    _name = "client.status.clarification"
    _description = "Client Status Clarification"
    _order = "asked_at desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    status_id = fields.Many2one(
        "client.status",
        string="Waiting Status",
        ondelete="restrict",
        readonly=True,
        help="The waiting-kind status the lead entered.",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    topic = fields.Selection(
        selection=lambda self: self.env[
            "crm.lead"
        ]._client_status_clarification_topics(),
        string="To Clarify",
        readonly=True,
    )
    question = fields.Text(readonly=True)
    deadline = fields.Date(string="Answer Expected By", readonly=True)
    asked_at = fields.Datetime(string="Asked On", required=True, readonly=True)
    sent_at = fields.Datetime(
        string="Questionnaire Sent On",
        readonly=True,
        help="When the questionnaire was first sent to the client.",
    )
    sent_count = fields.Integer(
        string="Questionnaires Sent",
        readonly=True,
        help="How many times the link was sent, reminders included.",
    )
    answered_at = fields.Datetime(string="Answered On", readonly=True)
    answer_channel = fields.Selection(
        ANSWER_CHANNELS, string="Answered By", readonly=True
    )
    closed_at = fields.Datetime(
        string="Closed On",
        readonly=True,
        help="When the lead left the waiting status without an answer.",
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("answered", "Answered"),
            ("unanswered", "Closed without an answer"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    # the report's measures: sums give counts
    asked = fields.Integer(default=1, readonly=True, help="1 per clarification.")
    sent = fields.Integer(
        compute="_compute_measures",
        store=True,
        help="1 when the questionnaire was sent.",
    )
    answered = fields.Integer(
        compute="_compute_measures", store=True, help="1 when the client answered."
    )
    answered_in_time = fields.Integer(
        compute="_compute_measures",
        store=True,
        help="1 when the client answered by the deadline (in the company's time zone).",
    )
    hours_to_answer = fields.Float(
        compute="_compute_measures",
        store=True,
        digits=(16, 1),
        aggregator="median",
        help="Hours from the question (from the questionnaire when it was sent)"
        " to the answer; the report gives the median of the answered ones.",
    )

    @api.depends("answered_at", "closed_at")
    def _compute_state(self):
        for clarification in self:
            if clarification.answered_at:
                clarification.state = "answered"
            elif clarification.closed_at:
                clarification.state = "unanswered"
            else:
                clarification.state = "waiting"

    @api.depends("sent_at", "answered_at", "asked_at", "deadline", "company_id")
    def _compute_measures(self):
        History = self.env["client.status.history"]
        for clarification in self:
            answered_at = clarification.answered_at
            clarification.sent = 1 if clarification.sent_at else 0
            clarification.answered = 1 if answered_at else 0
            if not answered_at:
                clarification.answered_in_time = 0
                clarification.hours_to_answer = 0.0
                continue
            company_id = clarification.company_id.id
            day = History._get_local_days(answered_at, [company_id])[company_id]
            clarification.answered_in_time = (
                1 if not clarification.deadline or day <= clarification.deadline else 0
            )
            start = clarification.sent_at or clarification.asked_at
            clarification.hours_to_answer = max(
                (answered_at - start).total_seconds() / 3600, 0.0
            )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # the median, for the report's time to answer
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if func != "median":
            return super()._read_group_select(aggregate_spec, query)
        # the checks of a standard aggregate (field, access) first
        super()._read_group_select(f"{fname}:avg", query)
        # of the answered ones: the others have no time to answer
        return SQL(
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s)",
            self._field_to_sql(self._table, fname, query),
            SQL(
                "%s IS NOT NULL", self._field_to_sql(self._table, "answered_at", query)
            ),
        )

    # ------------------------------------------------------------------
    # The workflow of the leads (crm.lead calls these on sets of leads)
    # ------------------------------------------------------------------

    @api.model
    def _open_of(self, leads):
        """The clarifications of ``leads`` still waiting for an answer."""
        if not leads:
            return self.browse()
        return self.search([("lead_id", "in", leads.ids), ("state", "=", "waiting")])

    @api.model
    def _ask(self, leads):
        """``leads`` entered a waiting status: close what they waited for
        before and record what they wait for now."""
        now = fields.Datetime.now()
        self._close(leads, now)
        # sudo: the log of the workflow, which users only read
        self.sudo().create(
            [
                {
                    "lead_id": lead.id,
                    "company_id": lead.company_id.id,
                    "status_id": lead.client_status_id.id,
                    "user_id": lead.user_id.id,
                    "team_id": lead.team_id.id,
                    "topic": lead.clarification_topic,
                    "question": lead.clarification_question,
                    "deadline": lead.clarification_deadline,
                    "asked_at": now,
                }
                for lead in leads
            ]
        )

    @api.model
    def _update(self, leads):
        """What ``leads`` wait for changed (the topic, the question, the
        deadline): their open clarifications say so, one write per value."""
        # sudo: the log of the workflow, which users only read
        open_clarifications = self.sudo()._open_of(leads)
        for (topic, question, deadline), clarifications in open_clarifications.grouped(
            lambda clarification: (
                clarification.lead_id.clarification_topic,
                clarification.lead_id.clarification_question,
                clarification.lead_id.clarification_deadline,
            )
        ).items():
            clarifications.write(
                {"topic": topic, "question": question, "deadline": deadline}
            )

    @api.model
    def _close(self, leads, when=None):
        """``leads`` left their waiting status without an answer."""
        # sudo: the log of the workflow, which users only read
        self.sudo()._open_of(leads).write({"closed_at": when or fields.Datetime.now()})

    @api.model
    def _mark_sent(self, leads):
        """The questionnaire was sent (again) to the clients of ``leads``."""
        # sudo: the log of the workflow, which users only read
        clarifications = self.sudo()._open_of(leads)
        if not clarifications:
            return
        now = fields.Datetime.now()
        # one write per value
        for (sent_at, count), sent in clarifications.grouped(
            lambda clarification: (clarification.sent_at, clarification.sent_count)
        ).items():
            sent.write({"sent_at": sent_at or now, "sent_count": count + 1})

    @api.model
    def _mark_answered(self, lead, channel):
        """The client of ``lead`` answered, by ``channel`` (one of
        ``ANSWER_CHANNELS``)."""
        # sudo: the log of the workflow, which users only read
        self.sudo()._open_of(lead).write(
            {"answered_at": fields.Datetime.now(), "answer_channel": channel}
        )
