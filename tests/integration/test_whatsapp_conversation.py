"""A citizen on WhatsApp: asked its language once, then the menu; files a complaint in Hindi
with a voice note or words, a photo and a shared location; asks where its complaints are,
reminds, withdraws; and whatever it sends (twice, at once, after a pause, broken, huge, or
a choice from a list it never saw) is answered, never a 500, never filed twice.

Real PostgreSQL (the conversation's state, the outbox, the event store); the Cloud API's
media are served by the local stand-in, at the HTTP boundary. The answers are read from the
outbox, exactly as the sender would send them.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.services import Services
from assist.store import Models
from domain.access import citizen
from domain.events import EvidenceAdded, Filed, ReminderReceived, Withdrawn
from domain.values import Channel, Role
from infra.adapters.media import WhatsAppMedia
from infra.local.standin import ProviderStandIn
from infra.run.services import opened
from infra.settings import Settings
from projections.queries import ReadQueries
from tests.assisting import seed_model
from tests.conftest import Pipeline
from tests.integration import whatsapp_payloads as wa
from tests.integration.test_notifications import file as file_by_operator
from tests.integration.test_notifications import standin  # noqa: F401 (fixture)
from tests.support import START, TurnableClock, new_mobile

Client = TestClient[Any]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(2000)
OGG = b"OggS\x00\x02" + bytes(3000)


class Chat:
    """One citizen's side of the conversation: each message sent, the answers it got."""

    def __init__(self, client: Client, services: Services, settings: Settings, mobile: str) -> None:
        self.client, self.services, self.secret = client, services, settings.whatsapp_app_secret
        self.mobile = mobile

    def send(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        wa.send(self.client, self.secret, wa.envelope(self.mobile, message))
        return self.answers(message["id"])

    def answers(self, message_id: str) -> list[dict[str, Any]]:
        with self.services.pool.connection() as conn:
            rows = conn.execute(
                "SELECT session, mobile, template FROM notify.messages WHERE key LIKE %s "
                "ORDER BY id",
                (f"chat:{message_id}:%",),
            ).fetchall()
        assert all(r[1] == self.mobile and r[2] == "sampark_chat" for r in rows)
        return [r[0] for r in rows]

    def text(self, body: str) -> list[dict[str, Any]]:
        return self.send(wa.text(self.mobile, body))

    def pick(self, row: str) -> list[dict[str, Any]]:
        return self.send(wa.list_reply(self.mobile, row))

    def tap(self, button: str) -> list[dict[str, Any]]:
        return self.send(wa.button_reply(self.mobile, button))


def said(answers: list[dict[str, Any]]) -> str:
    return "\n".join(
        a["text"]["body"] if a["type"] == "text" else a["interactive"]["body"]["text"]
        for a in answers
    )


def choices(answers: list[dict[str, Any]]) -> list[str]:
    found = []
    for a in answers:
        if a["type"] != "interactive":
            continue
        action = a["interactive"]["action"]
        found += [b["reply"]["id"] for b in action.get("buttons", [])]
        found += [r["id"] for s in action.get("sections", []) for r in s["rows"]]
    return found


@pytest.fixture
def talking(services: Services, standin: ProviderStandIn) -> Services:  # noqa: F811
    """The API with a trained assistant (routing everything it reads) and the stand-in as
    the Cloud API's media host."""
    with services.pool.connection() as conn:
        Models(conn).save(seed_model(route_threshold=0.0), START)
    services.media = WhatsAppMedia(
        standin.whatsapp_base, lambda: next(iter(standin.tokens)), max_bytes=1_000_000
    )
    return services


def filed_events(services: Services) -> list[Filed]:
    return [
        e
        for n in services.app.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("Filed")
        for e in [services.app.mapper.to_domain_event(n)]
        if isinstance(e, Filed)
    ]


def to_the_confirmation(chat: Chat, standin: ProviderStandIn) -> list[dict[str, Any]]:  # noqa: F811
    """Hindi, the menu's first item, Jaipur (paging the list to it), the problem in words, a
    photo, a place: up to the question "file it?"."""
    assert choices(chat.text("नमस्ते")) == ["lang:hi", "lang:en"]
    menu = chat.tap("lang:hi")
    assert choices(menu) == [f"menu:{m}" for m in ("file", "status", "remind", "photo", "withdraw")]
    assert "आप क्या करना चाहेंगे" in said(menu)
    page = chat.pick("menu:file")
    for _ in range(6):
        if "district:JAI" in choices(page):
            break
        more = [c for c in choices(page) if c.startswith("districts:")]
        assert len(choices(page)) <= 10 and more, "a list has at most ten rows, the last one pages"
        page = chat.pick(more[0])
    asked = chat.pick("district:JAI")
    assert "समस्या" in said(asked)
    asked = chat.text("सांगानेर में हैंडपंप टूटा है, पीने का पानी नहीं मिल रहा")
    assert choices(asked) == ["skip"]
    standin.media["1000001"] = JPEG
    asked = chat.send(wa.image(chat.mobile, "1000001"))
    assert choices(asked) == ["skip"] and "स्थान" in said(asked)
    return chat.send(wa.location(chat.mobile, 26.8205, 75.7889))


def test_a_citizen_files_in_hindi_with_a_photo_and_a_location(
    client: Client,
    talking: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
) -> None:
    mobile = new_mobile()
    chat = Chat(client, talking, settings, mobile)
    confirm = to_the_confirmation(chat, standin)
    assert choices(confirm) == ["confirm:file", "cancel"]
    assert "Jaipur" in said(confirm) and "1 फ़ाइल" in said(confirm)

    done = chat.tap("confirm:file")

    (filed,) = filed_events(talking)
    assert filed.actor.id == citizen(mobile).id and filed.actor.role == Role.CITIZEN
    assert filed.channel == Channel.WHATSAPP and filed.complainant.mobile == mobile
    assert filed.complainant.name == "सुनीता देवी" and filed.complainant.language == "hi"
    assert filed.district == "JAI" and filed.department == "PHED"
    assert filed.description.startswith("सांगानेर में हैंडपंप")
    (photo,) = filed.attachments
    assert photo.media_type == "image/jpeg" and talking.blobs.get(photo.sha256) == JPEG
    assert filed.location is not None and filed.location.point == (26.8205, 75.7889)
    assert filed.location.landmark is not None and "सांगानेर" in filed.location.landmark
    answer = said(done)
    assert filed.registration_no in answer and f"{settings.public_url}/atr/" in answer
    assert "दर्ज हो गई" in answer  # in Hindi, as chosen
    assert choices(done)[0] == "menu:file"  # and the menu again


def test_a_voice_note_is_kept_as_the_complaint_and_without_a_sure_category_it_waits_for_the_desk(
    client: Client,
    services: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
) -> None:
    with services.pool.connection() as conn:
        Models(conn).save(seed_model(route_threshold=2.0), START)  # sure of nothing
    services.media = WhatsAppMedia(standin.whatsapp_base, lambda: next(iter(standin.tokens)), 10**6)
    chat = Chat(client, services, settings, new_mobile())
    chat.text("hello")
    chat.tap("lang:en")
    chat.pick("menu:file")
    chat.text("jaipur")  # a district typed instead of chosen
    standin.media["2000001"] = OGG
    assert choices(chat.send(wa.audio(chat.mobile, "2000001"))) == ["skip"]
    chat.tap("skip")
    confirm = chat.tap("skip")
    assert "nothing" not in said(confirm) and "not given" in said(confirm)
    done = chat.tap("confirm:file")
    (filed,) = filed_events(services)
    (voice,) = filed.attachments
    assert voice.media_type == "audio/ogg" and services.blobs.get(voice.sha256) == OGG
    assert filed.assistant is not None and not filed.assistant.routed  # waits in triage
    assert services.app.complaint(filed.originator_id).awaiting_triage
    assert "helpline desk" in said(done) and filed.registration_no in said(done)


def test_a_confirmation_delivered_twice_and_twice_at_once_files_one_complaint(
    client: Client,
    talking: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
) -> None:
    chat = Chat(client, talking, settings, new_mobile())
    to_the_confirmation(chat, standin)
    confirm = wa.button_reply(chat.mobile, "confirm:file")
    body = wa.envelope(chat.mobile, confirm)
    answers: list[Any] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        answers.append(wa.send(client, settings.whatsapp_app_secret, body))

    both = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    wa.send(client, settings.whatsapp_app_secret, body)  # and once more, later

    assert answers == [{"recorded": 0}, {"recorded": 0}]
    assert len(filed_events(talking)) == 1
    registration = filed_events(talking)[0].registration_no
    assert sum(registration in said([a]) for a in chat.answers(confirm["id"])) == 1


def test_the_conversation_is_kept_in_postgresql_and_starts_again_after_the_idle_timeout(
    client: Client,
    talking: Services,
    settings: Settings,
    clock: TurnableClock,
    database: str,
) -> None:
    chat = Chat(client, talking, settings, new_mobile())
    chat.text("hi")
    chat.tap("lang:en")
    chat.pick("menu:file")
    chat.pick("district:JAI")
    clock.advance(minutes=20)  # within the idle time: the conversation goes on where it was
    # ... in another API process (a restart): the conversation is where the database keeps it
    with (
        opened(settings, database, clock=clock) as restarted,
        TestClient(app=create_app(restarted)) as other_client,
    ):
        elsewhere = Chat(other_client, restarted, settings, chat.mobile)
        asked = elsewhere.text("Street light not working near the school for a week")
    assert choices(asked) == ["skip"]
    clock.advance(minutes=31)
    again = chat.tap("skip")
    assert "idle for over 30 minutes" in said(again)
    assert choices(again)[:1] == ["menu:file"]  # the language is remembered, the draft is gone
    assert not filed_events(talking)


def test_status_remind_and_withdraw_are_for_the_citizens_own_complaints_only(
    client: Client,
    talking: Services,
    settings: Settings,
    pipeline: Pipeline,
) -> None:
    mine, theirs = new_mobile(), new_mobile()
    first = file_by_operator(talking, mine)
    other = file_by_operator(talking, theirs)
    pipeline.settle()
    own_no = talking.app.complaint(first).registration_no
    other_no = talking.app.complaint(other).registration_no
    chat = Chat(client, talking, settings, mine)
    chat.text("hi")
    chat.tap("lang:en")

    status = chat.pick("menu:status")
    assert own_no in said(status) and other_no not in said(status)
    assert "with the officer, level 1, due" in said(status)

    listed = chat.pick("menu:remind")
    assert f"remind:{own_no}" in choices(listed) and f"remind:{other_no}" not in choices(listed)
    foreign = chat.pick(f"remind:{other_no}")  # a row of a list it was never shown
    assert "no such complaint" in said(foreign)
    assert not [e for e in talking.app.timeline(other) if isinstance(e, ReminderReceived)]
    chat.pick("menu:remind")
    done = chat.pick(f"remind:{own_no}")
    assert f"Your reminder about complaint {own_no} is recorded" in said(done)
    (reminder,) = [e for e in talking.app.timeline(first) if isinstance(e, ReminderReceived)]
    assert reminder.actor.id == citizen(mine).id

    chat.pick("menu:withdraw")
    assert "Write why" in said(chat.pick(f"withdraw:{own_no}"))
    confirm = chat.text("The pump was repaired by the village")
    assert choices(confirm) == ["confirm:withdraw", "cancel"]
    withdrawn = chat.tap("confirm:withdraw")
    assert choices(withdrawn)[0] == "menu:file"  # sampark_withdrawn, the notifier's, says it
    last = talking.app.timeline(first)[-1]
    assert isinstance(last, Withdrawn) and last.actor.id == citizen(mine).id
    assert last.reason == "The pump was repaired by the village"
    pipeline.settle()
    gone = chat.pick("menu:withdraw")
    assert "no open complaint" in said(gone)  # a withdrawn complaint is no longer offered


def test_a_number_with_no_complaints_and_hostile_messages_are_answered_never_a_500(
    client: Client,
    talking: Services,
    settings: Settings,
    pipeline: Pipeline,
) -> None:
    chat = Chat(client, talking, settings, new_mobile())
    assert choices(
        chat.send({**wa.text(chat.mobile, "x"), "type": "sticker", "sticker": {"id": "9"}})
    )
    chat.tap("lang:en")
    assert "no complaint filed from this number" in said(chat.pick("menu:status"))
    assert "no open complaint" in said(chat.pick("menu:withdraw"))
    assert "did not understand" in said(chat.pick("menu:no-such-item"))
    chat.pick("menu:file")
    assert "did not understand" in said(chat.pick("district:NOWHERE"))
    assert choices(chat.pick("districts:99999999999"))  # a page that is no page: the first
    chat.pick("district:JAI")
    huge = chat.text("पानी " * 3000)  # over WhatsApp's 4,096 characters
    assert "could not be taken" in said(huge) and "at most 4096" in said(huge)
    broken = {**wa.text(chat.mobile, "y"), "text": 5}  # a part of another shape
    assert "did not understand" in said(chat.send(broken))
    chat.text("Handpump broken in ward 5")
    chat.tap("skip")
    far = chat.send(wa.location(chat.mobile, 19.07, 72.87))  # Mumbai
    assert "not accepted" in said(far) and "latitude" in said(far)
    nothing = wa.send(client, settings.whatsapp_app_secret, wa.statuses(chat.mobile, "wamid.ours"))
    assert nothing == {"recorded": 0}
    with talking.pool.connection() as conn:
        (step,) = conn.execute(
            "SELECT step FROM notify.conversations WHERE mobile = %s", (chat.mobile,)
        ).fetchone() or ("?",)
    assert step == "file.location"  # a status callback moved nothing
    assert not filed_events(talking)


def test_a_photo_that_cannot_be_had_or_is_not_a_photo_is_asked_for_again(
    client: Client,
    talking: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
) -> None:
    chat = Chat(client, talking, settings, new_mobile())
    chat.text("hi")
    chat.tap("lang:en")
    chat.pick("menu:file")
    chat.pick("district:JAI")
    chat.text("Garbage not collected for ten days")
    gone = chat.send(wa.image(chat.mobile, "3000404"))  # the provider has no such media
    assert "could not be taken" in said(gone)
    standin.media["3000001"] = b"MZ\x90\x00 not a picture"
    assert "could not be taken" in said(chat.send(wa.image(chat.mobile, "3000001")))
    standin.media["3000002"] = JPEG
    assert "Share the place" in said(chat.send(wa.image(chat.mobile, "3000002")))


def test_a_fault_of_ours_is_answered_with_an_apology_and_the_message_can_come_again(
    client: Client,
    talking: Services,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = Chat(client, talking, settings, new_mobile())
    chat.text("hi")
    chat.tap("lang:en")

    def broken(*_: object, **__: object) -> list[object]:
        raise RuntimeError("the read model went away")

    monkeypatch.setattr("api.conversation.acts.mine", broken)
    status = wa.list_reply(chat.mobile, "menu:status")
    assert wa.send(client, settings.whatsapp_app_secret, wa.envelope(chat.mobile, status)) == {
        "recorded": 0
    }
    assert "something went wrong" in said(chat.answers(status["id"]))
    monkeypatch.undo()
    again = chat.send(status)  # the provider's retry is taken: nothing of it was kept
    assert "no complaint filed from this number" in said(again)


def test_a_photo_is_added_to_the_citizens_own_open_complaint_once(
    client: Client,
    talking: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
    pipeline: Pipeline,
) -> None:
    mine = new_mobile()
    complaint = file_by_operator(talking, mine)
    someone_elses = file_by_operator(talking, new_mobile())
    pipeline.settle()
    own_no = talking.app.complaint(complaint).registration_no
    chat = Chat(client, talking, settings, mine)
    chat.text("hi")
    chat.tap("lang:en")
    listed = chat.pick("menu:photo")
    assert choices(listed) == [f"photo:{own_no}"]
    other_no = talking.app.complaint(someone_elses).registration_no
    assert "no such complaint" in said(chat.pick(f"photo:{other_no}"))
    chat.pick("menu:photo")
    assert f"Send the photo for complaint {own_no}" in said(chat.pick(f"photo:{own_no}"))
    standin.media["4000001"] = JPEG
    photo = wa.image(mine, "4000001")
    added = chat.send(photo)
    chat.send(photo)  # delivered again
    assert f"The photo is added to complaint {own_no}" in said(added)
    (evidence,) = [e for e in talking.app.timeline(complaint) if isinstance(e, EvidenceAdded)]
    assert evidence.actor.id == citizen(mine).id
    (attached,) = evidence.attachments
    assert attached.media_type == "image/jpeg" and talking.blobs.get(attached.sha256) == JPEG
    assert talking.app.complaint(complaint).attachments == (attached,)
    pipeline.settle()
    with talking.pool.connection() as conn:
        row = ReadQueries(conn).complaint(complaint)
    assert row is not None and [a["sha256"] for a in row.attachments] == [attached.sha256]
