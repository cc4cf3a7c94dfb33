"""Who hears what, how a citizen's words are read, and the signed report link (no I/O)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.directory import Directory
from domain.values import Attachment, Channel, Identity, Language, Outcome, Role
from infra.security.signing import BadToken, check_hub_signature, hub_signature, sign, verify
from projections.notify.delivery import Backoff
from projections.notify.messages import COMPLAINANT, HOLDER, Links, Recipient, messages_for
from projections.notify.replies import read_answer
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, OPERATOR, START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
PHOTO = Attachment(sha256="d" * 64, filename="pipe.jpg", media_type="image/jpeg", size=10)
LINKS = Links(report=lambda complaint, at: f"https://sampark.example/atr/{complaint}")


def directory_with_numbers() -> Directory:
    directory = world.directory()
    for post in ("PHED-JAI-L1", "PHED-JAI-L2"):
        found = directory.posts[post]
        directory.posts[post] = type(found)(**{**found.__dict__, "mobile": "9414000001"})
    return directory


def recipient(complaint: UUID, language: str = Language.HINDI) -> Recipient:
    return Recipient(complaint, "JAI-2026-0000001", "9876543210", language)


def test_each_step_tells_the_complainant_and_the_post_that_holds_it() -> None:
    directory = directory_with_numbers()
    complaint = world.file(directory, RAMESH)
    complaint.escalate(by=JAIPUR_COLLECTOR, reason="slow", directory=directory, at=START)
    complaint.resolve(
        by=Identity(id="xen-phed-jaipur", role=Role.OFFICER, post="PHED-JAI-L2"),
        outcome=Outcome.RELIEF,
        action_taken="Pipe replaced",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=START + timedelta(hours=2),
    )
    told = [
        (type(e).__name__, m.audience, m.template, m.buttons)
        for e in complaint.collect_events()
        for m in messages_for(e, recipient(complaint.id), directory, LINKS)
    ]
    assert told == [
        ("Filed", COMPLAINANT, "sampark_filed", False),
        ("Assigned", HOLDER, "sampark_assigned", False),
        ("Escalated", COMPLAINANT, "sampark_escalated", False),
        ("Escalated", HOLDER, "sampark_assigned", False),
        ("Resolved", COMPLAINANT, "sampark_resolved", True),
    ]


def test_a_citizens_own_whatsapp_filing_is_answered_in_its_conversation_not_again() -> None:
    directory = world.directory()
    on_whatsapp = world.file(directory, RAMESH, channel=Channel.WHATSAPP)
    for_them = world.file(directory, OPERATOR, channel=Channel.WHATSAPP)
    (filed, *_), (by_desk, *_) = on_whatsapp.collect_events(), for_them.collect_events()
    assert messages_for(filed, recipient(on_whatsapp.id), directory, LINKS) == []
    (told,) = messages_for(by_desk, recipient(for_them.id), directory, LINKS)
    assert told.template == "sampark_filed"


def test_the_report_link_and_the_language_follow_the_complainant() -> None:
    directory = world.directory()
    complaint = world.file(directory, RAMESH)
    complaint.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Pipe replaced",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=START,
    )
    resolved = complaint.collect_events()[-1]
    (hindi,) = messages_for(resolved, recipient(complaint.id), directory, LINKS)
    (english,) = messages_for(resolved, recipient(complaint.id, "en"), directory, LINKS)
    assert hindi.key == english.key == f"{complaint.id}:{resolved.originator_version}:complainant"
    assert "राहत दी गई" in hindi.text and f"/atr/{complaint.id}" in hindi.text
    assert "relief given" in english.text and english.params[2].endswith(str(complaint.id))


def test_a_post_without_a_number_hears_in_its_inbox_only() -> None:
    directory = world.directory()  # no post has a mobile here
    complaint = world.file(directory, RAMESH)
    events = complaint.collect_events()
    audiences = [m.audience for e in events for m in messages_for(e, None, directory, LINKS)]
    assert audiences == []  # and with no recipient known, no complainant message either


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", (True, 4, None)),
        ("2", (False, 2, None)),
        ("संतुष्ट", (True, None, None)),
        ("असंतुष्ट", (False, None, None)),
        ("not satisfied, still no water", (False, None, "not satisfied, still no water")),
        ("नहीं २ पानी नहीं आया", (False, 2, "नहीं  पानी नहीं आया")),
        ("Yes 5 thank you", (True, 5, "Yes  thank you")),
        ("hello", (None, None, "hello")),
    ],
)
def test_a_reply_in_hindi_or_english_is_read(text: str, expected: tuple[object, ...]) -> None:
    assert read_answer(text) == expected


def test_a_report_link_is_signed_and_expires() -> None:
    token = sign("secret", "atr", "complaint-1", START + timedelta(days=90))
    assert verify("secret", "atr", token, START) == "complaint-1"
    with pytest.raises(BadToken, match="expired"):
        verify("secret", "atr", token, START + timedelta(days=90))
    with pytest.raises(BadToken, match="signature"):
        verify("another secret", "atr", token, START)
    with pytest.raises(BadToken):
        verify("secret", "review", token, START)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(BadToken):
        verify("secret", "atr", forged, START)


def test_a_webhook_signature_is_the_hmac_of_the_body() -> None:
    body = b'{"entry": []}'
    assert check_hub_signature("app-secret", body, hub_signature("app-secret", body))
    assert not check_hub_signature("app-secret", body + b" ", hub_signature("app-secret", body))
    assert not check_hub_signature("app-secret", body, None)


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    backoff = Backoff(first=timedelta(seconds=5), cap=timedelta(minutes=1))
    assert [backoff.after(n).total_seconds() for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]


def test_a_provider_retry_waits_with_jitter_within_the_backoff() -> None:
    import random

    backoff = Backoff(first=timedelta(seconds=5), cap=timedelta(minutes=1))
    rng = random.Random(3)
    for attempts in range(1, 7):
        waits = {backoff.jittered(attempts, rng) for _ in range(20)}
        ceiling = backoff.after(attempts)
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 10, "messages that failed together are not retried in step"
