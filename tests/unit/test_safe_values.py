"""What a read model is given to hold, it can hold: text from any stored event is made safe
in one place, and a value that needed nothing is left as it was."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import replace

from projections.rows import ComplaintRow, made_safe
from projections.safe import (
    CLIPPED,
    CODE_LIMIT,
    REPLACEMENT,
    TEXT_LIMIT,
    json_left_as_it_is,
    left_as_they_are,
    safe_json,
    safe_text,
)


def test_a_nul_and_a_lone_surrogate_become_the_replacement_character() -> None:
    assert safe_text("bad\x00service") == f"bad{REPLACEMENT}service"
    assert safe_text("half \ud800 a pair") == f"half {REPLACEMENT} a pair"
    safe_text("half \ud800 a pair").encode()  # UTF-8 can write it now


def test_over_long_text_is_clipped_to_its_bound_and_says_so() -> None:
    clipped = safe_text("x" * 1_048_576)
    assert len(clipped) == TEXT_LIMIT and clipped.endswith(CLIPPED)
    assert len(safe_text("P" * 500, CODE_LIMIT)) == CODE_LIMIT


def test_ordinary_text_is_left_as_it_was() -> None:
    text = "नल सूख गए हैं: ward 12"
    assert safe_text(text) is text


def test_strings_inside_json_are_made_safe_keys_included() -> None:
    assert safe_json([{"file\x00name": "a\x00.pdf", "size": 3}]) == [
        {f"file{REPLACEMENT}name": f"a{REPLACEMENT}.pdf", "size": 3}
    ]


def row(**changes: object) -> ComplaintRow:
    at = datetime(2026, 11, 2, tzinfo=UTC)
    plain = ComplaintRow(
        id=uuid4(), registration_no="JAI-2026-0000001", version=1, status="assigned", level=1,
        holder="PHED-JAI-L1", department="PHED", category="water-supply", district="JAI",
        channel="portal", priority="normal", subject="No water", description="Dry taps",
        complainant_name="Ramesh", complainant_mobile="9876543210", complainant_email=None,
        complainant_address=None, attachments=[], filed_at=at, due_at=at, resolved_at=None,
        outcome=None, action_taken=None, evidence=None, resolved_by=None, resolution_level=None,
        feedback_until=None, feedback_satisfied=None, feedback_rating=None, feedback_comment=None,
        reopen_count=0, escalation_count=0, transfer_count=0, reminder_count=0, comment_count=0,
        last_event_at=at, warned_due_at=None, stalled_due_at=None, gap_level=None, gap_post=None,
        gap_reason=None, review_count=0, complainant_language="hi",
    )  # fmt: skip
    return replace(plain, **changes)


def test_a_row_is_made_safe_column_by_column_with_the_bound_of_its_kind() -> None:
    safe = made_safe(
        row(
            feedback_comment="c" * 30_000,
            district="D" * 300,
            complainant_name="Sun\x00ita",
            attachments=[{"filename": "x\x00.jpg"}],
        )
    )
    assert len(safe.feedback_comment or "") == TEXT_LIMIT
    assert len(safe.district) == CODE_LIMIT
    assert safe.complainant_name == f"Sun{REPLACEMENT}ita"
    assert safe.attachments == [{"filename": f"x{REPLACEMENT}.jpg"}]
    ordinary = row()
    assert made_safe(ordinary) is ordinary


# Text as stored events may hold it: ordinary, Devanagari, NULs, lone surrogates, backslashes
# before "u0000", and now and then more than a bound.
hostile_text = st.one_of(
    st.text(alphabet=st.sampled_from("ab नल\x00\ud800\udfff\\u0"), max_size=12),
    st.builds(lambda n: "x" * n, st.sampled_from([CODE_LIMIT, CODE_LIMIT + 1, TEXT_LIMIT + 1])),
)
hostile_json = st.lists(
    st.dictionaries(hostile_text, st.one_of(hostile_text, st.integers(), st.none()), max_size=3),
    max_size=3,
)


@given(texts=st.lists(hostile_text, max_size=5), limit=st.sampled_from([CODE_LIMIT, TEXT_LIMIT]))
def test_text_is_found_as_it_is_at_once_exactly_when_each_would_be_left_as_it_is(
    texts: list[str], limit: int
) -> None:
    assert left_as_they_are(texts, limit) == all(safe_text(t, limit) is t for t in texts)


@given(value=hostile_json)
def test_json_found_as_it_is_at_once_is_left_as_it_is_by_safe_json(
    value: list[dict[str, Any]],
) -> None:
    if json_left_as_it_is(value):
        assert safe_json(value) == value


@given(
    name=hostile_text,
    post=hostile_text,
    comment=st.none() | hostile_text,
    attachments=hostile_json,
)
def test_a_row_is_made_safe_the_same_whether_found_safe_at_once_or_not(
    name: str, post: str, comment: str | None, attachments: list[dict[str, Any]]
) -> None:
    hostile = row(
        complainant_name=name, holder=post, feedback_comment=comment, attachments=attachments
    )
    safe = made_safe(hostile)
    assert safe.complainant_name == safe_text(name)
    assert safe.holder == safe_text(post, CODE_LIMIT)
    assert safe.feedback_comment == (None if comment is None else safe_text(comment))
    assert safe.attachments == safe_json(attachments)
