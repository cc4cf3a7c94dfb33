"""Value objects of the grievance domain: who acts, through which channel, with what outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    OPERATOR = "operator"  # helpline 181 or an e-Mitra kiosk filing for a citizen
    OFFICER = "officer"
    COLLECTOR = "collector"
    DEPARTMENT_HEAD = "department_head"
    SECRETARY = "secretary"
    MINISTER = "minister"  # reads its departments' reports and dashboards
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the scheduler and other automatic actors

    @property
    def a(self) -> str:
        """The role with its article, for messages: "an analyst", "a citizen"."""
        return f"{'an' if self.value[0] in 'aeiou' else 'a'} {self.value}"


# The state's grievance helpline (Rajasthan Sampark, toll-free): the number every page and
# document a citizen holds tells them to call.
HELPLINE = "181"


class Channel(StrEnum):
    PORTAL = "portal"
    HELPLINE_181 = "helpline_181"
    WHATSAPP = "whatsapp"
    EMITRA = "emitra"
    CMO = "cmo"
    VIP = "vip"
    SAMPARK_DIWAS = "sampark_diwas"
    OPEN311 = "open311"  # a partner's system, through Open311 GeoReport v2 (api/open311.py)


HIGH_PRIORITY_CHANNELS = frozenset({Channel.CMO, Channel.VIP})


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"


class Status(StrEnum):
    UNASSIGNED = "unassigned"  # no route matched: waits in the state-level pool
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # by the complainant, while it was open


OPEN_STATUSES = frozenset({Status.UNASSIGNED, Status.ASSIGNED, Status.REOPENED})


class Outcome(StrEnum):
    """Disposal outcomes, as Rajasthan Sampark records them."""

    RELIEF = "relief"
    INTERIM_RELIEF = "interim_relief"
    REJECTED = "rejected"
    FALSE_COMPLAINT = "false_complaint"
    SUB_JUDICE = "sub_judice"
    NOT_POSSIBLE = "not_possible"


class Trigger(StrEnum):
    """What set an automatic or manual move in motion."""

    MANUAL = "manual"
    DEADLINE = "deadline"
    ROUTE = "route"
    FEEDBACK_SATISFIED = "feedback_satisfied"
    FEEDBACK_WINDOW_EXPIRED = "feedback_window_expired"
    APPEAL = "appeal"  # the complainant, not satisfied again


class Visibility(StrEnum):
    """Who a staff note is written for: the offices only, or the complainant as well."""

    INTERNAL = "internal"
    PUBLIC = "public"


MIN_LEVEL = 1
MAX_LEVEL = 4  # officer, higher officer, head of department, state government


@dataclass(frozen=True)
class Actor:
    """Who did something: recorded on every event."""

    id: str
    role: Role


@dataclass(frozen=True)
class Identity:
    """An authenticated caller and the scope its token grants."""

    id: str
    role: Role
    district: str | None = None
    department: str | None = None
    post: str | None = None
    mobile: str | None = None
    departments: tuple[str, ...] = ()  # a minister's departments
    desk: str | None = None  # an operator's e-Mitra kiosk or 181 desk, recorded on its filings

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, role=self.role)


# The system's own actors, one per job: the clockwork's automatic moves on complaints
# (escalating, warning, closing, queuing for review), and Sampark itself (the empty
# directory it starts from).
SCHEDULER = Identity(id="scheduler", role=Role.SYSTEM)
SAMPARK = Identity(id="sampark", role=Role.SYSTEM)
ASSISTANT = Identity(id="assistant", role=Role.SYSTEM)  # its acts at filing (docs/assist.md)


@dataclass(frozen=True)
class AssistantChoice:
    """The category the assistant chose at filing, for auditors to see why: the model's
    version, the category's score, and whether it was confident enough to route the
    complaint (else the complaint waits for the helpline desk's triage)."""

    model_version: int
    score: float
    routed: bool


@dataclass(frozen=True)
class RiskRead:
    """The assistant read a risk to life or safety in a complaint's words: its model's
    version, the score, and the words that said so most."""

    model_version: int
    score: float
    reasons: tuple[str, ...] = ()


class Language(StrEnum):
    """The language a complainant hears back in: Hindi unless they ask for English."""

    HINDI = "hi"
    ENGLISH = "en"


@dataclass(frozen=True)
class Offered:
    """An open complaint the assistant found to be likely the same grievance as a new
    filing, offered to its complainant to follow (`FollowOffered`)."""

    id: str
    registration_no: str


@dataclass(frozen=True)
class Complainant:
    name: str
    mobile: str
    email: str | None = None
    address: str | None = None
    language: Language = Language.HINDI


@dataclass(frozen=True)
class Attachment:
    """A reference to a file in the content-addressed store."""

    sha256: str
    filename: str
    media_type: str
    size: int


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    action_taken: str
    evidence: tuple[Attachment, ...]
    resolved_by: str | None  # the post that disposed of it
    level: int
    resolved_at: datetime
    feedback_until: datetime  # the end of the complainant's feedback window


@dataclass(frozen=True)
class Feedback:
    satisfied: bool
    rating: int | None  # 1-5; None: not given (a button, or words without a number)
    comment: str | None


@dataclass(frozen=True)
class RoutingGap:
    """Why a complaint could not climb: the next post of its chain is missing or vacant."""

    to_level: int
    post: str | None  # the vacant post; None when the chain has no post at that level
    reason: str


@dataclass(frozen=True)
class Clarification:
    """A question the holder asked the complainant; the complaint's clock waits for the answer
    (`domain/clarification.py`)."""

    question: str
    asked_at: datetime
    answer_by: datetime  # after this, the holder may dispose of the complaint unanswered
    paused_due_at: datetime | None  # the deadline when the clock stopped
    holder: str | None  # the post that asked


class HearingMode(StrEnum):
    """How a hearing is held (Rajasthan Right to Hearing Act, 2012; docs/hearings.md)."""

    IN_PERSON = "in_person"
    VIDEO = "video"


@dataclass(frozen=True)
class Hearing:
    """A hearing of the complainant, scheduled for a complaint, and what came of it."""

    number: int  # 1 for the complaint's first hearing
    on: datetime
    post: str  # the hearing officer's post
    mode: HearingMode
    diwas: date | None  # the Rajasthan Sampark Diwas it is heard at, if any
    attended: bool | None = None  # None: not yet held
    directions: str | None = None
