"""The rule for a send whose outcome is unknown, and its page in the docs, say the same."""

from __future__ import annotations

from pathlib import Path

from projections.notify.messages import TEXTS
from projections.notify.uncertain import (
    AT_LEAST_ONCE,
    AT_MOST_ONCE,
    MAX_RESENDS,
    guarantee,
    send_again,
)

DOC = (Path(__file__).parents[2] / "docs" / "notifications.md").read_text()


def test_only_the_action_taken_report_is_sent_again_and_only_a_bounded_number_of_times() -> None:
    assert guarantee("sampark_resolved") == AT_LEAST_ONCE
    assert [send_again("sampark_resolved", n) for n in range(MAX_RESENDS + 2)] == [
        *([True] * MAX_RESENDS),
        False,
        False,
    ]
    for template in set(TEXTS) - {"sampark_resolved"}:
        assert guarantee(template) == AT_MOST_ONCE
        assert not send_again(template, 0)


def test_the_notifications_page_names_every_kind_of_message_under_its_rule() -> None:
    rows = {
        AT_MOST_ONCE: next(line for line in DOC.splitlines() if line.startswith("| at most once")),
        AT_LEAST_ONCE: next(
            line for line in DOC.splitlines() if line.startswith("| at least once")
        ),
    }
    for template in TEXTS:
        assert f"`{template}`" in rows[guarantee(template)], template
