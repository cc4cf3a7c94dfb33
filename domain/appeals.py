"""The Public Services Guarantee Act on a complaint: the statutory clock beside Sampark's,
the appeals, the penalty and its revision (the Act's rules: `domain/guarantee.py`).

A complaint about a notified service carries a `Guarantee` from its filing. When the
stipulated time passes while it is undisposed, the scheduler records it
(`pass_stipulated_time`) and the citizen is told of the right to appeal. A disposal that
rejects the application opens the appeal as well. The appeals are a track of their own: they
never move the complaint's holder, level or Sampark deadline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from eventsourcing.domain import Aggregate

from domain import access, guarantee
from domain.directory import Directory, Post
from domain.errors import IllegalMove, InvalidCommand
from domain.events import (
    FirstAppealDecided,
    FirstAppealFiled,
    PenaltyImposed,
    RevisionSought,
    SecondAppealDecided,
    SecondAppealFiled,
    StipulatedTimePassed,
)
from domain.guarantee import AppealDecision, Guarantee, PenaltyBasis
from domain.values import OPEN_STATUSES, Identity, Resolution, Status

if TYPE_CHECKING:
    from domain.complaint import Complaint


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidCommand(f"{field} must not be empty", field=field)
    return value.strip()


class AppealRules(Aggregate):
    """The part of a complaint the Act governs; `Complaint` holds the rest."""

    if TYPE_CHECKING:  # set in Complaint.__init__ and by the events
        department: str
        district: str
        status: Status
        resolution: Resolution | None
        guarantee: Guarantee | None

    # --- the clock ----------------------------------------------------------------------

    def pass_stipulated_time(self, *, by: Identity, at: datetime) -> None:
        """Once, when the stipulated time is over and the complaint is still undisposed."""
        access.require(by, self._complaint, "pass_stipulated_time")
        g = self.guarantee
        if g is None or g.lapsed_at is not None or self.status not in OPEN_STATUSES:
            return
        if at < guarantee.lapses_at(g.claim):
            return
        self.trigger_event(
            StipulatedTimePassed,
            timestamp=at,
            actor=by.actor,
            service=g.claim.service,
            due_on=g.claim.due_on,
            appeal_until=guarantee.first_appeal_until(g.claim.due_on),
        )

    def appeal_opens_on(self) -> date | None:
        """The day the 30 days of a first appeal count from: the stipulated time's expiry,
        once it passed unserved; else the day the application was rejected; None while
        neither has happened (the citizen has nothing to appeal yet)."""
        g = self.guarantee
        if g is None:
            return None
        if g.lapsed_at is not None:
            return g.claim.due_on
        r = self.resolution
        if r is not None and r.outcome in guarantee.REJECTIONS:
            return guarantee.day_in_india(r.resolved_at)
        return None

    # --- the appeals --------------------------------------------------------------------

    def first_appeal(
        self, *, by: Identity, grounds: str, directory: Directory, at: datetime
    ) -> None:
        access.require(by, self._complaint, "first_appeal")
        g = self._under_the_act()
        grounds = _text(grounds, "grounds")
        if g.first is not None:
            raise IllegalMove("a first appeal was filed already")
        opens = self.appeal_opens_on()
        if opens is None:
            raise IllegalMove(
                "nothing to appeal yet: the application was neither rejected nor left "
                f"unserved past its stipulated time (due by {g.claim.due_on.isoformat()})"
            )
        until = guarantee.first_appeal_until(opens)
        if guarantee.day_in_india(at) > until:
            raise IllegalMove(f"the 30 days for a first appeal ended on {until.isoformat()}")
        post = self._appeal_post(directory, guarantee.FIRST_APPEAL_LEVEL, "first appeal officer")
        self.trigger_event(
            FirstAppealFiled,
            timestamp=at,
            actor=by.actor,
            grounds=grounds,
            post=post.id,
            decide_by=at + guarantee.APPEAL_DECIDED_WITHIN,
        )

    def decide_first_appeal(
        self, *, by: Identity, decision: AppealDecision, order: str, at: datetime
    ) -> None:
        access.require(by, self._complaint, "decide_appeal")
        g = self._under_the_act()
        order = _text(order, "order")
        if g.first is None or g.first.decision is not None:
            raise IllegalMove("no first appeal awaits a decision")
        self.trigger_event(
            FirstAppealDecided,
            timestamp=at,
            actor=by.actor,
            decision=decision,
            order=order,
            post=g.first.post,
            second_appeal_until=guarantee.second_appeal_until(guarantee.day_in_india(at)),
        )

    def second_appeal(
        self, *, by: Identity, grounds: str, directory: Directory, at: datetime
    ) -> None:
        access.require(by, self._complaint, "second_appeal")
        g = self._under_the_act()
        grounds = _text(grounds, "grounds")
        if g.first is None or g.first.decided_at is None:
            raise IllegalMove("a second appeal lies against the first appeal's decision")
        if g.second is not None:
            raise IllegalMove("a second appeal was filed already")
        until = guarantee.second_appeal_until(guarantee.day_in_india(g.first.decided_at))
        if guarantee.day_in_india(at) > until:
            raise IllegalMove(f"the 60 days for a second appeal ended on {until.isoformat()}")
        post = self._appeal_post(
            directory, guarantee.SECOND_APPEAL_LEVEL, "second appeal authority"
        )
        self.trigger_event(
            SecondAppealFiled,
            timestamp=at,
            actor=by.actor,
            grounds=grounds,
            post=post.id,
            decide_by=at + guarantee.APPEAL_DECIDED_WITHIN,
        )

    def decide_second_appeal(
        self,
        *,
        by: Identity,
        decision: AppealDecision,
        order: str,
        penalty: PenaltyBasis | None,
        amount: int | None,
        reasons: str | None,
        directory: Directory,
        at: datetime,
    ) -> None:
        """The second appeal authority's decision; with `penalty`, also a fine on the
        designated officer, for the `reasons` given, of the amount the Act's rule gives."""
        access.require(by, self._complaint, "decide_appeal")
        g = self._under_the_act()
        order = _text(order, "order")
        if g.second is None or g.second.decision is not None:
            raise IllegalMove("no second appeal awaits a decision")
        if penalty is None and (amount is not None or reasons is not None):
            raise InvalidCommand("amount and reasons come with a penalty", field="penalty")
        fine: tuple[int, int, str, Post | None] | None = None
        if penalty is not None:
            reasons = _text(reasons or "", "penalty.reasons")
            if g.claim.designated_post is None:
                raise IllegalMove("no designated officer's post was named for this complaint")
            served = self.resolution
            served_on = (
                guarantee.day_in_india(served.resolved_at)
                if served is not None and served.outcome not in guarantee.REJECTIONS
                else guarantee.day_in_india(at)
            )
            late = guarantee.days_late(g.claim, served_on)
            fined = guarantee.penalty_amount(penalty, late, amount)
            fine = (late, fined, reasons, directory.posts.get(g.claim.designated_post))
        self.trigger_event(
            SecondAppealDecided,
            timestamp=at,
            actor=by.actor,
            decision=decision,
            order=order,
            post=g.second.post,
        )
        if fine is not None and penalty is not None:
            late, fined, why, post = fine
            self.trigger_event(
                PenaltyImposed,
                timestamp=at,
                actor=by.actor,
                post=g.claim.designated_post,
                officer=post.holder if post else None,
                basis=penalty,
                days_late=late,
                amount=fined,
                reasons=why,
                revision_until=guarantee.revision_until(guarantee.day_in_india(at)),
            )

    def seek_revision(self, *, by: Identity, grounds: str, at: datetime) -> None:
        """The officer penalised asks the officer the State nominates to revise the order."""
        access.require(by, self._complaint, "seek_revision")
        g = self._under_the_act()
        grounds = _text(grounds, "grounds")
        if g.penalty is None:
            raise IllegalMove("no penalty was imposed on this complaint")
        if g.penalty.revision_sought_at is not None:
            raise IllegalMove("revision of this penalty was sought already")
        until = guarantee.revision_until(guarantee.day_in_india(g.penalty.imposed_at))
        if guarantee.day_in_india(at) > until:
            raise IllegalMove(f"the 60 days to seek revision ended on {until.isoformat()}")
        self.trigger_event(
            RevisionSought, timestamp=at, actor=by.actor, grounds=grounds, post=g.penalty.post
        )

    # --- helpers ------------------------------------------------------------------------

    @property
    def _complaint(self) -> Complaint:
        return cast("Complaint", self)

    def _under_the_act(self) -> Guarantee:
        if self.guarantee is None:
            raise IllegalMove(
                "the complaint is not about a service notified under the "
                f"{guarantee.ACT}: there is nothing to appeal under it"
            )
        return self.guarantee

    def _appeal_post(self, directory: Directory, level: int, who: str) -> Post:
        """The post of the service's department (where the complaint was filed, even if it
        was transferred since) at `level` of the district's chain."""
        department = service_department(self._under_the_act(), directory, self.department)
        post = directory.post_at_level(department, self.district, level)
        if post is None:
            raise IllegalMove(
                f"the directory names no {who} (a level-{level} post of {department!r} "
                f"for {self.district!r}); the admins must add it"
            )
        return post


def service_department(g: Guarantee, directory: Directory, otherwise: str) -> str:
    """The department that notified the service the complaint is about."""
    service = directory.services.get(g.claim.service)
    return service.department if service is not None else otherwise
