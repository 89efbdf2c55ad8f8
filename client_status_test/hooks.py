# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Delete the test records (their history rows go with them, and out of
    the summaries) before Odoo deletes the statuses of the test scope with
    its selection value: the records and the history hold those statuses
    (ON DELETE RESTRICT), and each deletion would fail with an ERROR,
    leaving the statuses behind. An addon that adds a scope does the same."""
    env["client.status.test.record"].search([]).unlink()
