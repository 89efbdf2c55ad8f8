/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const card = (columnName, name) =>
    `${column(columnName)} .o_kanban_record:contains('${name}')`;

registry.category("web_tour.tours").add("client_status_lock_drag", {
    steps: () => [
        {
            content: "The client is not locked yet",
            trigger: `${card("Tour Lock Interested", "Lock Tour Client")}:not(:has(.fa-lock))`,
            run: `drag_and_drop (${column("Tour Lock Signed")})`,
        },
        {
            content: "Moved by hand: its card shows the lock, and until when",
            trigger: `${card("Tour Lock Signed", "Lock Tour Client")} .fa-lock[title*='Status locked until']`,
        },
        {
            content: "Open the client",
            trigger: card("Tour Lock Signed", "Lock Tour Client"),
            run: "click",
        },
        {
            content: "The form says the status is locked",
            trigger: ".o_form_view .o_field_widget[name=client_status_locked] input:checked",
        },
        {
            content: "... until a day",
            trigger: ".o_form_view .o_field_widget[name=client_status_locked_until] input",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Clients by Status')",
            run: "click",
        },
        {
            content: "The board again",
            trigger: card("Tour Lock Signed", "Lock Tour Client"),
        },
    ],
});

registry.category("web_tour.tours").add("client_status_lock_rules_disagree", {
    steps: () => [
        {
            content: "The card says the rules would give another status",
            trigger: `${card("Tour Lock Interested", "Disagree Client")} .fa-exclamation-triangle[title='The rules would give Tour Lock Signed.']`,
        },
        {
            content: "An agreeing client shows no sign",
            trigger: `${card("Tour Lock Interested", "Lock Tour Client")}:not(:has(.fa-exclamation-triangle))`,
        },
    ],
});
