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

registry.category("web_tour.tours").add("client_status_preview_background", {
    steps: () => [
        {
            content: "Preview what a run of the rules would change",
            trigger: ".o_control_panel button[name=action_preview]",
            run: "click",
        },
        {
            content: "Many records: the preview runs in the background, with its progress",
            trigger: ".modal .o_field_widget[name=job_progress] .o_progressbar",
        },
        {
            content: "Refresh the progress",
            trigger: ".modal button[name=action_refresh]",
            run: "click",
        },
        {
            content: "The wizard stays open, with the progress",
            trigger: ".modal .o_field_widget[name=job_progress] .o_progressbar",
        },
        {
            content: "Close it: the job goes on",
            trigger: ".modal button.btn-secondary:contains('Close')",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("client_status_job_apply", {
    steps: () => [
        {
            content: "Open the preview among the background jobs",
            trigger: ".o_data_row td:contains('Preview of the Rules')",
            run: "click",
        },
        {
            content: "Its changes are listed",
            trigger: ".o_field_widget[name=shown_line_ids] .o_data_row:contains('Tour Preview Client')",
        },
        {
            content: "Apply",
            trigger: ".o_form_view button[name=action_apply]",
            run: "click",
        },
        {
            content: "The user is told how many records changed",
            trigger: ".o_notification:contains('Records whose status changed')",
        },
    ],
});
