# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """The status of a contact belongs to its commercial entity: a company's
    status is synced to its individual contacts like its VAT number."""

    _name = "res.partner"
    _inherit = ["res.partner", "client.status.mixin"]
    _client_status_scope = "partner"
    _client_status_history_field = "partner_id"

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
        for vals in contact_vals:
            vals["client_status_id"] = status_by_parent[vals["parent_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if "client_status_id" in vals:
            self._check_client_status_owner(vals)
        return super().write(vals)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["client_status_id"]

    def _commercial_sync_from_company(self):
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_from_company()

    def _commercial_sync_to_children(self, fields_to_sync=None):
        return super(
            ResPartner, self._client_status_with_sync_reason()
        )._commercial_sync_to_children(fields_to_sync)

    def _client_status_with_sync_reason(self):
        """Name the commercial entity as the reason of synced status changes,
        unless the change already carries a reason."""
        if (
            self.env.context.get("client_status_reason")
            or len(self.commercial_partner_id) != 1
        ):
            return self
        return self.with_context(
            client_status_reason=_(
                "Status of the commercial entity %(name)s",
                name=self.commercial_partner_id.display_name,
            )
        )

    def _check_client_status_owner(self, vals):
        """Refuse to give a contact of a company (as it is after ``vals``)
        another status than the company's, unless the company gets the same
        status in this write: the status is set on the commercial entity."""
        status_id = vals["client_status_id"] or False
        new_parent = self.browse(vals["parent_id"]) if "parent_id" in vals else None
        for partner in self:
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
