# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    """18.0.1.5.0 records the clarifications asked of clients for the
    report: the leads waiting for their client when the addon is updated
    get theirs, asked when they entered their status (their last history
    row to it), answered if they were on the questionnaire; and those
    waiting since before the questionnaire (18.0.1.4.0) get its link."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        SQL(
            """
            UPDATE crm_lead AS lead SET clarification_token = gen_random_uuid()::text
              FROM client_status AS status
             WHERE status.id = lead.client_status_id
               AND status.kind = 'waiting'
               AND lead.clarification_token IS NULL
            """
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO client_status_clarification (
                lead_id, company_id, status_id, user_id, team_id, topic,
                question, deadline, asked_at, answered_at, answer_channel,
                state, asked, sent, answered, answered_in_time,
                hours_to_answer, sent_count,
                create_uid, create_date, write_uid, write_date)
            SELECT lead.id, lead.company_id, lead.client_status_id,
                   lead.user_id, lead.team_id, lead.clarification_topic,
                   lead.clarification_question, lead.clarification_deadline,
                   coalesce(entered.date, lead.write_date, now() at time zone 'UTC'),
                   lead.clarification_answered_at,
                   CASE WHEN lead.clarification_answered_at IS NOT NULL
                        THEN 'questionnaire' END,
                   CASE WHEN lead.clarification_answered_at IS NOT NULL
                        THEN 'answered' ELSE 'waiting' END,
                   1, 0, 0, 0, 0, 0,
                   %(uid)s, now() at time zone 'UTC',
                   %(uid)s, now() at time zone 'UTC'
              FROM crm_lead AS lead
              JOIN client_status AS status ON status.id = lead.client_status_id
              LEFT JOIN LATERAL (
                    SELECT max(history.date) AS date
                      FROM client_status_history AS history
                     WHERE history.lead_id = lead.id
                       AND history.status_to_id = lead.client_status_id
                   ) AS entered ON TRUE
             WHERE status.kind = 'waiting'
            """,
            uid=SUPERUSER_ID,
        )
    )
    clarifications = env["client.status.clarification"]
    clarifications.invalidate_model()
    # the measures of those answered
    answered = clarifications.search([("answered_at", "!=", False)])
    env.add_to_compute(clarifications._fields["answered"], answered)
    env.add_to_compute(clarifications._fields["answered_in_time"], answered)
    env.add_to_compute(clarifications._fields["hours_to_answer"], answered)
    answered.flush_recordset()
