/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const currentStatus = (name) =>
    `.o_statusbar_status button.o_arrow_button_current:contains('${name}')`;

// The salesperson moves the lead to Clarification and sends the
// questionnaire, written in the client's language (Polish).
registry.category("web_tour.tours").add("client_status_questionnaire_send", {
    steps: () => [
        {
            content: "Choose Clarification in the status bar",
            trigger: ".o_statusbar_status button:contains('Tour Clarification')",
            run: "click",
        },
        {
            content: "The dialog asks what to clarify: the budget",
            trigger: ".modal .o_field_widget[name=clarification_topic] select",
            run: 'select "budget"',
        },
        {
            content: "The question, in the client's language",
            trigger: ".modal .o_field_widget[name=clarification_question] textarea",
            run: "edit Jaki budżet planujecie na pierwszy rok?",
        },
        {
            content: "Confirm and send the questionnaire",
            trigger: ".modal button[name=action_confirm_send]",
            run: "click",
        },
        {
            content: "The composer shows the e-mail in Polish, with the link",
            trigger:
                ".modal .o_mail_composer_form .o_field_widget[name=body]:contains('Odpowiedz na pytanie'):contains('Jaki budżet planujecie')",
        },
        {
            content: "Send it",
            trigger: ".modal button.o_mail_send:visible",
            run: "click",
        },
        {
            content: "The lead waits for the client, the e-mail in the chatter",
            trigger: `body:not(:has(.modal)) ${currentStatus("Tour Clarification")}`,
        },
        {
            content: "The e-mail sent is in the chatter",
            trigger: ".o-mail-Message:contains('Odpowiedz na pytanie')",
        },
    ],
});

// The client, in an anonymous browser, answers on the page in Polish.
registry.category("web_tour.tours").add("client_status_questionnaire_answer", {
    steps: () => [
        {
            content: "The page asks the question in Polish",
            trigger: "p.lead:contains('potrzebujemy od Ciebie wyjaśnienia')",
        },
        {
            content: "The question the salesperson wrote",
            trigger: ".o_client_status_question:contains('Jaki budżet planujecie')",
        },
        {
            content: "Give the amount",
            trigger: "input[name=amount]",
            run: "edit 25000",
        },
        {
            content: "And a comment",
            trigger: "textarea[name=answer]",
            run: "edit Na pierwszy rok, z wdrożeniem",
        },
        {
            content: "Send the answer",
            trigger: "button[type=submit]:contains('Wyślij odpowiedź')",
            run: "click",
        },
        {
            content: "The client is thanked, in Polish",
            trigger: ".o_client_status_thanks:contains('Dziękujemy')",
        },
    ],
});

// The salesperson finds the lead in progress, with the answer on the form,
// in the chatter and in the history.
registry.category("web_tour.tours").add("client_status_questionnaire_answered", {
    steps: () => [
        {
            content: "The lead is in progress",
            trigger: currentStatus("Tour In Progress"),
        },
        {
            content: "The answered amount is on the form",
            trigger: ".o_field_widget[name=clarification_answer_amount]:contains('25,000')",
        },
        {
            content: "The answer is in the chatter",
            trigger: ".o-mail-Message:contains('Na pierwszy rok, z wdrożeniem')",
        },
        {
            content: "Open the status history",
            trigger: "button[name=action_open_client_status_history]",
            run: "click",
        },
        {
            content: "The history has the client's answer",
            trigger:
                ".o_data_row:contains('Tour In Progress'):contains('Answer from the client')",
        },
    ],
});

// The salesperson sends the questionnaire to leads selected in the list.
registry.category("web_tour.tours").add("client_status_questionnaire_send_list", {
    steps: () => [
        {
            content: "Show the leads as a list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Select the first lead waiting for its client",
            trigger: ".o_data_row:contains('Meble A') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "And the second",
            trigger: ".o_data_row:contains('Meble B') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Send Questionnaire",
            trigger: ".o-dropdown-item:contains('Send Questionnaire')",
            run: "click",
        },
        {
            content: "The questionnaire was sent to both",
            trigger: ".o_notification:contains('The questionnaire was sent to the clients of 2 leads')",
        },
    ],
});

// The salesperson reads the clarifications report from the Reporting menu.
registry.category("web_tour.tours").add("client_status_clarification_report", {
    steps: () => [
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Reporting')",
            run: "click",
        },
        {
            content: "Open Clarifications",
            trigger: ".dropdown-menu .o-dropdown-item:contains('Clarifications')",
            run: "click",
        },
        {
            content: "The waiting status is a row, the median time to answer a measure",
            trigger:
                ".o_pivot_view:has(.o_pivot_measure_row:contains('Hours To Answer')) .o_pivot_header_cell_closed:contains('Tour Clarification'), .o_pivot_view:has(.o_pivot_measure_row:contains('Hours To Answer')) .o_pivot_header_cell_opened:contains('Tour Clarification')",
        },
        {
            content: "Show the clarifications as a list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The answered clarification, by questionnaire",
            trigger: ".o_data_row:contains('Meble A'):contains('Questionnaire')",
        },
    ],
});
