# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from odoo import fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Up to this many records given a status at install, the rules classify them
# during the install; above, the daily reclassification job does it in the
# background right after (in batches, one transaction each).
INSTALL_RECLASSIFY_LIMIT = 10000


def post_init_hook(env):
    """Give every existing contact and lead a status, with an ``install``
    history row each (one statement per scope): the default status of its
    scope, or the one its state calls for (a won lead the won-kind status, a
    lost one the lost-kind status); then have the rules classify the records
    given a status (contacts by their deals), with their history rows: at
    once on a small database, in the background on a large one."""
    env.flush_all()
    statuses = env["client.status"]
    backfilled = {}
    for scope, model in statuses._get_status_models().items():
        records = env[model]
        count, ids = _backfill_default_status(
            env,
            records._table,
            records._client_status_history_field,
            scope,
            kind=_install_kind_sql(records),
        )
        records.invalidate_model(
            [
                "client_status_id",
                "client_status_kind",
                "client_status_parent_id",
                "client_status_date",
            ]
        )
        backfilled[scope] = (count, records.browse(ids or ()))
        _logger.info(
            "client_status: a %s status given to %s existing records", scope, count
        )
    for summary in env["client.status.summary"]._get_summary_models():
        summary.invalidate_model()
    _classify_by_rules(env, backfilled)


def _install_kind_sql(records):
    """SQL naming the kind of status a row of ``records`` (aliased ``rec``)
    gets at install instead of the default one (``NULL``: the default), or
    None when the model has no such states. A lead is won when active at
    100 %, lost when archived at 0 %, as the contact rules read it
    (``res.partner._client_status_lead_state``)."""
    if records._name != "crm.lead":
        return None
    return SQL(
        "CASE WHEN rec.active AND rec.probability = 100 THEN 'won'"
        " WHEN NOT rec.active AND coalesce(rec.probability, 0) = 0 THEN 'lost' END"
    )


def _classify_by_rules(env, backfilled):
    """Have the rules of each scope classify the records the hook gave a
    status: those of ``backfilled`` (``{scope: (count, records)}``, the
    records only when ``count`` is within ``INSTALL_RECLASSIFY_LIMIT``) at
    once, the scopes of more by starting the reclassification job now. The
    rules' changes have their own history rows (source ``rule``, with the
    rule and the metric values), as in any later run."""
    Rule = env["client.status.rule"]
    background = False
    for scope, (count, records) in backfilled.items():
        if not count or not Rule._get_compiled_rules(scope):
            continue
        if count > INSTALL_RECLASSIFY_LIMIT:
            background = True
            continue
        changed = records._client_status_reclassify_now()
        _logger.info(
            "client_status: the rules changed the %s status of %s of them",
            scope,
            len(changed),
        )
    if background:
        env.ref("client_status.ir_cron_client_status_reclassify")._trigger()
        _logger.info(
            "client_status: more than %s records, the rules classify them"
            " in the background",
            INSTALL_RECLASSIFY_LIMIT,
        )


def _backfill_default_status(env, table, history_field, scope, kind=None):
    """Set the default status (the company's own, else the shared one) on the
    rows of ``table`` that have none, or the first status of the kind
    ``kind`` names (SQL over the row, aliased ``rec``; the company's own
    first) when there is one, with the stored related fields of the mixin
    (kind, parent), and log them (and their sums in the summaries of the
    history); return how many, with their ids when they are at most
    ``INSTALL_RECLASSIFY_LIMIT`` (else None)."""
    now = fields.Datetime.now()
    companies = env["res.company"].with_context(active_test=False).search([])
    days = env["client.status.history"]._get_local_days(now, {None, *companies.ids})
    if kind is None:
        of_kind, of_kind_id = SQL(), SQL("NULL::int")
    else:
        of_kind = SQL(
            """
         LEFT JOIN LATERAL (
                SELECT status.id FROM client_status AS status
                 WHERE status.scope = %(scope)s AND status.active
                   AND status.kind = %(kind)s
                   AND (status.company_id = rec.company_id
                        OR status.company_id IS NULL)
                 ORDER BY status.company_id IS NULL, status.sequence, status.id
                 LIMIT 1
            ) AS of_kind ON TRUE
            """,
            scope=scope,
            kind=kind,
        )
        of_kind_id = SQL("of_kind.id")
    env.cr.execute(
        SQL(
            """
            WITH todo AS (
                SELECT rec.id,
                       COALESCE(%(of_kind_id)s, own.id, shared.id) AS status_id
                  FROM %(table)s AS rec %(of_kind)s
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
            SELECT count(*),
                   CASE WHEN count(*) <= %(limit)s
                        THEN array_agg(%(history_field)s) END
              FROM logged
            """,
            table=SQL.identifier(table),
            history_field=SQL.identifier(history_field),
            of_kind=of_kind,
            of_kind_id=of_kind_id,
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
            limit=INSTALL_RECLASSIFY_LIMIT,
        )
    )
    return env.cr.fetchone()


def uninstall_hook(env):
    """Remove the rows that keep Odoo from deleting the module's data.

    Odoo deletes first the records of the module that have an external id
    (statuses, rules, jobs, automation rules), then its constraints, fields
    and tables. Rows of no external id still held the statuses then: the
    history rows and the records that have a status (contacts and leads)
    through ON DELETE RESTRICT foreign keys, which keep a status in use from
    being deleted while the module is installed (they stay), and sub-statuses
    created by users through their parent. Each deletion of a status failed
    with an ERROR, its external id was kept ("ir.model.data could not be
    deleted") and looked up again once its table was gone ("relation
    client_status does not exist"). The snapshot tables of a run cut short
    belong to no model: nothing dropped them.

    So, in SQL (all of it goes with the module), in this order:

    1. the snapshot tables of the runs, then the runs;
    2. the summaries of the history (their status columns are ON DELETE SET
       NULL: each status deleted would rewrite their rows);
    3. the history (it holds the statuses; its rule column would be
       rewritten as the rules go);
    4. the references to statuses elsewhere, emptied: the records' statuses
       (else deleting a status also recomputes the records' stored fields
       related to it, which read the deleted status) and the parents of the
       statuses; the columns go with the module's fields, after the
       statuses."""
    env.flush_all()
    Run = env["client.status.run"]
    for tables in Run._snapshot_tables().values():
        for table in tables:
            env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
    summaries = env["client.status.summary"]._get_summary_models()
    History = env["client.status.history"]
    emptied = [model._table for model in (Run, *summaries, History)]
    env.cr.execute(SQL("TRUNCATE %s", SQL(", ").join(map(SQL.identifier, emptied))))
    for table, columns in _status_references(env, emptied).items():
        env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE %s",
                SQL.identifier(table),
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(column)) for column in columns
                ),
                SQL(" OR ").join(
                    SQL("%s IS NOT NULL", SQL.identifier(column)) for column in columns
                ),
            )
        )
    env.invalidate_all()
    _logger.info(
        "client_status: runs, snapshot tables, summaries and history removed,"
        " statuses released for their deletion"
    )


def _status_references(env, skipped_tables):
    """``{table: [column]}``: the stored, optional many2one columns to
    ``client.status`` of the regular models (no wizard, no SQL view), except
    those of ``skipped_tables``."""
    references = {}
    for model in env.registry.values():
        if (
            model._abstract
            or model._transient
            or not model._auto
            or model._table in skipped_tables
        ):
            continue
        columns = [
            field.name
            for field in model._fields.values()
            if field.type == "many2one"
            and field.comodel_name == "client.status"
            and field.store
            and not field.required
        ]
        if columns:
            references[model._table] = columns
    return references
