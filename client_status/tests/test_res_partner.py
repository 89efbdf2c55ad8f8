# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ClientStatusCommon


@tagged("post_install", "-at_install", "client_status_res_partner")
class TestResPartnerClientStatus(ClientStatusCommon):
    def test_company_status_shown_on_contacts(self):
        self.assertEqual(self.client_contact.client_status_id, self.status_prospect)
        self.client.client_status_id = self.status_regular
        self.assertEqual(self.client_contact.client_status_id, self.status_regular)
        row = self._history(self.client_contact)[-1]
        self.assertEqual(row.status_to_id, self.status_regular)
        self.assertEqual(
            row.reason, "Status of the commercial entity Test Client Company"
        )

    def test_new_contact_takes_company_status_with_one_row(self):
        self.client.client_status_id = self.status_new
        contact = self.env["res.partner"].create(
            {"name": "New Colleague", "parent_id": self.client.id}
        )
        self.assertEqual(contact.client_status_id, self.status_new)
        history = self._history(contact)
        self.assertEqual(len(history), 1)
        self.assertEqual(history.status_to_id, self.status_new)

    def test_contact_moving_to_another_company(self):
        other = self.env["res.partner"].create(
            {
                "name": "Other Company",
                "is_company": True,
                "client_status_id": self.status_blacklist.id,
            }
        )
        self.client_contact.parent_id = other
        self.assertEqual(self.client_contact.client_status_id, self.status_blacklist)
        self.assertEqual(
            self._history(self.client_contact)[-1].status_to_id, self.status_blacklist
        )

    def test_contact_status_set_on_company_only(self):
        with self.assertRaisesRegex(UserError, "Test Client Company"):
            self.client_contact.client_status_id = self.status_new
        with self.assertRaises(UserError):
            self.client_contact.write(
                {"is_company": False, "client_status_id": self.status_new.id}
            )
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        with self.assertRaises(UserError):
            self.client_contact.write(
                {"parent_id": other.id, "client_status_id": self.status_new.id}
            )
        self.assertEqual(self.client_contact.client_status_id, self.status_prospect)
        self.assertEqual(len(self._history(self.client_contact)), 1)

    def test_company_and_contacts_in_one_write(self):
        (self.client | self.client_contact).write(
            {"client_status_id": self.status_new.id}
        )
        self.assertEqual(self.client_contact.client_status_id, self.status_new)
        self.assertEqual(len(self._history(self.client_contact)), 2)

    def test_new_contact_ignores_another_status(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Eager",
                "parent_id": self.client.id,
                "client_status_id": self.status_new.id,
            }
        )
        self.assertEqual(contact.client_status_id, self.status_prospect)
        self.assertEqual(len(self._history(contact)), 1)

    def test_contact_form_status_is_read_only(self):
        with Form(self.client_contact) as form:
            self.assertEqual(form._get_modifier("client_status_id", "readonly"), True)
        with Form(self.client) as form:
            self.assertEqual(form._get_modifier("client_status_id", "readonly"), False)
            form.client_status_id = self.status_new
        self.assertEqual(self.client_contact.client_status_id, self.status_new)

    def test_lead_shows_customer_status(self):
        self.client.client_status_id = self.status_regular
        self.assertEqual(self.lead.partner_client_status_id, self.status_regular)
        lead = self.env["crm.lead"].create(
            {"name": "Via Contact", "partner_id": self.client_contact.id}
        )
        self.assertEqual(lead.partner_client_status_id, self.status_regular)

    def test_status_not_copied(self):
        self.individual.client_status_id = self.status_regular
        self.assertEqual(self.individual.copy().client_status_id, self.status_prospect)
        self.lead.client_status_id = self.status_lead_won
        self.assertEqual(self.lead.copy().client_status_id, self.status_lead_open)
