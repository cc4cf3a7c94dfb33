"""Following (issue 17, item 7): Ramesh reports the dry taps Sita reported first; the
assistant offers him her complaint, and he follows it from his own. He may follow only what
he was offered or what his complaint is linked to, and one complaint only; any other id,
real or not, is the same "no such complaint"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import Complaint
from domain.errors import Forbidden, IllegalMove, NotFound
from domain.events import Followed, FollowOffered
from domain.values import ASSISTANT, Offered, Outcome
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, START, citizen
from tests.unit import world
from tests.unit.test_complaint_rules import PHOTO

SITA, RAMESH, GOPAL = citizen("9876543211"), citizen("9876543210"), citizen("9876543212")
LATER = START + timedelta(hours=2)


def filed() -> tuple[Complaint, ...]:
    """Sita's complaint, Gopal's (not offered), and Ramesh's, offered Sita's."""
    directory = world.directory()
    first = world.file(directory, SITA, registration_no="JAI-2026-0000001")
    other = world.file(directory, GOPAL, registration_no="JAI-2026-0000003")
    offers = (Offered(str(first.id), first.registration_no),)
    mine = world.file(directory, RAMESH, registration_no="JAI-2026-0000002", offered=offers)
    return first, other, mine


def test_the_assistant_offers_at_filing_and_the_complainant_follows() -> None:
    first, _, mine = filed()
    offer = [e for e in mine.collect_events() if isinstance(e, FollowOffered)]
    assert [(o.actor, o.complaints) for o in offer] == [
        (ASSISTANT.actor, (Offered(str(first.id), "JAI-2026-0000001"),))
    ]
    mine.follow(by=RAMESH, first=first, at=LATER)
    (followed,) = mine.collect_events()
    assert isinstance(followed, Followed)
    assert (followed.following, followed.following_registration_no) == (
        str(first.id),
        "JAI-2026-0000001",
    )
    assert mine.following == str(first.id)
    with pytest.raises(IllegalMove):
        mine.follow(by=RAMESH, first=first, at=LATER)


def test_nothing_offered_means_nothing_recorded() -> None:
    directory = world.directory()
    alone = world.file(directory, RAMESH)
    assert not [e for e in alone.collect_events() if isinstance(e, FollowOffered)]


def test_an_id_not_offered_is_no_such_complaint_like_one_that_does_not_exist() -> None:
    _, other, mine = filed()
    for target in (other, None):
        with pytest.raises(NotFound) as refused:
            mine.follow(by=RAMESH, first=target, at=LATER)
        assert str(refused.value) == "no such complaint to follow"


def test_only_from_ones_own_complaint_and_by_the_complainant_or_the_helpline() -> None:
    first, _, mine = filed()
    with pytest.raises(NotFound):
        mine.follow(by=GOPAL, first=first, at=LATER)  # not his complaint
    with pytest.raises(Forbidden):
        mine.follow(by=JAIPUR_WATER_OFFICER, first=first, at=LATER)
    mine.follow(by=OPERATOR, first=first, at=LATER)  # the 181 desk, for Ramesh on the phone
    assert mine.following == str(first.id)


def test_one_complaint_only_and_an_open_one() -> None:
    directory = world.directory()
    first = world.file(directory, SITA, registration_no="JAI-2026-0000001")
    second = world.file(directory, GOPAL, registration_no="JAI-2026-0000003")
    offers = tuple(Offered(str(c.id), c.registration_no) for c in (first, second))
    mine = world.file(directory, RAMESH, registration_no="JAI-2026-0000002", offered=offers)
    second.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Valve replaced",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=LATER,
    )
    with pytest.raises(IllegalMove):
        mine.follow(by=RAMESH, first=second, at=LATER)  # disposed of already
    mine.follow(by=RAMESH, first=first, at=LATER)
    with pytest.raises(IllegalMove):
        mine.follow(by=RAMESH, first=second, at=LATER)


def test_a_linked_complaint_may_follow_the_one_it_is_linked_to_and_no_other() -> None:
    directory = world.directory()
    first = world.file(directory, SITA, registration_no="JAI-2026-0000001")
    second = world.file(directory, GOPAL, registration_no="JAI-2026-0000003")
    offers = (Offered(str(second.id), second.registration_no),)
    mine = world.file(directory, RAMESH, registration_no="JAI-2026-0000002", offered=offers)
    mine.link(by=OPERATOR, first=first, at=LATER)
    with pytest.raises(IllegalMove):
        mine.follow(by=RAMESH, first=second, at=LATER)  # told of the linked one's already
    mine.follow(by=RAMESH, first=first, at=LATER)
    assert mine.following == str(first.id)
