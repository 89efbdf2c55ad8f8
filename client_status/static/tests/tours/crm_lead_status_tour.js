/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const card = (columnName, lead) =>
    `${column(columnName)} .o_kanban_record:contains('${lead}')`;
const currentStatus = (name) =>
    `.o_statusbar_status button.o_arrow_button_current:contains('${name}')`;

registry.category("web_tour.tours").add("crm_lead_status_dropdown", {
    steps: () => [
        {
            content: "Type the status wanted in the Lead Status dropdown",
            trigger: ".o_field_many2one[name=client_status_id] input",
            run: "edit Tour Confir",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Confirmation')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The status bar shows the new status",
            trigger: `.o_form_saved ${currentStatus("Tour Confirmation")}`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_lead_status_clarify", {
    steps: () => [
        {
            content: "Drag the lead to the Clarification column",
            trigger: card("Tour New", "Tour Lead"),
            run: `drag_and_drop (${column("Tour Clarification")})`,
        },
        {
            content: "The dialog asks what to clarify",
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
            content: "The card is in the Clarification column",
            trigger: `body:not(:has(.modal)) ${card("Tour Clarification", "Tour Lead")}`,
            run: "click",
        },
        {
            content: "Open its status history",
            trigger: ".o_form_view button[name='action_open_client_status_history']",
            run: "click",
        },
        {
            content: "The history keeps the question",
            trigger:
                ".o_list_view .o_data_row:contains('Tour Clarification'):contains('Which budget do you plan')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_lead_status_clarify_discard", {
    steps: () => [
        {
            content: "Drag the lead to the Clarification column",
            trigger: card("Tour New", "Tour Lead"),
            run: `drag_and_drop (${column("Tour Clarification")})`,
        },
        {
            content: "The dialog asks what to clarify: discard",
            trigger: ".modal .modal-footer button:contains('Discard')",
            run: "click",
        },
        {
            content: "The card went back to its column",
            trigger: `body:not(:has(.modal)) ${card("Tour New", "Tour Lead")}`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_lead_status_won_lost", {
    steps: () => [
        {
            content: "Drag a deal to the Won column",
            trigger: card("Tour New", "Tour Won Deal"),
            run: `drag_and_drop (${column("Tour Won")})`,
        },
        {
            content: "The deal is in the Won column",
            trigger: card("Tour Won", "Tour Won Deal"),
        },
        {
            content: "Drag another deal to the Lost column",
            trigger: card("Tour New", "Tour Lost Deal"),
            run: `drag_and_drop (${column("Tour Lost")})`,
        },
        {
            content: "The lost dialog asks why: type the reason",
            trigger: ".modal .o_field_widget[name=lost_reason_id] input",
            run: "edit Tour Too",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Too Expensive')",
            run: "click",
        },
        {
            content: "Mark as lost",
            trigger: ".modal button[name=action_lost_reason_apply]",
            run: "click",
        },
        {
            content: "The lost deal left the board",
            trigger: `body:not(:has(.modal)) .o_kanban_renderer:not(:has(.o_kanban_record:contains('Tour Lost Deal')))`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_lead_status_statusbar", {
    steps: () => [
        {
            content: "Choose Clarification in the status bar",
            trigger: ".o_statusbar_status button:contains('Tour Clarification')",
            run: "click",
        },
        {
            content: "The dialog asks what to clarify",
            trigger: ".modal .o_field_widget[name=clarification_topic] select",
            run: 'select "timeline"',
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The lead waits for the client, the answers on the form",
            trigger: `body:not(:has(.modal)) ${currentStatus("Tour Clarification")}`,
        },
        {
            content: "The clarification is shown above the notebook",
            trigger: ".o_form_view .o_field_widget[name=clarification_topic] select",
        },
        {
            content: "Choose Won in the status bar",
            trigger: ".o_statusbar_status button:contains('Tour Won')",
            run: "click",
        },
        {
            content: "The deal is won",
            trigger: `.o_form_saved ${currentStatus("Tour Won")}`,
        },
        {
            content: "Choose Lost in the status bar",
            trigger: ".o_statusbar_status button:contains('Tour Lost')",
            run: "click",
        },
        {
            content: "The lost dialog asks why",
            trigger: ".modal .o_field_widget[name=lost_reason_id] input",
            run: "edit Tour Too",
        },
        {
            content: "Choose the reason",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Too Expensive')",
            run: "click",
        },
        {
            content: "Mark as lost",
            trigger: ".modal button[name=action_lost_reason_apply]",
            run: "click",
        },
        {
            content: "The deal is lost",
            trigger: `body:not(:has(.modal)) .o_form_view .ribbon:contains('Lost')`,
        },
    ],
});
