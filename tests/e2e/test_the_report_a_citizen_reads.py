"""The Action Taken Report as a citizen wants it (issue 17 item 8): in Hindi, the directory's
Hindi names; the state's letterhead and the helpline; the evidence's photos as thumbnails and
other files as labelled links; times in IST; what to do when not satisfied; the rating as five
labelled choices; a Devanagari web font served by us. The page and the PDF are drawn to
/tmp/h-atr-look when that folder exists, to be looked at."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pypdfium2
from litestar.testing import TestClient
from PIL import Image

from api.services import Services
from domain.values import Attachment, Channel, Complainant, Language, Outcome
from reports.drawing import png
from tests.e2e.test_action_taken_report import path_of
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, new_mobile

Client = TestClient[Any]
LOOK = Path("/tmp/h-atr-look")


def a_photo() -> bytes:
    image = Image.new("RGB", (320, 240), (40, 120, 200))
    image.paste((230, 200, 40), (60, 60, 260, 180))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


PDF_FILE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def disposed_with_evidence(services: Services, language: Language) -> UUID:
    photo, letter = a_photo(), PDF_FILE
    photo_sha, letter_sha = services.blobs.put(photo), services.blobs.put(letter)
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="सुनीता देवी", mobile=new_mobile(), language=language),
        district="JAI",
        department="PHED",
        category="handpump-repair",
        subject="हैंडपंप खराब",
        description="गाँव के चौक का हैंडपंप दस दिन से खराब है।",
        channel=Channel.HELPLINE_181,
    ).id
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="हैंडपंप की मरम्मत कर दी गई; पानी आ रहा है।",
        evidence=(
            Attachment(photo_sha, "handpump-after.png", "image/png", len(photo)),
            Attachment(letter_sha, "work-order.pdf", "application/pdf", len(letter)),
        ),
    )
    return complaint


def test_the_hindi_page_speaks_to_the_citizen(client: Client, services: Services) -> None:
    complaint = disposed_with_evidence(services, Language.HINDI)
    path = path_of(services, complaint)
    page = client.get(path)
    text = page.text
    assert "राजस्थान सरकार" in text and 'href="tel:181"' in text  # letterhead, helpline
    assert "हैंडपंप या ट्यूबवेल की मरम्मत" in text  # the category's Hindi name
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d IST", text)  # India's time, said so
    # The photo as a thumbnail, the work order as a labelled link, both under the report.
    resolution = services.app.complaint(complaint).resolution
    assert resolution is not None
    photo, letter = resolution.evidence
    assert f'<img src="{path}/evidence/{photo.sha256}"' in text
    assert f'href="{path}/evidence/{letter.sha256}">दस्तावेज़ (PDF): work-order.pdf</a>' in text
    # Five labelled choices for the rating, not a number box.
    choices = re.findall(r'<input type="radio" name="rating" value="(\d)"> \d · ([^<]+)<', text)
    assert [v for v, _ in choices] == ["5", "4", "3", "2", "1"]
    assert choices[0][1].strip() == "बहुत अच्छा" and choices[-1][1].strip() == "बहुत खराब"
    assert 'type="number"' not in text
    # What to do if not satisfied, with the last day to say so.
    assert "संतुष्ट नहीं हैं?" in text
    assert "/fonts/noto-sans-devanagari.ttf" in text
    assert "font-src 'self'" in page.headers["content-security-policy"]
    if LOOK.is_dir():
        (LOOK / "atr-hi.html").write_text(text)


def test_a_choice_of_rating_is_taken_as_the_rating(client: Client, services: Services) -> None:
    complaint = disposed_with_evidence(services, Language.ENGLISH)
    path = path_of(services, complaint)
    answer = client.post(
        f"{path}/feedback?lang=en", data={"satisfied": "yes", "rating": "4", "comment": ""}
    )
    assert answer.status_code == 200 and "Your feedback is recorded" in answer.text
    feedback = services.app.complaint(complaint).feedback
    assert feedback is not None and feedback.rating == 4
    # Now nothing is asked: the helpline remains for a citizen not satisfied after all.
    assert 'name="rating"' not in answer.text and "Call the helpline 181" in answer.text


def test_the_web_font_is_served_to_anyone_and_kept_a_while(client: Client) -> None:
    font = client.get("/fonts/noto-sans-devanagari.ttf")
    assert font.status_code == 200 and font.headers["content-type"] == "font/ttf"
    assert font.content[:4] == b"\x00\x01\x00\x00" and "max-age" in font.headers["cache-control"]
    assert client.get("/fonts/other.ttf").status_code == 404


def test_the_pdf_has_the_letterhead_the_photo_and_the_advice(
    client: Client, services: Services
) -> None:
    for language in (Language.HINDI, Language.ENGLISH):
        complaint = disposed_with_evidence(services, language)
        answer = client.get(f"{path_of(services, complaint)}?format=pdf")
        assert answer.status_code == 200
        document = pypdfium2.PdfDocument(answer.content)
        page = document[0]
        text = page.get_textpage().get_text_range()
        images = [o for o in page.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
        assert len(images) == 1  # the photo; the work order is a link
        assert "181" in text and "IST" in text
        if language == Language.ENGLISH:
            assert "Government of Rajasthan" in text and "Document (PDF): work-order.pdf" in text
            assert "Not satisfied?" in text
        if LOOK.is_dir():
            (LOOK / f"atr-{language}.png").write_bytes(png(answer.content, 900))
        document.close()
