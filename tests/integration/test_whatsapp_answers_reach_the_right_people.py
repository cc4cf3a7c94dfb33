"""On WhatsApp: a button is an answer without a rating, a citizen's reminder reaches the
officer who holds the complaint (and the citizen hears it was passed on), a withdrawal reaches
the officer and the citizen, and an officer who left a post hears no more of it.

Real PostgreSQL and broker; the local stand-in plays the WhatsApp Cloud API.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.errors import IllegalMove
from domain.events import FeedbackGiven
from infra.local.standin import ProviderStandIn
from infra.settings import Settings
from tests.integration.test_notifications import (  # noqa: F401 (fixtures)
    Notifier,
    button_reply,
    eventually,
    file,
    notifier,
    resolve,
    standin,
    webhook,
)
from tests.support import ADMIN, citizen, new_mobile

Client = TestClient[Any]


def post_number(services: Services, post: str) -> str:
    mobile = services.app.directory().posts[post].mobile
    assert mobile is not None
    return f"91{mobile}"


def test_a_satisfied_button_is_recorded_without_a_rating(
    client: Client,
    services: Services,
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    resolve(services, complaint)
    (atr,) = eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_resolved"]
    )
    notifier.wait_settled(complaint)
    payload = button_reply(mobile, "wamid.in.rating", atr["id"], "SATISFIED")
    answer = webhook(client, payload, settings.whatsapp_app_secret)
    assert answer.json() == {"recorded": 1}
    (given,) = [e for e in services.app.timeline(complaint) if isinstance(e, FeedbackGiven)]
    assert (given.satisfied, given.rating) == (True, None)


def test_a_citizens_reminder_reaches_the_officers_phone(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    officer = post_number(services, "PHED-JAI-L1")
    services.app.remind(complaint, by=citizen(mobile), note="Still no water")

    def reminded() -> list[dict[str, Any]]:
        """the reminder reached the Jaipur water officer"""
        return [
            m
            for m in standin.received
            if m["to"] == officer and m.get("template") == "sampark_reminder"
        ]

    (sent,) = eventually(reminded)
    registration_no = services.app.complaint(complaint).registration_no
    assert registration_no in sent["params"]

    def passed_on() -> list[dict[str, Any]]:
        """the citizen heard that the reminder was passed on"""
        return [
            m for m in standin.whatsapp_to(mobile) if m.get("template") == "sampark_reminder_passed"
        ]

    (told,) = eventually(passed_on)
    designation = services.app.directory().posts["PHED-JAI-L1"].designation
    assert told["params"] == [registration_no, designation]
    # One reminder a day: a second is refused, and nothing more is sent for it.
    with pytest.raises(IllegalMove):
        services.app.remind(complaint, by=citizen(mobile), note="Again")
    assert services.app.complaint(complaint).reminder_count == 1


def test_an_officer_who_left_a_post_gets_no_more_of_its_complaints(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    left = post_number(services, "PHED-JAI-L1")
    services.app.change_directory(
        ADMIN, lambda d, at: d.change_holder("PHED-JAI-L1", None, ADMIN.actor, at)
    )
    assert services.app.directory().posts["PHED-JAI-L1"].mobile is None
    mobile = new_mobile()
    complaint = file(services, mobile)
    notifier.wait_settled(complaint)  # the complainant's "filed" message went out
    assert [m for m in standin.received if m["to"] == left] == []


def test_a_withdrawal_reaches_the_officer_and_the_citizen_once(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    officer = post_number(services, "PHED-JAI-L1")
    services.app.withdraw(complaint, by=citizen(mobile), reason="The pump works again")
    registration_no = services.app.complaint(complaint).registration_no

    def told(to: str, template: str) -> Any:
        def sent() -> list[dict[str, Any]]:
            return [m for m in standin.whatsapp_to(to) if m.get("template") == template]

        sent.__doc__ = f"{template} reached {to}"
        return sent

    (to_officer,) = eventually(told(officer.removeprefix("91"), "sampark_withdrawn_holder"))
    (to_citizen,) = eventually(told(mobile, "sampark_withdrawn"))
    assert to_officer["params"] == to_citizen["params"] == [registration_no]
