"""Who may do what, and where: access as data.

One table: for every action on a complaint (each command, and seeing it), the roles that may
take it and the scope each is held to. Roles not listed may not take the action at all. The
aggregate asks `permits` before it decides anything; the HTTP tests are generated from the
same table (tests/e2e/test_access_matrix.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from domain.values import Role

if TYPE_CHECKING:
    from domain.complaint import Complaint
    from domain.values import Identity


class Scope(StrEnum):
    OWN_COMPLAINT = "own_complaint"  # filed under the mobile number of the citizen's login
    OWN_POST = "own_post"  # held by the officer's post
    # held by the officer's post, or in the officer's district and department, or before its
    # post under the Public Services Guarantee Act (an appeal lies or lay before it; it was fined)
    OFFICE = "office"
    DISTRICT = "district"  # in the collector's district
    DEPARTMENT = "department"  # of the head's or secretary's department
    DEPARTMENTS = "departments"  # of one of the minister's departments
    STATE = "state"  # anywhere
    # The Public Services Guarantee Act (docs/guarantee.md): the post an undecided appeal
    # on the complaint lies before, and the post of the designated officer it fined.
    APPEAL_POST = "appeal_post"
    PENALISED_POST = "penalised_post"


R = Role
S = Scope
STAFF_SEE = {
    R.OFFICER: S.OFFICE,
    R.COLLECTOR: S.DISTRICT,
    R.DEPARTMENT_HEAD: S.DEPARTMENT,
    R.SECRETARY: S.DEPARTMENT,
}

PERMISSIONS: dict[str, dict[Role, Scope]] = {
    "see": {
        R.CITIZEN: S.OWN_COMPLAINT,
        **STAFF_SEE,
        R.OPERATOR: S.STATE,
        R.ANALYST: S.STATE,  # pseudonymised: no name, mobile or address
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
        R.SYSTEM: S.STATE,
    },
    "assign": {R.COLLECTOR: S.DISTRICT, R.DEPARTMENT_HEAD: S.DEPARTMENT, R.ADMIN: S.STATE},
    "transfer": {
        R.OFFICER: S.OWN_POST,
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.ADMIN: S.STATE,
    },
    "escalate": {
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.ADMIN: S.STATE,
        R.SYSTEM: S.STATE,
    },
    "raise_priority": {R.COLLECTOR: S.DISTRICT, R.ADMIN: S.STATE},
    # The helpline desk's choice for a complaint the assistant was not sure of.
    "triage": {R.OPERATOR: S.STATE, R.COLLECTOR: S.DISTRICT, R.ADMIN: S.STATE},
    "resolve": {R.OFFICER: S.OWN_POST},
    "give_feedback": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    "reopen": {
        R.CITIZEN: S.OWN_COMPLAINT,  # only when not satisfied, within the feedback window
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
    },
    "close": {R.CITIZEN: S.OWN_COMPLAINT, R.COLLECTOR: S.DISTRICT, R.ADMIN: S.STATE},
    "remind": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    # Files added to an open complaint after filing (a photo sent on WhatsApp).
    "add_evidence": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    # Only the complainant: a withdrawal ends the state's duty to act on its word alone.
    "withdraw": {R.CITIZEN: S.OWN_COMPLAINT},
    # Following an open complaint about the same grievance, from one's own complaint (the
    # helpline may do it for a caller: it only adds a message to that complaint's mobile).
    "follow": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    "comment": {**STAFF_SEE, R.OPERATOR: S.STATE, R.ADMIN: S.STATE, R.SYSTEM: S.STATE},
    "review": {R.SECRETARY: S.DEPARTMENT},
    # Marking a complaint as the same grievance as an earlier one (`Linked`).
    "link": {
        R.OPERATOR: S.STATE,
        R.OFFICER: S.OWN_POST,
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.ADMIN: S.STATE,
    },
    # The receipt of a filing (`GET /v1/complaints/{id}/receipt`), printed for the citizen.
    "receipt": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE, R.ADMIN: S.STATE},
    # The clock that waits (domain/clarification.py): the holder asks the complainant, the
    # complainant (or the helpline, or the holder taking it down from a call) answers.
    "clarify": {R.OFFICER: S.OWN_POST},
    "answer": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE, R.OFFICER: S.OWN_POST},
    "interim_reply": {R.OFFICER: S.OWN_POST},
    # Hearings (domain/hearing.py): the holder, or the collector (Sampark Diwas) or the
    # head of the department above it, fix a hearing and record it.
    "hear": {R.OFFICER: S.OWN_POST, R.COLLECTOR: S.DISTRICT, R.DEPARTMENT_HEAD: S.DEPARTMENT},
    # Listing for a Rajasthan Sampark Diwas: the collector, or at the complainant's request.
    "list_for_diwas": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE, R.COLLECTOR: S.DISTRICT},
    "audit": {R.AUDITOR: S.STATE, R.ADMIN: S.STATE},  # check the hash chain
    # The Public Services Guarantee Act (domain/appeals.py): the citizen appeals (a 181 or
    # e-Mitra operator for them); the post the appeal lies before decides it; the designated
    # officer fined seeks revision.
    "first_appeal": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    "second_appeal": {R.CITIZEN: S.OWN_COMPLAINT, R.OPERATOR: S.STATE},
    "decide_appeal": {R.OFFICER: S.APPEAL_POST},
    "seek_revision": {R.OFFICER: S.PENALISED_POST},
    # What the scheduler does by itself.
    "pass_deadlines": {R.SYSTEM: S.STATE},
    "warn_of_deadline": {R.SYSTEM: S.STATE},
    "close_unanswered": {R.SYSTEM: S.STATE},
    "queue_for_review": {R.SYSTEM: S.STATE},
    "pass_stipulated_time": {R.SYSTEM: S.STATE},
}


# The endpoints that act on no one complaint: who may use them, and the scope of what they
# are shown (lists and figures are filtered to it).
SERVICES: dict[str, dict[Role, Scope]] = {
    "file": {
        R.CITIZEN: S.OWN_COMPLAINT,  # only under their own mobile, through the portal or WhatsApp
        R.OPERATOR: S.STATE,
        R.COLLECTOR: S.STATE,  # at a Sampark Diwas hearing
        R.ADMIN: S.STATE,
    },
    "search": {r: s for r, s in PERMISSIONS["see"].items() if r != R.SYSTEM},
    # Finding a complaint by who filed it (`mobile`, `name` on the search): a caller to the
    # 181 desk rarely knows the registration number. Staff within the scope they see; a
    # citizen under its own mobile only; never a pseudonymous reader (an analyst).
    "search_by_complainant": {
        R.CITIZEN: S.OWN_COMPLAINT,
        **STAFF_SEE,
        R.OPERATOR: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    "inbox": {
        R.CITIZEN: S.OWN_COMPLAINT,
        R.OFFICER: S.OWN_POST,
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.SECRETARY: S.DEPARTMENT,
        R.ADMIN: S.STATE,  # the state-level pool
    },
    # A Sampark Diwas' list and proceedings (GET /v1/diwas/{district}/{day}).
    "diwas": {R.OPERATOR: S.STATE, R.COLLECTOR: S.DISTRICT, R.ADMIN: S.STATE},
    "dashboards": {
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.SECRETARY: S.DEPARTMENT,
        R.MINISTER: S.DEPARTMENTS,  # one of its departments at a time
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    # The documents of docs/reports.md. The infographic is the state's, made to be published:
    # any staff may fetch it (its figures are aggregates, read as an analyst reads them).
    "infographic": {
        R.OPERATOR: S.STATE,
        R.OFFICER: S.STATE,
        **{r: S.STATE for r in (R.COLLECTOR, R.DEPARTMENT_HEAD, R.SECRETARY, R.MINISTER)},
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    # A collector's weekly meeting pack: its own district; the state's readers any district.
    "district_pack": {
        R.COLLECTOR: S.DISTRICT,
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    # The ranking index compares departments and districts across the state (aggregates).
    "ranking_index": {
        **{r: S.STATE for r in (R.COLLECTOR, R.DEPARTMENT_HEAD, R.SECRETARY, R.MINISTER)},
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    # The secretary's monthly data: a department's month (aggregates, posts by name).
    "monthly_data": {
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.SECRETARY: S.DEPARTMENT,
        R.MINISTER: S.DEPARTMENTS,
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    # Training needs: a department's posts whose work came back (their posts by name).
    "training_needs": {
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.SECRETARY: S.DEPARTMENT,
        R.ANALYST: S.STATE,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    "review_list": {R.SECRETARY: S.DEPARTMENT, R.AUDITOR: S.STATE, R.ADMIN: S.STATE},
    # The day's reviews of a department, as reported to its minister.
    "review_report": {
        R.SECRETARY: S.DEPARTMENT,
        R.MINISTER: S.DEPARTMENTS,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    "pipeline": {R.ANALYST: S.STATE, R.AUDITOR: S.STATE, R.ADMIN: S.STATE},
    "who_looked": {R.AUDITOR: S.STATE, R.ADMIN: S.STATE},
    "directory_read": {r: S.STATE for r in Role if r != R.SYSTEM},
    "directory_history": {R.AUDITOR: S.STATE, R.ADMIN: S.STATE},
    "directory_gaps": {R.AUDITOR: S.STATE, R.ADMIN: S.STATE},
    "directory_change": {R.ADMIN: S.STATE},
    # The assistant's suggestions (`docs/assist.md`): for whoever files or handles complaints.
    "assist": {
        R.CITIZEN: S.OWN_COMPLAINT,
        R.OPERATOR: S.STATE,
        **{r: S.STATE for r in (R.OFFICER, R.COLLECTOR, R.DEPARTMENT_HEAD, R.SECRETARY)},
        R.ADMIN: S.STATE,
    },
    # The routing map's health (`GET /v1/assist/routing`): where officers move complaints
    # the map sent them, and the route changes that suggests; for whoever changes the map.
    "routing_health": {R.ADMIN: S.STATE},
    # The complaints awaiting triage, with the assistant's suggestions (`GET /v1/triage`).
    "triage_queue": {R.OPERATOR: S.STATE, R.COLLECTOR: S.DISTRICT, R.ADMIN: S.STATE},
    # The appeals under the Public Services Guarantee Act awaiting a decision
    # (`GET /v1/appeals`): an officer those before its post, the offices above their own.
    "appeals_pending": {
        R.OFFICER: S.OWN_POST,
        R.COLLECTOR: S.DISTRICT,
        R.DEPARTMENT_HEAD: S.DEPARTMENT,
        R.SECRETARY: S.DEPARTMENT,
        R.AUDITOR: S.STATE,
        R.ADMIN: S.STATE,
    },
    "upload_evidence": {
        R.CITIZEN: S.OWN_COMPLAINT,
        R.OPERATOR: S.STATE,
        R.OFFICER: S.OWN_POST,
        R.COLLECTOR: S.DISTRICT,
        R.ADMIN: S.STATE,
    },
}


# Roles shown no personal data: no name, mobile, email or address, no free text written by
# or about a citizen, and citizens' actor ids pseudonymised (`domain/disclosure.py`).
PSEUDONYMOUS = frozenset({R.ANALYST})

# The documents that may show complaints' personal data (the complainant's own words, the
# subject), and the roles shown it there; every complaint so shown is logged (access_log).
# Any other role is shown the document without it.
PERSONAL_DATA_IN: dict[str, frozenset[Role]] = {
    "review_report": frozenset({R.SECRETARY, R.AUDITOR, R.ADMIN}),
}


# --- the claims a role's token may carry ----------------------------------------------------

# What each scope is measured by: the claims it needs, and those it may use besides.
SCOPE_CLAIMS: dict[Scope, tuple[frozenset[str], frozenset[str]]] = {
    S.OWN_COMPLAINT: (frozenset({"mobile"}), frozenset()),
    S.OWN_POST: (frozenset({"post"}), frozenset()),
    S.OFFICE: (frozenset({"post"}), frozenset({"district", "department"})),
    S.DISTRICT: (frozenset({"district"}), frozenset()),
    S.DEPARTMENT: (frozenset({"department"}), frozenset()),
    S.DEPARTMENTS: (frozenset({"departments"}), frozenset()),
    S.STATE: (frozenset(), frozenset()),
    S.APPEAL_POST: (frozenset({"post"}), frozenset()),
    S.PENALISED_POST: (frozenset({"post"}), frozenset()),
}


# Claims that say where a caller works, not what it may see: an operator's `desk` (the
# e-Mitra kiosk or 181 desk, recorded on the complaints it files). Optional.
WORKPLACE_CLAIMS: dict[Role, frozenset[str]] = {R.OPERATOR: frozenset({"desk"})}


def scopes_of(role: Role) -> frozenset[Scope]:
    """Every scope the tables hold `role` to, for any action or endpoint."""
    tables = (PERMISSIONS, SERVICES)
    return frozenset(roles[role] for t in tables for roles in t.values() if role in roles)


def claims_of(role: Role) -> tuple[frozenset[str], frozenset[str]]:
    """The scope claims a token of `role` must carry, and all those it may carry: derived
    from the scopes the tables give the role, so a claim no scope of the role reads (a
    `post` on a citizen or a collector, a `district` on a department head) is refused at
    authentication rather than trusted later."""
    required: set[str] = set()
    allowed: set[str] = set()
    for scope in scopes_of(role):
        needs, may = SCOPE_CLAIMS[scope]
        required |= needs
        allowed |= needs | may
    allowed |= WORKPLACE_CLAIMS.get(role, frozenset())
    return frozenset(required), frozenset(allowed)


def uses(who: Identity, service: str) -> bool:
    """Whether `who` may use an endpoint that acts on no one complaint."""
    return who.role in SERVICES[service]


def in_scope(who: Identity, scope: Scope, complaint: Complaint) -> bool:
    match scope:
        case Scope.STATE:
            return True
        case Scope.OWN_COMPLAINT:
            return who.mobile is not None and who.mobile == complaint.complainant.mobile
        case Scope.OWN_POST:
            return who.post is not None and who.post == complaint.holder
        case Scope.OFFICE:
            return (
                in_scope(who, Scope.OWN_POST, complaint)
                or (
                    who.district == complaint.district
                    and who.department == complaint.department
                    and who.district is not None
                )
                or (
                    who.post is not None
                    and complaint.guarantee is not None
                    and who.post in complaint.guarantee.posts_concerned
                )
            )
        case Scope.DISTRICT:
            return who.district is not None and who.district == complaint.district
        case Scope.DEPARTMENT:
            return who.department is not None and who.department == complaint.department
        case Scope.DEPARTMENTS:
            return complaint.department in who.departments
        case Scope.APPEAL_POST:
            g = complaint.guarantee
            return who.post is not None and g is not None and who.post == g.pending_appeal_post
        case Scope.PENALISED_POST:
            g = complaint.guarantee
            return (
                who.post is not None
                and g is not None
                and g.penalty is not None
                and who.post == g.penalty.post
            )
    return False


def in_departments(who: Identity, service: str, department: str) -> bool:
    """Whether `department` is within what `who` may use `service` for."""
    match SERVICES[service].get(who.role):
        case Scope.STATE:
            return True
        case Scope.DEPARTMENT:
            return who.department == department
        case Scope.DEPARTMENTS:
            return department in who.departments
    return False


def permits(who: Identity, action: str, complaint: Complaint) -> bool:
    """Whether `who` may take `action` on this complaint."""
    scope = PERMISSIONS[action].get(who.role)
    return scope is not None and in_scope(who, scope, complaint)
