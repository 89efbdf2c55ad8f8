/** @odoo-module **/
// Copyright 2026 client_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// Before leads get a status from the web client (a kanban drop, a click in
// the status bar), ask the server whether a dialog must come first: what to
// clarify for a waiting-kind status, the lost reason for a lost-kind one
// (crm.lead's action_client_status_change).

/**
 * Open the dialog the server asks for, if any, and wait until it is closed
 * (confirmed or discarded: either way the dialog wrote what it had to).
 *
 * @param {Object} orm the orm service
 * @param {Object} action the action service
 * @param {number[]} resIds the leads
 * @param {number} statusId the status they are about to get
 * @returns {Promise<boolean>} whether a dialog took the change over
 */
export async function askClientStatusChange(orm, action, resIds, statusId) {
    const dialog = await orm.call("crm.lead", "action_client_status_change", [
        resIds,
        statusId,
    ]);
    if (!dialog) {
        return false;
    }
    await new Promise((resolve) => {
        action.doAction(dialog, {onClose: resolve}).catch(resolve);
    });
    return true;
}
