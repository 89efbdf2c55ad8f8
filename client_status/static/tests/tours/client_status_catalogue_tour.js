/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const pickInDropdown = (field, typed, name) => [
    {
        content: `Type in ${field} to search`,
        trigger: `.o_field_widget[name=${field}] input`,
        run: `edit ${typed}`,
    },
    {
        content: `Pick ${name}`,
        trigger: `.o-autocomplete--dropdown-item:contains('${name}')`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("client_status_sub_status", {
    steps: () => [
        {
            content: "Create a contact status",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Monthly",
        },
        ...pickInDropdown("parent_id", "Tour Reg", "Tour Regular"),
        {
            content: "Only the kinds of contact statuses are offered",
            trigger: ".o_field_widget[name=partner_kind] select:not(:has(option[value='\"won\"']))",
            run: 'select "customer"',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the catalogue",
            trigger: ".o_breadcrumb .o_back_button a, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The sub-status stands right under its parent",
            trigger:
                ".o_data_row:not(:contains('Tour Monthly')):contains('Tour Regular')" +
                " + .o_data_row:contains('Tour Regular / Tour Monthly')",
        },
    ],
});

registry.category("web_tour.tours").add("client_status_archive_used", {
    steps: () => [
        {
            content: "Select the status to archive",
            trigger: ".o_data_row:contains('Tour Old') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Archive",
            trigger: ".o-dropdown-item:contains('Archive')",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary:contains('Archive')",
            run: "click",
        },
        {
            content: "The wizard asks where its records go",
            trigger: ".modal .o_field_widget[name=record_count]:contains('1')",
        },
        ...pickInDropdown("target_status_id", "Tour Reg", "Tour Regular"),
        {
            content: "Move and archive",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The status left the catalogue",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Old')))",
        },
    ],
});
