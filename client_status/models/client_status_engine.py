# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate

from .client_status_history import ClientStatusSource
from .client_status_run import BATCH_SIZE_FIRST

_lt = LazyTranslate(__name__)

# The prefix of the metric providers' names (see ``metric``).
METRIC_PREFIX = "_client_status_metric_"

# A metric rules can test, as its provider declares it (see ``metric``).
ClientStatusMetric = namedtuple("ClientStatusMetric", ["label", "windowed", "reads"])
# What the rules change on a batch, planned and written nowhere yet (see
# ``ClientStatusEngine._client_status_plan``): the evaluation of every
# record, ``{id: (status_id, rule_id, metrics)}`` for those a rule matches,
# the records whose status it changes and that the rules may change (not
# locked), and what was read with the batch (``_client_status_read_batch``).
ClientStatusPlan = namedtuple("ClientStatusPlan", ["evaluation", "changes", "stored"])


def metric(label, windowed=False, reads=None):
    """Declare the decorated method a metric rules can test, on the model
    (hence the scope) it belongs to. The method is named
    ``_client_status_metric_<name>``, is called on a batch of records as
    ``(window_days, context)`` (see ``_client_status_evaluate``) and returns
    ``{record_id: value}`` (no entry: no value, which meets no condition)::

        @metric(_lt("Confirmed orders in the window"), windowed=True,
                reads={"sale.order": {"partner_id", "state", "date_order"}})
        def _client_status_metric_order_count_window(self, window_days, context):
            ...

    :param label: the label conditions show (a lazy translation, ``_lt``)
    :param bool windowed: whether a condition gives it a window of days
    :param dict reads: what it reads besides the records' own fields,
        ``{model: field names}`` (``None``: the model of the records;
        ``message_ids``: the messages posted on a record): a change of one
        of those values on a record with a customer (a lead, an order)
        marks the customer for the pending job, while writes of other
        fields cost nothing. An override of the method
        without the decorator keeps the declaration.
    """

    def declare(method):
        assert method.__name__.startswith(METRIC_PREFIX), method.__name__
        method._client_status_metric = ClientStatusMetric(
            label, windowed, {model: frozenset(f) for model, f in (reads or {}).items()}
        )
        return method

    return declare


