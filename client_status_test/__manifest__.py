# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Client Status Tests",
    "summary": "Tests only: the client status engine on a model of its own",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "client_status authors",
    "website": "https://github.com/client-status/client_status",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["client_status"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "auto_install": False,
}
