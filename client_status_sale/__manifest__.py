# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Client Status - Sales",
    "summary": "Client statuses with sales: blacklist on quotations, order metrics",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "client_status authors",
    "website": "https://github.com/client-status/client_status",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["client_status", "sale"],
    "data": [
        "views/sale_order_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
