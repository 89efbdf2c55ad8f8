# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class ClientStatusBlacklistMixin(models.AbstractModel):
    """New business (a lead, an order) refused for a blacklisted customer,
    whatever the path (form, import, duplicate, mail gateway, conversion,
    merge, confirmation), unless a Client Status Manager confirms it
    (``client_status_blacklist_confirmed``), which is recorded in the
    customer's status history.

    The inheriting model says which of its records are new business
    (``_client_status_blacklist_records``), who their blacklisted customers
    are (``_client_status_blacklisted_customers``), which values make them
    new business (``_client_status_blacklist_inputs``,
    ``_client_status_blacklist_key``) and how a refusal reads
    (``_client_status_blacklist_refusal``)."""

    _name = "client.status.blacklist.mixin"
    _description = "Client Status Blacklist Check"

    client_status_blacklist_confirmed = fields.Boolean(
        string="Confirmed despite the Blacklist",
        copy=False,
        groups="client_status.client_status_group_manager",
        help="A Client Status Manager accepts this record although its customer"
        " is blacklisted (recorded in the customer's status history).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        confirming = any(
            vals.get("client_status_blacklist_confirmed") for vals in vals_list
        )
        suspect = confirming or self._client_status_blacklist_suspect(vals_list)
        if suspect:
            self._check_client_status_blacklist_new(vals_list)
        records = super().create(vals_list)
        if suspect:
            records._check_client_status_blacklist(confirming)
        return records

    def write(self, vals):
        self._check_client_status_confirm_access([vals])
        confirming = "client_status_blacklist_confirmed" in vals
        check = self._client_status_blacklist_check_needed(vals)
        before = (
            self._client_status_blacklist_state() if check and not confirming else None
        )
        res = super().write(vals)
        if check:
            self._check_client_status_blacklist(confirming, before)
        return res

    @api.model
    def _client_status_blacklist_inputs(self):
        """The fields whose values make a record new business for its
        customers, checked against the blacklist when written."""
        return {"partner_id", "client_status_blacklist_confirmed"}

    def _client_status_blacklist_check_needed(self, vals):
        """Whether writing ``vals`` on ``self`` is checked against the
        blacklist: when it writes one of its inputs."""
        return bool(self._client_status_blacklist_inputs() & vals.keys())

    @api.model
    def _client_status_blacklist_suspect(self, vals_list):
        """Whether the values of new records may name a blacklisted customer
        (else they are not checked): yes, unless a model knows better at a
        lower cost."""
        return True

    def _client_status_blacklist_records(self):
        """The records of ``self`` that are new business, and checked."""
        return self

    def _client_status_blacklist_key(self):
        """The inputs of the blacklist check of the record ``self`` besides
        its customers (a quotation confirmed is new business)."""
        return ()

    def _client_status_blacklisted_customers(self):
        """The blacklisted commercial entities of each record of ``self``:
        ``{record: partners}``."""
        Partner = self.env["res.partner"]
        return {record: Partner for record in self}

    def _client_status_blacklist_refusal(self, partner):
        """The translated message refusing the record ``self`` for the
        blacklisted commercial entity ``partner``."""
        return _(
            "%(partner)s is blacklisted (%(status)s): %(reason)s",
            partner=partner.display_name,
            status=partner.client_status_id.display_name,
            reason=partner._client_status_blacklist_reason(),
        )

    def _client_status_blacklist_state(self):
        """What the blacklist check of ``self`` reads, before a write:
        ``{record: (blacklisted customers, other inputs)}``."""
        customers = self._client_status_blacklisted_customers()
        return {
            record: (customers[record], record._client_status_blacklist_key())
            for record in self
        }

    @api.model
    def _check_client_status_confirm_access(self, vals_list):
        """Refuse values that confirm new business despite the blacklist
        unless the current user is a Client Status Manager: the field's
        ``groups`` are not checked on create.

        :raise AccessError: for anyone else
        """
        if (
            any(vals.get("client_status_blacklist_confirmed") for vals in vals_list)
            and not self.env["res.partner"]._client_status_blacklist_manager()
        ):
            raise AccessError(
                _(
                    "Only a Client Status Manager can confirm new business"
                    " for a blacklisted customer."
                )
            )

    @api.model
    def _check_client_status_blacklist_new(self, vals_list):
        """Check the values of records about to be created, before their
        INSERT (the mail gateway commits what a failed create wrote)."""
        self._check_client_status_confirm_access(vals_list)
        confirming = any(
            vals.get("client_status_blacklist_confirmed") for vals in vals_list
        )
        self.concat(
            *(self.new(vals) for vals in vals_list)
        )._check_client_status_blacklist(confirming)

    def _check_client_status_blacklist(self, confirming=False, before=None):
        """Refuse the records of ``self`` that are new business
        (``_client_status_blacklist_records``) for a blacklisted customer,
        unless they were confirmed: by a Client Status Manager when
        ``confirming`` (the operation sets the flag), earlier otherwise; the
        confirmations made by this operation are recorded in the customers'
        history (``res.partner._client_status_log_override``).

        ``before``: for a write, ``_client_status_blacklist_state`` before
        it. Records whose blacklisted customers and other inputs did not
        change are left alone (a merge or an edit of existing business), and
        a confirmation holds for the customers it was given for: records
        whose blacklisted customers changed lose it.

        :raise UserError: with ``_client_status_blacklist_refusal``
        """
        Partner = self.env["res.partner"]
        records = self._client_status_blacklist_records()
        customers = records._client_status_blacklisted_customers()
        if before is not None:
            moved = records.filtered(
                lambda record: record in before
                and before[record][0] != customers[record]
            )
            if moved:
                # in SQL: a write would run this check again (and the flag is
                # the managers' only); taking a confirmation back grants nothing
                moved.flush_recordset(["client_status_blacklist_confirmed"])
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET client_status_blacklist_confirmed = FALSE"
                        " WHERE id = ANY(%s)",
                        SQL.identifier(moved._table),
                        moved.ids,
                    )
                )
                moved.invalidate_recordset(["client_status_blacklist_confirmed"])
            records = records.filtered(
                lambda record: record not in before
                or before[record]
                != (customers[record], record._client_status_blacklist_key())
            )
        blacklisted = records.filtered(lambda record: customers[record])
        if not blacklisted:
            return
        # sudo: the confirmation flag is readable by managers only
        confirmed = blacklisted.sudo().filtered("client_status_blacklist_confirmed")
        confirmed = confirmed.with_env(records.env)
        refused = blacklisted - confirmed
        if refused:
            if not self.env.user._is_internal():
                # a customer (accepting a quotation online): no internal reason
                raise UserError(_("This cannot be done online: please contact us."))
            record = refused[0]
            partners = customers[record]
            if before is not None and record in before:
                # name the customer this operation brings
                partners = (partners - before[record][0]) or partners
            raise UserError(record._client_status_blacklist_refusal(partners[0]))
        # new records (checked before their INSERT) are recorded once created
        confirmed = confirmed.filtered("id") if confirming else records.browse()
        if confirmed:
            partners = Partner.union(*(customers[record] for record in confirmed))
            partners._client_status_log_override(confirmed, customers)
