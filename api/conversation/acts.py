"""What the WhatsApp conversation does to complaints, as the citizen who writes: file one,
list its own, remind, withdraw; and take the photos and voice notes it sends.

The actor is always `domain.access.citizen(<the sender's mobile>)`: the number WhatsApp
vouches for, never anything the message says. Every rule is the domain's, as on every other
way in; a refusal comes back as the domain's words for the citizen to read.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from api.assist import at_filing
from api.problems import Problem
from api.services import Services
from domain import access, inputs
from domain.complaint import Complaint, complaint_id
from domain.location import Location
from domain.values import OPEN_STATUSES, Attachment, Channel, Complainant, Language
from infra.adapters.blobs import media_type_of
from infra.adapters.media import MediaUnavailable
from infra.eventstore.receipts import Receipt
from infra.security.report_links import report_link
from projections.queries import ReadQueries, Search
from projections.rows import ComplaintRow

WHATSAPP = "whatsapp"  # the receipts' principal for what the conversation writes
MINE_SHOWN = 10  # a list message's rows
PHOTOS = ("image/jpeg", "image/png", "image/webp")
VOICE = ("audio/ogg", "audio/mpeg", "video/mp4")  # WhatsApp's voice notes and audio files
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "video/mp4": "m4a",
}


class Refused(Exception):
    """The citizen is told why (in the domain's or the service's words)."""


class TooMany(Exception):
    """The number filed its quota (`SAMPARK_FILE_LIMIT_PER_MOBILE`): so many seconds to wait."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"wait {wait} s")
        self.wait = wait


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    department: str | None  # its name; None while it waits for the helpline desk
    link: str


def evidence(
    services: Services, media_id: str | None, kinds: tuple[str, ...], mobile: str
) -> dict[str, Any]:
    """A photo or voice note the citizen sent, fetched, sniffed and stored like an upload;
    `MediaUnavailable` when it cannot be had or is not of `kinds`."""
    if services.media is None or media_id is None:
        raise MediaUnavailable("no media provider is configured")
    content = services.media.fetch(media_id)
    media_type = media_type_of(content)
    if media_type not in kinds:
        raise MediaUnavailable(f"media {media_id} is {media_type or 'of no known type'}")
    sha256 = services.blobs.put(content, uploader=access.citizen(mobile).id)
    return {
        "sha256": sha256,
        "media_type": media_type,
        "size": len(content),
        "filename": f"whatsapp-{sha256[:12]}.{EXTENSIONS[media_type]}",
    }


def place(
    latitude: object, longitude: object, name: str | None, address: str | None
) -> dict[str, Any]:
    """A shared WhatsApp location as the complaint's `location` (its name or address as the
    landmark); `InvalidCommand` by the rules of `domain.location`."""
    landmark = " - ".join(p.strip() for p in (name, address) if p and p.strip())[:300] or None
    found = Location.of(latitude=_number(latitude), longitude=_number(longitude), landmark=landmark)
    return {} if found is None else {k: v for k, v in asdict(found).items() if v is not None}


def _number(value: object) -> object:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def file(
    services: Services,
    *,
    mobile: str,
    name: str | None,
    language: str,
    draft: dict[str, Any],
    message_id: str,
    now: datetime,
) -> Filed:
    """File the draft, once for the message that confirmed it: a second delivery of that
    message finds the complaint its receipt names."""
    receipt = Receipt(
        WHATSAPP, f"file:{message_id}", hashlib.sha256(message_id.encode()).hexdigest()
    )
    prior = services.receipts.find(receipt.principal, receipt.key)
    if prior is not None and prior.originator_id is not None:
        return _filed(services, services.app.complaint(prior.originator_id), now)
    subject, description = draft["subject"], draft["description"]
    try:
        where = at_filing(services, subject, description, None, None)
    except Problem as refused:
        raise Refused(refused.detail) from None
    settings = services.settings
    wait = services.limits.take(
        f"file:mobile:{mobile}",
        settings.file_limit_per_mobile,
        settings.file_limit_per_mobile_seconds,
        now,
    )
    if wait is not None:
        raise TooMany(int(wait))
    complaint = services.app.file_complaint(
        by=access.citizen(mobile),
        complainant=Complainant(
            name=_name(name),
            mobile=mobile,
            language=Language(language),
        ),
        district=draft["district"],
        department=where.department,
        category=where.category,
        subject=subject,
        description=description,
        channel=Channel.WHATSAPP,
        attachments=tuple(Attachment(**a) for a in draft.get("attachments", [])),
        assistant=where.assistant,
        risk=where.risk,
        location=Location(**draft["location"]) if draft.get("location") else None,
        recorded_with={"receipt": receipt},
    )
    return _filed(services, complaint, now)


