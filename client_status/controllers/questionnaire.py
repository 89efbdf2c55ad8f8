# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, http
from odoo.http import request
from odoo.tools import consteq

from ..models.client_status_clarification_mixin import QUESTIONNAIRE_ANSWER_SIZE


class ClientStatusQuestionnaire(http.Controller):
    """The page where a client answers the clarification a lead waits for:
    no login, the link's token authorizes that one lead only."""

    @http.route(
        "/client_status/questionnaire/<int:lead_id>",
        type="http",
        auth="public",
        website=False,
        methods=["GET", "POST"],
    )
    def client_status_questionnaire(self, lead_id, access_token=None, **post):
        lead = self._questionnaire_lead(lead_id, access_token)
        if not lead:
            raise request.not_found()
        # the client's language, as the e-mail's: the customer's, else the
        # lead's (a lead with an e-mail address only)
        lang = lead.partner_id.lang or lead.lang_code
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
            lead = lead.with_context(lang=lang)
        values = {
            "lead": lead,
            "access_token": access_token,
            "errors": [],
            "post": {},
            # the page is in the customer's language: no language selector
            # (the frontend layout's, which reads it, on a website route)
            "frontend_languages": {},
        }
        if request.httprequest.method == "POST":
            if not lead._client_status_questionnaire_attempt():
                return request.render(
                    "client_status.questionnaire_page",
                    dict(values, too_many=True),
                    status=429,
                )
            answer, errors = self._questionnaire_read_answer(lead, post)
            if errors:
                values.update(errors=errors, post=post)
            else:
                lead._client_status_questionnaire_answer(**answer)
                return request.render("client_status.questionnaire_thanks", values)
        return request.render(
            "client_status.questionnaire_page",
            dict(values, currencies=self._questionnaire_currencies(lead)),
            status=400 if values["errors"] else 200,
        )

    def _questionnaire_lead(self, lead_id, access_token):
        """The lead of the link, when its token is right and it still
        expects an answer; else None."""
        if not access_token:
            return None
        # sudo: the visitor is anonymous; the token checked below authorizes
        # this one lead only, and nothing else is read from its request
        lead = request.env["crm.lead"].sudo().browse(lead_id).exists()
        if not lead or not lead.clarification_token:
            return None
        if not consteq(lead.clarification_token, str(access_token)):
            return None
        if not lead._client_status_questionnaire_open():
            return None
        return lead

    def _questionnaire_currencies(self, lead):
        return (
            request.env["res.currency"]
            .sudo()  # sudo: the active currencies, for the select only
            .search([("active", "=", True)], order="name")
        )

    def _questionnaire_read_answer(self, lead, post):
        """The answer of the form ``post`` for the topic of ``lead``, as
        ``_client_status_questionnaire_answer`` takes it, and the errors."""
        topic = lead.clarification_topic
        errors = []
        text = (post.get("answer") or "").strip()
        if len(text) > QUESTIONNAIRE_ANSWER_SIZE:
            errors.append(
                _(
                    "The answer is too long: %(size)s characters at most.",
                    size=QUESTIONNAIRE_ANSWER_SIZE,
                )
            )
        answer = {"text": text or None}
        if topic == "budget":
            try:
                amount = float((post.get("amount") or "").replace(",", "."))
            except ValueError:
                amount = None
            if amount is None or amount != amount or amount < 0 or amount > 1e15:
                errors.append(_("Give the amount as a number, zero or more."))
            currency = self._questionnaire_currencies(lead).filtered(
                lambda currency: str(currency.id) == post.get("currency_id")
            )
            if not currency:
                errors.append(_("Choose a currency."))
            answer.update(amount=amount, currency=currency[:1])
        elif topic == "timeline":
            try:
                answer_date = fields.Date.to_date(post.get("date") or None)
            except ValueError:
                answer_date = None
            if not answer_date:
                errors.append(_("Give a valid date."))
            answer["answer_date"] = answer_date
        elif not text:
            errors.append(_("Write your answer."))
        return answer, errors
