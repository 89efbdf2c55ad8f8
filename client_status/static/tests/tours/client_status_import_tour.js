/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";
import {inputFiles} from "@web/../tests/utils";

const csvFile = (rows) =>
    new File([["Name,Client Status", ...rows].join("\n")], "clients.csv", {
        type: "text/csv",
    });

const uploadStep = (content, rows) => ({
    content,
    trigger: ".o_control_panel .o_file_input",
    async run() {
        await inputFiles(".o_control_panel .o_input_file", [csvFile(rows)], {
            visible: false,
        });
    },
});

registry.category("web_tour.tours").add("client_status_import_clients", {
    steps: () => [
        {
            content: "Open the actions menu of the clients",
            trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Import records",
            trigger: ".o-dropdown--menu .o_import_menu",
            run: "click",
        },
        uploadStep("Upload a spreadsheet with an unknown status", [
            "Import Tour Alpha,Tour Regular",
            "Import Tour Beta,Gold Client",
        ]),
        {
            content: "The status column is recognised",
            trigger: ".o_import_data_content tr:contains('Client Status') .o_select_menu_toggler:contains('Client Status')",
            // the preview reads the fields of the contacts: slow on a busy machine
            timeout: 60000,
        },
        {
            content: "Import",
            trigger: ".o_control_panel button.btn-primary:contains('Import')",
            run: "click",
        },
        {
            content: "The error names the unknown status and its row",
            trigger: ".o_import_data_content .alert-danger:contains('Gold Client')",
            timeout: 60000,
        },
        {
            content: "See the possible values",
            trigger: ".o_import_data_content .o_import_see_all",
            run: "click",
        },
        {
            content: "The possible values are the contact statuses",
            trigger: ".modal .o_list_view .o_data_row:contains('Tour Regular')",
        },
        {
            content: "No lead status among them",
            trigger: ".modal .o_list_view:not(:has(.o_data_row:contains('Tour Lead Status')))",
        },
        {
            content: "Close the possible values",
            trigger: ".modal .btn-close",
            run: "click",
        },
        uploadStep("Upload the spreadsheet with the status fixed", [
            "Import Tour Beta,tour_vip",
            "Import Tour Alpha,Tour Regular",
        ]),
        {
            content: "The fixed file is previewed",
            trigger: ".o_import_data_content .o_import_preview:contains('tour_vip')",
            timeout: 60000,
        },
        {
            content: "Import",
            trigger: ".o_control_panel button.btn-primary:contains('Import')",
            run: "click",
        },
        {
            content: "Back on the clients once imported",
            trigger: ".o_kanban_view .o_kanban_record:contains('Import Tour Beta')",
            timeout: 60000,
        },
    ],
});

registry.category("web_tour.tours").add("client_status_analytics_salesman", {
    steps: () => [
        {
            content: "The matrix says which status is the previous one",
            trigger: ".o_pivot th:contains('From: Tour Interested')",
        },
        {
            content: "and which one is the new one",
            trigger: ".o_pivot th:contains('To: Tour Signed')",
        },
        {
            content: "Counts are whole numbers",
            trigger: ".o_pivot td.o_pivot_cell_value:contains('1'):not(:contains('1.00'))",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Reporting')",
            run: "click",
        },
        {
            content: "Open Upgrades and Downgrades",
            trigger: ".dropdown-menu .o-dropdown-item:contains('Upgrades and Downgrades')",
            run: "click",
        },
        {
            content: "A bar chart, month by month",
            trigger: ".o_graph_button[data-mode='bar'].active",
        },
        {
            content: "drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
