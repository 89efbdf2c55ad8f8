# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrFieldsConverter(models.AbstractModel):
    _inherit = "ir.fields.converter"

    @api.model
    def _str_to_many2one(self, model, field, value):
        """Match an imported status name within the scope of the importing
        model: "New" is both a contact and a lead status."""
        if field.comodel_name == "client.status" and model._client_status_scope:
            self = self.with_context(client_status_scope=model._client_status_scope)
        return super()._str_to_many2one(model, field, value)
