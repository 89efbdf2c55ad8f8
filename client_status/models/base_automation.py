# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import safe_eval

from odoo.addons.base_automation.models import base_automation

from .client_status_history import ClientStatusSource

# "Client status is set to": like Odoo's "Stage is set to", which only knows
# fields named stage_id, for the client_status_id of any model that has one.
ON_STATUS_SET = "on_client_status_set"

# base_automation reads these module-level lists to decide which methods of a
# model (create, write) to patch for a trigger: ours is a create/write one.
for _triggers in (base_automation.CREATE_TRIGGERS, base_automation.WRITE_TRIGGERS):
    if ON_STATUS_SET not in _triggers:
        _triggers.append(ON_STATUS_SET)
base_automation.CREATE_WRITE_SET.add(ON_STATUS_SET)

# The message types base_automation's patch of message_post ignores.
IGNORED_MESSAGE_TYPES = ("notification", "auto_comment", "user_notification")


class BaseAutomation(models.Model):
    # the rules of each model are cached (_get_actions, _watched_fields)
    _name = "base.automation"
    _inherit = ["base.automation", "client.status.cached.mixin"]

    trigger = fields.Selection(
        selection_add=[(ON_STATUS_SET, "Client status is set to")],
        ondelete={ON_STATUS_SET: "cascade"},
    )
    client_status_batch = fields.Boolean(
        string="Run Once per Event",
        help="Run the actions once on all the records of the event (the code"
        " works on records), not once per record: a mass update costs one run.",
    )

    @api.depends("model_id", "trigger")
    def _compute_trigger_field_ids(self):
        res = super()._compute_trigger_field_ids()
        for automation in self.filtered(lambda rule: rule.trigger == ON_STATUS_SET):
            automation.trigger_field_ids = self.env["ir.model.fields"]._get(
                automation.model_id.model, "client_status_id"
            )
        return res

    @api.depends("trg_field_ref", "trigger_field_ids")
    def _compute_trg_field_ref_model_name(self):
        res = super()._compute_trg_field_ref_model_name()
        for automation in self.filtered(
            lambda rule: rule.trigger == ON_STATUS_SET
            and rule.trg_field_ref is not False
        ):
            automation.trg_field_ref_model_name = "client.status"
        return res

    @api.depends(
        "trigger", "trigger_field_ids", "trg_selection_field_id", "trg_field_ref"
    )
    def _compute_filter_domain(self):
        res = super()._compute_filter_domain()
        for automation in self.filtered(lambda rule: rule.trigger == ON_STATUS_SET):
            status_id = automation.trg_field_ref
            automation.filter_domain = (
                f"[('client_status_id', '=', {status_id})]" if status_id else False
            )
        return res

    def _get_actions(self, records, triggers):
        # Odoo searches the rules of the model at every create, write and
        # stored computation of it: the ids are cached (cleared when a rule
        # changes), the records browsed in the caller's environment as Odoo
        # returns them.
        if "__action_done" not in self._context:
            self = self.with_context(__action_done={})
        return self.browse(self._get_action_ids(records._name, tuple(triggers)))

    @api.model
    @tools.ormcache("model_name", "triggers")
    def _get_action_ids(self, model_name, triggers):
        """The ids of the active rules of ``model_name`` for ``triggers``, in
        the order of Odoo's search."""
        return tuple(
            self.with_context(active_test=True)
            .sudo()
            .search([("model_name", "=", model_name), ("trigger", "in", triggers)])
            .ids
        )

    @api.model
    @tools.ormcache("automation_id")
    def _get_trigger_fnames(self, automation_id):
        """The names of the trigger fields of a rule, ``None`` for none (every
        field triggers it)."""
        automation = self.sudo().browse(automation_id)
        return frozenset(automation.trigger_field_ids.mapped("name")) or None

    def _client_status_untriggered(self):
        """Whether the update being processed (its ``old_values``) changed
        none of the rule's trigger fields: then the rule acts on no record
        (``_check_trigger_fields``), whatever its domains say."""
        old_values = self.env.context.get("old_values")
        if not old_values:
            return False
        fnames = self._get_trigger_fnames(self.id)
        return fnames is not None and all(
            fnames.isdisjoint(values) for values in old_values.values()
        )

    def _filter_post_export_domain(self, records, feedback=False):
        # an update that changed none of the rule's trigger fields: no need to
        # evaluate its domain (and compute the fields it reads)
        if records and self._client_status_untriggered():
            return records.browse(), None
        return super()._filter_post_export_domain(records, feedback=feedback)

    def _check_trigger_fields(self, record):
        # Odoo's check, with the rule's trigger fields from the cache (Odoo
        # reads them, two queries per rule and transaction)
        fnames = self._get_trigger_fnames(self.id)
        old_values = self._context.get("old_values")
        if fnames is None or old_values is None:
            # no trigger field: every field is one; a creation changes all
            return True
        old_vals = old_values.get(record.id, {})
        return any(
            fname in old_vals and record[fname] != old_vals[fname] for fname in fnames
        )

    @api.model
    @tools.ormcache("model_name")
    def _watched_fields(self, model_name):
        """The fields of ``model_name`` whose change one of its active rules
        of an update trigger may act upon (their trigger fields), or ``None``
        when one of them watches every field (no trigger field)."""
        watched = set()
        for automation_id in self._get_action_ids(
            model_name, tuple(base_automation.WRITE_TRIGGERS)
        ):
            fnames = self._get_trigger_fnames(automation_id)
            if fnames is None:
                return None
            watched.update(fnames)
        return frozenset(watched)

    def _register_hook(self):
        # Odoo's patches of write and of stored computations evaluate the
        # rules of the model (pre-domains, old values, post-domains) at every
        # write, which also forces the computation of the fields the domains
        # read record by record. A rule acts only on records whose trigger
        # fields changed (_check_trigger_fields): when none of the written or
        # computed fields is a trigger field of any rule of the model, the
        # patch is skipped, which decides nothing else. Likewise its patch of
        # message_post reads the subtype of every message (a query at every
        # tracked write) before ignoring notifications.
        res = super()._register_hook()
        triggers = [*base_automation.WRITE_TRIGGERS, *base_automation.MAIL_TRIGGERS]
        for model_name in {
            automation.model_name
            for automation in self.with_context(active_test=True).search(
                [("trigger", "in", triggers)]
            )
        }:
            model_class = self.env.registry.get(model_name)
            if model_class is None:
                continue
            for name, make in (
                ("write", _make_write),
                ("_compute_field_value", _make_compute_field_value),
                ("message_post", _make_message_post),
            ):
                patched = model_class.__dict__.get(name)
                if patched is not None and hasattr(patched, "origin"):
                    method = make(patched)
                    method.origin = patched.origin
                    setattr(model_class, name, method)
        return res

    def _filter_post(self, records, feedback=False):
        # On creation (Odoo's create calls this with no old values), the
        # domain of a rule run once per event may read fields the ORM has
        # yet to compute (a lead's probability): evaluated now, it would
        # compute them record by record, at every create. Such a rule runs
        # when the transaction commits instead, on every record created in
        # it, their fields computed once.
        if (
            records
            and "old_values" in self.env.context
            and self.env.context["old_values"] is None
            and not self.env.context.get("client_status_created")
            and self.sudo().client_status_batch
            and self._client_status_domain_to_compute(records)
        ):
            self._client_status_process_created(records)
            return records.browse()
        return super()._filter_post(records, feedback=feedback)

    def _client_status_domain_to_compute(self, records):
        """Whether the domain of the rule reads fields the ORM has yet to
        compute for ``records``."""
        for fname in self._get_domain_fnames(self.id):
            field = records._fields.get(fname)
            if (
                field
                and field.compute
                and field.store
                and any(self.env.is_to_compute(field, record) for record in records)
            ):
                return True
        return False

    @api.model
    @tools.ormcache("automation_id")
    def _get_domain_fnames(self, automation_id):
        """The names of the fields the domain of a rule tests (the first
        field of each path), read once."""
        automation = self.sudo().browse(automation_id)
        domain = safe_eval.safe_eval(
            automation.filter_domain or "[]", automation._get_eval_context()
        )
        return tuple(
            str(leaf[0]).split(".")[0]
            for leaf in domain
            if isinstance(leaf, list | tuple) and len(leaf) == 3
        )

    def _client_status_process_created(self, records):
        """Process the rule on the created ``records`` when the transaction
        is about to commit, with those of the other creations of the
        transaction: one run per rule, one look for the records deleted
        since."""
        data = self.env.cr.precommit.data
        key = f"client_status.base.automation.created.{records._name}"
        created = data.get(key)
        if created is None:
            created = data[key] = {}
            env = self.env

            def run():
                by_rule = data.pop(key, {})
                existing = set(
                    records.with_env(env)
                    .browse(sorted(set().union(*by_rule.values())))
                    .exists()
                    .ids
                )
                for rule_id, ids in by_rule.items():
                    rule = self.with_env(env).browse(rule_id)
                    rule = rule.with_context(
                        old_values=None, client_status_created=True
                    )
                    rule._process(
                        rule._filter_post(
                            records.with_env(env).browse(sorted(ids & existing)),
                            feedback=True,
                        )
                    )
                env.flush_all()

            self.env.cr.precommit.add(run)
        created.setdefault(self.id, set()).update(records.ids)

    def _process(self, records, domain_post=None):
        # Status changes made by an automation rule's actions are recorded as
        # such, with the rule's name as their reason. The records whose status
        # automations changed in this event are not changed again by them
        # (client.status.mixin's write()): the set lives in the dict that
        # base_automation shares between the rules of one event
        # ("__action_done"), so that sibling rules see it, and is handed down
        # to the rules the actions trigger in turn.
        if not records:
            # nothing to do (Odoo calls every rule of the model at each write)
            return super()._process(records, domain_post=domain_post)
        done = self.env.context.get("client_status_automation_done")
        if done is None:
            action_done = self.env.context.get("__action_done")
            done = (
                action_done.setdefault("client_status", set())
                if action_done is not None
                else set()
            )
        context = {
            "client_status_source": ClientStatusSource("automation"),
            # the rule's name in every language, read in the reader's
            "client_status_reason": self.env["client.status.history"]._translate_reason(
                lambda env: self.with_env(env).sudo().name
            ),
            "client_status_automation_done": done,
        }
        self = self.with_context(**context)
        records = records.with_context(**context)
        if self.sudo().client_status_batch:
            return self._process_batch(records, domain_post=domain_post)
        return super()._process(records, domain_post=domain_post)

    def _process_batch(self, records, domain_post=None):
        """``_process`` for a rule that runs its actions once on all the
        records of the event (``client_status_batch``) rather than once per
        record: the same bookkeeping of the records done, the same trigger
        fields, one run of each action with every record in ``active_ids``
        (Odoo's server actions run per record the actions that need it).
        The records' *Last Automation* date is left alone: a write per record
        and event, and crm's merge keeps the first lead's."""
        automation_done = self._context.get("__action_done", {})
        records_done = automation_done.get(self, records.browse())
        records -= records_done
        if not records:
            return
        if self.env.context.get("__action_feedback"):
            automation_done[self] = records_done + records
        else:
            automation_done = dict(automation_done)
            automation_done[self] = records_done + records
            self = self.with_context(__action_done=automation_done)
            records = records.with_context(__action_done=automation_done)
        if self.env.context.get("old_values") is not None:
            # a creation changes every field (Odoo's _check_trigger_fields
            # says so after reading the trigger fields)
            records = records.filtered(self._check_trigger_fields)
        automation_done[self] = records_done + records
        if not records:
            return
        context = {
            "active_model": records._name,
            "active_ids": records.ids,
            "active_id": records[:1].id,
            "domain_post": domain_post,
        }
        for action in self.sudo().action_server_ids:
            try:
                action.with_context(**context).run()
            except Exception as error:
                self._add_postmortem(error)
                raise


def _make_write(patched):
    """``write`` through base_automation's ``patched`` write only when a
    written field is a trigger field of a rule of the model."""

    def write(self, vals, **kw):
        watched = self.env["base.automation"]._watched_fields(self._name)
        if watched is not None and watched.isdisjoint(vals):
            return patched.origin(self, vals, **kw)
        return patched(self, vals, **kw)

    return write


def _make_compute_field_value(patched):
    """A stored computation through base_automation's ``patched`` one only
    when a computed field is a trigger field of a rule of the model."""

    def _compute_field_value(self, field):
        watched = self.env["base.automation"]._watched_fields(self._name)
        if watched is not None and watched.isdisjoint(
            computed.name for computed in self.pool.field_computed[field]
        ):
            return patched.origin(self, field)
        return patched(self, field)

    return _compute_field_value


def _make_message_post(patched):
    """``message_post`` through base_automation's ``patched`` one unless the
    message is of a type the patch ignores (tracking and other
    notifications), decided from the arguments instead of the message's
    subtype."""

    def message_post(self, *args, **kwargs):
        if kwargs.get("message_type", "notification") in IGNORED_MESSAGE_TYPES:
            return patched.origin(self, *args, **kwargs)
        return patched(self, *args, **kwargs)

    return message_post
