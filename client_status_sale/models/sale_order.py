# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

# The order values that make an order new business for its customer: checked
# against the blacklist.
BLACKLIST_INPUTS = {
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "state",
    "client_status_blacklist_confirmed",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_client_status_id = fields.Many2one(
        related="partner_id.commercial_partner_id.client_status_id",
        string="Customer Status",
        # not tracked: a related field inherits the tracking of the customer's
        # status, and reading it before every write of a lead or an order
        # costs queries (the customer's own history records its changes)
        tracking=False,
    )
    # on the form only: depends on the customer, not on its status, so that
    # changing the status of thousands of contacts does not look for orders
    client_status_blacklisted = fields.Boolean(
        string="Customer Blacklisted", compute="_compute_client_status_blacklisted"
    )
    client_status_blacklist_confirmed = fields.Boolean(
        string="Confirmed despite the Blacklist",
        copy=False,
        groups="client_status.client_status_group_manager",
        help="A Client Status Manager accepts this order although its customer"
        " is blacklisted (recorded in the customer's status history).",
    )

    @api.depends("partner_id")
    def _compute_client_status_blacklisted(self):
        for order in self:
            order.client_status_blacklisted = (
                order.partner_id.commercial_partner_id.client_status_id.kind
                == "blacklist"
            )

    @api.model_create_multi
    def create(self, vals_list):
        confirming = self.env["res.partner"]._client_status_check_blacklist_new(
            self, vals_list
        )
        orders = super().create(vals_list)
        orders._check_client_status_blacklist(confirming)
        return orders

    def write(self, vals):
        before = (
            self.partner_id.commercial_partner_id
            if "partner_id" in vals and self._client_status_rule_inputs()
            else None
        )
        self.env["res.partner"]._check_client_status_confirm_access([vals])
        # confirming checks every order; else those whose inputs change
        blacklist_before = (
            self.env["res.partner"]._client_status_blacklist_state(self)
            if BLACKLIST_INPUTS & vals.keys()
            and "client_status_blacklist_confirmed" not in vals
            else None
        )
        res = super().write(vals)
        if BLACKLIST_INPUTS & vals.keys():
            self._check_client_status_blacklist(
                "client_status_blacklist_confirmed" in vals, blacklist_before
            )
        if self._client_status_rule_inputs() & vals.keys():
            self.env["res.partner"]._client_status_inputs_changed(self, before)
        return res

    @api.model
    def _client_status_rule_inputs(self):
        """The order fields the active contact rules read (none when no rule
        tests the sales metrics: an order's write costs nothing more); the
        lines stand for the untaxed amount they make."""
        inputs = self.env["client.status.rule"]._get_rule_inputs(
            "res.partner", self._name
        )
        return inputs | {"order_line"} if "amount_untaxed" in inputs else inputs

    def _check_client_status_blacklist(self, confirming=False, before=None):
        """Refuse the quotations and orders of ``self`` (not cancelled) whose
        customer, invoice or delivery address is blacklisted, unless
        confirmed (``confirming``: this operation confirms them, which needs
        a Client Status Manager and is recorded in the history): create,
        duplicate, change of customer or address, confirmation. ``before``:
        see ``res.partner._client_status_check_blacklist``."""
        self.env["res.partner"]._client_status_check_blacklist(
            self.filtered(lambda order: order.state != "cancel"),
            lambda partner: _(
                "%(partner)s is blacklisted (%(status)s): %(reason)s\n"
                "No new quotation or order for them, unless a Client Status"
                " Manager confirms it.",
                partner=partner.display_name,
                status=partner.client_status_id.display_name,
                reason=partner._client_status_blacklist_reason(),
            ),
            confirming,
            before,
        )

    def _client_status_blacklist_key(self):
        """The inputs of the blacklist check of the order ``self`` besides
        its customers: a quotation confirmed or reset is new business."""
        return (self.state,)

    def _client_status_blacklisted_customers(self):
        """The blacklisted commercial entities of each order of ``self``: of
        its customer, invoice and delivery addresses, ``{order: partners}``."""
        blacklisted = self.env["res.partner"]._client_status_blacklisted
        return {
            order: blacklisted(
                order.partner_id | order.partner_invoice_id | order.partner_shipping_id
            )
            for order in self
        }