def _name(profile_name: str | None) -> str:
    """The WhatsApp profile's name when it passes the rules for names; else a stand-in."""
    try:
        return inputs.NAME.clean(profile_name or "", "name").strip() or "WhatsApp"
    except Exception:
        return "WhatsApp"


def _filed(services: Services, complaint: Complaint, now: datetime) -> Filed:
    department = services.app.directory().departments.get(complaint.department)
    return Filed(
        complaint=complaint,
        department=None if complaint.awaiting_triage or department is None else department.name,
        link=report_link(services.settings, complaint.id, now),
    )


def mine(
    services: Services, mobile: str, now: datetime, *, open_only: bool = False
) -> list[ComplaintRow]:
    """The complaints filed from this number, newest first (the read model's)."""
    with services.pool.connection() as conn:
        page = ReadQueries(conn).search(
            access.citizen(mobile),
            Search(mobile=mobile),
            cursor=None,
            limit=MINE_SHOWN * 3,
            now=now,
        )
    rows = [r for r in page.rows if not open_only or r.status in OPEN_STATUSES]
    return rows[:MINE_SHOWN]


def own(services: Services, mobile: str, registration_no: str) -> UUID:
    """The complaint a chosen row names, if it is the citizen's own; `Refused` otherwise."""
    if not 1 <= len(registration_no) <= 64:
        raise Refused(access.NO_SUCH_COMPLAINT)
    found = complaint_id(registration_no)
    services.app.complaint(found, by=access.citizen(mobile))  # NotFound unless its own
    return found


def remind(services: Services, mobile: str, complaint: UUID, message_id: str) -> Complaint:
    receipt = _receipt("remind", message_id)
    done = _done_before(services, receipt)
    return done or services.app.remind(
        complaint, by=access.citizen(mobile), note=None, recorded_with={"receipt": receipt}
    )


def add_photo(
    services: Services, mobile: str, complaint: UUID, photo: dict[str, Any], message_id: str
) -> Complaint:
    """A photo added to the citizen's open complaint (`EvidenceAdded`), once per message."""
    receipt = _receipt("photo", message_id)
    done = _done_before(services, receipt)
    return done or services.app.add_evidence(
        complaint,
        by=access.citizen(mobile),
        attachments=(Attachment(**photo),),
        recorded_with={"receipt": receipt},
    )


def withdraw(
    services: Services, mobile: str, complaint: UUID, reason: str, message_id: str
) -> Complaint:
    """The complainant's withdrawal (issue 17 item 5), once for the message that confirmed it."""
    receipt = _receipt("withdraw", message_id)
    done = _done_before(services, receipt)
    return done or services.app.withdraw(
        complaint, by=access.citizen(mobile), reason=reason, recorded_with={"receipt": receipt}
    )


def _done_before(services: Services, receipt: Receipt) -> Complaint | None:
    """The complaint a command of this receipt changed, if a first delivery got that far."""
    prior = services.receipts.find(receipt.principal, receipt.key)
    if prior is None or prior.originator_id is None:
        return None
    return services.app.complaint(prior.originator_id)


def _receipt(what: str, message_id: str) -> Receipt:
    return Receipt(
        WHATSAPP, f"{what}:{message_id}", hashlib.sha256(message_id.encode()).hexdigest()
    )
