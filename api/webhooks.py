"""`/v1/webhooks/whatsapp`: the citizen's answers on WhatsApp become `FeedbackGiven`.

GET answers the provider's verification handshake. POST must carry `X-Hub-Signature-256`, the
HMAC-SHA256 of the body with the app secret; anything unsigned or wrongly signed is refused.
Each reply is tied to its complaint through the message it answers (`context.id`, our
outbox's provider message id), else through the last report sent to that number, and
recorded once per WhatsApp message id, however often the provider delivers it. A reply that
ties to nothing, or that cannot be recorded, gets a polite answer on WhatsApp, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, RawBody

from api.problems import Problem
from api.services import Services
from domain.errors import DomainError
from domain.values import Identity, Language, Role
from infra.receipts import Receipt
from infra.signing import check_hub_signature
from projections.messages import NOT_SATISFIED, SATISFIED, Message, render
from projections.outbox import Outbox

Injected = NamedDependency[Services]
log = logging.getLogger(__name__)

YES = {"satisfied", "yes", "haan", "ha", "han", "संतुष्ट", "हाँ", "हां", "जी", "ok", "👍"}
NO = {"not satisfied", "no", "nahi", "nahin", "असंतुष्ट", "नहीं", "नही", "👎"}
DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


@dataclass(frozen=True)
class Reply:
    """A citizen's answer, as far as it can be read."""

    message_id: str
    mobile: str  # 10 digits
    answers: str | None  # the provider id of our message it replies to
    satisfied: bool | None
    rating: int | None
    comment: str | None


def read_answer(text: str) -> tuple[bool | None, int | None, str | None]:
    """Satisfied or not, a rating 1-5 and a comment, from free text in Hindi or English.

    "4", "संतुष्ट", "no, still no water", "नहीं 2 पानी नहीं आया". A rating alone decides
    (3 and above is satisfied); words decide over it.
    """
    plain = text.strip().translate(DEVANAGARI_DIGITS)
    lowered = plain.lower()
    satisfied: bool | None = None
    for words, meaning in ((NO, False), (YES, True)):  # "not satisfied" before "satisfied"
        if any(re.search(rf"(^|\W){re.escape(w)}($|\W)", lowered) for w in words):
            satisfied = meaning
            break
    digits = re.findall(r"(?<!\d)[1-5](?!\d)", plain)
    rating = int(digits[0]) if digits else None
    if satisfied is None and rating is not None:
        satisfied = rating >= 3
    rest = re.sub(r"(?<!\d)[1-5](?!\d)", "", plain, count=1).strip(" ,.-")
    words = YES | NO
    comment = rest if rest and rest.lower() not in words else None
    return satisfied, rating, comment


def replies(payload: Any) -> list[Reply]:
    found = []
    for entry in payload.get("entry", []) if isinstance(payload, dict) else []:
        for change in entry.get("changes", []):
            for message in change.get("value", {}).get("messages", []) or []:
                kind = message.get("type")
                satisfied: bool | None
                rating: int | None
                comment: str | None
                if kind == "button":
                    payload_text = message.get("button", {}).get("payload", "")
                    satisfied = {SATISFIED: True, NOT_SATISFIED: False}.get(payload_text)
                    rating, comment = None, None
                elif kind == "interactive":
                    chosen = message.get("interactive", {}).get("button_reply", {})
                    satisfied = {SATISFIED: True, NOT_SATISFIED: False}.get(chosen.get("id"))
                    rating, comment = None, None
                elif kind == "text":
                    satisfied, rating, comment = read_answer(
                        message.get("text", {}).get("body", "")
                    )
                else:
                    satisfied, rating, comment = None, None, None
                found.append(
                    Reply(
                        message_id=str(message.get("id", "")),
                        mobile=str(message.get("from", ""))[-10:],
                        answers=message.get("context", {}).get("id"),
                        satisfied=satisfied,
                        rating=rating,
                        comment=comment,
                    )
                )
    return found


class WhatsAppWebhook(Controller):
    path = "/v1/webhooks/whatsapp"
    tags = ["citizens"]

    @get("/", sync_to_thread=False, summary="The provider's verification handshake")
    def verify(
        self,
        services: Injected,
        mode: Annotated[str | None, QueryParameter(name="hub.mode")] = None,
        token: Annotated[str | None, QueryParameter(name="hub.verify_token")] = None,
        challenge: Annotated[str | None, QueryParameter(name="hub.challenge")] = None,
    ) -> Response[str]:
        expected = services.settings.whatsapp_verify_token
        if mode != "subscribe" or not expected or token != expected or challenge is None:
            raise Problem(403, "verification failed", field="hub.verify_token")
        return Response(challenge, media_type="text/plain")

    @post("/", sync_to_thread=True, status_code=200, summary="Replies from citizens")
    def receive(
        self, request: Request[Any, Any, Any], services: Injected, body: RawBody
    ) -> dict[str, int]:
        signature = request.headers.get("X-Hub-Signature-256")
        if signature is None:
            raise Problem(401, "the request is not signed", field="X-Hub-Signature-256")
        if not check_hub_signature(services.settings.whatsapp_app_secret, body, signature):
            raise Problem(403, "the signature does not match", field="X-Hub-Signature-256")
        try:
            payload = json.loads(body)
        except ValueError:
            raise Problem(400, "the body is not JSON") from None
        recorded = 0
        for reply in replies(payload):
            if reply.message_id and len(reply.mobile) == 10:
                recorded += self._take(services, reply)
        return {"recorded": recorded}

    def _take(self, services: Services, reply: Reply) -> int:
        receipt = Receipt(
            principal="whatsapp",
            key=reply.message_id,
            request_hash=hashlib.sha256(reply.message_id.encode()).hexdigest(),
        )
        if services.receipts.find(receipt.principal, receipt.key) is not None:
            return 0  # delivered before: recorded then
        complaint = self._complaint_for(services, reply)
        recorded = False
        reg = ""
        language: str = Language.HINDI
        if complaint is not None and reply.satisfied is not None:
            try:
                found = services.app.complaint(complaint)
                reg, language = found.registration_no, found.complainant.language
                services.app.give_feedback(
                    complaint,
                    by=Identity(
                        id=f"citizen-{reply.mobile}", role=Role.CITIZEN, mobile=reply.mobile
                    ),
                    satisfied=reply.satisfied,
                    rating=reply.rating,  # a button gives none
                    comment=reply.comment,
                    receipt=receipt,
                )
                recorded = True
            except DomainError as refused:
                if services.receipts.find(receipt.principal, receipt.key) is not None:
                    return 0  # the same reply, delivered twice at once: the other copy won
                log.info("WhatsApp reply %s not recorded: %s", reply.message_id, refused)
        template, params = ("sampark_thanks", [reg]) if recorded else ("sampark_unmatched", [])
        with services.pool.connection() as conn, conn.transaction():
            Outbox(conn).add(
                [
                    Message(
                        key=f"reply:{reply.message_id}",
                        complaint_id=complaint if recorded else None,
                        audience="complainant",
                        mobile=reply.mobile,
                        language=language,
                        template=template,
                        params=params,
                        text=render(template, language, params),
                    )
                ],
                services.app.clock(),
            )
        return int(recorded)

    @staticmethod
    def _complaint_for(services: Services, reply: Reply) -> UUID | None:
        with services.pool.connection() as conn:
            outbox = Outbox(conn)
            if reply.answers:
                return outbox.answered(reply.answers)
            waiting = outbox.awaiting_feedback_from(reply.mobile)
        return waiting[0] if waiting else None
