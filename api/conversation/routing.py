"""Which of a citizen's WhatsApp messages is feedback on an Action Taken Report and which is
the conversation (docs/whatsapp.md).

Feedback, as before the conversation: a reply that answers an officer's waiting question
(the clock that waits, `projections/notify/answers.py`: the reply path records it); a tap on
the report's quick-reply buttons (even from a number we cannot match: it is answered
politely); a message that replies to one of our messages of a complaint (WhatsApp's
`context`) and reads as an answer; words that read as an answer ("4", "संतुष्ट") from a
number with a report awaiting its word, while no conversation is under way. Everything else
is the conversation.
"""

from __future__ import annotations

from datetime import datetime

from psycopg_pool import ConnectionPool

from domain.application import Sampark
from projections.notify import answers
from projections.notify.conversations import IDLE, Conversations
from projections.notify.inbound import InboundMessage
from projections.notify.outbox import Outbox
from projections.notify.replies import BUTTONS, Reply, complaint_for


def is_feedback(pool: ConnectionPool, message: InboundMessage, reply: Reply, now: datetime) -> bool:
    if message.type == "button":
        return True  # a template's quick reply: only the report has them
    if message.interactive is not None:
        chosen = message.interactive.button_reply or message.interactive.list_reply
        return chosen is not None and chosen.id in BUTTONS
    if reply.satisfied is None:
        return False
    with pool.connection() as conn:
        outbox = Outbox(conn)
        if reply.answers is not None and outbox.answered(reply.answers) is not None:
            return True
        state = Conversations(conn).peek(reply.mobile)
        talking = state is not None and state.step != IDLE and not state.timed_out(now)
        return not talking and bool(outbox.awaiting_feedback_from(reply.mobile))


def answers_a_question(app: Sampark, pool: ConnectionPool, reply: Reply) -> bool:
    """Whether the reply is the complainant's answer to an officer's waiting question: the
    clock that waits stops for it, so it goes before the conversation."""
    return answers.question_answered(app, pool, reply, complaint_for(pool, reply)) is not None
