"""Whatever anyone tries, in any order, a complaint never breaks its invariants, a refused
command changes nothing, replaying its stored events rebuilds exactly the same state, and
the read model's projection of those events agrees with the domain."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.complaint import Complaint
from domain.directory import Directory
from domain.errors import DomainError
from domain.events import Escalated, Reopened
from domain.values import (
    MAX_LEVEL,
    MIN_LEVEL,
    OPEN_STATUSES,
    SCHEDULER,
    Attachment,
    Identity,
    Outcome,
    Role,
    Status,
)
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from projections import rows as projection
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    POWER_HEAD,
    START,
    WATER_HEAD,
    WATER_SECRETARY,
    citizen,
)
from tests.unit import world

DIRECTORY = world.directory()
RAMESH = citizen("9876543210")
PHOTO = Attachment(sha256="c" * 64, filename="p.jpg", media_type="image/jpeg", size=1)
POSTS = sorted(DIRECTORY.posts)


def officer_of(post: str) -> Identity:
    p = DIRECTORY.posts[post]
    return Identity(
        id=f"holder-{post}",
        role=Role.OFFICER,
        post=post,
        district=p.district,
        department=p.department,
    )


ACTORS = [
    RAMESH,
    citizen("9812345678"),
    OPERATOR,
    JAIPUR_WATER_OFFICER,
    JAIPUR_COLLECTOR,
    AJMER_COLLECTOR,
    WATER_HEAD,
    POWER_HEAD,
    ADMIN,
    ANALYST,
    WATER_SECRETARY,
]

Step = Callable[[Complaint, Identity, Any], None]
STEPS: dict[str, Step] = {
    "assign": lambda c, by, at: c.assign(
        by=by, post_id=POSTS[at.second % len(POSTS)], directory=DIRECTORY, at=at
    ),
    "transfer": lambda c, by, at: c.transfer(
        by=by,
        department=("ENERGY", "PHED")[at.second % 2],
        category=None,
        reason="r",
        directory=DIRECTORY,
        at=at,
    ),
    "escalate": lambda c, by, at: c.escalate(by=by, reason="late", directory=DIRECTORY, at=at),
    "resolve": lambda c, by, at: c.resolve(
        by=by,
        outcome=Outcome.RELIEF,
        action_taken="done",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=at,
    ),
    "resolve_as_holder": lambda c, by, at: c.resolve(
        by=officer_of(c.holder) if c.holder else by,
        outcome=Outcome.NOT_POSSIBLE,
        action_taken="done",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=at,
    ),
    "feedback": lambda c, by, at: c.give_feedback(
        by=by, satisfied=at.second % 2 == 0, rating=1 + at.second % 5, comment=None, at=at
    ),
    "reopen": lambda c, by, at: c.reopen(by=by, reason="again", directory=DIRECTORY, at=at),
    "close": lambda c, by, at: c.close(by=by, reason="done", at=at),
    "remind": lambda c, by, at: c.remind(by=by, note=None, at=at),
    "comment": lambda c, by, at: c.comment(by=by, text="note", at=at),
    "priority": lambda c, by, at: c.raise_priority(by=by, reason="urgent", at=at),
    "review": lambda c, by, at: c.record_review(by=by, note="seen", at=at),
    # What the scheduler sends, whoever the script picked:
    "deadlines": lambda c, by, at: c.pass_deadlines(by=SCHEDULER, directory=DIRECTORY, at=at),
    "warn": lambda c, by, at: c.warn_of_deadline(by=SCHEDULER, lead=timedelta(hours=48), at=at),
    "close_unanswered": lambda c, by, at: c.close_unanswered(by=SCHEDULER, at=at),
    "queue_for_review": lambda c, by, at: c.queue_for_review(
        by=SCHEDULER, day=at.date(), rank=1, at=at
    ),
}

steps = st.lists(
    st.tuples(
        st.sampled_from(sorted(STEPS)),
        st.sampled_from(range(len(ACTORS))),
        st.integers(min_value=0, max_value=20 * 24 * 3600),
    ),
    max_size=30,
)


def check_invariants(c: Complaint, directory: Directory) -> None:
    assert MIN_LEVEL <= c.level <= MAX_LEVEL
    if c.status in OPEN_STATUSES:
        assert c.due_at is not None
        assert (c.holder is None) == (c.status == Status.UNASSIGNED)
    else:
        assert c.due_at is None
        assert c.resolution is not None
    if c.feedback is not None:
        assert c.resolution is not None
    if c.holder is not None:
        post = directory.posts[c.holder]
        assert post.department == c.department
        assert post.level == c.level
        assert post.district in (None, c.district)


@settings(max_examples=150, deadline=None)
@given(district=st.sampled_from(["JAI", "AJM", "BKN"]), script=steps)
def test_no_sequence_of_commands_breaks_a_complaint(
    district: str, script: list[tuple[str, int, int]]
) -> None:
    complaint = world.file(DIRECTORY, RAMESH, district=district)
    history = list(complaint.collect_events())
    check_invariants(complaint, DIRECTORY)
    for name, actor, offset in script:
        at = START + timedelta(seconds=offset)
        before = copy.deepcopy(complaint.__dict__)
        try:
            STEPS[name](complaint, ACTORS[actor], at)
        except DomainError:
            assert complaint.__dict__ == before, f"{name} was refused but changed the complaint"
            continue
        history += complaint.collect_events()
        hypothesis.event(f"{name} accepted")
        check_invariants(complaint, DIRECTORY)

    assert complaint.version == len(history)
    assert complaint.reopen_count == sum(isinstance(e, Reopened) for e in history)
    assert complaint.escalation_count == sum(isinstance(e, Escalated) for e in history)

    mapper = MsgspecMapper(transcoder=MsgspecTranscoder())
    replayed: Complaint | None = None
    for event in history:
        stored = mapper.to_stored_event(event)  # type: ignore[arg-type]
        replayed = mapper.to_domain_event(stored).mutate(replayed)  # type: ignore[attr-defined]
    assert replayed == complaint

    # The read model's projection of the same history agrees with the domain's fold.
    row = None
    for event in history:
        row = projection.apply(row, event)
    assert row == projection.row_from_complaint(complaint)
