"""Who may see and do what: the table in `domain/permissions.py`, applied.

An officer acts only on complaints its post holds; a collector only within its district; a
department head only within its department; a citizen only on its own complaints.

Reading: one who may not see a complaint is told it does not exist (`NotFound`, the same
answer as for a complaint never filed), whatever else the request asks. Acting: staff out of
scope get `Forbidden`, a citizen `NotFound`; either way before anything else about the
complaint (its version, its state) is compared with the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import Forbidden, NotFound
from domain.permissions import permits, uses
from domain.values import Channel, Identity, Role

if TYPE_CHECKING:
    from domain.complaint import Complaint

CITIZEN_CHANNELS = frozenset({Channel.PORTAL, Channel.WHATSAPP})
PRIVILEGED_CHANNEL_FILERS = frozenset({Role.OPERATOR, Role.ADMIN})


def may_see(who: Identity, complaint: Complaint) -> bool:
    return permits(who, "see", complaint)


NO_SUCH_COMPLAINT = "no such complaint"  # for a missing complaint and a hidden one alike


def citizen(mobile: str) -> Identity:
    """A citizen, known by the mobile number it files and answers from: the one way a
    citizen's identity (and so its actor id on events) is made from a mobile number."""
    return Identity(id=f"citizen-{mobile}", role=Role.CITIZEN, mobile=mobile)


def check_sees(who: Identity, complaint: Complaint) -> None:
    """For reads: a complaint outside the caller's scope does not exist for it."""
    if not may_see(who, complaint):
        raise NotFound(NO_SUCH_COMPLAINT)


def check_reaches(who: Identity, complaint: Complaint) -> None:
    """For commands: staff are told the complaint is outside their scope; a citizen learns
    nothing of others' complaints."""
    if may_see(who, complaint):
        return
    if who.role == Role.CITIZEN:
        raise NotFound(NO_SUCH_COMPLAINT)
    raise Forbidden(f"complaint {complaint.registration_no} is outside your scope")


VERBS = {
    "raise_priority": "raise the priority of",
    "give_feedback": "give feedback on",
    "remind": "send a reminder on",
    "add_evidence": "add evidence to",
    "comment": "comment on",
    "receipt": "print the receipt of",
}


def require(who: Identity, complaint: Complaint, action: str) -> None:
    """Refuse `action` unless the table permits it here; one who may not even see the
    complaint learns nothing more (a citizen: 404; staff: 403)."""
    check_reaches(who, complaint)
    if not permits(who, action, complaint):
        raise Forbidden(f"{who.role.a} may not {VERBS.get(action, action)} this complaint")


def check_filer(who: Identity, channel: Channel, mobile: str) -> None:
    if not uses(who, "file"):
        raise Forbidden(f"{who.role.a} may not file complaints")
    if who.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise Forbidden(
                f"a citizen files through {', '.join(sorted(CITIZEN_CHANNELS))}, not {channel}",
                field="channel",
            )
        if who.mobile != mobile:
            raise Forbidden(
                "a citizen files only under the mobile number of its own login",
                field="complainant.mobile",
            )
    elif channel in (Channel.CMO, Channel.VIP) and who.role not in PRIVILEGED_CHANNEL_FILERS:
        raise Forbidden(f"only the {channel} cell files through {channel}", field="channel")
