"""Which events tell whom what: the messages of a complaint's life, in Hindi and English.

Pure: an event, what is known of its complaint's complainant, and the directory go in; the
messages to send come out, each with a key made of the complaint, the event's version and
the audience, so the same event never makes the same message twice.

Each message is a WhatsApp template (approved at the provider under `template`, with `params`
as its body parameters, and quick-reply feedback buttons on `sampark_resolved`) and the same
text written out in full, for the SMS fallback and the logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.directory import Directory
from domain.events import (
    GUARANTEE_EVENTS,
    Assigned,
    ClarificationSought,
    Closed,
    DeadlineApproaching,
    Escalated,
    Filed,
    FirstAppealDecided,
    FirstAppealFiled,
    HearingScheduled,
    InterimReplied,
    PenaltyImposed,
    ReminderReceived,
    Reopened,
    Resolved,
    SecondAppealDecided,
    SecondAppealFiled,
    StipulatedTimePassed,
    Transferred,
    Triaged,
    Withdrawn,
)
from domain.sla import INDIA
from domain.values import Channel, HearingMode, Language, Outcome, Role

COMPLAINANT, HOLDER = "complainant", "holder"
# Told to the complainant only with the holder's own message, and held back with it.
PASSED_ON = "sampark_reminder_passed"
APPEAL_POST = "appeal_post"  # the post an appeal under the Act lies before
SATISFIED, NOT_SATISFIED = "SATISFIED", "NOT_SATISFIED"  # the quick-reply payloads

TEXTS: dict[str, dict[str, str]] = {
    "sampark_filed": {
        "hi": "आपकी शिकायत {0} ({1}) दर्ज हो गई है। स्थिति देखें: {2}",
        "en": "Your complaint {0} ({1}) is registered. Track it: {2}",
    },
    "sampark_transferred": {
        "hi": "आपकी शिकायत {0} {1} को भेजी गई है; अब यह {2} के पास है।",
        "en": "Your complaint {0} was transferred to {1}; it is now with the {2}.",
    },
    "sampark_escalated": {
        "hi": "आपकी शिकायत {0} स्तर {1} पर भेजी गई है; अब यह {2} के पास है।",
        "en": "Your complaint {0} went up to level {1}; it is now with the {2}.",
    },
    "sampark_resolved": {
        "hi": "आपकी शिकायत {0} का निस्तारण हुआ: {1}। की गई कार्यवाही की रिपोर्ट: {2} "
        "क्या आप संतुष्ट हैं? बटन दबाएँ, या 1 से 5 तक अंक भेजें।",
        "en": "Your complaint {0} was disposed of: {1}. Action Taken Report: {2} "
        "Are you satisfied? Tap a button, or reply with a rating from 1 to 5.",
    },
    "sampark_first_disposed": {
        "hi": "आपकी शिकायत {0} वही है जो पहले दर्ज शिकायत {1} है; उसका निस्तारण हुआ: {2}। "
        "की गई कार्यवाही की रिपोर्ट: {3}",
        "en": "Your complaint {0} is the same as the earlier complaint {1}, which was disposed "
        "of: {2}. Action Taken Report: {3}",
    },
    "sampark_closed": {
        "hi": "आपकी शिकायत {0} बंद कर दी गई है। धन्यवाद।",
        "en": "Your complaint {0} is closed. Thank you.",
    },
    "sampark_assigned": {
        "hi": "शिकायत {0} अब आपके पास है; निस्तारण की अंतिम तिथि {1}।",
        "en": "Complaint {0} is now with you; dispose of it by {1}.",
    },
    "sampark_deadline": {
        "hi": "शिकायत {0} की स्तर {1} पर अंतिम तिथि {2} निकट है।",
        "en": "Complaint {0} is due at level {1} by {2}.",
    },
    "sampark_reminder": {
        "hi": "शिकायतकर्ता ने शिकायत {0} के बारे में स्मरण भेजा है; कृपया शीघ्र निस्तारण करें।",
        "en": "The complainant sent a reminder about complaint {0}; please dispose of it soon.",
    },
    "sampark_reminder_passed": {
        "hi": "शिकायत {0} के बारे में आपका स्मरण {1} तक पहुँचा दिया गया है।",
        "en": "Your reminder about complaint {0} was passed on to the {1}.",
    },
    "sampark_withdrawn": {
        "hi": "आपकी शिकायत {0} आपके अनुरोध पर वापस ले ली गई है।",
        "en": "Your complaint {0} is withdrawn, as you asked.",
    },
    "sampark_withdrawn_holder": {
        "hi": "शिकायतकर्ता ने शिकायत {0} वापस ले ली है; इस पर आगे कार्यवाही की आवश्यकता नहीं।",
        "en": "The complainant withdrew complaint {0}; no further action is needed on it.",
    },
    "sampark_thanks": {
        "hi": "शिकायत {0} पर आपकी राय दर्ज हो गई है। धन्यवाद।",
        "en": "Thank you: your feedback on complaint {0} is recorded.",
    },
    "sampark_monthly_data": {
        "hi": "{0}: {1} माह के विभागीय आंकड़े। पीडीएफ़ (हिंदी): {2} पीडीएफ़ (अंग्रेज़ी): {3} एक्सेल: {4}",
        "en": "{0}: the department's data for {1}. PDF (Hindi): {2} PDF (English): {3} Excel: {4}",
    },
    "sampark_infographic": {
        "hi": "{0} का दैनिक इन्फोग्राफ़िक प्रकाशन हेतु तैयार है। हिंदी: {1} अंग्रेज़ी: {2}",
        "en": "The daily infographic of {0} is ready to publish. Hindi: {1} English: {2}",
    },
    # The Public Services Guarantee Act (docs/guarantee.md).
    "sampark_appeal_right": {
        "hi": "लोक सेवा प्रदान करने की गारंटी अधिनियम: शिकायत {0} की सेवा की निर्धारित समय-सीमा "
        "{1} को समाप्त हो गई। आप {2} तक प्रथम अपील अधिकारी को अपील कर सकते हैं: {3}",
        "en": "Public Services Guarantee Act: the stipulated time for the service of complaint "
        "{0} ended on {1}. You may appeal to the first appeal officer until {2}: {3}",
    },
    "sampark_appeal_before_you": {
        "hi": "शिकायत {0} पर लोक सेवा गारंटी अधिनियम के अंतर्गत {1} अपील आपके समक्ष है; "
        "निर्णय की अंतिम तिथि {2}।",
        "en": "A {1} appeal under the Public Services Guarantee Act on complaint {0} is before "
        "you; decide it by {2}.",
    },
    "sampark_appeal_decided": {
        "hi": "शिकायत {0}: आपकी {1} अपील पर निर्णय: {2}। विवरण: {3}",
        "en": "Complaint {0}: your {1} appeal was {2}. Details: {3}",
    },
    "sampark_penalty": {
        "hi": "शिकायत {0}: द्वितीय अपील प्राधिकारी ने पदाभिहित अधिकारी पर {1} रुपये की शास्ति "
        "अधिरोपित की।",
        "en": "Complaint {0}: the second appeal authority fined the designated officer Rs {1}.",
    },
    "sampark_chat": {
        "hi": "राजस्थान सम्पर्क: {0} (उत्तर देने के लिए कोई भी संदेश भेजें)",
        "en": "Rajasthan Sampark: {0} (send any message to reply)",
    },
    # The clock that waits (docs/hearings.md).
    "sampark_clarify": {
        "hi": "शिकायत {0}: अधिकारी ने आपसे पूछा है: {1} कृपया इस संदेश का उत्तर दें, या "
        "रिपोर्ट पृष्ठ पर उत्तर दें: {3} उत्तर आने तक समय-सीमा रुकी रहेगी; {2} तक उत्तर न आने "
        "पर शिकायत का निस्तारण किया जा सकता है।",
        "en": "Complaint {0}: the officer asks you: {1} Please reply to this message, or answer "
        "on the report page: {3} The deadline waits for your answer; without one by {2} the "
        "complaint may be disposed of.",
    },
    "sampark_answer_thanks": {
        "hi": "शिकायत {0} पर आपका उत्तर दर्ज हो गया है; कार्यवाही फिर से शुरू हो गई है।",
        "en": "Thank you: your answer on complaint {0} is recorded, and work on it resumes.",
    },
    "sampark_interim": {
        "hi": "शिकायत {0} पर अंतरिम उत्तर: {1}",
        "en": "An interim reply on complaint {0}: {1}",
    },
    # Hearings (docs/hearings.md).
    "sampark_hearing": {
        "hi": "शिकायत {0}: आपकी सुनवाई {1} को {2} द्वारा होगी ({3})।",
        "en": "Complaint {0}: you will be heard on {1} by the {2} ({3}).",
    },
    "sampark_unmatched": {
        "hi": "धन्यवाद। हम आपका संदेश किसी शिकायत से नहीं जोड़ सके। कृपया रिपोर्ट वाले संदेश "
        "का उत्तर दें, या 181 पर कॉल करें।",
        "en": "Thank you. We could not match your message to a complaint. Please reply to the "
        "message with the report, or call 181.",
    },
}

STAGES = {1: {"hi": "प्रथम", "en": "first"}, 2: {"hi": "द्वितीय", "en": "second"}}
DECISIONS = {
    "allowed": {"hi": "स्वीकार", "en": "allowed"},
    "dismissed": {"hi": "अस्वीकार", "en": "dismissed"},
}
MODES: dict[str, dict[str, str]] = {
    HearingMode.IN_PERSON: {"hi": "व्यक्तिगत रूप से", "en": "in person"},
    HearingMode.VIDEO: {"hi": "वीडियो कॉन्फ्रेंस द्वारा", "en": "by video"},
}

OUTCOMES: dict[str, dict[str, str]] = {
    Outcome.RELIEF: {"hi": "राहत दी गई", "en": "relief given"},
    Outcome.INTERIM_RELIEF: {"hi": "अंतरिम राहत", "en": "interim relief"},
    Outcome.REJECTED: {"hi": "अस्वीकृत", "en": "rejected"},
    Outcome.FALSE_COMPLAINT: {"hi": "झूठी शिकायत", "en": "false complaint"},
    Outcome.SUB_JUDICE: {"hi": "न्यायालय में विचाराधीन", "en": "sub judice"},
    Outcome.NOT_POSSIBLE: {"hi": "राहत संभव नहीं", "en": "relief not possible"},
}


@dataclass(frozen=True)
class Recipient:
    """What the notifications keep of a complaint from its `Filed` event."""

    complaint_id: UUID
    registration_no: str
    mobile: str
    language: str


@dataclass(frozen=True)
class Message:
    key: str  # complaint:version:audience: one message per event and audience, ever
    complaint_id: UUID | None  # None: an answer to a reply that matched no complaint
    audience: str
    mobile: str
    language: str
    template: str
    params: list[str]
    text: str
    buttons: bool = False
    # A conversation's answer (docs/whatsapp.md): the Cloud API's body of a free-form message,
    # sent as such until `session_until` (the citizen's 24-hour window); the template after.
    session: dict[str, Any] | None = None
    session_until: datetime | None = None


def render(template: str, language: str, params: list[str]) -> str:
    texts = TEXTS[template]
    return texts.get(language, texts[Language.HINDI]).format(*params)


def local_time(moment: datetime) -> str:
    return moment.astimezone(INDIA).strftime("%d-%m-%Y %H:%M")


@dataclass(frozen=True)
class Links:
    """The citizen's signed link to the complaint's report page: its progress until it is
    disposed of, then the Action Taken Report. (complaint, time of the message) -> URL."""

    report: Callable[[UUID, datetime], str]


def messages_for(
    event: object, recipient: Recipient | None, directory: Directory, links: Links
) -> list[Message]:
    complaint: UUID = event.originator_id  # type: ignore[attr-defined]
    version: int = event.originator_version  # type: ignore[attr-defined]
    found: list[Message] = []

    def to_complainant(template: str, params: list[str], buttons: bool = False) -> None:
        if recipient is None:
            return
        found.append(
            Message(
                key=f"{complaint}:{version}:{COMPLAINANT}",
                complaint_id=complaint,
                audience=COMPLAINANT,
                mobile=recipient.mobile,
                language=recipient.language,
                template=template,
                params=params,
                text=render(template, recipient.language, params),
                buttons=buttons,
            )
        )

    def to_holder(post_id: str | None, template: str, params: list[str]) -> None:
        post = directory.posts.get(post_id) if post_id else None
        mobile = post.reachable_at if post else None
        if mobile is None:
            return  # a vacant post or one without a number hears it in its inbox
        found.append(
            Message(
                key=f"{complaint}:{version}:{HOLDER}",
                complaint_id=complaint,
                audience=HOLDER,
                mobile=mobile,
                language=Language.HINDI,
                template=template,
                params=params,
                text=render(template, Language.HINDI, params),
            )
        )

    def designation(post_id: str | None) -> str:
        post = directory.posts.get(post_id) if post_id else None
        return post.designation if post else "state-level pool"

    reg = recipient.registration_no if recipient else str(complaint)
    language = recipient.language if recipient else Language.HINDI
    match event:
        case Filed() if answered_in_the_conversation(event):
            pass  # its registration number and link were the conversation's answer
        case Filed():
            department = directory.departments.get(event.department)
            to_complainant(
                "sampark_filed",
                [
                    event.registration_no,
                    department.name if department else event.department,
                    links.report(complaint, event.timestamp),
                ],
            )
        case Assigned():
            to_holder(event.post, "sampark_assigned", _with_you(event, reg))
        case Triaged():
            to_holder(event.holder, "sampark_assigned", _with_you(event, reg))
        case Transferred():
            department = directory.departments.get(event.to_department)
            to_complainant(
                "sampark_transferred",
                [
                    reg,
                    department.name if department else event.to_department,
                    designation(event.holder),
                ],
            )
            to_holder(event.holder, "sampark_assigned", _with_you(event, reg))
        case Escalated():
            to_complainant(
                "sampark_escalated", [reg, str(event.to_level), designation(event.holder)]
            )
            to_holder(event.holder, "sampark_assigned", _with_you(event, reg))
        case Reopened():
            to_holder(event.holder, "sampark_assigned", _with_you(event, reg))
        case Resolved():
            to_complainant(
                "sampark_resolved",
                [
                    reg,
                    OUTCOMES[event.outcome][language],
                    links.report(complaint, event.timestamp),
                ],
                buttons=True,
            )
        case ReminderReceived():
            to_holder(event.holder, "sampark_reminder", [reg])
            if found:  # only what is true: a post with no one to tell hears nothing of it
                to_complainant(PASSED_ON, [reg, designation(event.holder)])
        case Withdrawn():
            to_complainant("sampark_withdrawn", [reg])
            to_holder(event.holder, "sampark_withdrawn_holder", [reg])
        case Closed() | ClarificationSought() | HearingScheduled() | InterimReplied():
            to_complainant(*_waiting_and_hearing(event, reg, language, links, designation))
        case DeadlineApproaching():
            to_holder(
                event.holder,
                "sampark_deadline",
                [reg, str(event.level), local_time(event.due_at)],
            )
        case _ if isinstance(event, GUARANTEE_EVENTS):
            found += under_the_act(event, recipient, directory, links)
    return found


def _waiting_and_hearing(
    event: Closed | ClarificationSought | HearingScheduled | InterimReplied,
    reg: str,
    language: str,
    links: Links,
    designation: Callable[[str | None], str],
) -> tuple[str, list[str]]:
    """The complainant's news that goes to it alone: a closing, the clock that waits and
    hearings (docs/hearings.md)."""
    match event:
        case Closed():
            return "sampark_closed", [reg]
        case ClarificationSought():
            report = links.report(event.originator_id, event.timestamp)
            return "sampark_clarify", [reg, event.question, local_time(event.answer_by), report]
        case HearingScheduled():
            mode = MODES[event.mode][language]
            return "sampark_hearing", [reg, local_time(event.on), designation(event.post), mode]
        case InterimReplied():
            return "sampark_interim", [reg, event.note]


def under_the_act(
    event: object, recipient: Recipient | None, directory: Directory, links: Links
) -> list[Message]:
    """The Public Services Guarantee Act's news: the complainant hears of the right to appeal,
    of each decision and of a penalty; the post an appeal lies before hears of it."""
    complaint: UUID = event.originator_id  # type: ignore[attr-defined]
    version: int = event.originator_version  # type: ignore[attr-defined]
    at: datetime = event.timestamp  # type: ignore[attr-defined]
    reg = recipient.registration_no if recipient else str(complaint)
    language = recipient.language if recipient else Language.HINDI

    def message(
        audience: str, mobile: str, language: str, template: str, params: list[str]
    ) -> Message:
        return Message(
            key=f"{complaint}:{version}:{audience}",
            complaint_id=complaint,
            audience=audience,
            mobile=mobile,
            language=language,
            template=template,
            params=params,
            text=render(template, language, params),
        )

    def to_complainant(template: str, params: list[str]) -> list[Message]:
        if recipient is None:
            return []
        return [message(COMPLAINANT, recipient.mobile, language, template, params)]

    match event:
        case StipulatedTimePassed():
            return to_complainant(
                "sampark_appeal_right",
                [
                    reg,
                    event.due_on.strftime("%d-%m-%Y"),
                    event.appeal_until.strftime("%d-%m-%Y"),
                    links.report(complaint, at),
                ],
            )
        case FirstAppealFiled() | SecondAppealFiled():
            post = directory.posts.get(event.post)
            mobile = post.reachable_at if post else None
            if mobile is None:
                return []  # a vacant post, or one without a number, hears it in its inbox
            stage = STAGES[1 if isinstance(event, FirstAppealFiled) else 2][Language.HINDI]
            params = [reg, stage, local_time(event.decide_by)]
            return [
                message(APPEAL_POST, mobile, Language.HINDI, "sampark_appeal_before_you", params)
            ]
        case FirstAppealDecided() | SecondAppealDecided():
            stage = STAGES[1 if isinstance(event, FirstAppealDecided) else 2][language]
            return to_complainant(
                "sampark_appeal_decided",
                [reg, stage, DECISIONS[event.decision][language], links.report(complaint, at)],
            )
        case PenaltyImposed():
            return to_complainant("sampark_penalty", [reg, str(event.amount)])
    return []


def answered_in_the_conversation(event: Filed) -> bool:
    """A citizen's own filing on WhatsApp: the conversation (docs/whatsapp.md) answered it with
    the registration number and the report link, so `sampark_filed` would say it twice."""
    return event.channel == Channel.WHATSAPP and event.actor.role == Role.CITIZEN


def _with_you(event: object, reg: str) -> list[str]:
    """Registration number and due time, for the post that now holds the complaint."""
    due: datetime = event.due_at  # type: ignore[attr-defined]
    return [reg, local_time(due)]


def first_disposed(
    event: Resolved, first: Recipient | None, linked: Recipient, links: Links
) -> Message:
    """To the complainant of a complaint linked to this one (`Linked`), when this one is
    disposed of: once for each linked complaint, ever (the key names no version)."""
    first_id: UUID = event.originator_id
    params = [
        linked.registration_no,
        first.registration_no if first else str(first_id),
        OUTCOMES[event.outcome][linked.language],
        links.report(first_id, event.timestamp),
    ]
    return Message(
        key=f"{linked.complaint_id}:first-disposed:{COMPLAINANT}",
        complaint_id=linked.complaint_id,
        audience=COMPLAINANT,
        mobile=linked.mobile,
        language=linked.language,
        template="sampark_first_disposed",
        params=params,
        text=render("sampark_first_disposed", linked.language, params),
    )
