"""The WhatsApp conversation (docs/whatsapp.md): a citizen who writes to the number is asked
its language once, then offered the menu: file a complaint, where is my complaint, remind,
add a photo, withdraw.

Each message is taken in one transaction (`Conversations`): the number's conversation is
locked, the message's id noted (a second delivery stops there), the conversation moved on and
its answers queued in the outbox, keyed by the message's id. What the conversation does to a
complaint (`acts.py`) is done once per message by an idempotency receipt of its own, so a
delivery taken again after a crash finds it done. Anything unforeseen is logged and answered
with an apology: never a 500 (the provider would only send the message again), never silence.
Once a turn knows the complaint it is about (the citizen chose one, or filed one), every line
it logs names it (`infra.logs.now_about`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from api.conversation import acts, texts
from api.conversation.texts import say
from api.services import Services
from domain import inputs
from domain.complaint import complaint_id
from domain.errors import DomainError, InvalidCommand
from domain.sla import INDIA
from domain.values import Language
from infra.adapters.media import MediaUnavailable
from infra.logs import about, now_about
from projections.notify.conversations import IDLE, IDLE_TIMEOUT, Conversations, State
from projections.notify.inbound import InboundMessage, Received
from projections.notify.messages import COMPLAINANT, Message, render
from projections.notify.outbox import Outbox

log = logging.getLogger(__name__)
SESSION_WINDOW = timedelta(hours=24)  # the Cloud API's customer-service window
TEMPLATE = "sampark_chat"  # the approved template a late answer goes out as
MENU = ("file", "status", "remind", "photo", "withdraw")
DISTRICTS_PER_PAGE = 9  # and a tenth row: the next page
LANGUAGES = {"lang:hi": Language.HINDI, "lang:en": Language.ENGLISH}
TYPED_LANGUAGES = {"hindi": "hi", "हिंदी": "hi", "हिन्दी": "hi", "english": "en", "अंग्रेज़ी": "en"}
# The choices numbered as the template after the 24-hour window shows them.
NUMBERED_LANGUAGES = {"1": "hi", "2": "en"}
CANCEL = {"cancel", "रद्द", "stop"}


@dataclass
class Said:
    """A message's answers, as the Cloud API's free-form bodies."""

    bodies: list[dict[str, Any]] = field(default_factory=list)

    def text(self, body: str) -> None:
        self.bodies.append(texts.text(body))

    def add(self, body: dict[str, Any]) -> None:
        self.bodies.append(body)


@dataclass
class Input:
    """What a message says, read once: a choice (button or list row), words, or a part."""

    message: InboundMessage
    choice: str | None
    words: str | None

    @classmethod
    def of(cls, message: InboundMessage) -> Input:
        choice = None
        if message.interactive is not None:
            chosen = message.interactive.button_reply or message.interactive.list_reply
            choice = chosen.id if chosen is not None else None
        elif message.button is not None:
            choice = message.button.payload
        words = None
        if message.type == "text" and message.text is not None and message.text.body is not None:
            words = message.text.body
        return cls(message, choice if isinstance(choice, str) else None, words)


class Talk:
    def __init__(self, services: Services) -> None:
        self.services = services

    def take(self, got: Received) -> bool:
        """Take one message; False if it was taken before (or cannot be answered at all)."""
        message = got.message
        try:
            mobile = inputs.whatsapp_mobile(message.sender)
            message_id = inputs.IDENTIFIER.clean(message.id, "id")
        except InvalidCommand as ignored:
            log.info("a WhatsApp message was ignored: %s", ignored)
            return False
        with about(None):  # the turn names its complaint once it knows it (`Turn.about`)
            return self._take(got, mobile, message_id)

    def _take(self, got: Received, mobile: str, message_id: str) -> bool:
        now = self.services.app.clock()
        language: str | None = None
        try:
            # A connection of its own, not the pool's: the turn holds it (and the number's
            # lock) while the commands it sends take the pool's, so a burst of messages can
            # never hold every pooled connection while each waits for one more.
            with (
                psycopg.connect(self._conninfo(), autocommit=True) as conn,
                conn.transaction(),
            ):
                store = Conversations(conn)
                state = store.hold(mobile)
                language = state.language
                if not store.first_time(message_id, mobile, now):
                    return False
                said = Said()
                Turn(self.services, state, got, message_id, now, said).take()
                store.save(state, now)
                Outbox(conn).add(self._messages(state, message_id, said, now), now)
            return True
        except Exception:
            log.exception("WhatsApp message %s could not be taken", message_id)
            self._apologise(mobile, language, message_id, now)
            return False

    def _conninfo(self) -> str:
        conninfo = self.services.pool.conninfo
        return conninfo() if callable(conninfo) else conninfo

    def _messages(self, state: State, message_id: str, said: Said, now: datetime) -> list[Message]:
        language = state.language or Language.HINDI
        found = []
        for n, body in enumerate(said.bodies):
            plain = texts.plain(body)
            found.append(
                Message(
                    key=f"chat:{message_id}:{n}",
                    complaint_id=None,
                    audience=COMPLAINANT,
                    mobile=state.mobile,
                    language=language,
                    template=TEMPLATE,
                    params=[plain],
                    text=render(TEMPLATE, language, [plain]),
                    session=body,
                    session_until=now + SESSION_WINDOW,
                )
            )
        return found

    def _apologise(self, mobile: str, language: str | None, message_id: str, now: datetime) -> None:
        state = State(mobile, language)
        said = Said()
        said.text(say("fault", language))
        try:
            with self.services.pool.connection() as conn, conn.transaction():
                messages = self._messages(state, message_id, said, now)
                Outbox(conn).add([_keyed(m, f"chat:{message_id}:fault") for m in messages], now)
        except Exception:
            log.exception("no apology could be queued for WhatsApp message %s", message_id)


def _keyed(message: Message, key: str) -> Message:
    return replace(message, key=key)


class Turn:
    """One message's turn in a conversation: moves `state` on and says what to answer."""

    def __init__(
        self,
        services: Services,
        state: State,
        got: Received,
        message_id: str,
        now: datetime,
        said: Said,
    ) -> None:
        self.services = services
        self.state = state
        self.got = got
        self.input = Input.of(got.message)
        self.message_id = message_id
        self.now = now
        self.said = said

    @property
    def language(self) -> str:
        return self.state.language or Language.HINDI

    def say(self, key: str, *params: object) -> None:
        self.said.text(say(key, self.language, *params))

    def own(self, registration_no: str) -> UUID:
        """The citizen's own complaint of that number (`acts.own`), named on every line
        logged from here on."""
        complaint = acts.own(self.services, self.state.mobile, registration_no)
        now_about(complaint)
        return complaint

    def take(self) -> None:
        state, choice = self.state, self.input.choice
        if chosen := state.draft.get("complaint"):  # chosen (and found its own) at a turn before
            now_about(complaint_id(chosen))
        if state.timed_out(self.now):
            self.say("timed_out", int(IDLE_TIMEOUT / timedelta(minutes=1)))
            self.reset()
        if state.language is None:
            self.choose_language()
            return
        words = (self.input.words or "").strip().casefold()
        if choice == "cancel" or words in CANCEL:
            self.say("cancelled")
            self.menu()
            return
        if choice is not None and choice.startswith("menu:"):
            self.start(choice.removeprefix("menu:"))
            return
        if choice in LANGUAGES or words in TYPED_LANGUAGES:
            state.language = LANGUAGES.get(choice or "") or TYPED_LANGUAGES[words]
            self.menu()
            return
        step = getattr(self, f"at_{state.step.replace('.', '_')}", None)
        if step is None:
            self.reset()
            step = self.at_idle
        try:
            step()
        except MediaUnavailable as unavailable:
            log.info("WhatsApp media not taken: %s", unavailable)
            self.say("bad_media")

    def reset(self) -> None:
        self.state.step, self.state.draft = IDLE, {}

    # --- language and menu -----------------------------------------------------------------

    def choose_language(self) -> None:
        words = (self.input.words or "").strip().casefold()
        chosen = (
            LANGUAGES.get(self.input.choice or "")
            or TYPED_LANGUAGES.get(words)
            or NUMBERED_LANGUAGES.get(words)
        )
        if chosen is None:
            self.said.add(
                texts.buttons(
                    say("choose_language", None), [("lang:hi", "हिंदी"), ("lang:en", "English")]
                )
            )
            return
        self.state.language = chosen
        self.menu()

    def menu(self) -> None:
        self.reset()
        rows = [(f"menu:{item}", say(item, self.language), None) for item in MENU]
        self.said.add(
            texts.choice_list(say("menu", self.language), say("menu_button", self.language), rows)
        )

    def at_idle(self) -> None:
        words = (self.input.words or "").strip()
        if words.isdigit() and 1 <= int(words) <= len(MENU):
            self.start(MENU[int(words) - 1])
            return
        if self.input.choice is not None or (not words and self.input.message.type != "text"):
            self.say("not_understood")  # a stale choice, a photo out of turn...
        self.menu()

    def start(self, item: str) -> None:
        self.reset()
        match item:
            case "file":
                self.state.step = "file.district"
                self.districts(0)
            case "status":
                self.status()
            case "remind":
                self.which("remind")
            case "withdraw":
                self.which("withdraw")
            case "photo":
                self.which("photo")
            case _:
                self.say("not_understood")
                self.menu()

    # --- filing ------------------------------------------------------------------------------

    def districts(self, page: int) -> None:
        directory = self.services.app.directory()
        every = sorted(directory.districts.values(), key=lambda d: d.name)
        pages = max(1, -(-len(every) // DISTRICTS_PER_PAGE))
        page = page % pages
        shown = every[page * DISTRICTS_PER_PAGE : (page + 1) * DISTRICTS_PER_PAGE]
        rows: list[tuple[str, str, str | None]] = [
            (f"district:{d.code}", d.name, d.division) for d in shown
        ]
        if pages > 1:
            rows.append(
                (
                    f"districts:{(page + 1) % pages}",
                    say("more", self.language),
                    f"{say('more_detail', self.language)} ({page + 1}/{pages})",
                )
            )
        self.said.add(
            texts.choice_list(
                say("district", self.language), say("district_button", self.language), rows
            )
        )

    def at_file_district(self) -> None:
        choice, directory = self.input.choice or "", self.services.app.directory()
        if choice.startswith("districts:"):
            page = choice.removeprefix("districts:")
            self.districts(int(page) if page.isdigit() and len(page) < 4 else 0)
            return
        code = choice.removeprefix("district:") if choice.startswith("district:") else None
        if code is None and self.input.words:
            typed = self.input.words.strip().casefold()
            code = next(
                (
                    d.code
                    for d in directory.districts.values()
                    if typed in (d.name.casefold(), d.code.casefold())
                ),
                None,
            )
        if code is None or code not in directory.districts:
            self.say("not_understood")
            self.districts(0)
            return
        self.state.draft["district"] = code
        self.state.step = "file.problem"
        self.say("problem")

    def at_file_problem(self) -> None:
        message, draft = self.input.message, self.state.draft
        if message.type == "audio" and message.audio is not None:
            voice = acts.evidence(self.services, message.audio.id, acts.VOICE, self.state.mobile)
            draft.setdefault("attachments", []).append(voice)
            draft["subject"] = say("voice_subject", self.language)
            draft["description"] = say("voice_note", self.language)
        elif self.input.words is not None:
            try:
                words = inputs.WHATSAPP_TEXT.clean(self.input.words, "text.body")
                description = inputs.LONG_TEXT.clean(words.strip(), "description")
            except InvalidCommand as bad:
                self.say("bad_text", bad)
                self.say("problem")
                return
            first_line = description.splitlines()[0].strip() or description.strip()
            draft["subject"] = inputs.SHORT_TEXT.clean(first_line[:120], "subject")
            draft["description"] = description
        else:
            self.say("not_understood")
            self.say("problem")
            return
        self.state.step = "file.photo"
        self.ask_photo()

    def ask_photo(self) -> None:
        self.said.add(
            texts.buttons(say("photo_ask", self.language), [("skip", say("skip", self.language))])
        )

    def at_file_photo(self) -> None:
        message = self.input.message
        if message.type == "image" and message.image is not None:
            photo = acts.evidence(self.services, message.image.id, acts.PHOTOS, self.state.mobile)
            attached = self.state.draft.setdefault("attachments", [])
            if len(attached) < inputs.MAX_ATTACHMENTS_AT_FILING:
                attached.append(photo)
        elif self.input.choice != "skip":
            self.say("not_understood")
            self.ask_photo()
            return
        self.state.step = "file.location"
        self.ask_location()

    def ask_location(self) -> None:
        self.said.add(
            texts.buttons(
                say("location_ask", self.language), [("skip", say("skip", self.language))]
            )
        )

    def at_file_location(self) -> None:
        message = self.input.message
        if message.type == "location" and message.location is not None:
            where = message.location
            try:
                self.state.draft["location"] = acts.place(
                    where.latitude, where.longitude, where.name, where.address
                )
            except InvalidCommand as bad:
                self.say("bad_location", bad)
                return
        elif message.type == "image" and message.image is not None:
            self.state.step = "file.photo"  # a second photo, late: taken all the same
            self.at_file_photo()
            return
        elif self.input.choice != "skip":
            self.say("not_understood")
            self.ask_location()
            return
        self.state.step = "file.confirm"
        self.ask_confirmation()

    def ask_confirmation(self) -> None:
        draft, language = self.state.draft, self.language
        district = self.services.app.directory().districts.get(draft["district"])
        attached = len(draft.get("attachments", []))
        where = draft.get("location") or {}
        body = say(
            "confirm",
            language,
            district.name if district else draft["district"],
            draft["description"][:600],
            say("files", language, attached) if attached else say("none", language),
            where.get("landmark")
            or (say("point", language) if where else say("not_given", language)),
        )
        self.said.add(
            texts.buttons(
                body,
                [("confirm:file", say("yes_file", language)), ("cancel", say("cancel", language))],
            )
        )

    def at_file_confirm(self) -> None:
        if self.input.choice != "confirm:file":
            self.say("not_understood")
            self.ask_confirmation()
            return
        try:
            filed = acts.file(
                self.services,
                mobile=self.state.mobile,
                name=self.got.profile_name,
                language=self.language,
                draft=self.state.draft,
                message_id=self.message_id,
                now=self.now,
            )
        except acts.TooMany as many:
            self.say("too_many", many.wait)
            self.menu()
            return
        except (acts.Refused, DomainError) as refused:
            self.say("cannot_file", refused)
            self.menu()
            return
        complaint = filed.complaint
        now_about(complaint.id)
        self.say(
            "filed",
            complaint.registration_no,
            filed.department or say("in_triage", self.language),
            filed.link,
        )
        self.menu()

    # --- the citizen's own complaints ----------------------------------------------------------

    def status(self) -> None:
        rows = acts.mine(self.services, self.state.mobile, self.now)
        if not rows:
            self.say("no_complaints")
        else:
            lines = [say("your_complaints", self.language)]
            for row in rows:
                due = (
                    say("due", self.language, row.due_at.astimezone(INDIA).strftime("%d-%m-%Y"))
                    if row.due_at is not None
                    and row.status in ("assigned", "reopened", "unassigned")
                    else ""
                )
                lines.append(
                    say(
                        "status_line",
                        self.language,
                        row.registration_no,
                        texts.status_word(row.status, self.language),
                        row.level,
                        due,
                    )
                )
            self.said.text("\n".join(lines))
        self.menu()

    def which(self, purpose: str) -> None:
        rows = acts.mine(self.services, self.state.mobile, self.now, open_only=True)
        if not rows:
            self.say("no_open")
            self.menu()
            return
        self.state.step = f"{purpose}.which"
        choices: list[tuple[str, str, str | None]] = [
            (f"{purpose}:{r.registration_no}", r.registration_no, r.subject) for r in rows
        ]
        self.said.add(
            texts.choice_list(
                say("which", self.language), say("which_button", self.language), choices
            )
        )

    def chosen(self, purpose: str) -> str | None:
        choice = self.input.choice or ""
        if choice.startswith(f"{purpose}:"):
            return choice.removeprefix(f"{purpose}:")
        return None

    def at_remind_which(self) -> None:
        registration_no = self.chosen("remind")
        if registration_no is None:
            self.say("not_understood")
            self.which("remind")
            return
        try:
            complaint = self.own(registration_no)
            acts.remind(self.services, self.state.mobile, complaint, self.message_id)
        except (acts.Refused, DomainError) as refused:
            self.say("refused", refused)
        else:
            self.say("reminded", registration_no)
        self.menu()

    def at_photo_which(self) -> None:
        registration_no = self.chosen("photo")
        if registration_no is None:
            self.say("not_understood")
            self.which("photo")
            return
        try:
            self.own(registration_no)
        except (acts.Refused, DomainError) as refused:
            self.say("refused", refused)
            self.menu()
            return
        self.state.step, self.state.draft = "photo.wait", {"complaint": registration_no}
        self.say("photo_send", registration_no)

    def at_photo_wait(self) -> None:
        message, registration_no = self.input.message, self.state.draft.get("complaint", "")
        if message.type != "image" or message.image is None:
            self.say("not_understood")
            self.say("photo_send", registration_no)
            return
        photo = acts.evidence(self.services, message.image.id, acts.PHOTOS, self.state.mobile)
        try:
            complaint = self.own(registration_no)
            acts.add_photo(self.services, self.state.mobile, complaint, photo, self.message_id)
        except (acts.Refused, DomainError) as refused:
            self.say("refused", refused)
        else:
            self.say("photo_added", registration_no)
        self.menu()

    def at_withdraw_which(self) -> None:
        registration_no = self.chosen("withdraw")
        if registration_no is None:
            self.say("not_understood")
            self.which("withdraw")
            return
        try:
            self.own(registration_no)
        except (acts.Refused, DomainError) as refused:
            self.say("refused", refused)
            self.menu()
            return
        self.state.step, self.state.draft = "withdraw.reason", {"complaint": registration_no}
        self.say("withdraw_reason", registration_no)

    def at_withdraw_reason(self) -> None:
        registration_no = self.state.draft.get("complaint", "")
        try:
            reason = inputs.REASON.clean((self.input.words or "").strip(), "reason")
        except InvalidCommand as bad:
            self.say("bad_text", bad)
            self.say("withdraw_reason", registration_no)
            return
        self.state.step = "withdraw.confirm"
        self.state.draft["reason"] = reason
        self.said.add(
            texts.buttons(
                say("withdraw_confirm", self.language, registration_no, reason[:600]),
                [
                    ("confirm:withdraw", say("yes_withdraw", self.language)),
                    ("cancel", say("cancel", self.language)),
                ],
            )
        )

    def at_withdraw_confirm(self) -> None:
        registration_no, reason = (
            self.state.draft.get("complaint", ""),
            self.state.draft.get("reason", ""),
        )
        if self.input.choice != "confirm:withdraw":
            self.say("not_understood")
            self.state.step = "withdraw.reason"
            self.input.words = reason
            self.at_withdraw_reason()
            return
        try:
            complaint = self.own(registration_no)
            acts.withdraw(self.services, self.state.mobile, complaint, reason, self.message_id)
        except (acts.Refused, DomainError) as refused:
            self.say("refused", refused)
        # Done: the notifier tells the complainant (`sampark_withdrawn`), once.
        self.menu()
