"""The door's own limits: query parameters read as one line of text each, and JSON depth
measured on the bytes before any parser recurses into them."""

from __future__ import annotations

import pytest

from api.limits import checked_query
from api.problems import Problem
from infra.security.json_depth import MAX_JSON_DEPTH, too_deep


def test_a_query_in_nfc_passes_as_sent_and_one_that_is_not_reaches_the_handler_in_nfc() -> None:
    assert checked_query(b"district=JAI&q=%E0%A4%AA%E0%A4%BE%E0%A4%A8%E0%A5%80") is None
    assert checked_query(b"q=Re%CC%81ka+Devi&limit=5") == b"q=R%C3%A9ka%20Devi&limit=5"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (b"district=a%00b", "district"),
        (b"limit=5&q=bad%07service", "q"),
        (b"holder=PHED%0A", "holder"),
        (b"q=" + b"x" * 2_001, "q"),
        (b"q=%FF%FE", "q"),
    ],
)
def test_a_query_parameter_that_is_not_one_line_of_text_is_refused_naming_it(
    query: bytes, field: str
) -> None:
    with pytest.raises(Problem) as refused:
        checked_query(query)
    assert refused.value.status_code == 400 and refused.value.field == field


def test_depth_counts_arrays_and_objects_but_not_brackets_inside_strings() -> None:
    assert too_deep(b"[" * 50_000 + b"]" * 50_000)
    assert too_deep(b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1))
    assert not too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert not too_deep(b'{"subject": "' + b"[" * 10_000 + b'"}')
    assert not too_deep(b'{"subject": "\\"' + b"[" * 10_000 + b'"}')  # an escaped quote
    assert too_deep(b'{"subject": "\\\\"' + b"[" * 100)  # an escaped backslash ends it
    assert not too_deep(b"[[]]" * 100_000)  # many, but shallow


def test_an_unterminated_string_is_left_to_the_parser_and_costs_linear_time() -> None:
    assert not too_deep(b'["' + b"[" * 100)
    assert not too_deep(b'["' + b'\\"' * 400_000)
