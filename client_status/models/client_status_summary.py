# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ClientStatusSummary(models.AbstractModel):
    """The status history summed by a few keys, for the analysis views: a
    pivot over the summary reads thousands of rows where one over the history
    reads millions.

    A summary is a table that only receives INSERTs: each change set of the
    history adds its rows summed by the keys (:meth:`_add_rows_sql`, in the
    statement that writes the history), a deletion of records adds them with
    a minus sign, and the daily autovacuum merges the rows of each key
    (:meth:`_compact`). No row is ever updated: two transactions logging the
    same change never wait for each other, as they would for a counter row.
    :meth:`_rebuild` sums the whole history again (installation, upgrades
    that change the keys, history changed outside the ORM).

    A summary model declares its key columns and its measures, as SQL over
    the history rows (alias ``history``); every model that inherits this one
    is kept up to date."""

    _name = "client.status.summary"
    _description = "Client Status History Summary"

    @api.model
    def _summary_keys(self):
        """The key columns of the summary: ``{column: SQL expression over the
        history row}``; the summary has one row per distinct key (and per
        change set, until the daily merge)."""
        return {}

    @api.model
    def _summary_measures(self, sign):
        """The measures of the summary: ``{column: SQL aggregate over the
        history rows of the key}``, multiplied by ``sign`` (1 or -1)."""
        return {}

    @api.model
    def _summary_condition(self):
        """The history rows the summary counts (an SQL condition)."""
        return SQL("TRUE")

    @api.model
    def _add_history(self, condition, sign=1):
        """Add to the summary the history rows that match ``condition`` (an
        SQL condition over the alias ``history``), or remove them when
        ``sign`` is -1 (before the rows are deleted)."""
        self.env.cr.execute(
            self._add_rows_sql(
                SQL(
                    "(SELECT * FROM client_status_history AS history WHERE %s)",
                    condition,
                ),
                sign,
            )
        )
        self.invalidate_model()

    @api.model
    def _add_rows_sql(self, rows, sign=1):
        """The INSERT that adds history rows to the summary (or removes them,
        ``sign`` -1): ``rows`` is an SQL relation with the columns of the
        history, e.g. the rows an INSERT into the history returns."""
        keys = self._summary_keys()
        measures = self._summary_measures(sign)
        return SQL(
            """
            INSERT INTO %(table)s (%(columns)s)
            SELECT %(values)s
              FROM %(rows)s AS history
             WHERE %(condition)s
             GROUP BY %(keys)s
            """,
            table=SQL.identifier(self._table),
            columns=SQL(", ").join(map(SQL.identifier, [*keys, *measures])),
            values=SQL(", ").join([*keys.values(), *measures.values()]),
            rows=rows,
            condition=self._summary_condition(),
            keys=SQL(", ").join(keys.values()),
        )

    @api.model
    def _rebuild(self):
        """Sum the whole history again.

        Under the repeatable-read isolation of Odoo's cursors, the rows that
        transactions still running add to the history and to the summary are
        both invisible here: they are neither deleted nor counted twice."""
        self.env["client.status.history"].flush_model()
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        self._add_history(SQL("TRUE"))
        _logger.info("%s: summary rebuilt from the status history", self._name)

    @api.model
    def _compact(self):
        """Merge the rows of each key into one, and drop the keys whose
        changes were all deleted (same snapshot argument as :meth:`_rebuild`:
        rows added meanwhile stay as they are)."""
        keys = SQL(", ").join(map(SQL.identifier, self._summary_keys()))
        measures = list(self._summary_measures(1))
        self.env.cr.execute(
            SQL(
                """
                WITH old AS (DELETE FROM %(table)s RETURNING *)
                INSERT INTO %(table)s (%(keys)s, %(measures)s)
                SELECT %(keys)s, %(sums)s
                  FROM old
                 GROUP BY %(keys)s
                HAVING sum(%(first)s) != 0
                """,
                table=SQL.identifier(self._table),
                keys=keys,
                measures=SQL(", ").join(map(SQL.identifier, measures)),
                sums=SQL(", ").join(
                    SQL("sum(%s)", SQL.identifier(measure)) for measure in measures
                ),
                first=SQL.identifier(measures[0]),
            )
        )
        self.invalidate_model()

    @api.model
    def _get_summary_models(self):
        """The summaries of the history: the models that inherit this one
        and declare keys."""
        return [
            self.env[name]
            for name in self.env.registry.descendants([self._name], "_inherit")
            if not self.env[name]._abstract and self.env[name]._summary_keys()
        ]

    @api.autovacuum
    def _gc_compact(self):
        """Merge the rows the day's change sets added."""
        if not self._abstract:
            self._compact()
