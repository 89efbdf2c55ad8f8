# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class IrFieldsConverter(models.AbstractModel):
    _inherit = "ir.fields.converter"

    @api.model
    def _str_to_many2one(self, model, field, value):
        """Match an imported status name within the scope of the importing
        model: "New" is both a contact and a lead status.

        An unknown status is an error naming the value, whose list of possible
        values is the catalogue of the importing model's scope. An import
        never creates a status, even when the user asks the import to create
        new values: a status carries a kind, a rank and rules that a name
        alone does not give (see :meth:`_client_status_import_create_error`)."""
        scope = field.comodel_name == "client.status" and model._client_status_scope
        if not scope:
            return super()._str_to_many2one(model, field, value)
        create_fields = dict(self.env.context.get("name_create_enabled_fields") or {})
        create_asked = create_fields.pop(field.name, False)
        self = self.with_context(
            client_status_scope=scope, name_create_enabled_fields=create_fields
        )
        try:
            return super()._str_to_many2one(model, field, value)
        except ValueError as error:
            info = len(error.args) > 1 and error.args[1]
            if not isinstance(info, dict):
                raise
            action = info.get("moreinfo")
            if (
                isinstance(action, dict)
                and action.get("res_model") == field.comodel_name
            ):
                # "See possible values": the statuses of the importing scope
                action["domain"] = [("scope", "=", scope)]
                action["context"] = dict(
                    action.get("context") or {}, default_scope=scope
                )
            if create_asked and info.get("value"):
                raise ValueError(
                    self._client_status_import_create_error(scope, info["value"]),
                    info,
                ) from error
            raise

    @api.model
    def _client_status_import_create_error(self, scope, value):
        """The error of an unknown status of ``scope`` the user asked the
        import to create (Odoo's import formats it with the field's name)."""
        scopes = dict(
            self.env["client.status"]._fields["scope"]._description_selection(self.env)
        )
        return _(
            "The client status “%(value)s” does not exist for %(scope)s, and an"
            " import does not create statuses: create it in CRM › Configuration"
            " › Client Statuses (with its kind), or use one of the possible values.",
            value=value,
            scope=scopes[scope],
        ).replace("%", "%%")
