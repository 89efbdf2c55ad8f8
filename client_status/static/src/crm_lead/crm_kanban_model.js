/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// A lead dropped on a column of a kanban grouped by lead status whose status
// needs a dialog (waiting for the client, lost) opens that dialog instead of
// being written at once: on Confirm the dialog gives the status and the board
// reloads; on Discard the card stays where it was.

import {patch} from "@web/core/utils/patch";
import {CrmKanbanDynamicGroupList} from "@crm/views/crm_kanban/crm_kanban_model";
import {askClientStatusChange} from "./client_status_change";

patch(CrmKanbanDynamicGroupList.prototype, {
    async moveRecord(dataRecordId, dataGroupId, refId, targetGroupId) {
        const sourceGroup = this.groups.find((g) => g.id === dataGroupId);
        const targetGroup = this.groups.find((g) => g.id === targetGroupId);
        if (
            this.resModel === "crm.lead" &&
            dataGroupId !== targetGroupId &&
            sourceGroup &&
            targetGroup &&
            targetGroup.value &&
            targetGroup.groupByField.name === "client_status_id"
        ) {
            const record = sourceGroup.list.records.find((r) => r.id === dataRecordId);
            const asked = await askClientStatusChange(
                this.model.orm,
                this.model.env.services.action,
                [record.resId],
                targetGroup.value
            );
            if (asked) {
                return this.model.load();
            }
        }
        return super.moveRecord(...arguments);
    },
});
