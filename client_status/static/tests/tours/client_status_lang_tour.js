/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

// What a user reading each shipped language sees of the seeded catalogue
const NAMES = {
    pl_PL: {regular: "Stały", potential: "Potencjalny", leadNew: "Nowy"},
    uk_UA: {regular: "Постійний", potential: "Потенційний", leadNew: "Новий"},
    ru_RU: {regular: "Постоянный", potential: "Потенциальный", leadNew: "Новый"},
};

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;

for (const [lang, names] of Object.entries(NAMES)) {
    registry.category("web_tour.tours").add(`client_status_board_${lang}`, {
        steps: () => [
            {
                content: "The columns of the board are named in the user's language",
                trigger: `${column(names.potential)}`,
            },
            {
                content: "The client is in its translated column",
                trigger: `${column(names.regular)} .o_kanban_record:contains('Tour Lang Client')`,
                run: "click",
            },
            {
                content: "The status bar of the form is translated",
                trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${names.regular}')`,
            },
        ],
    });
    registry.category("web_tour.tours").add(`client_status_lead_${lang}`, {
        steps: () => [
            {
                content: "The lead's status bar is translated",
                trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current:contains('${names.leadNew}')`,
            },
        ],
    });
}
