/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("client_status_partner_dropdown", {
    steps: () => [
        {
            content: "Type in the status dropdown of the contact form",
            trigger: ".o_form_view .o_group .o_field_widget[name=client_status_id] input",
            run: "edit Tour Sig",
        },
        {
            content: "Pick the status found",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Signed')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The status bar follows",
            trigger:
                ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains('Tour Signed')",
        },
    ],
});
