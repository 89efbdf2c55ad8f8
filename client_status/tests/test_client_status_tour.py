# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import shutil

from odoo.tests import HttpCase, new_test_user, tagged


def check_tour_tools():
    """Fail (not skip) without a browser or websocket-client: Odoo skips
    tours silently without them."""
    try:
        import websocket  # noqa: F401  pylint: disable=unused-import
    except ImportError as error:
        raise AssertionError("websocket-client is needed to run tours") from error
    if not any(
        shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
    ):
        raise AssertionError("Chromium is needed to run tours")


def create_tour_lead_statuses(env, statuses):
    """The lead statuses of a tour, in order, the first the default: the
    others pushed to the end and folded (the tours find their columns and
    buttons by name). ``statuses``: ``(name, code, kind)`` triples."""
    Status = env["client.status"]
    Status.with_context(active_test=False).search([("scope", "=", "lead")]).write(
        {"sequence": 9999, "fold": True, "is_default": False}
    )
    return Status.create(
        [
            {
                "name": name,
                "code": code,
                "scope": "lead",
                "kind": kind,
                "sequence": sequence,
                "is_default": sequence == 1,
            }
            for sequence, (name, code, kind) in enumerate(statuses, start=1)
        ]
    )


@tagged("post_install", "-at_install", "client_status_tour")
class TestClientStatusTour(HttpCase):
    """Drag a client to another column of "Clients by status", in headless
    Chromium, and find the change in its history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_tour_tools()

        Status = cls.env["client.status"]
        Status.with_context(active_test=False).search(
            [("scope", "=", "partner")]
        ).write({"sequence": 9999, "fold": True})
        cls.status_from = Status.create(
            {
                "name": "Tour Interested",
                "code": "tour_from",
                "scope": "partner",
                "sequence": 1,
            }
        )
        cls.status_to = Status.create(
            {
                "name": "Tour Signed",
                "code": "tour_to",
                "scope": "partner",
                "kind": "customer",
                "sequence": 2,
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Tour Client",
                "is_company": True,
                "client_status_id": cls.status_from.id,
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cs_tour_salesman",
            groups="sales_team.group_sale_salesman,crm.group_use_lead",
        )

    def test_dashboard(self):
        self.client.client_status_id = self.status_to
        self.start_tour(
            "/odoo/action-client_status.client_status_transition_action",
            "client_status_dashboard",
            login="cs_tour_salesman",
        )

    def test_drag_client_to_another_status(self):
        self.start_tour(
            "/odoo/action-client_status.res_partner_action",
            "client_status_drag_client",
            login="cs_tour_salesman",
        )
        self.assertEqual(self.client.client_status_id, self.status_to)
        history = self.env["client.status.history"].search(
            [("partner_id", "=", self.client.id)], order="id"
        )
        self.assertEqual(history[-1].status_from_id, self.status_from)
        self.assertEqual(history[-1].status_to_id, self.status_to)
        self.assertEqual(history[-1].user_id.login, "cs_tour_salesman")

    def test_clarification_answered_by_the_client(self):
        progress, waiting = create_tour_lead_statuses(
            self.env,
            [
                ("Tour In Progress", "tour_progress", "open"),
                ("Tour Clarification", "tour_waiting", "waiting"),
            ],
        )
        waiting.reply_status_id = progress
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "customer@tour.example"}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour Lead",
                "type": "lead",
                "partner_id": customer.id,
                "user_id": self.salesman.id,
            }
        )
        self.start_tour(
            "/odoo/action-client_status.crm_lead_action",
            "client_status_clarification_ask",
            login="cs_tour_salesman",
        )
        self.assertEqual(lead.client_status_id, waiting)
        self.assertEqual(lead.clarification_topic, "budget")
        # the client answers by email
        lead.with_context(mail_notify_force_send=False).message_post(
            body="About 20,000 EUR.",
            author_id=customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(lead.client_status_id, progress)
        self.start_tour(
            f"/odoo/action-client_status.crm_lead_action/{lead.id}",
            "client_status_clarification_answered",
            login="cs_tour_salesman",
        )

    def test_automation_form_offers_status_trigger(self):
        automation = self.env.ref("client_status.base_automation_lead_won")
        self.start_tour(
            f"/odoo/action-base_automation.base_automation_act/{automation.id}",
            "client_status_automation_trigger",
            login="admin",
        )
