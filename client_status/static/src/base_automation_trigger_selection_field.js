/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// The trigger "Client status is set to" in the automation rule form. Odoo's
// trigger widget groups the triggers it knows and fails on any other one, so
// this one replaces it: the same grouping, with our trigger among the values
// updated, offered on the models that have a client status.

import {useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {useRecordObserver} from "@web/model/relational_model/utils";
import {SelectionField} from "@web/views/fields/selection/selection_field";
import {TRIGGER_FILTERS} from "@base_automation/utils";
import {
    TriggerSelectionField,
    triggerSelectionField,
} from "@base_automation/base_automation_trigger_selection_field";

export const ON_STATUS_SET = "on_client_status_set";

TRIGGER_FILTERS[ON_STATUS_SET] = (field) =>
    field.ttype === "many2one" && field.name === "client_status_id";

const OPT_GROUPS = [
    {
        group: {sequence: 10, key: "values", name: _t("Values Updated")},
        triggers: [
            "on_stage_set",
            ON_STATUS_SET,
            "on_user_set",
            "on_tag_set",
            "on_state_set",
            "on_priority_set",
            "on_archive",
            "on_unarchive",
        ],
    },
    {
        group: {sequence: 30, key: "timing", name: _t("Timing Conditions")},
        triggers: ["on_time", "on_time_created", "on_time_updated"],
    },
    {
        group: {sequence: 40, key: "custom", name: _t("Custom")},
        triggers: ["on_create_or_write", "on_unlink", "on_change"],
    },
    {
        group: {sequence: 50, key: "external", name: _t("External")},
        triggers: ["on_webhook"],
    },
    {
        group: {sequence: 20, key: "mail", name: _t("Email Events")},
        triggers: ["on_message_sent", "on_message_received"],
    },
    {
        group: {sequence: 60, key: "deprecated", name: _t("Deprecated (do not use)")},
        triggers: ["on_create", "on_write"],
    },
];

function groupOptions(options, fields, currentValue, excludeGroups) {
    const groups = [];
    for (const [value, label] of options) {
        const known = OPT_GROUPS.find((optGroup) => optGroup.triggers.includes(value));
        // a trigger added by another module: listed with the custom ones
        const {group, triggers} = known || OPT_GROUPS[2];
        if (
            (group.key === "deprecated" && !triggers.includes(currentValue)) ||
            excludeGroups.includes(group.key)
        ) {
            continue;
        }
        const filter = TRIGGER_FILTERS[value];
        if (filter && !fields.some(filter)) {
            continue;
        }
        let entry = groups.find((candidate) => candidate.key === group.key);
        if (!entry) {
            entry = {...group, options: []};
            groups.push(entry);
        }
        entry.options.push({group, value, label});
    }
    return groups.sort((a, b) => a.sequence - b.sequence);
}

export class ClientStatusTriggerSelectionField extends TriggerSelectionField {
    setup() {
        // Not the parent's setup: its grouping fails on our trigger
        SelectionField.prototype.setup.call(this);
        this.groupedOptions = useState([]);
        const orm = useService("orm");
        let lastModelId = null;
        let modelFields = [];
        useRecordObserver(async (record) => {
            const {data, fields} = record;
            const modelId = data.model_id?.[0];
            if (lastModelId !== modelId) {
                lastModelId = modelId;
                modelFields = await orm.searchRead(
                    "ir.model.fields",
                    [["model_id", "=", modelId]],
                    ["field_description", "name", "ttype", "relation"]
                );
            }
            const groups = groupOptions(
                fields[this.props.name].selection,
                modelFields,
                data[this.props.name],
                data.model_is_mail_thread ? [] : ["mail"]
            );
            this.groupedOptions.splice(0, this.groupedOptions.length, ...groups);
        });
    }
}

registry.category("fields").add(
    "base_automation_trigger_selection",
    {...triggerSelectionField, component: ClientStatusTriggerSelectionField},
    {force: true}
);