class ClientStatusEngine(models.AbstractModel):
    """The rule engine, on the models with a client status (through
    ``client.status.mixin``), one step per method, each overridable:

    1. ``_client_status_read_batch``: a batch of records in id order (locked
       for a run) and what the engine compares with;
    2. ``_client_status_plan``: the metrics of the batch
       (``_client_status_metric_<name>``, declared with ``metric``), the
       first matching rule of each record (``_client_status_evaluate``), the
       records whose status changes (``_client_status_to_change``) and may
       change (``_client_status_unlocked``);
    3. ``_client_status_apply_plan``: one write per target status with the
       records that follow them (``_client_status_apply``), the statuses the
       rules computed (``_client_status_store_computed``) and the pending
       marks cleared.

    ``_client_status_reclassify`` is the one way through it: the full runs
    (``client.status.run``), the pending job, the events
    (``_client_status_reclassify_now``) take it; the preview plans only.
    The pending marks (``_client_status_mark_pending``) tell the pending job
    which records' inputs changed."""

    _name = "client.status.engine"
    _description = "Client Status Rule Engine"

    # ------------------------------------------------------------------
    # Metrics
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _client_status_metric_registry(self):
        """The metrics of this model, ``{name: ClientStatusMetric}`` in the
        order they were declared (see ``metric``), read from its classes
        once per registry (a module loaded later may declare more)."""
        registry = {}
        for klass in reversed(type(self).__mro__):
            for name, member in vars(klass).items():
                declared = getattr(member, "_client_status_metric", None)
                if declared and name.startswith(METRIC_PREFIX):
                    registry[name.removeprefix(METRIC_PREFIX)] = declared._replace(
                        reads={
                            model or self._name: fnames
                            for model, fnames in declared.reads.items()
                        }
                    )
        return registry

    @api.model
    def _client_status_metric_inputs(self, metrics, source):
        """The fields of the model ``source`` that the metrics ``metrics``
        of this model read (their declared ``reads``)."""
        registry = self._client_status_metric_registry()
        return frozenset(
            fname
            for name in metrics
            if name in registry
            for fname in registry[name].reads.get(source, ())
        )

    @metric(_lt("Days in the current status"))
    def _client_status_metric_days_in_status(self, window_days, context):
        """Days since the status of each record changed."""
        now = context["now"]
        return {
            record.id: (now - record.client_status_date).days
            for record in self
            if record.client_status_date
        }

    @metric(
        _lt("Days since the last contact"),
        reads={None: {"message_ids"}},
    )
    def _client_status_metric_days_since_last_contact(self, window_days, context):
        """Days since the last message (email, note, done activity) on each
        record."""
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "mail_activity_type_id", "date"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, max(date) FROM mail_message
                 WHERE model = %s AND res_id = ANY(%s)
                   AND (message_type IN ('email', 'comment')
                        OR mail_activity_type_id IS NOT NULL)
                 GROUP BY res_id
                """,
                self._name,
                self.ids,
            )
        )
        return {
            res_id: (context["now"] - date).days
            for res_id, date in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Pending marks
    # ------------------------------------------------------------------

    def _client_status_mark_pending(self, pending=True):
        """Mark ``self`` for (or clear it from) the reclassification of the
        pending records (the pending job, every few minutes).

        Marks are gathered for the transaction and stored once, in one SQL
        UPDATE per model (no write() for a technical flag, nor its
        automations): when the transaction is about to commit, or earlier
        when something reads or searches the flag (``flush_model``), so that
        reads see them. Clearing (the engine, once a batch is done) is one
        UPDATE."""
        records = self.filtered("id")
        if not records:
            return
        field = self._fields["client_status_pending"]
        if pending:
            # those marked already, as far as the cache knows, are left alone
            records = self.env.cache.get_records_different_from(records, field, True)
            if records:
                records._client_status_at_commit("_client_status_store_pending")
                records.invalidate_recordset(["client_status_pending"])
            return
        records.flush_model(["client_status_pending"])
        records._client_status_store_pending(False)

    def _client_status_store_pending(self, pending=True, log_exceptions=True):
        """Store the pending marks of ``self`` (see
        ``_client_status_mark_pending``; the pending job, every few minutes,
        reclassifies them), or clear them, in one SQL statement; without
        ``log_exceptions``, a failure (a lock timeout) is the caller's to
        handle, not an error to log."""
        if pending:
            # those the transaction reclassifies before it commits need none
            reclassified = self.env.cr.precommit.data.get(
                self._client_status_at_commit_key("_client_status_reclassify_now")
            )
            if reclassified:
                self = self.browse(id_ for id_ in self._ids if id_ not in reclassified)
        if not self:
            return
        # rows already so (NULL included) are left alone: no new row
        # version, no lock; the marked ones are found by index
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET client_status_pending = %s WHERE id = ANY(%s) AND %s",
                SQL.identifier(self._table),
                pending,
                self.ids,
                SQL("client_status_pending IS NOT TRUE")
                if pending
                else SQL("client_status_pending"),
            ),
            log_exceptions=log_exceptions,
        )
        self.invalidate_recordset(["client_status_pending"])

    def flush_model(self, fnames=None):
        # searches flush the fields they test: the flag's gathered marks first
        if fnames is None or "client_status_pending" in fnames:
            self._client_status_store_gathered_pending()
        return super().flush_model(fnames)

    def _fetch_query(self, query, fields):
        # reads do not flush: the records marked for the commit read as
        # marked (every read of a contact fetches the flag: no UPDATE here)
        fetched = super()._fetch_query(query, fields)
        field = self._fields["client_status_pending"]
        key = self._client_status_at_commit_key("_client_status_store_pending")
        gathered = self.env.cr.precommit.data.get(key)
        if gathered and field in fields:
            marked = fetched.browse(id_ for id_ in fetched._ids if id_ in gathered)
            self.env.cache.update(marked, field, [True] * len(marked))
        return fetched

    @api.model
    def _client_status_store_gathered_pending(self):
        """Store the pending marks gathered for the commit now (the flag is
        about to be read or searched)."""
        key = self._client_status_at_commit_key("_client_status_store_pending")
        ids = self.env.cr.precommit.data.get(key)
        if ids:
            pending = self.browse(sorted(ids))
            ids.clear()
            pending._client_status_store_pending()

    def _client_status_at_commit(self, method):
        """Call ``method`` (a method name) once, when the transaction is
        about to commit, on the records of ``self`` and of every such call
        gathered (deleted ones included: the method copes), in the
        environment of the first call: side effects done once per
        transaction, whatever the number of writes. A failure there aborts
        the commit, as a failure of the write would have."""
        data = self.env.cr.precommit.data
        key = self._client_status_at_commit_key(method)
        ids = data.get(key)
        if ids is None:
            ids = data[key] = set()
            env = self.env

            def run():
                getattr(self.with_env(env).browse(sorted(data.pop(key, ()))), method)()
                # after the transaction's last flush: store what it changed
                env.flush_all()

            self.env.cr.precommit.add(run)
        ids.update(self.ids)

    @api.model
    def _client_status_at_commit_key(self, method):
        """The key of the records gathered for ``method`` in the data of the
        transaction's precommit hooks."""
        return f"client_status.{self._name}.{method}"

    @api.model
    def _client_status_pending_domain(self):
        """The pending records the rules classify."""
        return expression.AND(
            [
                [("client_status_pending", "=", True)],
                self._client_status_engine_domain(),
            ]
        )

    @api.model
    def _client_status_pending_batch(self):
        """The next batch of pending records, locked (see
        ``_client_status_read_batch``): those a user or a full run is
        writing now stay pending for the next call."""
        return self._client_status_read_batch(
            self._client_status_pending_domain(), BATCH_SIZE_FIRST, lock=True
        )

    # ------------------------------------------------------------------
    # Reclassification: read a batch, plan, apply
    # ------------------------------------------------------------------

    def _client_status_reclassify_at_commit(self):
        """Reclassify the records of ``self`` as ``_client_status_reclassify_now``
        does, once for all those of the transaction, when it is about to
        commit (an event on many records: one run of the rules)."""
        self._client_status_at_commit("_client_status_reclassify_now")

    def _client_status_reclassify_now(self):
        """Reclassify the records of ``self`` the rules classify at once (an
        event changed their inputs), as the pending job would; return the
        records changed."""
        if not self:
            return self
        records, stored = self._client_status_read_batch(
            expression.AND(
                [[("id", "in", self.ids)], self._client_status_engine_domain()]
            ),
            None,
        )
        if not records:
            return records
        run = self.env["client.status.run"]._new_incremental(self._client_status_scope)
        return records._client_status_reclassify(
            run._rules(), stored, run._engine_context()
        )

    def _client_status_reclassify(self, rules, stored, context, clear_pending=True):
        """Plan the changes ``rules`` make on the records of ``self`` (a
        batch, read with ``stored``) and apply them: the one way the full
        runs, the pending job and the events reclassify; return the records
        changed. See ``_client_status_plan`` and ``_client_status_apply_plan``."""
        return self._client_status_apply_plan(
            self._client_status_plan(rules, stored, context), clear_pending
        )

    def _client_status_plan(self, rules, stored, context):
        """What ``rules`` change on the records of ``self``, written nowhere:
        a ``ClientStatusPlan``, which the preview shows and
        ``_client_status_apply_plan`` applies.

        :param rules: compiled rules (``client.status.rule._get_compiled_rules``)
        :param dict stored: the values read with the records
            (``_client_status_read_batch``)
        :param dict context: see ``_client_status_evaluate``
        """
        evaluation = self._client_status_evaluate(rules, context)
        changes = self._client_status_to_change(
            evaluation, stored
        )._client_status_unlocked(context["today"])
        return ClientStatusPlan(evaluation, changes, stored)

    def _client_status_apply_plan(self, plan, clear_pending=True):
        """Apply ``plan`` (``_client_status_plan``) to the records of
        ``self``, those it was planned for: the changes (with their history
        rows), the statuses the rules computed for the others and, with
        ``clear_pending``, the pending marks (a full run leaves them to the
        pending job: its snapshots may be older than the changes that set
        them); return the records changed."""
        changed = plan.changes._client_status_apply(plan.evaluation)
        # the changed records got their computed status with the change
        (self - changed)._client_status_store_computed(plan.evaluation, plan.stored)
        if clear_pending:
            self.browse(
                record_id for record_id, values in plan.stored.items() if values[2]
            )._client_status_mark_pending(False)
        return changed

    @api.model
    def _client_status_read_batch(self, domain, limit, lock=False):
        """The first ``limit`` records of ``domain`` in id order and what the
        engine compares the rules' result with, read in the same query:
        ``(records, stored)``, ``stored`` being ``{id: (status_id,
        computed_status_id, pending)}``. The engine reads each value once:
        plain values cost less than the ORM cache for thousands of records.

        With ``lock``, the rows are locked for the transaction, in id order,
        and those another transaction is writing now are left out (``SKIP
        LOCKED``): the batch then never waits on a user, nor a user on a row
        the batch has yet to reach."""
        fnames = [
            "client_status_id",
            "client_status_computed_id",
            "client_status_pending",
        ]
        self.flush_model(fnames)
        query = self._search(domain, order="id", limit=limit)
        select = query.select(
            *(
                self._field_to_sql(self._table, fname, query)
                for fname in ["id", *fnames]
            )
        )
        if lock:
            select = SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                select,
                SQL.identifier(self._table),
            )
        # a conflict with a concurrent change is the caller's to retry, not
        # an error to log
        self.env.cr.execute(select, log_exceptions=not lock)
        rows = self.env.cr.fetchall()
        return self.browse([row[0] for row in rows]), {row[0]: row[1:] for row in rows}

    @api.model
    def _client_status_engine_domain(self):
        """The records the rules classify (all, by default)."""
        return []

    @api.model
    def _client_status_rule_domain(self, today):
        """The records rules may reclassify: not locked (or locked until a
        past day), and not with a blacklist-kind status."""
        return [
            ("client_status_kind", "!=", "blacklist"),
            "|",
            ("client_status_locked", "=", False),
            ("client_status_locked_until", "<", today),
        ]

    def _client_status_unlocked(self, today):
        """The records of ``self`` rules may change, in one query."""
        if not self:
            return self
        return self.browse(
            self._search(
                expression.AND(
                    [[("id", "in", self.ids)], self._client_status_rule_domain(today)]
                )
            )
        )

    def _client_status_evaluate(self, rules, context):
        """Return ``{record_id: (status_id, rule_id, metrics)}`` for the
        records of ``self`` that a rule matches (first match in sequence).

        :param rules: the compiled rules (``client.status.rule._compile()``)
        :param dict context: ``now``, ``today`` and a ``run`` cache shared by
            the batches of one run
        """
        keys = {key for rule in rules for key, *__ in rule["conditions"]}
        # the windows tested, so that a provider computes them all at once
        context = dict(context, batch={}, windows={key[1] for key in keys if key[1]})
        values = {
            key: getattr(self, f"_client_status_metric_{key[0]}")(key[1], context)
            for key in keys
        }
        matching = {
            rule["id"]: set(
                self.with_context(active_test=False)._search(
                    expression.AND([[("id", "in", self.ids)], rule["domain"]])
                )
            )
            for rule in rules
            if rule["domain"]
        }
        # rule after rule, on the set of records no earlier rule matched
        result = {}
        remaining = set(self.ids)
        for rule in rules:
            matched = remaining
            if rule["domain"]:
                matched = matched & matching[rule["id"]]
            for key, operator, low, high in rule["conditions"]:
                matched = _matching(values[key], matched, operator, low, high)
            columns = [
                (_metric_name(key), values[key]) for key, *__ in rule["conditions"]
            ]
            for record_id in matched:
                # a plain loop: thousands of records, no comprehension frame each
                metrics = {}
                for name, column in columns:
                    metrics[name] = column[record_id]
                result[record_id] = (rule["status_id"], rule["id"], metrics)
            remaining = remaining - matched
            if not remaining:
                break
        return result

    def _client_status_to_change(self, evaluation, stored):
        """The records of ``self`` whose status ``evaluation`` (from
        ``_client_status_evaluate``) changes, locked or not.

        :param dict stored: ``{id: (status_id, ...)}`` as read with the batch
        """
        return self.browse(
            record_id
            for record_id in self.ids
            if evaluation.get(record_id, (None,))[0] not in (None, stored[record_id][0])
        )

    def _client_status_apply(self, evaluation):
        """Give the records of ``self``, whose status the rules change, the
        statuses of ``evaluation`` (from ``_client_status_evaluate``), with
        the records that follow them (``_client_status_followers``): one
        write per target status, through the ORM so that automations and
        checks run, without chatter tracking (the history is the record).
        Return the records changed."""
        targets = {}
        for record_id in self.ids:
            targets.setdefault(evaluation[record_id][0], []).append(record_id)
        explanations = {record_id: evaluation[record_id][1:] for record_id in self.ids}
        followers = self._client_status_followers()
        Status = self.env["client.status"]
        now = fields.Datetime.now()
        for status_id, record_ids in targets.items():
            written = (
                self.browse(record_ids)
                .union(
                    *(
                        followers[record_id]
                        for record_id in record_ids
                        if record_id in followers
                    )
                )
                .with_context(
                    client_status_source=ClientStatusSource("rule"),
                    client_status_explanations=explanations,
                    client_status_followers_written=True,
                    tracking_disable=True,
                )
            )
            # the date, the rules' status and what the status alone decides
            # (kind, parent...) in the same UPDATE as the status: they agree,
            # no need to compute them record by record
            values = {
                "client_status_id": status_id,
                "client_status_date": now,
                "client_status_computed_id": status_id,
                "client_status_rule_disagrees": False,
                **self._client_status_stored_values(Status.browse(status_id)),
            }
            computed = [
                self._fields[fname]
                for fname in values
                if fname != "client_status_id" and self._fields[fname].compute
            ]
            # sudo: the engine writes them (protected fields), with the
            # status the rules computed; the history keeps the user who ran it
            with self.env.protecting(computed, written):
                written.sudo().write(values)
        return self

    def _client_status_followers(self):
        """The records whose status follows that of records of ``self`` (a
        company's contacts), given it in the same write by the engine:
        ``{record_id: followers}``. None by default."""
        return {}

    def _client_status_store_computed(self, evaluation, stored):
        """Store the status the rules computed for each record of ``self``
        (none where no rule matched) and whether it differs from the current
        one: one SQL statement for the records whose stored value differs,
        none when the rules still agree with what is stored.

        :param dict stored: ``{id: (status_id, computed_status_id, ...)}`` as
            read with the batch (the statement checks again: records changed
            since have their computed status already)
        """
        changes = {
            record_id: status_id
            for record_id in self.ids
            if (status_id := evaluation.get(record_id, (None,))[0])
            != stored[record_id][1]
        }
        fnames = [
            "client_status_id",
            "client_status_computed_id",
            "client_status_rule_disagrees",
        ]
        # what the batch changed goes to the database first, in one UPDATE
        # per row
        self.flush_recordset()
        if not changes:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS record
                   SET client_status_computed_id = result.status_id,
                       client_status_rule_disagrees =
                           result.status_id IS NOT NULL
                           AND record.client_status_id IS DISTINCT FROM result.status_id
                  FROM unnest(%(ids)s::int[], %(status_ids)s::int[])
                       AS result(id, status_id)
                 WHERE record.id = result.id
                   AND record.id = ANY(%(ids)s)
                   AND record.client_status_computed_id
                       IS DISTINCT FROM result.status_id
                """,
                table=SQL.identifier(self._table),
                ids=list(changes),
                status_ids=list(changes.values()),
            )
        )
        self.invalidate_recordset(fnames[1:])


def _matching(values, ids, operator, low, high):
    """The ids of ``ids`` whose value in ``values`` (``{id: value}``, no
    entry: no value, which meets no condition) meets the condition
    ``operator`` ``low`` (``high``: the upper bound of ``between``)."""
    if len(values) < len(ids):
        # a metric most records have no value of: only those that have one
        ids = values.keys() & ids
    if operator == ">=":
        return {i for i in ids if (value := values.get(i)) is not None and value >= low}
    if operator == "<=":
        return {i for i in ids if (value := values.get(i)) is not None and value <= low}
    if operator == "=":
        return {i for i in ids if (value := values.get(i)) is not None and value == low}
    return {
        i for i in ids if (value := values.get(i)) is not None and low <= value <= high
    }


def _metric_name(key):
    metric, window = key
    return f"{metric}_{window}" if window else metric
