"""The conversation's answers go out as free-form messages while the citizen's 24-hour window
is open, and as the approved `sampark_chat` template after it, as the Cloud API requires
(no I/O: the provider is a recording fake)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from api.conversation import texts
from projections.notify.delivery import SENT, Sender
from projections.notify.outbox import Queued
from tests.support import START, TurnableClock


class Provider:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def send(
        self, mobile: str, template: str, language: str, params: list[str], buttons: bool
    ) -> str | None:
        self.sent.append(("template", (template, params)))
        return "wamid.t"

    def send_session(self, mobile: str, message: dict[str, Any]) -> str | None:
        self.sent.append(("session", message))
        return "wamid.s"


def answer(until_minutes: float) -> Queued:
    menu = texts.buttons("भाषा चुनें", [("lang:hi", "हिंदी"), ("lang:en", "English")])
    return Queued(
        id=1,
        mobile="9876543210",
        language="hi",
        template="sampark_chat",
        params=[texts.plain(menu)],
        text="राजस्थान सम्पर्क: ...",
        buttons=False,
        channel="whatsapp",
        attempts=0,
        attempt=uuid4(),
        session=menu,
        session_until=START + timedelta(minutes=until_minutes),
    )


def test_within_the_window_the_answer_itself_after_it_the_template() -> None:
    clock = TurnableClock()
    provider = Provider()
    sender = Sender("postgresql://unused", whatsapp=provider, sms=None, clock=clock)
    assert sender._attempt(answer(until_minutes=5)).outcome == SENT
    clock.advance(minutes=10)
    assert sender._attempt(answer(until_minutes=5)).outcome == SENT
    (first, kind_one), (second, kind_two) = provider.sent
    assert first == "session" and kind_one["interactive"]["action"]["buttons"][0]["reply"] == {
        "id": "lang:hi",
        "title": "हिंदी",
    }
    assert second == "template" and kind_two[0] == "sampark_chat"
    assert kind_two[1] == ["भाषा चुनें\n1. हिंदी\n2. English"]  # the choices, numbered
