"""A citizen's replies on WhatsApp: read from the provider's webhook body, and taken as the
complainant's feedback (`FeedbackGiven`), with a thank-you message.

Each reply is tied to its complaint through the message it answers (`context.id`, our
outbox's provider message id), else through the last report sent to that number, and
recorded once per WhatsApp message id, however often the provider delivers it. A reply that
ties to nothing, or that cannot be recorded, gets a polite answer on WhatsApp, never an error.
The webhook (`api/webhooks.py`) checks the signature before anything here reads the body.
Every line logged while taking a reply names the complaint it ties to (`infra.logs.about`).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain import access, inputs
from domain.application import Sampark
from domain.errors import DomainError, InvalidCommand, VersionConflict
from domain.values import Language
from infra.eventstore.receipts import Receipt, ReceiptBook
from infra.logs import about
from projections.notify import answers
from projections.notify.inbound import InboundMessage, received
from projections.notify.messages import NOT_SATISFIED, SATISFIED, Message, render
from projections.notify.outbox import Outbox

log = logging.getLogger(__name__)
# A citizen's answer is not lost to a change saved at the same moment (an officer's comment):
# it is decided again on the complaint as it then is, this many times at most.
ANSWER_ATTEMPTS = 3

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
    text: str | None = None  # a text message's words, as an answer to an officer's question


# --- what a message says ---------------------------------------------------------------------

# The quick-reply buttons of the Action Taken Report: the one place a button means an answer.
BUTTONS = {SATISFIED: True, NOT_SATISFIED: False}


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


def answer_of(message: InboundMessage) -> tuple[bool | None, int | None, str | None]:
    """What a message answers: a button, a list choice or free text; nothing otherwise."""
    if message.type == "button" and message.button is not None:
        return BUTTONS.get(message.button.payload or ""), None, None
    if message.type == "interactive" and message.interactive is not None:
        chosen = message.interactive.button_reply or message.interactive.list_reply
        return BUTTONS.get(chosen.id or "") if chosen else None, None, None
    if message.type == "text" and message.text is not None and message.text.body is not None:
        satisfied, rating, comment = read_answer(
            inputs.WHATSAPP_TEXT.clean(message.text.body, "text.body")
        )
        return satisfied, rating, inputs.COMMENT.clean(comment, "comment") if comment else None
    return None, None, None


def reply_of(message: InboundMessage) -> Reply | None:
    """One message as a reply, by the rules every way in applies; None if not understood."""
    try:
        satisfied, rating, comment = answer_of(message)
        body = message.text.body if message.text is not None else None
        words = inputs.WHATSAPP_TEXT.clean(body, "text.body").strip() if body else ""
        return Reply(
            message_id=inputs.IDENTIFIER.clean(message.id, "id"),
            mobile=inputs.whatsapp_mobile(message.sender),
            answers=(
                inputs.IDENTIFIER.clean(message.context.id, "context.id")
                if message.context is not None and message.context.id is not None
                else None
            ),
            satisfied=satisfied,
            rating=rating,
            comment=comment,
            text=words if message.type == "text" and words else None,
        )
    except InvalidCommand as ignored:
        log.info("a WhatsApp message was ignored: %s", ignored)
        return None


def replies(body: bytes) -> list[Reply]:
    """The replies in a webhook's body: each entry, change and message read on its own."""
    found = (reply_of(r.message) for r in received(body))
    return [reply for reply in found if reply is not None]


# --- taking a reply ------------------------------------------------------------------------


def take(app: Sampark, pool: ConnectionPool, receipts: ReceiptBook, reply: Reply) -> int:
    """Record a reply as the complainant's feedback, once per WhatsApp message id, and
    answer it on WhatsApp (thanks, or a polite word when it ties to no complaint); 1 if it
    was recorded."""
    receipt = Receipt(
        principal="whatsapp",
        key=reply.message_id,
        request_hash=hashlib.sha256(reply.message_id.encode()).hexdigest(),
    )
    if receipts.find(receipt.principal, receipt.key) is not None:
        return 0  # delivered before: recorded then
    complaint = complaint_for(pool, reply)
    with about(complaint):  # every line of it names the complaint it ties to
        return _take_for(app, pool, receipts, reply, receipt, complaint)


def _take_for(
    app: Sampark,
    pool: ConnectionPool,
    receipts: ReceiptBook,
    reply: Reply,
    receipt: Receipt,
    complaint: UUID | None,
) -> int:
    """`take`, for a reply tied to `complaint` (or to none)."""
    asked = answers.question_answered(app, pool, reply, complaint)
    if asked is not None:
        with about(asked):  # the complaint whose question it answers
            return answers.take_answer(app, pool, receipts, reply, receipt, asked)
    recorded = False
    reg = ""
    language: str = Language.HINDI
    answerable = complaint is not None and reply.satisfied is not None
    for _ in range(ANSWER_ATTEMPTS if answerable else 0):
        assert complaint is not None and reply.satisfied is not None
        try:
            found = app.complaint(complaint)
            reg, language = found.registration_no, found.complainant.language
            app.give_feedback(
                complaint,
                by=access.citizen(reply.mobile),
                satisfied=reply.satisfied,
                rating=reply.rating,  # a button gives none
                comment=reply.comment,
                recorded_with={"receipt": receipt},
            )
            recorded = True
        except DomainError as refused:
            if receipts.find(receipt.principal, receipt.key) is not None:
                return 0  # the same reply, delivered twice at once: the other copy won
            if isinstance(refused, VersionConflict):
                continue  # another change was saved first: the answer is decided again
            log.info("WhatsApp reply %s not recorded: %s", reply.message_id, refused)
        break
    template, params = ("sampark_thanks", [reg]) if recorded else ("sampark_unmatched", [])
    with pool.connection() as conn, conn.transaction():
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
            app.clock(),
        )
    return int(recorded)


def complaint_for(pool: ConnectionPool, reply: Reply) -> UUID | None:
    """The complaint a reply answers: the one of the message it replies to, else the last
    report sent to its number."""
    with pool.connection() as conn:
        outbox = Outbox(conn)
        if reply.answers:
            return outbox.answered(reply.answers)
        waiting = outbox.awaiting_feedback_from(reply.mobile)
    return waiting[0] if waiting else None
