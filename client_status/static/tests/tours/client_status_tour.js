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

const currentStatus = (name) =>
    `.o_statusbar_status button.o_arrow_button_current:contains('${name}')`;

registry.category("web_tour.tours").add("client_status_clarification_ask", {
    steps: () => [
        {
            content: "Open the lead",
            trigger: ".o_kanban_record:contains('Tour Lead')",
            run: "click",
        },
        {
            content: "Ask the client for a clarification",
            trigger: ".o_statusbar_status button:contains('Tour Clarification')",
            run: "click",
        },
        {
            content: "The dialog asks what must be clarified",
            trigger: ".modal .o_field_widget[name=clarification_topic] select",
            run: 'select "budget"',
        },
        {
            content: "Ask the question",
            trigger: ".modal .o_field_widget[name=clarification_question] textarea",
            run: "edit Which budget do you plan for the first year?",
        },
        {
            content: "By when",
            trigger: ".modal .o_field_widget[name=clarification_deadline] input",
            run: "edit 06/30/2036 && press Enter",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The lead waits for the client",
            trigger: `.o_form_saved ${currentStatus("Tour Clarification")}`,
        },
    ],
});

registry.category("web_tour.tours").add("client_status_clarification_answered", {
    steps: () => [
        {
            content: "The client's answer moved the lead on",
            trigger: currentStatus("Tour In Progress"),
        },
        {
            content: "Open its status history",
            trigger: ".o_form_view button[name='action_open_client_status_history']",
            run: "click",
        },
        {
            content: "The history keeps the answer",
            trigger: ".o_list_view .o_data_row:contains('Answer from the client')",
        },
    ],
});

registry.category("web_tour.tours").add("client_status_automation_trigger", {
    steps: () => [
        {
            content: "The automation rule form offers the client status trigger",
            trigger:
                ".o_field_widget[name=trigger] select:has(option:contains('Client status is set to'))",
        },
        {
            content: "Choose it",
            trigger: ".o_field_widget[name=trigger] select",
            run: 'select "on_client_status_set"',
        },
        {
            content: "Then the status to watch",
            trigger: ".o_field_widget[name=trg_field_ref] input",
        },
        {
            content: "Leave the rule as it was",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Discarded",
            trigger: ".o_form_saved",
        },
    ],
});

const reportingMenu = (item) => [
    {
        content: "Open the Reporting menu",
        trigger: ".o_main_navbar .o_menu_sections button:contains('Reporting')",
        run: "click",
    },
    {
        content: `Open ${item}`,
        trigger: `.dropdown-menu .o-dropdown-item:contains('${item}')`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("client_status_dashboard", {
    steps: () => [
        ...reportingMenu("Status Transitions"),
        {
            content: "The matrix has the move of this month",
            trigger: ".o_pivot th:contains('Tour Interested')",
        },
        ...reportingMenu("Upgrades and Downgrades"),
        {
            content: "The upgrades are drawn month by month",
            trigger: ".o_graph_renderer canvas",
        },
        ...reportingMenu("Time in Status"),
        {
            content: "The time in status opens",
            trigger: ".o_breadcrumb:contains('Time in Status')",
        },
        {
            content: "Each status has its time",
            trigger: ".o_list_view .o_data_row:contains('Tour Interested')",
        },
        ...reportingMenu("Lost Customers"),
        {
            content: "The lost customers list opens",
            trigger: ".o_list_view, .o_view_nocontent",
        },
    ],
});
