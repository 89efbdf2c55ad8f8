/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";
import { formatInteger } from "@web/views/fields/formatters";

/**
 * A count as graphs show it (``widget="client_status_count"`` on a graph
 * measure): "2", not "2.00", and no label on the axis ticks that fall between
 * two whole numbers (a chart of small counts ticks every 0.2).
 */
export function formatClientStatusCount(value, options = {}) {
    if (typeof value === "number" && !Number.isInteger(value)) {
        return "";
    }
    return formatInteger(value, options);
}

registry.category("formatters").add("client_status_count", formatClientStatusCount);
