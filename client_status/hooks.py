# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from odoo import fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """Give every existing contact and lead the default status of its scope,
    with an ``install`` history row each: one statement per scope."""
    env.flush_all()
    statuses = env["client.status"]
    for scope, model in statuses._get_status_models().items():
        records = env[model]
        count = _backfill_default_status(
            env, records._table, records._client_status_history_field, scope
        )
        records.invalidate_model(
            [
                "client_status_id",
                "client_status_kind",
                "client_status_parent_id",
                "client_status_date",
            ]
        )
        _logger.info(
            "client_status: default %s status given to %s existing records",
            scope,
            count,
        )
    for summary in env["client.status.summary"]._get_summary_models():
        summary.invalidate_model()


def _backfill_default_status(env, table, history_field, scope):
    """Set the default status (the company's own, else the shared one) on the
    rows of ``table`` that have none, with the stored related fields of the
    mixin (kind, parent), and log them (and their sums in the summaries of the
    history); return how many."""
    now = fields.Datetime.now()
    companies = env["res.company"].with_context(active_test=False).search([])
    days = env["client.status.history"]._get_local_days(now, {None, *companies.ids})
    env.cr.execute(
        SQL(
            """
            WITH todo AS (
                SELECT rec.id, COALESCE(own.id, shared.id) AS status_id
                  FROM %(table)s AS rec
             LEFT JOIN client_status AS own
                    ON own.company_id = rec.company_id AND own.scope = %(scope)s
                   AND own.is_default AND own.active
             LEFT JOIN client_status AS shared
                    ON shared.company_id IS NULL AND shared.scope = %(scope)s
                   AND shared.is_default AND shared.active
                 WHERE rec.client_status_id IS NULL
            ), updated AS (
                UPDATE %(table)s AS rec
                   SET client_status_id = status.id,
                       client_status_kind = status.kind,
                       client_status_parent_id = status.parent_id,
                       client_status_date = %(now)s
                  FROM todo
                  JOIN client_status AS status ON status.id = todo.status_id
                 WHERE rec.id = todo.id
             RETURNING rec.id, rec.client_status_id, rec.company_id,
                       rec.client_status_date
            ), logged AS (
                INSERT INTO client_status_history (
                    %(history_field)s, scope, status_to_id, date, day, user_id,
                    source, company_id, create_uid, create_date, write_uid,
                    write_date)
                SELECT id, %(scope)s, client_status_id, client_status_date,
                       COALESCE((%(days)s::jsonb ->> company_id::text)::date,
                                %(default_day)s),
                       %(uid)s, 'install', company_id, %(uid)s, client_status_date,
                       %(uid)s, client_status_date
                  FROM updated
             RETURNING *
            )%(summaries)s
            SELECT count(*) FROM logged
            """,
            table=SQL.identifier(table),
            history_field=SQL.identifier(history_field),
            summaries=SQL().join(
                SQL(", %s", summary)
                for summary in env["client.status.history"]._summaries_sql("logged")
            ),
            scope=scope,
            uid=env.uid,
            now=now,
            days=json.dumps(
                {company_id: day.isoformat() for company_id, day in days.items()}
            ),
            default_day=days[None],
        )
    )
    return env.cr.fetchone()[0]
