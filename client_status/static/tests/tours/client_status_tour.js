/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;

registry.category("web_tour.tours").add("client_status_drag_client", {
    steps: () => [
        {
            content: "The client is in its status column",
            trigger: `${column("Tour Interested")} .o_kanban_record:contains('Tour Client')`,
            run: `drag_and_drop (${column("Tour Signed")})`,
        },
        {
            content: "The client moved to the other column",
            trigger: `${column("Tour Signed")} .o_kanban_record:contains('Tour Client')`,
            run: "click",
        },
        {
            content: "Open its status history",
            trigger: ".o_form_view button[name='action_open_client_status_history']",
            run: "click",
        },
        {
            content: "The history shows the move",
            trigger: ".o_list_view .o_data_row:first:contains('Tour Interested'):contains('Tour Signed')",
        },
    ],
});
