# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

# the transitions matrix and the upgrades graph read the summary of the
# history now: their actions and menus keep their records (bookmarks, menus
# of the users) under the new names
RENAMED = {
    "client_status_history_action_transitions": "client_status_transition_action",
    "client_status_history_action_movement": "client_status_transition_action_movement",
    "client_status_history_menu_transitions": "client_status_transition_menu",
    "client_status_history_menu_movement": "client_status_transition_menu_movement",
}


def migrate(cr, version):
    for old, new in RENAMED.items():
        cr.execute(
            SQL(
                """
                UPDATE ir_model_data SET name = %s
                 WHERE module = 'client_status' AND name = %s
                """,
                new,
                old,
            )
        )
