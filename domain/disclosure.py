"""What each reader is shown of a complaint's story: the rules, written once.

Three kinds of reader:

- **Staff** who see personal data (operators, officers, collectors, department heads,
  secretaries, auditors, admins): everything about the complaints in their scope. Every such
  look is logged (`infra/security/access_log.py`).
- **The complainant**: the public part of its complaint's story. Notes are internal unless
  their writer marked them public (`CommentAdded.visibility`); review notes and the offices'
  own bookkeeping (review lists, deadline warnings, blocked escalations) are not shown; staff
  are named by the post and office they acted for, never by personal id.
- **Pseudonymous readers** (`PSEUDONYMOUS` in `domain/permissions.py`: analysts): no name,
  mobile, email or address; no free text, since text written by or about a citizen can name
  them (subjects and descriptions, reasons, notes, comments, the action taken, file names);
  and a citizen actor only as a keyed pseudonym, stable across complaints, so repeat
  complainants can be counted but not named. Codes, posts, dates and counts stay. Of a
  complaint's location (`domain/location.py`), the pincode and the ward or village only: a
  point on the map and a landmark can lead to a person's door.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain.events import (
    ClarificationAnswered,
    ClarificationSought,
    Closed,
    CommentAdded,
    DeadlineApproaching,
    Escalated,
    EscalationBlocked,
    EvidenceAdded,
    FeedbackGiven,
    Filed,
    FirstAppealDecided,
    FirstAppealFiled,
    HearingHeld,
    InterimReplied,
    PenaltyImposed,
    PriorityRaised,
    QueuedForReview,
    ReminderReceived,
    Reopened,
    Resolved,
    ReviewRecorded,
    RevisionSought,
    SecondAppealDecided,
    SecondAppealFiled,
    Transferred,
    Withdrawn,
)
from domain.location import Location
from domain.permissions import PERMISSIONS, PSEUDONYMOUS, Scope
from domain.values import Actor, Identity, Role, Visibility

if TYPE_CHECKING:
    from domain.complaint import Complaint


class Reader(StrEnum):
    STAFF = "staff"
    COMPLAINANT = "complainant"
    PSEUDONYMOUS = "pseudonymous"


def reader(who: Identity) -> Reader:
    if who.role == Role.CITIZEN:
        return Reader.COMPLAINANT  # a citizen sees no complaint but its own
    if who.role in PSEUDONYMOUS:
        return Reader.PSEUDONYMOUS
    return Reader.STAFF


# Fields of events that say who the citizen is.
PERSONAL: dict[type, frozenset[str]] = {
    Filed: frozenset({"complainant"}),
    PenaltyImposed: frozenset({"officer"}),  # the officer fined, by name
}
# Fields of events that are free text (written by a citizen, or by staff about one).
FREE_TEXT: dict[type, frozenset[str]] = {
    Filed: frozenset({"subject", "description"}),
    Transferred: frozenset({"reason"}),
    Escalated: frozenset({"reason"}),
    Resolved: frozenset({"action_taken"}),
    FeedbackGiven: frozenset({"comment"}),
    Reopened: frozenset({"reason"}),
    Closed: frozenset({"reason"}),
    PriorityRaised: frozenset({"reason"}),
    ReminderReceived: frozenset({"note"}),
    CommentAdded: frozenset({"text"}),
    ReviewRecorded: frozenset({"note"}),
    Withdrawn: frozenset({"reason"}),
    # The Public Services Guarantee Act: the citizen's grounds, the officers' orders.
    FirstAppealFiled: frozenset({"grounds"}),
    FirstAppealDecided: frozenset({"order"}),
    SecondAppealFiled: frozenset({"grounds"}),
    SecondAppealDecided: frozenset({"order"}),
    PenaltyImposed: frozenset({"reasons"}),
    RevisionSought: frozenset({"grounds"}),
    ClarificationSought: frozenset({"question"}),
    ClarificationAnswered: frozenset({"answer"}),
    InterimReplied: frozenset({"note"}),
    HearingHeld: frozenset({"directions"}),
}
# Fields of events listing files, whose names are free text too.
FILES: dict[type, frozenset[str]] = {
    Filed: frozenset({"attachments"}),
    Resolved: frozenset({"evidence"}),
    EvidenceAdded: frozenset({"attachments"}),
}
# Fields of events holding a `Location`, of which pseudonymous readers see only a part.
PLACES: dict[type, frozenset[str]] = {Filed: frozenset({"location"})}
PSEUDONYMOUS_LOCATION = frozenset({"pincode", "ward"})
# The offices' own working, not part of the complainant's story.
INTERNAL_EVENTS: frozenset[type] = frozenset(
    {ReviewRecorded, QueuedForReview, DeadlineApproaching, EscalationBlocked}
)
WITHHELD_FILENAME = "withheld"


def is_public(event: object) -> bool:
    """Whether the complainant is shown this event of its complaint."""
    if type(event) in INTERNAL_EVENTS:
        return False
    if isinstance(event, CommentAdded):
        return getattr(event, "visibility", Visibility.INTERNAL) == Visibility.PUBLIC
    return True


def office_of(actor: Actor, complaint: Complaint) -> str:
    """How the complainant knows a member of staff: the post it acted for, or its role and
    office (`collector-JAI`, `department_head-PHED`); state-wide roles by role alone."""
    match PERMISSIONS["see"].get(actor.role):
        case Scope.OFFICE | Scope.OWN_POST:
            return complaint.holder or f"{actor.role}-{complaint.department}-{complaint.district}"
        case Scope.DISTRICT:
            return f"{actor.role}-{complaint.district}"
        case Scope.DEPARTMENT:
            return f"{actor.role}-{complaint.department}"
    return str(actor.role)


class Disclosure:
    """The rules above, with the key that makes citizens' pseudonyms."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def pseudonym(self, actor_id: str) -> str:
        """The same citizen, the same pseudonym; without the key, no way back."""
        digest = hmac.new(self._key, actor_id.encode(), hashlib.sha256).hexdigest()
        return f"citizen-{digest[:8]}"

    def actor(self, who: Identity, actor: Actor, acted_on: Complaint) -> Actor:
        """The event's actor as `who` is shown it; `acted_on` is the complaint as it stood
        when the actor acted."""
        match reader(who):
            case Reader.PSEUDONYMOUS if actor.role == Role.CITIZEN:
                return Actor(id=self.pseudonym(actor.id), role=actor.role)
            case Reader.COMPLAINANT if actor.role != Role.CITIZEN:
                return Actor(id=office_of(actor, acted_on), role=actor.role)
        return actor

    def event_data(self, who: Identity, event: object, data: dict[str, Any]) -> dict[str, Any]:
        """An event's own fields as `who` is shown them (for an event `who` may be shown:
        see `is_public` for the complainant)."""
        if reader(who) != Reader.PSEUDONYMOUS:
            return data
        kind = type(event)
        shown = {k: v for k, v in data.items() if k not in PERSONAL.get(kind, ())}
        for name in FREE_TEXT.get(kind, ()):
            if name in shown:
                shown[name] = None
        for name in FILES.get(kind, ()):
            shown[name] = [withheld_name(f) for f in shown.get(name) or []]
        for name in PLACES.get(kind, ()):
            if shown.get(name) is not None:
                shown[name] = {
                    k: v for k, v in shown[name].items() if k in PSEUDONYMOUS_LOCATION
                } or None
        return shown


def withheld_name(file: dict[str, Any]) -> dict[str, Any]:
    return {**file, "filename": WITHHELD_FILENAME}


def location_shown(who: Identity, location: Location | None) -> Location | None:
    """A complaint's location as `who` is shown it: whole to staff and the complainant,
    the pincode and ward only to pseudonymous readers."""
    if location is None or reader(who) != Reader.PSEUDONYMOUS:
        return location
    kept = Location(**{k: getattr(location, k) for k in sorted(PSEUDONYMOUS_LOCATION)})
    return None if kept == Location() else kept


def shows_personal_data(who: Identity) -> bool:
    return reader(who) != Reader.PSEUDONYMOUS
