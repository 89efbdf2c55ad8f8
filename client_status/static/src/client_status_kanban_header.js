/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// On a board grouped by status, the column of the records without a status
// (those the installation has yet to reach, in the background) says so.

import {_t} from "@web/core/l10n/translation";
import {KanbanHeader} from "@web/views/kanban/kanban_header";
import {patch} from "@web/core/utils/patch";

patch(KanbanHeader.prototype, {
    _getEmptyGroupLabel(fieldName) {
        if (fieldName === "client_status_id") {
            return _t("Not classified yet");
        }
        return super._getEmptyGroupLabel(...arguments);
    },
});
