"""A follower hears of the disposal once (issue 17, item 7): Ramesh follows Sita's earlier
complaint about the same dry taps, the office disposes of hers, she is not satisfied, it is
reopened and disposed of again; Ramesh is told of the first disposal, once, and nothing of
the second. Real PostgreSQL, broker and notifier; the stand-in plays WhatsApp."""

from __future__ import annotations

from api.services import Services
from domain.values import Channel, Complainant, Language, Offered
from infra.local.standin import ProviderStandIn
from tests.integration.test_notifications import (  # noqa: F401 (fixtures)
    Notifier,
    eventually,
    file,
    notifier,
    resolve,
    standin,
)
from tests.support import JAIPUR_COLLECTOR, citizen, new_mobile


def test_a_follower_is_told_of_the_first_disposal_once(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    sita_mobile, ramesh_mobile = new_mobile(), new_mobile()
    first = file(services, sita_mobile)
    sita = services.app.complaint(first)
    ramesh = citizen(ramesh_mobile)
    mine = services.app.file_complaint(
        by=ramesh,
        complainant=Complainant(name="Ramesh", mobile=ramesh_mobile, language=Language.ENGLISH),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Taps dry",
        description="No water in our lane either.",
        channel=Channel.PORTAL,
        offered=(Offered(str(first), sita.registration_no),),
    ).id
    services.app.follow(mine, by=ramesh, following=first)

    resolve(services, first)
    services.app.reopen(first, by=JAIPUR_COLLECTOR, reason="the lane is still dry")
    resolve(services, first)
    notifier.wait_settled(first)
    notifier.wait_settled(mine)

    def told() -> list[dict[str, object]]:
        """Ramesh heard that the complaint he follows was disposed of"""
        return [
            m
            for m in notifier.messages(mine)
            if m["template"] == "sampark_first_disposed" and m["state"] == "sent"
        ]

    (heard,) = eventually(told)
    assert heard["state"] == "sent"
    mine_no = services.app.complaint(mine).registration_no
    assert heard["params"][:2] == [mine_no, sita.registration_no]  # type: ignore[index]

    # Once Sita has heard of both disposals, both were decided: the second told him nothing.
    def both_disposals() -> bool:
        """Sita heard of both disposals"""
        resolved = [m for m in notifier.messages(first) if m["template"] == "sampark_resolved"]
        return len(resolved) == 2 and all(m["state"] == "sent" for m in resolved)

    eventually(both_disposals)
    sent = standin.whatsapp_to(ramesh_mobile)
    assert [m["template"] for m in sent] == ["sampark_filed", "sampark_first_disposed"]
