"""The Rajasthan Guaranteed Delivery of Public Services Act, 2011: its clock, in one place.

The State notifies services (`NotifiedService`, kept in the directory), each with a
*designated officer*, a *stipulated time*, a *first appeal officer* and a *second appeal
authority*. In Sampark the three officers are the posts of the service's department where the
complaint is: the designated officer is the level-1 post the complaint is routed to, the first
appeal officer the level-2 post of the district's chain, the second appeal authority the
level-3 post above it (`DESIGNATED_LEVEL`, ...).

- The designated officer provides the service within the stipulated time, counted in days
  from the day the citizen applied (`statutory_due_on`); or rejects the application.
- A citizen whose application is rejected, or who is not served within the stipulated time,
  may appeal to the first appeal officer within 30 days of the rejection or of the expiry of
  the stipulated time (`first_appeal_until`).
- A citizen aggrieved by the first appeal officer's decision may appeal to the second appeal
  authority within 60 days of that decision (`second_appeal_until`).
- The second appeal authority may impose a penalty on the designated officer who failed to
  provide the service without sufficient and reasonable cause: Rs 250 for each day of delay,
  not less than Rs 500 and not more than Rs 5,000 (`penalty_for_delay`), or a lump sum of
  Rs 500 to Rs 5,000 (`lump_sum_penalty`); recovered from the officer's salary.
- The officer penalised may apply for revision within 60 days of the order
  (`revision_until`) to the officer the State Government nominates.

The Act sets no time for an appeal's decision; Sampark gives each appeal officer
`APPEAL_DECIDED_WITHIN` and shows it as the appeal's deadline. Days are India's days
(`domain/sla.INDIA`): a day counts whole, to its midnight. Pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from domain.errors import InvalidCommand
from domain.sla import INDIA
from domain.values import Outcome

ACT = "Rajasthan Guaranteed Delivery of Public Services Act, 2011"
IN_FORCE_FROM = date(2011, 11, 14)  # no application before it was made under the Act

DESIGNATED_LEVEL = 1  # the post the application (and the complaint) goes to
FIRST_APPEAL_LEVEL = 2
SECOND_APPEAL_LEVEL = 3

MAX_STIPULATED_DAYS = 365
FIRST_APPEAL_WITHIN = timedelta(days=30)  # of the rejection or of the stipulated time's expiry
SECOND_APPEAL_WITHIN = timedelta(days=60)  # of the first appeal's decision
REVISION_WITHIN = timedelta(days=60)  # of the penalty's order
APPEAL_DECIDED_WITHIN = timedelta(days=30)  # Sampark's deadline for each appeal officer

PENALTY_PER_DAY = 250  # rupees for each day of delay
PENALTY_MIN = 500
PENALTY_MAX = 5000

# A disposal with one of these outcomes rejects the application: it opens the first appeal.
REJECTIONS = frozenset({Outcome.REJECTED, Outcome.NOT_POSSIBLE, Outcome.FALSE_COMPLAINT})


@dataclass(frozen=True)
class NotifiedService:
    """A service notified under the Act: a category of complaint of its department."""

    code: str
    name: str
    department: str
    category: str  # the complaints about this service are of this category
    stipulated_days: int
    designated_officer: str  # the designation, as notified ("Tehsildar")
    first_appeal_officer: str  # ("Sub Divisional Officer")
    second_appeal_authority: str  # ("Collector")

    def problem(self) -> tuple[str, str] | None:
        """What is wrong with this notification, and the field: or None."""
        if not 1 <= self.stipulated_days <= MAX_STIPULATED_DAYS:
            return (
                f"stipulated_days must be between 1 and {MAX_STIPULATED_DAYS}",
                "stipulated_days",
            )
        for field in ("name", "designated_officer", "first_appeal_officer"):
            if not getattr(self, field).strip():
                return f"{field} must not be empty", field
        if not self.second_appeal_authority.strip():
            return "second_appeal_authority must not be empty", "second_appeal_authority"
        return None


@dataclass(frozen=True)
class ServiceClaim:
    """What a complaint about a notified service carries from its filing: the service, the
    day the citizen applied for it, and the day by which the Act says it is due."""

    service: str  # the notified service's code
    applied_on: date  # in India, as the citizen gives it
    stipulated_days: int  # as notified when the complaint was filed
    due_on: date  # the last day of the stipulated time
    designated_post: str | None  # the post the complaint was routed to (None: the pool)


class AppealDecision(StrEnum):
    ALLOWED = "allowed"  # the officer is ordered to provide the service
    DISMISSED = "dismissed"


class PenaltyBasis(StrEnum):
    PER_DAY = "per_day"  # Rs 250 for each day of delay, Rs 500 to Rs 5,000
    LUMP_SUM = "lump_sum"  # a sum from Rs 500 to Rs 5,000


@dataclass(frozen=True)
class Appeal:
    """A first or second appeal: where it lies, by when it is to be decided, and how it was."""

    stage: int  # 1: to the first appeal officer, 2: to the second appeal authority
    post: str
    filed_at: datetime
    decide_by: datetime
    decision: AppealDecision | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True)
class Penalty:
    post: str  # the designated officer's post
    officer: str | None  # who held it when the order was made
    basis: PenaltyBasis
    days_late: int
    amount: int  # rupees
    imposed_at: datetime
    revision_sought_at: datetime | None = None


@dataclass(frozen=True)
class Guarantee:
    """Where a complaint about a notified service stands under the Act."""

    claim: ServiceClaim
    lapsed_at: datetime | None = None  # when its stipulated time passed unserved
    first: Appeal | None = None
    second: Appeal | None = None
    penalty: Penalty | None = None

    @property
    def pending_appeal_post(self) -> str | None:
        """The post before which an appeal waits for its decision, if any."""
        for appeal in (self.second, self.first):
            if appeal is not None and appeal.decision is None:
                return appeal.post
        return None

    @property
    def posts_concerned(self) -> frozenset[str]:
        """The posts the Act brings the complaint before: each post an appeal on it lies (or
        lay) before, and the post it fined. Their officers see the complaint (scope
        `office`), as its holder does."""
        posts = {appeal.post for appeal in (self.first, self.second) if appeal is not None}
        if self.penalty is not None:
            posts.add(self.penalty.post)
        return frozenset(posts)

    def with_appeal(self, appeal: Appeal) -> Guarantee:
        if appeal.stage == 1:
            return replace(self, first=appeal)
        return replace(self, second=appeal)


# --- the Act's rules ------------------------------------------------------------------


def day_in_india(at: datetime) -> date:
    return at.astimezone(INDIA).date()


def end_of(day: date) -> datetime:
    """The moment a day (in India) is over: its midnight."""
    return datetime.combine(day + timedelta(days=1), time(), INDIA)


def statutory_due_on(applied_on: date, stipulated_days: int) -> date:
    """The last day on which the service is due: the stipulated days after the application."""
    return applied_on + timedelta(days=stipulated_days)


def lapses_at(claim: ServiceClaim) -> datetime:
    """When the stipulated time has passed: the end of its last day."""
    return end_of(claim.due_on)


def check_applied_on(applied_on: date, filed_at: datetime) -> date:
    """An application day the Act can count from: made under the Act, and not after today."""
    if applied_on < IN_FORCE_FROM:
        raise InvalidCommand(
            f"applied_on must not be before {IN_FORCE_FROM.isoformat()}, when the Act came "
            "into force",
            field="applied_on",
        )
    if applied_on > day_in_india(filed_at):
        raise InvalidCommand("applied_on must not be in the future", field="applied_on")
    return applied_on


def claim_for(
    service: NotifiedService, applied_on: date, filed_at: datetime, designated_post: str | None
) -> ServiceClaim:
    applied_on = check_applied_on(applied_on, filed_at)
    return ServiceClaim(
        service=service.code,
        applied_on=applied_on,
        stipulated_days=service.stipulated_days,
        due_on=statutory_due_on(applied_on, service.stipulated_days),
        designated_post=designated_post,
    )


def first_appeal_until(from_day: date) -> date:
    """The last day of a first appeal: 30 days from the rejection or from the expiry."""
    return from_day + FIRST_APPEAL_WITHIN


def second_appeal_until(decided_on: date) -> date:
    """The last day of a second appeal: 60 days from the first appeal's decision."""
    return decided_on + SECOND_APPEAL_WITHIN


