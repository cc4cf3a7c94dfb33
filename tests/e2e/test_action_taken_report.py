"""The Action Taken Report a citizen opens from WhatsApp: page, PDF, evidence and feedback,
behind a signed link that expires."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import pypdfium2
from litestar.testing import TestClient

from api.app import create_app
from api.services import Services
from domain.values import Attachment, Channel, Complainant, Language, Outcome
from infra.run.services import open_services
from infra.security.report_links import report_link
from infra.security.signing import sign
from infra.settings import Settings
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, TurnableClock, new_mobile

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x07" * 64


def disposed(services: Services, language: Language = Language.HINDI) -> UUID:
    blob = services.blobs.put(PNG)
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="रमेश कुमार", mobile=new_mobile(), language=language),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="पानी की आपूर्ति बंद",
        description="वार्ड 12 में तीन दिन से नल सूखे हैं।",
        channel=Channel.HELPLINE_181,
    ).id
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="मुख्य पाइपलाइन की मरम्मत की गई; आपूर्ति बहाल।",
        evidence=(
            Attachment(sha256=blob, filename="marammat.png", media_type="image/png", size=len(PNG)),
        ),
    )
    return complaint


def path_of(services: Services, complaint: UUID) -> str:
    link = report_link(services.settings, complaint, services.app.clock())
    return link.removeprefix(services.settings.public_url)


def test_the_report_page_reads_in_hindi_by_default_and_in_english_on_request(
    client: Client, services: Services
) -> None:
    complaint = disposed(services)
    path = path_of(services, complaint)
    hindi = client.get(path)
    assert hindi.status_code == 200 and hindi.headers["content-type"].startswith("text/html")
    for words in ("की गई कार्यवाही की रिपोर्ट", "मुख्य पाइपलाइन की मरम्मत", "राहत दी गई"):
        assert words in hindi.text
    assert 'name="viewport"' in hindi.text
    # The directory's names in Hindi: the officer, the district and the department.
    for name in ("सहायक अभियंता, जयपुर", "जयपुर / जन स्वास्थ्य अभियांत्रिकी विभाग"):
        assert name in hindi.text
    assert "Assistant Engineer" not in hindi.text and "Jaipur" not in hindi.text
    english = client.get(f"{path}?lang=en")
    assert "Action Taken Report" in english.text and "relief given" in english.text
    assert "Assistant Engineer, Jaipur" in english.text
    assert client.get(f"{path}?lang=fr").json()["field"] == "lang"


def test_the_pdf_renders_devanagari(client: Client, services: Services, tmp_path: Path) -> None:
    complaint = disposed(services)
    answer = client.get(f"{path_of(services, complaint)}?format=pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(answer.content)
    text = pdf[0].get_textpage().get_text_range()
    registration = services.app.complaint(complaint).registration_no
    assert registration in text
    assert b"NotoSansDevanagari" in answer.content  # the shaping font is embedded
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    image.save(tmp_path / "atr.png")  # kept for a look: the conjuncts must be whole
    inked = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert inked > 2_000  # a page of text, not a blank one


def test_the_evidence_opens_from_the_report_and_nothing_else_does(
    client: Client, services: Services
) -> None:
    complaint = disposed(services)
    path = path_of(services, complaint)
    evidence = services.app.complaint(complaint).resolution.evidence[0]  # type: ignore[union-attr]
    photo = client.get(f"{path}/evidence/{evidence.sha256}")
    assert photo.status_code == 200 and photo.content == PNG
    assert photo.headers["content-type"] == "image/png"
    assert client.get(f"{path}/evidence/{'0' * 64}").status_code == 404


def test_a_forged_or_expired_link_is_refused(
    client: Client, services: Services, clock: TurnableClock
) -> None:
    complaint = disposed(services)
    path = path_of(services, complaint)
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 403
    forged = sign("a guess at the secret", "atr", str(complaint), clock.now + timedelta(days=9))
    assert client.get(f"/atr/{forged}").status_code == 403
    clock.advance(days=91)
    expired = client.get(path)
    assert expired.status_code == 403 and "expired" in expired.json()["detail"]


def test_the_complainant_answers_from_the_report_page(client: Client, services: Services) -> None:
    complaint = disposed(services, Language.ENGLISH)
    path = path_of(services, complaint)
    assert "Are you satisfied?" in client.get(path).text
    answer = client.post(
        f"{path}/feedback",
        data={"satisfied": "yes", "rating": "4", "comment": "Water is back"},
    )
    assert answer.status_code == 200 and "Your feedback is recorded" in answer.text
    kinds = [type(e).__name__ for e in services.app.timeline(complaint)]
    assert kinds[-2:] == ["FeedbackGiven", "Closed"]
    twice = client.post(f"{path}/feedback", data={"satisfied": "no"})
    assert twice.status_code == 409
    bad = client.post(f"{path}/feedback", data={"satisfied": "yes", "rating": "9"})
    assert bad.status_code == 400 and bad.json()["field"] == "rating"


def test_before_disposal_the_same_link_shows_the_progress(
    client: Client, services: Services
) -> None:
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Mohan", mobile=new_mobile(), language=Language.ENGLISH),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Leaking pipe",
        description="Ward 4",
        channel=Channel.HELPLINE_181,
    ).id
    page = client.get(path_of(services, complaint))
    assert page.status_code == 200
    assert "Complaint status" in page.text and "Assistant Engineer, Jaipur (level 1)" in page.text
    assert "Are you satisfied?" not in page.text


def test_the_webhook_answers_the_verification_handshake(
    client: Client, settings: Settings, database: str, clock: TurnableClock
) -> None:
    # Not configured: the handshake fails rather than accept any token.
    handshake = {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "42"}
    assert client.get("/v1/webhooks/whatsapp", params=handshake).status_code == 403
    configured = open_services(
        msgspec.structs.replace(settings, whatsapp_verify_token="our-verify-token"),
        database,
        clock=clock,
    )
    try:
        with TestClient(app=create_app(configured)) as other:
            wrong = other.get("/v1/webhooks/whatsapp", params=handshake)
            assert wrong.status_code == 403
            right = other.get(
                "/v1/webhooks/whatsapp",
                params={**handshake, "hub.verify_token": "our-verify-token"},
            )
            assert right.status_code == 200 and right.text == "42"
    finally:
        configured.close()
