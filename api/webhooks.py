"""`/v1/webhooks/whatsapp`: citizens' messages on WhatsApp: answers to an Action Taken Report
become `FeedbackGiven`, everything else is the conversation (docs/whatsapp.md).

GET answers the provider's verification handshake. POST must carry `X-Hub-Signature-256`, the
HMAC-SHA256 of the body with the app secret; anything unsigned or wrongly signed is refused.
A signed body is read message by message (`projections/notify/inbound.py`); each is either
feedback (`projections/notify/replies.py`, by `api/conversation/routing.py`) or a turn of the
conversation (`api/conversation/talk.py`).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, RawBody

from api.conversation.routing import answers_a_question, is_feedback
from api.conversation.talk import Talk
from api.limits import OWN_JSON_CHECK
from api.problems import Problem
from api.services import Services
from infra.security.json_depth import MAX_JSON_DEPTH, too_deep
from infra.security.signing import check_hub_signature
from projections.notify.inbound import received
from projections.notify.replies import reply_of, take

Injected = NamedDependency[Services]
log = logging.getLogger(__name__)


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

    @post(
        "/",
        sync_to_thread=True,
        status_code=200,
        summary="Citizens' messages: feedback on a report, or the conversation (docs/whatsapp.md)",
        opt={OWN_JSON_CHECK: True},  # the signature first, then the depth: see receive
    )
    def receive(
        self, request: Request[Any, Any, Any], services: Injected, body: RawBody
    ) -> dict[str, int]:
        signature = request.headers.get("X-Hub-Signature-256")
        if signature is None:
            raise Problem(401, "the request is not signed", field="X-Hub-Signature-256")
        if not check_hub_signature(services.settings.whatsapp_app_secret, body, signature):
            raise Problem(403, "the signature does not match", field="X-Hub-Signature-256")
        # Signed, so the provider's: whatever it holds is answered 200 (the provider would
        # only send it again), and what is not understood is logged and recorded nowhere.
        if too_deep(body):
            log.warning("a signed WhatsApp body nests over %d levels: ignored", MAX_JSON_DEPTH)
            return {"recorded": 0}
        try:
            found = received(body)
        except msgspec.DecodeError as broken:
            log.warning("a signed WhatsApp body is not JSON (%s): ignored", broken)
            return {"recorded": 0}
        # `recorded` counts feedback recorded; the conversation's turns answer on WhatsApp.
        recorded = 0
        talk = Talk(services)
        for got in found:
            reply = reply_of(got.message)
            if reply is not None and (
                answers_a_question(services.app, services.pool, reply)
                or is_feedback(services.pool, got.message, reply, services.app.clock())
            ):
                recorded += take(services.app, services.pool, services.receipts, reply)
            else:
                talk.take(got)
        return {"recorded": recorded}
