# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Client Status",
    "summary": "Statuses for contacts and leads: catalogue, history, kanban by status",
    "version": "18.0.1.3.0",
    "category": "Sales/CRM",
    "author": "client_status authors",
    "website": "https://github.com/client-status/client_status",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["crm", "base_automation"],
    "data": [
        "security/client_status_security.xml",
        "security/ir.model.access.csv",
        "data/client_status_data.xml",
        "data/client_status_rule_data.xml",
        "data/ir_cron_data.xml",
        "data/base_automation_data.xml",
        "views/client_status_views.xml",
        "views/client_status_history_views.xml",
        "views/client_status_transition_views.xml",
        "views/client_status_rule_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/base_automation_views.xml",
        "wizards/client_status_archive_views.xml",
        "wizards/client_status_reclassify_preview_views.xml",
        "wizards/client_status_preset_views.xml",
        "wizards/client_status_clarify_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "client_status/static/src/**/*",
        ],
        "web.assets_tests": [
            "client_status/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
