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
    _name = "sale.order"
    _inherit = ["sale.order", "client.status.blacklist.mixin"]

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

    def write(self, vals):
        before = (
            self.partner_id.commercial_partner_id
            if "partner_id" in vals and self._client_status_rule_inputs()
            else None
        )
        res = super().write(vals)
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

    @api.model
    def _client_status_blacklist_inputs(self):
        return super()._client_status_blacklist_inputs() | BLACKLIST_INPUTS

    def _client_status_blacklist_records(self):
        # a cancelled order is no business
        return self.filtered(lambda order: order.state != "cancel")

    def _client_status_blacklist_refusal(self, partner):
        return _(
            "%(partner)s is blacklisted (%(status)s): %(reason)s\n"
            "No new quotation or order for them, unless a Client Status"
            " Manager confirms it.",
            partner=partner.display_name,
            status=partner.client_status_id.display_name,
            reason=partner._client_status_blacklist_reason(),
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
