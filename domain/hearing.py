"""The right to a hearing (Rajasthan Right to Hearing Act, 2012) and Rajasthan Sampark Diwas.

A complainant may be heard in person or by video by a hearing officer: the post that holds the
complaint, or an officer above it in the district (a collector at a Sampark Diwas). A hearing
is scheduled for a time to come, before a post of the directory; the complainant is told of
it on WhatsApp. Once its time has come the hearing officer records it as held, with the
directions given, or as missed when the complainant did not come (with what follows). One
hearing waits at a time: a missed one may be followed by another.

A hearing does not stop the complaint's clock: it is a step towards disposal, not a question
to the complainant (for that, see `domain/clarification.py`).

Rajasthan Sampark Diwas is a monthly session per district (`domain/diwas.py`): a complaint
listed for a day's session gets a hearing there (`diwas` set) before the district's collector,
and is heard in its turn.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from eventsourcing.domain import Aggregate

from domain import access
from domain.directory import Directory
from domain.errors import IllegalMove, InvalidCommand
from domain.events import HearingHeld, HearingScheduled
from domain.values import OPEN_STATUSES, Hearing, HearingMode, Identity, Status

if TYPE_CHECKING:
    from domain.complaint import Complaint


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidCommand(f"{field} must not be empty", field=field)
    return value.strip()


class HearingRules(Aggregate):
    """The part of a complaint that records its hearings."""

    if TYPE_CHECKING:  # set in Complaint.__init__
        status: Status
        district: str
        department: str
        holder: str | None
        hearings: tuple[Hearing, ...]

    @property
    def pending_hearing(self) -> Hearing | None:
        """The hearing scheduled and not yet recorded, if any."""
        return next((h for h in self.hearings if h.attended is None), None)

    def schedule_hearing(
        self,
        *,
        by: Identity,
        on: datetime,
        post: str,
        mode: HearingMode,
        directory: Directory,
        at: datetime,
        diwas: date | None = None,
    ) -> None:
        """Fix a hearing of the complainant before `post`, at `on` (a time to come)."""
        access.require(by, cast("Complaint", self), "hear")
        if self.status not in OPEN_STATUSES:
            raise IllegalMove(f"only an open complaint is heard; it is {self.status}")
        if self.pending_hearing is not None:
            raise IllegalMove(
                f"hearing {self.pending_hearing.number} is already scheduled; record it first"
            )
        if on <= at:
            raise InvalidCommand("a hearing is scheduled for a time to come", field="on")
        officer = directory.posts.get(post)
        if officer is None:
            raise InvalidCommand(f"unknown post {post!r}", field="post")
        if officer.district not in (None, self.district):
            raise InvalidCommand(f"post {post!r} serves another district", field="post")
        self.trigger_event(
            HearingScheduled,
            timestamp=at,
            actor=by.actor,
            number=len(self.hearings) + 1,
            on=on,
            post=post,
            mode=mode,
            diwas=diwas,
        )

    def list_for_diwas(
        self,
        *,
        by: Identity,
        day: date,
        mode: HearingMode,
        directory: Directory,
        at: datetime,
    ) -> None:
        """List the complaint for its district's Rajasthan Sampark Diwas on `day`: by the
        collector, or at the complainant's request (themselves, or an e-Mitra operator for
        them). It is heard there, in the order listed, with its holder answering for it."""
        access.require(by, cast("Complaint", self), "list_for_diwas")
        session = directory.diwas_on(self.district, day)
        if session is None:
            raise InvalidCommand(
                f"no Sampark Diwas is scheduled in {self.district!r} on {day.isoformat()}",
                field="day",
            )
        if session.starts_at <= at:
            raise IllegalMove("that Sampark Diwas has begun; list it for a coming one")
        if self.status not in OPEN_STATUSES:
            raise IllegalMove(f"only an open complaint is heard; it is {self.status}")
        if self.holder is None:
            raise IllegalMove("the complaint is with no officer yet; it cannot be heard")
        if self.pending_hearing is not None:
            raise IllegalMove(
                f"hearing {self.pending_hearing.number} is already scheduled; record it first"
            )
        self.trigger_event(
            HearingScheduled,
            timestamp=at,
            actor=by.actor,
            number=len(self.hearings) + 1,
            on=session.starts_at,
            post=self.holder,
            mode=mode,
            diwas=day,
        )

    def record_hearing(
        self, *, by: Identity, attended: bool, directions: str, at: datetime
    ) -> None:
        """The scheduled hearing, once its time has come: held (with the directions given) or
        missed by the complainant (with what follows)."""
        access.require(by, cast("Complaint", self), "hear")
        hearing = self.pending_hearing
        if hearing is None:
            raise IllegalMove("no hearing is scheduled for this complaint")
        if at < hearing.on:
            raise IllegalMove(
                f"hearing {hearing.number} is at {hearing.on.isoformat(timespec='minutes')}; "
                "record it once it has taken place"
            )
        self.trigger_event(
            HearingHeld,
            timestamp=at,
            actor=by.actor,
            number=hearing.number,
            attended=attended,
            directions=_text(directions, "directions"),
        )
