# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ClientStatusCachedMixin(models.AbstractModel):
    """Configuration the addon reads at every lead or contact write, cached
    with ``ormcache`` (statuses by kind, rules and their inputs, automation
    rules): a change of its records clears the caches, on every worker.

    ``_client_status_cached_fields``: the fields the caches read (``None``:
    all); a write of other fields keeps them."""

    _name = "client.status.cached.mixin"
    _description = "Client Status Cached Configuration"
    _client_status_cached_fields = None

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        cached = self._client_status_cached_fields
        if cached is None or cached & vals.keys():
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
