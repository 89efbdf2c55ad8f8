# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .client_status_history import StatusChange


class ResPartner(models.Model):
    """The status of a contact belongs to its commercial entity: a company's
    status is synced to its individual contacts like its VAT number."""

    _name = "res.partner"
    _inherit = [
        "res.partner",
        "client.status.mixin",
        "client.status.partner.metric",
        "client.status.follow.up",
    ]
    _client_status_scope = "partner"
    _client_status_history_field = "partner_id"

    client_status_call_priority = fields.Boolean(
        string="Call List Priority",
        compute="_compute_client_status_call_priority",
        store=True,
        groups="base.group_user",
    )

    @api.model
    def _client_status_default_company(self):
        """A new contact without a company is shared: it gets the shared
        default status, not the current company's (those with a company get
        their company's, see ``_client_status_fill_defaults``)."""
        return self.env["res.company"]

    @api.model
    def _client_status_stored_values(self, status):
        return super()._client_status_stored_values(status) | {
            "client_status_call_priority": status.call_priority
        }

    @api.depends("client_status_id.call_priority")
    def _compute_client_status_call_priority(self):
        for status, partners in self.grouped("client_status_id").items():
            partners.client_status_call_priority = status.call_priority

    @api.constrains("client_status_id", "company_id")
    def _check_client_status_shared(self):
        """A contact of no company (shared by every company) carries a status
        of no company: a status of one company would lock the others out."""
        # per status: the rule engine changes thousands of partners at once
        for status, partners in self.grouped("client_status_id").items():
            if not status.company_id:
                continue
            partner = partners.filtered(lambda partner: not partner.company_id)[:1]
            if partner:
                raise ValidationError(
                    _(
                        "%(partner)s is shared by every company: it cannot have"
                        " the status %(status)s of %(company)s, only a status of"
                        " no company.",
                        partner=partner.display_name,
                        status=partner.client_status_id.display_name,
                        company=partner.client_status_id.company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # A contact created under a company has the company's status from the
        # start (one history row), whatever the values say: the default status
        # the form sends would else be logged, then replaced by the sync.
        contact_vals = [
            vals
            for vals in vals_list
            if vals.get("parent_id") and not vals.get("is_company")
        ]
        parents = self.browse({vals["parent_id"] for vals in contact_vals})
        status_by_parent = {
            parent.id: parent.commercial_partner_id.client_status_id.id
            for parent in parents
        }
        self._check_client_status_blacklist_create(vals_list)
        for vals in contact_vals:
            vals["client_status_id"] = status_by_parent[vals["parent_id"]]
        self._client_status_inherit_blacklist(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "tz" in vals:
            # the time zones of the companies (client.status.history)
            self.env.registry.clear_cache()
        partners = self
        if "client_status_id" in vals:
            self._check_client_status_owner(vals)
            partners = self._check_client_status_blacklist_change(
                vals["client_status_id"]
            )
        elif vals.get("parent_id"):
            self._check_client_status_blacklist_move(vals)
        return super(ResPartner, partners).write(vals)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in (
            "email",
            "comment",
        ) and "message_ids" in self.env["client.status.rule"]._get_rule_inputs(
            self._name, self._name
        ):
            self.commercial_partner_id._client_status_mark_pending()
        return res

    @api.model
    def _client_status_protected_fields(self):
        # the call list's fields, kept by the daily follow-up job
        return super()._client_status_protected_fields() | {
            "client_status_call_priority",
            "client_status_last_contact",
            "client_status_follow_up_date",
            "client_status_follow_up_activity_id",
        }

    @api.model
    def _client_status_board_index(self):
        # Clients by Status: the commercial entities, in the order of contacts
        return (
            ["complete_name", "id DESC"],
            "active AND (is_company OR parent_id IS NULL)",
        )

    @api.model
    def _client_status_engine_domain(self):
        # contacts of a company take its status: rules classify the companies
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    # ------------------------------------------------------------------
    # Company sync: a contact has its commercial entity's status
    # ------------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["client_status_id"]

    def _commercial_sync_from_company(self):
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_from_company()

    def _commercial_sync_to_children(self, fields_to_sync=None):
        if self.env.context.get("client_status_followers_written"):
            # the engine wrote the contacts with their companies
            fields_to_sync = set(
                self._commercial_fields() if fields_to_sync is None else fields_to_sync
            ) - {"client_status_id"}
            if not fields_to_sync:
                return True
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_to_children(fields_to_sync)

    def _client_status_followers(self):
        # a company's contacts (and theirs) take its status in the write that
        # changes it: one write and one history INSERT per status, not one
        # per company (Odoo's commercial sync writes each company's contacts)
        # sudo: every contact follows, also those the user cannot read (the
        # engine writes them as superuser)
        contacts = self.sudo().search(
            [("commercial_partner_id", "in", self.ids), ("id", "not in", self.ids)]
        )
        return {
            partner.id: partner_contacts
            for partner, partner_contacts in contacts.grouped(
                "commercial_partner_id"
            ).items()
        }

    def _client_status_change_reasons(self):
        reasons = super()._client_status_change_reasons()
        if not self.env.context.get("client_status_followers_written"):
            return reasons
        # contacts written with their company: the reason the sync gives
        translate = self.env["client.status.history"]._translate_reason
        for entity, contacts in (
            self.filtered(lambda partner: partner.commercial_partner_id != partner)
            .grouped("commercial_partner_id")
            .items()
        ):
            name = entity.display_name
            reason = translate(
                lambda env, name=name: env._(
                    "Status of the commercial entity %(name)s", name=name
                )
            )
            reasons.update(dict.fromkeys(contacts.ids, reason))
        return reasons

    def _client_status_follows_status(self):
        # a contact follows its commercial entity, archived status included
        return super()._client_status_follows_status() | self.filtered(
            lambda partner: partner.commercial_partner_id != partner
            and partner.commercial_partner_id.client_status_id
            == partner.client_status_id
        )

    def _client_status_explanation(self, explanations):
        # a contact's change follows its company's: same rule, same metrics
        return explanations.get(self.id) or explanations.get(
            self.commercial_partner_id.id, (None, None)
        )

    def _client_status_with_sync_reason(self):
        """Name the commercial entity as the reason of synced status changes,
        unless the change already carries a reason."""
        if (
            self.env.context.get("client_status_reason")
            or len(self.commercial_partner_id) != 1
        ):
            return self
        name = self.commercial_partner_id.display_name
        return self.with_context(
            client_status_reason=self.env["client.status.history"]._translate_reason(
                lambda env: env._("Status of the commercial entity %(name)s", name=name)
            )
        )

    def _check_client_status_owner(self, vals):
        """Refuse to give a contact of a company (as it is after ``vals``)
        another status than the company's, unless the company gets the same
        status in this write: the status is set on the commercial entity."""
        if self.env.context.get("client_status_followers_written"):
            # the engine writes the companies with their contacts
            return
        status_id = vals["client_status_id"] or False
        new_parent = self.browse(vals["parent_id"]) if "parent_id" in vals else None
        # only contacts with a parent (after the write) can break the rule
        if new_parent is None:
            partners = self.filtered("parent_id")
        else:
            partners = self if new_parent else self.browse()
        for partner in partners:
            parent = partner.parent_id if new_parent is None else new_parent
            is_company = vals.get("is_company", partner.is_company)
            entity = parent.commercial_partner_id
            if (
                parent
                and not is_company
                and entity not in self
                and entity.client_status_id.id != status_id
            ):
                raise UserError(
                    _(
                        "The status of %(contact)s is set on its company %(company)s:"
                        " change it there.",
                        contact=partner.display_name,
                        company=entity.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Blacklist
    # ------------------------------------------------------------------

    @api.model
    def _client_status_blacklist_manager(self):
        """Whether the current user may put clients on or off the blacklist
        and confirm new business for a blacklisted client: the Client Status
        Managers, and the addon's own code running as superuser (rules,
        automation, crons), which never does it with values a client sent."""
        return self.env.su or self.env.user.has_group(
            "client_status.client_status_group_manager"
        )

    @api.model
    def _client_status_blacklist_values(self, values):
        """The statuses the ``client_status_id`` values sent to create or
        write name (empty for none), in order, without a query (the ids of
        the catalogue are cached); anything but an existing status id is
        refused."""
        Status = self.env["client.status"]
        ids = [
            value.id if isinstance(value, models.BaseModel) else value
            for value in values
        ]
        existing = Status._get_status_ids()
        for value, id_ in zip(values, ids, strict=True):
            if (
                id_
                and (type(id_) is not int or id_ not in existing)
                or (isinstance(value, models.BaseModel) and value._name != Status._name)
            ):
                raise UserError(
                    _("%(value)s is not a client status.", value=repr(value))
                )
        return [Status.browse(id_ or ()) for id_ in ids]

    @api.model
    def _check_client_status_blacklist_create(self, vals_list):
        """Refuse new contacts given a blacklist-kind status by anyone but a
        Client Status Manager, unless they take it from their company (a
        contact or a subsidiary of a blacklisted company); values that are
        no status are refused to everyone."""
        with_status = [vals for vals in vals_list if "client_status_id" in vals]
        statuses = self._client_status_blacklist_values(
            [vals["client_status_id"] for vals in with_status]
        )
        if self._client_status_blacklist_manager():
            return
        for vals, status in zip(with_status, statuses, strict=True):
            if status.kind != "blacklist":
                continue
            parent = self.browse(vals.get("parent_id"))
            if parent.commercial_partner_id.client_status_id != status:
                raise AccessError(
                    _(
                        "Only a Client Status Manager can put %(partner)s on the"
                        " blacklist (%(status)s).",
                        partner=vals.get("name") or "?",
                        status=status.display_name,
                    )
                )

    @api.model
    def _client_status_inherit_blacklist(self, vals_list):
        """New companies created under a blacklisted company (subsidiaries)
        take its blacklist-kind status: a new entity is no way around the
        blacklist. (Contacts take their company's status anyway.)"""
        parents = self.browse(
            {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
        ).commercial_partner_id
        blacklisted = {
            parent.id: parent.client_status_id.id
            for parent in parents
            if parent.client_status_id.kind == "blacklist"
        }
        if not blacklisted:
            return
        for vals in vals_list:
            if not vals.get("parent_id"):
                continue
            parent = self.browse(vals["parent_id"]).commercial_partner_id
            if parent.id in blacklisted:
                vals["client_status_id"] = blacklisted[parent.id]

    def _check_client_status_blacklist_move(self, vals):
        """Check that the current user may move the contacts of ``self``
        under the company ``vals["parent_id"]``: they take its status (the
        commercial sync, which runs as superuser), so moving a contact onto
        or off the blacklist is a Client Status Manager's decision too."""
        entity = self.browse(vals["parent_id"]).commercial_partner_id
        contacts = self.filtered(
            lambda partner: not vals.get("is_company", partner.is_company)
        )
        contacts._check_client_status_blacklist_change(entity.client_status_id.id)

    def _check_client_status_blacklist_change(self, value):
        """Check that the current user may give the partners of ``self`` the
        status ``value`` (a ``client_status_id`` value of ``write``), and
        return ``self`` with the reason to record.

        Only a Client Status Manager (or the addon's own code, see
        ``_client_status_blacklist_manager``) puts a client on a
        blacklist-kind status, takes it off one or clears a status, whatever
        the path (form, kanban, import, a contact moved under another
        company: the status follows its company). A client put on the
        blacklist without a reason gets the status's description as the
        reason of its history row.

        :raise AccessError: for anyone else
        """
        status = self._client_status_blacklist_values([value])[0]
        entering = status.kind == "blacklist"
        manager = self._client_status_blacklist_manager()
        if manager and not entering:
            # nothing to refuse, no reason to give (the rules' writes)
            return self
        changed = self.filtered(lambda partner: partner.client_status_id != status)
        if not changed:
            return self
        if not manager:
            if not status:
                raise AccessError(
                    _(
                        "Only a Client Status Manager can clear the status of"
                        " %(partner)s.",
                        partner=changed[0].display_name,
                    )
                )
            leaving = changed.filtered(
                lambda partner: partner.client_status_id.kind == "blacklist"
            )
            if entering or leaving:
                partner = (leaving or changed)[0]
                raise AccessError(
                    _(
                        "Only a Client Status Manager can put %(partner)s on or"
                        " off the blacklist (%(status)s).",
                        partner=partner.display_name,
                        status=(leaving[:1].client_status_id or status).display_name,
                    )
                )
        if entering and not self.env.context.get("client_status_reason"):
            description = status.description
            if description:
                return self.with_context(
                    client_status_reason=self.env[
                        "client.status.history"
                    ]._translate_reason(
                        lambda env: status.with_env(env).description or description
                    )
                )
        return self

    @api.model
    def _client_status_blacklisted(self, partners):
        """The commercial entities of ``partners`` with a blacklist-kind
        status (read from the status itself)."""
        return partners.commercial_partner_id.filtered(
            lambda partner: partner.client_status_id.kind == "blacklist"
        )

    def _client_status_blacklist_reason(self):
        """Why the partner is blacklisted: the last reason recorded when it
        got its status (not a manager's override, which keeps the status),
        else the description of the status."""
        self.ensure_one()
        # sudo: the reason is shown to whoever is refused a lead
        row = (
            self.env["client.status.history"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("status_to_id", "=", self.client_status_id.id),
                    ("status_from_id", "!=", self.client_status_id.id),
                    ("reason", "!=", False),
                ],
                limit=1,
            )
        )
        return row.reason or self.client_status_id.description or ""

    def _client_status_log_override(self, records, customers):
        """Record in the history of the blacklisted partners of ``self`` that
        a manager accepted ``records`` (leads, orders) for them (the status
        does not change): one row per partner, one insert.

        :param customers: ``{record: partners}``, the blacklisted customers
            of each record
        """
        changes = []
        for partner in self:
            partner_records = records.filtered(
                lambda record, partner=partner: partner in customers[record]
            )
            status_id = partner.client_status_id.id
            names = ", ".join(partner_records.mapped("display_name"))
            reason = self.env["client.status.history"]._translate_reason(
                lambda env, names=names: env._(
                    "Blacklist overridden by %(user)s for %(leads)s",
                    user=env.user.name,
                    leads=names,
                )
            )
            company_id = partner.company_id.id or None
            changes.append(
                StatusChange(
                    record_id=partner.id,
                    from_id=status_id,
                    to_id=status_id,
                    company_id=company_id,
                    reason=reason,
                )
            )
        self.env["client.status.history"]._insert_rows(
            "partner_id", "partner", changes, "manual"
        )