def revision_until(imposed_on: date) -> date:
    """The last day the officer penalised may apply for revision."""
    return imposed_on + REVISION_WITHIN


def days_late(claim: ServiceClaim, served_or_ordered_on: date) -> int:
    """Days of delay: from the stipulated time's last day to the day served (or, if never
    served, the day the penalty is ordered)."""
    return max(0, (served_or_ordered_on - claim.due_on).days)


def penalty_for_delay(days: int) -> int:
    """Rs 250 for each day of delay, not less than Rs 500, not more than Rs 5,000."""
    if days < 1:
        raise InvalidCommand(
            "a penalty for delay needs at least one day of delay; the service was not late",
            field="penalty.basis",
        )
    return min(PENALTY_MAX, max(PENALTY_MIN, PENALTY_PER_DAY * days))


def lump_sum_penalty(amount: int | None) -> int:
    """A lump sum of not less than Rs 500 and not more than Rs 5,000."""
    if amount is None or not PENALTY_MIN <= amount <= PENALTY_MAX:
        raise InvalidCommand(
            f"a lump-sum penalty is from Rs {PENALTY_MIN} to Rs {PENALTY_MAX}",
            field="penalty.amount",
        )
    return amount


def penalty_amount(basis: PenaltyBasis, days: int, amount: int | None) -> int:
    if basis == PenaltyBasis.PER_DAY:
        if amount is not None:
            raise InvalidCommand(
                "a penalty for delay is counted by the Act's rule; give no amount",
                field="penalty.amount",
            )
        return penalty_for_delay(days)
    return lump_sum_penalty(amount)
