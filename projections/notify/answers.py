"""A citizen's WhatsApp reply as the answer to an officer's question (the clock that waits,
`domain/clarification.py`): the reply's words are recorded as `ClarificationAnswered`, once
per WhatsApp message id, and the citizen is thanked.

A reply answers a question when the complaint it ties to waits for its complainant: the
complaint of the message it replies to (`context.id`), else the newest complaint whose
question went to that number and still waits. Anything else is left to the feedback path.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain import access
from domain.application import Sampark
from domain.errors import DomainError, VersionConflict
from infra.eventstore.receipts import Receipt, ReceiptBook
from projections.notify.messages import Message, render
from projections.notify.outbox import Outbox

if TYPE_CHECKING:
    from projections.notify.replies import Reply

log = logging.getLogger(__name__)
ATTEMPTS = 3


def question_answered(
    app: Sampark, pool: ConnectionPool, reply: Reply, tied_to: UUID | None
) -> UUID | None:
    """The complaint whose waiting question this reply answers, if any."""
    if reply.text is None:
        return None
    if reply.answers:
        candidates = [tied_to] if tied_to is not None else []
    else:
        with pool.connection() as conn:
            candidates = Outbox(conn).asked_of(reply.mobile)
    for complaint in candidates:
        try:
            found = app.complaint(complaint)
        except DomainError:
            continue
        if found.is_waiting and found.complainant.mobile == reply.mobile:
            return complaint
    return None


def take_answer(
    app: Sampark,
    pool: ConnectionPool,
    receipts: ReceiptBook,
    reply: Reply,
    receipt: Receipt,
    complaint: UUID,
) -> int:
    """Record the reply's words as the answer (1), or leave it (0: another copy won, or the
    complaint stopped waiting meanwhile); thank the citizen when recorded."""
    assert reply.text is not None
    for _ in range(ATTEMPTS):
        try:
            found = app.answer_clarification(
                complaint,
                by=access.citizen(reply.mobile),
                answer=reply.text,
                recorded_with={"receipt": receipt},
            )
        except VersionConflict:
            if receipts.find(receipt.principal, receipt.key) is not None:
                return 0
            continue
        except DomainError as refused:
            if receipts.find(receipt.principal, receipt.key) is not None:
                return 0
            log.info("WhatsApp answer %s not recorded: %s", reply.message_id, refused)
            return 0
        language = found.complainant.language
        params = [found.registration_no]
        with pool.connection() as conn, conn.transaction():
            Outbox(conn).add(
                [
                    Message(
                        key=f"reply:{reply.message_id}",
                        complaint_id=complaint,
                        audience="complainant",
                        mobile=reply.mobile,
                        language=language,
                        template="sampark_answer_thanks",
                        params=params,
                        text=render("sampark_answer_thanks", language, params),
                    )
                ],
                app.clock(),
            )
        return 1
    return 0
