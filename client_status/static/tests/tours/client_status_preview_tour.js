/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("client_status_preview_apply", {
    steps: () => [
        {
            content: "Preview what a run of the rules would change",
            trigger: ".o_control_panel button[name=action_preview]",
            run: "click",
        },
        {
            content: "The client the rules reclassify is listed",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Tour Preview Client')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The user is told how many records changed",
            trigger: ".o_notification:contains('Records whose status changed')",
        },
    ],
});

registry.category("web_tour.tours").add("client_status_preview_hidden", {
    steps: () => [
        {
            content: "The salesperson reads the rules",
            trigger: ".o_list_renderer .o_data_row",
        },
        {
            content: "but is offered neither Preview nor Reclassify Now",
            trigger:
                ".o_action_manager:not(:has(button[name=action_preview]))" +
                ":not(:has(button[name=action_reclassify_now]))",
        },
    ],
});
