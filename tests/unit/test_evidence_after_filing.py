"""Files added to a complaint after filing (`EvidenceAdded`): the complainant's own and open
complaint only, at least one file and at most `MAX_EVIDENCE` in all (no I/O)."""

from __future__ import annotations

import pytest

from domain.complaint import Complaint
from domain.errors import IllegalMove, InvalidCommand, NotFound
from domain.events import EvidenceAdded
from domain.inputs import MAX_EVIDENCE
from domain.values import Attachment
from tests.support import OPERATOR, START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")


def photo(n: int) -> Attachment:
    return Attachment(sha256=f"{n:064x}", filename=f"p{n}.jpg", media_type="image/jpeg", size=9)


@pytest.fixture
def complaint() -> Complaint:
    filed = world.file(world.directory(), RAMESH)
    filed.collect_events()
    return filed


def test_the_complainant_adds_a_photo_and_it_joins_the_attachments(complaint: Complaint) -> None:
    complaint.add_evidence(by=RAMESH, attachments=(photo(1),), at=START)
    (added,) = complaint.collect_events()
    assert isinstance(added, EvidenceAdded) and added.actor.id == RAMESH.id
    assert complaint.attachments == (photo(1),)
    complaint.add_evidence(by=OPERATOR, attachments=(photo(2),), at=START)  # the helpline
    assert complaint.attachments == (photo(1), photo(2))


def test_another_citizen_learns_nothing_and_nothing_is_added(complaint: Complaint) -> None:
    with pytest.raises(NotFound):
        complaint.add_evidence(by=citizen("9123456789"), attachments=(photo(1),), at=START)
    assert complaint.collect_events() == []


def test_no_files_too_many_files_or_a_closed_complaint_are_refused(complaint: Complaint) -> None:
    with pytest.raises(InvalidCommand, match="at least one"):
        complaint.add_evidence(by=RAMESH, attachments=(), at=START)
    many = tuple(photo(n) for n in range(MAX_EVIDENCE + 1))
    with pytest.raises(InvalidCommand, match=f"at most {MAX_EVIDENCE}"):
        complaint.add_evidence(by=RAMESH, attachments=many, at=START)
    complaint.withdraw(by=RAMESH, reason="repaired", at=START)
    with pytest.raises(IllegalMove):
        complaint.add_evidence(by=RAMESH, attachments=(photo(1),), at=START)
