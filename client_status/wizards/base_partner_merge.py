# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # The merge writes every stored field of the merged contacts onto the
        # one kept, the fields the addon keeps (protected against clients)
        # included. sudo: the values are read from the contacts merged (read
        # as the user), not sent by a client.
        return super()._update_values(src_partners, dst_partner.sudo())
