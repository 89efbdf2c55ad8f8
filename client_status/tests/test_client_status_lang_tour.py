# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_client_status_tour import check_tour_tools

LANGS = ("pl_PL", "uk_UA", "ru_RU")


@tagged("post_install", "-at_install", "client_status_i18n")
class TestClientStatusLangTour(HttpCase):
    """A salesperson reading Polish, Ukrainian or Russian sees the board's
    columns and the status bars of the contact and the lead in that
    language, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()
        for lang in LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["client_status"], list(LANGS), overwrite=True
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Tour Lang Client",
                "is_company": True,
                "client_status_id": cls.env.ref(
                    "client_status.client_status_partner_regular"
                ).id,
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tour Lang Lead",
                "type": "lead",
                "client_status_id": cls.env.ref(
                    "client_status.client_status_lead_new"
                ).id,
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cs_lang_salesman",
            groups="sales_team.group_sale_salesman_all_leads,crm.group_use_lead",
        )

    def test_board_and_status_bars_translated(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.salesman.lang = lang
                self.start_tour(
                    "/odoo/action-client_status.res_partner_action",
                    f"client_status_board_{lang}",
                    login="cs_lang_salesman",
                )
                self.start_tour(
                    f"/odoo/action-crm.crm_lead_all_leads/{self.lead.id}",
                    f"client_status_lead_{lang}",
                    login="cs_lang_salesman",
                )
