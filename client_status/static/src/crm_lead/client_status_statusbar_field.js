/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// The lead status bar of the lead form: a status that needs a dialog
// (waiting for the client, lost) opens it instead of being written at once.

import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {StatusBarField, statusBarField} from "@web/views/fields/statusbar/statusbar_field";
import {askClientStatusChange} from "./client_status_change";

export class ClientStatusStatusBarField extends StatusBarField {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
    }

    /** @override */
    async selectItem(item) {
        const {record} = this.props;
        // the dialog works on the saved lead
        if (!(await record.save())) {
            return;
        }
        if (await askClientStatusChange(this.orm, this.action, [record.resId], item.value)) {
            await record.load();
            return;
        }
        return super.selectItem(item);
    }
}

registry.category("fields").add("client_status_statusbar", {
    ...statusBarField,
    component: ClientStatusStatusBarField,
    // the look of the status bar (its styles follow that class)
    additionalClasses: ["o_field_statusbar"],
});
