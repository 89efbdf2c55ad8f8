/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

const line = (name) => `.modal .o_field_widget[name=line_ids] .o_data_row:has(td:contains('${name}'))`;

const openPresetWizard = () => [
    {
        content: "Open CRM's configuration menu",
        trigger: ".o_main_navbar [data-menu-xmlid='crm.crm_menu_config']",
        run: "click",
    },
    {
        content: "Load a Preset",
        trigger: ".dropdown-item[data-menu-xmlid='client_status.client_status_preset_menu']",
        run: "click",
    },
];

const loadPreset = (preset) => [
    ...openPresetWizard(),
    {
        content: `Choose the preset ${preset}`,
        trigger: `.modal .o_field_widget[name=preset] input[data-value='${preset}']`,
        run: "click",
    },
    {
        content: "Archive the other statuses",
        trigger: ".modal .o_field_widget[name=others] input[data-value='archive']",
        run: "click",
    },
];

registry.category("web_tour.tours").add("client_status_preset_load", {
    steps: () => [
        ...loadPreset("outbound"),
        {
            content: "The mapping lists the statuses in use, Regular to Potential",
            trigger: `${line("Regular")} td[name=target_status_id]:contains('Potential')`,
            run: "click",
        },
        {
            content: "The blacklist is kept, and the wizard says so",
            trigger: `${line("Blacklist")}:contains('Kept active')`,
        },
        {
            content: "Type another target for Regular",
            trigger: `${line("Regular")} .o_field_widget[name=target_status_id] input`,
            run: "edit Probab",
        },
        {
            content: "Pick it in the dropdown",
            trigger: ".o-autocomplete--dropdown-item:contains('Probable')",
            run: "click",
        },
        {
            content: "The target changed",
            trigger: `${line("Regular")} .o_field_widget[name=target_status_id] input:value(Probable)`,
        },
        {
            content: "Load",
            trigger: ".modal button[name=action_load]",
            run: "click",
        },
        {
            content: "The notification says how many records moved",
            trigger: ".o_notification:contains('Preset Outbound Calls loaded'):contains('records moved to another status')",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
        ...loadPreset("lifecycle"),
        {
            content: "Outbound's Potential maps back to Lifecycle's",
            trigger: `${line("Potential")} td[name=target_status_id]:contains('Potential')`,
        },
        {
            content: "Lifecycle's Blacklist was kept: nothing to move off it",
            trigger: ".modal .o_field_widget[name=line_ids]:not(:has(td:contains('Blacklist')))",
        },
        {
            content: "Load",
            trigger: ".modal button[name=action_load]",
            run: "click",
        },
        {
            content: "The notification says how many records moved",
            trigger: ".o_notification:contains('Preset Lifecycle loaded'):contains('records moved to another status')",
        },
        {
            content: "Open the Sales menu",
            trigger: "body:not(:has(.modal)) .o_main_navbar [data-menu-xmlid='crm.crm_menu_sales']",
            run: "click",
        },
        {
            content: "Open Clients by Status",
            trigger: ".dropdown-item[data-menu-xmlid='client_status.res_partner_menu']",
            run: "click",
        },
        {
            content: "Unfold the Blacklist column",
            trigger: ".o_kanban_group.o_column_folded:has(.o_column_title:contains('Blacklist'))",
            run: "click",
        },
        {
            content: "The blacklisted client is still blacklisted",
            trigger: ".o_kanban_group:has(.o_column_title:contains('Blacklist')) .o_kanban_record:contains('Tour Banned')",
        },
    ],
});
