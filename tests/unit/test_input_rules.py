"""The rules every way in applies: what text, codes, mobile numbers, ratings and days may be."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain import inputs
from domain.errors import InvalidCommand


@pytest.mark.parametrize(
    "character",
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\x0b", "\x0c"],
)
def test_no_kind_of_text_holds_a_control_character(character: str) -> None:
    for rule in (inputs.NAME, inputs.SHORT_TEXT, inputs.LONG_TEXT, inputs.COMMENT):
        with pytest.raises(InvalidCommand) as refused:
            rule.clean(f"bad{character}service", "comment")
        assert refused.value.field == "comment"


def test_lines_and_tabs_belong_to_text_that_may_hold_lines_only() -> None:
    assert inputs.LONG_TEXT.clean("taps dry\r\n\tward 12\rsince Monday", "d") == (
        "taps dry\n\tward 12\nsince Monday"
    )
    for character in ("\n", "\t", "\r", "\u2028"):
        with pytest.raises(InvalidCommand):
            inputs.SHORT_TEXT.clean(f"no water{character}", "subject")


def test_text_is_kept_in_nfc_and_hindi_and_emoji_pass_unchanged() -> None:
    assert inputs.NAME.clean("Re\u0301ka", "name") == "Réka"
    hindi = "पानी नहीं आ रहा 🚱 — वार्ड १२"
    assert inputs.SHORT_TEXT.clean(hindi, "subject") == hindi


def test_each_kind_of_text_has_its_own_bound_counted_after_normalising() -> None:
    assert inputs.NAME.clean("x" * 200, "name") == "x" * 200
    with pytest.raises(InvalidCommand, match="at most 200"):
        inputs.NAME.clean("x" * 201, "name")
    assert inputs.LONG_TEXT.clean("e\u0301" * 10_000, "d") == "é" * 10_000
    with pytest.raises(InvalidCommand):
        inputs.COMMENT.clean("y" * 900_000, "comment")


def test_required_text_is_not_blank_and_a_comment_may_be() -> None:
    with pytest.raises(InvalidCommand, match="blank"):
        inputs.REASON.clean(" \n ", "reason")
    assert inputs.COMMENT.clean("", "comment") == ""


@pytest.mark.parametrize("good", ["JAI", "PHED-JAI-L1", "water-supply", "demo_minutes", "L4"])
def test_a_code_is_letters_digits_hyphens_and_underscores(good: str) -> None:
    assert inputs.CODE.clean(good, "district") == good


@pytest.mark.parametrize("bad", ["", "-JAI", "JAI\n", "a\x00b", "JAI;", "जयपुर", "x" * 65, "a b"])
def test_anything_else_is_not_a_code(bad: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        inputs.CODE.clean(bad, "district")
    assert refused.value.field == "district"


@pytest.mark.parametrize("bad", ["5876543210", "987654321", "98765432101", "9876543210\n", "९८७"])
def test_a_mobile_number_is_ten_digits_starting_6_to_9(bad: str) -> None:
    assert inputs.MOBILE.clean("9876543210", "mobile") == "9876543210"
    with pytest.raises(InvalidCommand):
        inputs.MOBILE.clean(bad, "mobile")


def test_a_whatsapp_sender_is_a_mobile_number_with_or_without_91() -> None:
    assert inputs.whatsapp_mobile("919876543210") == "9876543210"
    assert inputs.whatsapp_mobile("9876543210") == "9876543210"
    for bad in ("449876543210", "91987654321x", "+919876543210", None, 919876543210):
        with pytest.raises(InvalidCommand):
            inputs.whatsapp_mobile(bad)


def test_a_rating_is_a_whole_number_from_1_to_5() -> None:
    assert [inputs.rating(n) for n in (1, 5, "3", " 4 ")] == [1, 5, 3, 4]
    for bad in (0, 6, True, 2.5, "", "\uff15", "1e1", "-1", None):
        with pytest.raises(InvalidCommand) as refused:
            inputs.rating(bad)
        assert refused.value.field == "rating"


def test_days_and_moments_are_bounded_before_any_arithmetic() -> None:
    assert inputs.day(date(2026, 11, 30), "to") == date(2026, 11, 30)
    for bad_day in (date(1, 1, 5), date(9999, 12, 31)):
        with pytest.raises(InvalidCommand):
            inputs.day(bad_day, "to")
    with pytest.raises(InvalidCommand, match="timezone"):
        inputs.moment(datetime(2026, 11, 30), "at")
    far = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(InvalidCommand):
        inputs.moment(far, "filed_to")
    assert inputs.moment(datetime(2026, 11, 30, tzinfo=UTC), "at").year == 2026


def test_the_published_patterns_refuse_what_the_rules_refuse() -> None:
    import re

    for rule in (inputs.NAME, inputs.LONG_TEXT):
        assert re.search(rule.pattern, "bad\x00service") is None
        assert re.search(rule.pattern, "bad\x85service") is None
        assert re.search(rule.pattern, "पानी 🚱") is not None
    assert re.search(inputs.CODE.pattern, "a\x00b") is None


def test_an_email_address_holds_no_space_of_any_kind_in_python_and_in_the_schema_alike() -> None:
    """The pattern spells its spaces out, so JSON Schema's `\\s` and Python's never differ."""
    assert "\\s" not in inputs.EMAIL.pattern
    assert inputs.EMAIL.clean("ramesh@example.in", "email") == "ramesh@example.in"
    for space in (" ", "\t", "\u00a0", "\u2003", "\u3000", "\ufeff", "\x1c"):
        with pytest.raises(InvalidCommand):
            inputs.EMAIL.clean(f"ramesh{space}@example.in", "email")
