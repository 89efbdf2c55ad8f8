# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of the README, taken in headless Chromium on the demo data:
``make screenshots`` (not part of ``make test``: tagged ``-standard``)."""

import base64
import os
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

SHOTS = [
    (
        "clients_kanban",
        "/odoo/action-client_status.res_partner_action",
        "document.querySelectorAll('.o_kanban_record').length > 5",
    ),
    (
        "clients_kanban_pl",
        "/odoo/action-client_status.res_partner_action",
        "document.querySelectorAll('.o_kanban_record').length > 5",
        "pl_PL",
    ),
    (
        "leads_kanban_clarification",
        "/odoo/action-client_status.crm_lead_action",
        "!!document.querySelector('.o_kanban_record .fa-question-circle')",
    ),
    (
        "history",
        "/odoo/action-client_status.client_status_history_action",
        "document.querySelectorAll('.o_data_row').length > 5",
    ),
    (
        "transitions_matrix",
        "/odoo/action-client_status.client_status_transition_action",
        "!!document.querySelector('.o_pivot table tbody tr')",
    ),
    (
        "dashboard_clients_by_status",
        "/odoo/action-client_status.res_partner_action_analysis",
        "!!document.querySelector('.o_graph_renderer canvas')",
    ),
]
# the languages of the screenshots taken in another language than English
LANGS = ["pl_PL"]


@tagged("-standard", "client_status_screenshots", "post_install", "-at_install")
class ClientStatusScreenshots(HttpCase):
    def test_screenshots(self):
        folder = os.environ.get("CLIENT_STATUS_SCREENSHOTS")
        self.assertTrue(folder, "set CLIENT_STATUS_SCREENSHOTS to a folder")
        os.makedirs(folder, exist_ok=True)
        self.env["res.lang"]._activate_lang(LANGS[0])
        installed = self.env["ir.module.module"].search([("state", "=", "installed")])
        self.env["ir.module.module"]._load_module_terms(installed.mapped("name"), LANGS)
        admin = self.env.ref("base.user_admin")
        for name, url, ready, *lang in SHOTS:
            admin.lang = lang[0] if lang else "en_US"
            self._shoot(folder, name, url, ready)
        # the questionnaire a client answers, in Polish, at a phone's width
        admin.lang = "en_US"
        lead = self.env["crm.lead"].search(
            [
                ("client_status_kind", "=", "waiting"),
                ("clarification_topic", "=", "budget"),
                ("partner_id", "!=", False),
            ],
            limit=1,
        )
        lead.partner_id.lang = LANGS[0]
        lead.clarification_question = "Jaki budżet planujecie na pierwszy rok?"
        self._shoot(
            folder,
            "questionnaire_pl",
            lead._client_status_questionnaire_url(),
            "!!document.querySelector('form button[type=submit]')",
            login=None,
            width=390,
        )

    def _shoot(self, folder, name, url, ready, login="admin", width=None):
        """Open ``url`` as ``login`` and save the screen as ``name``.png once
        ``ready`` is true (``width``: the screen's width in pixels, a
        phone's)."""
        wait = ChromeBrowser._wait_code_ok

        def capture(browser, code, timeout, error_checker=None):
            wait(browser, code, timeout, error_checker=error_checker)
            if width:
                browser._websocket_request(
                    "Emulation.setDeviceMetricsOverride",
                    params={
                        "width": width,
                        "height": 844,
                        "deviceScaleFactor": 1,
                        "mobile": True,
                    },
                )
            # let the charts finish their animation (the page its new width)
            browser._websocket_request(
                "Runtime.evaluate",
                params={
                    "expression": "new Promise(r => setTimeout(r, 1000))",
                    "awaitPromise": True,
                },
            )
            shot = browser._websocket_request("Page.captureScreenshot")
            with open(os.path.join(folder, f"{name}.png"), "wb") as image:
                image.write(base64.b64decode(shot["data"]))
            if width:
                browser._websocket_request("Emulation.clearDeviceMetricsOverride")

        with patch.object(ChromeBrowser, "_wait_code_ok", capture):
            self.browser_js(
                url, "console.log('test successful')", ready=ready, login=login
            )
