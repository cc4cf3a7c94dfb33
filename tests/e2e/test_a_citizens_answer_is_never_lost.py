"""A citizen's answer on WhatsApp is recorded even when an officer's change to the same
complaint is saved at the same moment: the answer is decided again on the complaint as it
then is, and the citizen is thanked, not told that the reply matched nothing."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from domain.events import CommentAdded, FeedbackGiven
from tests.e2e.ways_in import awaiting_reply, text_reply, webhook
from tests.support import JAIPUR_WATER_OFFICER

Client = TestClient[Any]
__all__ = ["awaiting_reply"]  # a fixture


def test_an_answer_racing_an_officers_comment_is_recorded_and_thanked(
    client: Client, services: Services, awaiting_reply: tuple[UUID, str, str]
) -> None:
    complaint, mobile, report = awaiting_reply
    clock = services.app.clock
    raced = threading.Event()

    def a_comment_lands_meanwhile() -> datetime:
        """While the answer is being decided (the app reads its clock), the officer's
        comment is saved: the answer's save then finds the complaint moved on."""
        if not raced.is_set() and threading.current_thread().name != "officer":
            raced.set()
            officer = threading.Thread(
                name="officer",
                target=lambda: services.app.comment(
                    complaint, by=JAIPUR_WATER_OFFICER, text="Called the complainant"
                ),
            )
            officer.start()
            officer.join(timeout=10)
        return clock()

    services.app.clock = a_comment_lands_meanwhile
    try:
        answer = webhook(client, services, text_reply(mobile, "wamid.answer.1", report, "yes 5"))
    finally:
        services.app.clock = clock
    assert raced.is_set()
    assert answer.status_code == 200 and answer.json()["recorded"] == 1
    kinds = [type(e) for e in services.app.timeline(complaint)]
    assert kinds.count(CommentAdded) == 1 and kinds.count(FeedbackGiven) == 1
    with services.pool.connection() as conn:
        sent = conn.execute(
            "SELECT template FROM notify.messages WHERE key = %s", ("reply:wamid.answer.1",)
        ).fetchone()
    assert sent == ("sampark_thanks",)
