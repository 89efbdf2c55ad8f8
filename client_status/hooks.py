# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Up to this many records without a status (of a scope) at install, they
# are given their first status and classified by the rules during the
# install; above, the install only sets up, and the records get their
# statuses in the background (installation runs, then runs of the rules; in
# batches, one transaction each, with their progress).
INSTALL_RECLASSIFY_LIMIT = 10000


def post_init_hook(env):
    """Give every existing contact and lead a status, with an ``install``
    history row each: the default status of its scope, or the one its state
    calls for (a won lead the won-kind status, a lost one the lost-kind
    status); then have the rules classify them (contacts by their deals),
    with their history rows. At once on a small database; on a large one
    both run in the background (``client.status.run``, installation runs):
    the install returns with the schema and the data of the addon only."""
    env.flush_all()
    Run = env["client.status.run"]
    background = {}
    installed = {}
    for scope, model in env["client.status"]._get_status_models().items():
        records = env[model].with_context(active_test=False)
        count = records.search_count([("client_status_id", "=", False)])
        if count > INSTALL_RECLASSIFY_LIMIT:
            background[scope] = count
            continue
        installed[scope] = Run._install_statuses(
            records.search([("client_status_id", "=", False)], order="id")
        )
        _logger.info(
            "client_status: a %s status given to %s existing records",
            scope,
            len(installed[scope]),
        )
    # the rules once every scope has its statuses (contacts by their deals)
    for scope, records in installed.items():
        _classify_by_rules(env, scope, records)
    if background:
        Run._start_install(background)
        _logger.info(
            "client_status: more than %s %s records without a status: they get"
            " their statuses in the background",
            INSTALL_RECLASSIFY_LIMIT,
            ", ".join(background),
        )


def _classify_by_rules(env, scope, records):
    """Have the rules of ``scope`` classify ``records`` now. The rules'
    changes have their own history rows (source ``rule``, with the rule and
    the metric values), as in any later run."""
    if not records or not env["client.status.rule"]._get_compiled_rules(scope):
        return
    changed = records._client_status_reclassify_now()
    _logger.info(
        "client_status: the rules changed the %s status of %s of them",
        scope,
        len(changed),
    )


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
