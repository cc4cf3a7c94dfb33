"""Who may see and do what: roles, and the scope each role's token grants.

An officer acts only on complaints its post holds; a collector only within its district; a
department head only within its department; a citizen only on its own complaints. Staff out
of scope get `Forbidden`; a citizen asking after someone else's complaint learns nothing
(`NotFound`), so that complaint numbers cannot be probed for personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import Forbidden, NotFound
from domain.values import Channel, Identity, Role

if TYPE_CHECKING:
    from domain.complaint import Complaint

STATE_WIDE_READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.ANALYST, Role.OPERATOR})
CITIZEN_CHANNELS = frozenset({Channel.PORTAL, Channel.WHATSAPP})
FILERS = frozenset({Role.CITIZEN, Role.OPERATOR, Role.COLLECTOR, Role.ADMIN})
PRIVILEGED_CHANNEL_FILERS = frozenset({Role.OPERATOR, Role.ADMIN})


def owns(who: Identity, complaint: Complaint) -> bool:
    return (
        who.role == Role.CITIZEN
        and who.mobile is not None
        and who.mobile == complaint.complainant.mobile
    )


def holds(who: Identity, complaint: Complaint) -> bool:
    return who.role == Role.OFFICER and who.post is not None and who.post == complaint.holder


def in_district(who: Identity, complaint: Complaint) -> bool:
    return who.district is not None and who.district == complaint.district


def in_department(who: Identity, complaint: Complaint) -> bool:
    return who.department is not None and who.department == complaint.department


def may_see(who: Identity, complaint: Complaint) -> bool:
    match who.role:
        case Role.CITIZEN:
            return owns(who, complaint)
        case Role.COLLECTOR:
            return in_district(who, complaint)
        case Role.DEPARTMENT_HEAD | Role.SECRETARY:
            return in_department(who, complaint)
        case Role.OFFICER:
            return holds(who, complaint) or (
                in_district(who, complaint) and in_department(who, complaint)
            )
        case _:
            return who.role in STATE_WIDE_READERS or who.role == Role.SYSTEM


def check_sees(who: Identity, complaint: Complaint) -> None:
    if may_see(who, complaint):
        return
    if who.role == Role.CITIZEN:
        raise NotFound("no such complaint")
    raise Forbidden(f"complaint {complaint.registration_no} is outside your scope")


def require(who: Identity, complaint: Complaint, allowed: bool, action: str) -> None:
    """Refuse `action` unless `allowed`; one who may not even see the complaint: 404 or 403."""
    check_sees(who, complaint)
    if not allowed:
        raise Forbidden(f"a {who.role} may not {action} this complaint")


def check_filer(who: Identity, channel: Channel, mobile: str) -> None:
    if who.role not in FILERS:
        raise Forbidden(f"a {who.role} may not file complaints")
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
