"""The public status page (issue 17 item 4): `/status/{registration_no}` with the last 4
digits of the mobile, or the receipt's signed link; where the complaint stands, at which
level, until when, in Hindi or English; nothing personal. Against enumeration a wrong check
reads exactly as a number never issued, and checks are counted per client and per number.

The limits here are small (3 checks of one number, 7 from one address), so the story fits
in a few requests; each test has its own database, so its own counts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from api.services import Services
from infra.security.report_links import status_link
from infra.settings import Settings
from tests.conftest import Tokens
from tests.support import OPERATOR, new_mobile, water_complaint

Client = TestClient[Any]
LOOK = Path("/tmp/h-atr-look")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(
        settings, status_limit_per_complaint=3, status_limit_per_address=7
    )


def filed(client: Client, tokens: Tokens) -> tuple[str, str]:
    mobile = new_mobile()
    body = water_complaint(
        mobile,
        channel="helpline_181",
        complainant={"name": "Kamla Devi", "mobile": mobile, "address": "Ward 12"},
    )
    answer = client.post("/v1/complaints", json=body, headers=tokens.headers(OPERATOR))
    assert answer.status_code == 201, answer.text
    return answer.json()["registration_no"], mobile


def without_nonce(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", page)


def test_the_last_four_digits_open_where_it_stands_and_nothing_personal(
    client: Client, tokens: Tokens
) -> None:
    registration_no, mobile = filed(client, tokens)
    form = client.get(f"/status/{registration_no}")
    assert form.status_code == 200 and 'name="digits"' in form.text
    hindi = client.post(f"/status/{registration_no}", data={"digits": mobile[-4:]})
    assert hindi.status_code == 200
    for words in ("कार्यवाही जारी", "सहायक अभियंता, जयपुर (स्तर 1)", "निस्तारण की अंतिम तिथि", "IST"):
        assert words in hindi.text, words
    english = client.post(f"/status/{registration_no}?lang=en", data={"digits": mobile[-4:]})
    assert "in progress" in english.text and "Assistant Engineer, Jaipur (level 1)" in english.text
    pages = [page.text.replace(registration_no, "") for page in (hindi, english)]
    for personal in ("Kamla", mobile, mobile[-4:], "Ward 12", "No water supply", "taps dry"):
        assert all(personal not in page for page in pages), personal
    if LOOK.is_dir():
        (LOOK / "status-hi.html").write_text(hindi.text)
        (LOOK / "status-form.html").write_text(form.text)


def test_a_wrong_check_reads_exactly_as_a_number_never_issued(
    client: Client, tokens: Tokens
) -> None:
    registration_no, mobile = filed(client, tokens)
    wrong = "0000" if mobile[-4:] != "0000" else "1111"
    # A number never issued, of the same shape: the same page but for the number itself.
    never = registration_no[:-4] + ("9999" if not registration_no.endswith("9999") else "9998")
    a = client.post(f"/status/{registration_no}", data={"digits": wrong})
    b = client.post(f"/status/{never}", data={"digits": wrong})
    assert a.status_code == b.status_code == 404
    assert without_nonce(a.text).replace(registration_no, "N") == without_nonce(b.text).replace(
        never, "N"
    )
    assert a.headers.get("retry-after") is None
    # A key that is not the number's signature: the same page again.
    c = client.get(f"/status/{registration_no}?key=bogus.key")
    assert c.status_code == 404
    assert without_nonce(c.text) == without_nonce(a.text)
    # Digits of the wrong shape are bad input, named, whatever the number.
    bad = client.post(f"/status/{registration_no}", data={"digits": "12a4"})
    assert bad.status_code == 400


def test_the_receipts_signed_link_opens_it_without_digits_only_for_its_number(
    client: Client, tokens: Tokens, services: Services
) -> None:
    registration_no, _ = filed(client, tokens)
    other, _ = filed(client, tokens)
    link = status_link(services.settings, registration_no, services.app.clock())
    path = link.removeprefix(services.settings.public_url)
    opened = client.get(path)
    assert opened.status_code == 200 and "कार्यवाही जारी" in opened.text
    key = path.split("key=", 1)[1]
    assert client.get(f"/status/{other}?key={key}").status_code == 404


def test_checks_of_one_number_are_limited_wherever_they_come_from(
    client: Client, tokens: Tokens, services: Services
) -> None:
    registration_no, mobile = filed(client, tokens)
    other, other_mobile = filed(client, tokens)
    for digits in ("0001", "0002", "0003"):
        assert client.post(f"/status/{registration_no}", data={"digits": digits}).status_code in (
            200,
            404,
        )
    # The fourth check of that number is refused, even with the right digits...
    refused = client.post(f"/status/{registration_no}", data={"digits": mobile[-4:]})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    # ... while another number is still answered.
    answer = client.post(f"/status/{other}", data={"digits": other_mobile[-4:]})
    assert answer.status_code == 200
    # The receipt's signed link still opens it: whoever spent the number's checks cannot
    # lock out the one who holds the receipt (its key is counted against the client only).
    link = status_link(services.settings, registration_no, services.app.clock())
    opened = client.get(link.removeprefix(services.settings.public_url))
    assert opened.status_code == 200
    # A key that is not the number's is counted against the number like a wrong check.
    assert client.get(f"/status/{registration_no}?key=bogus.key").status_code == 429


def test_one_client_trying_many_numbers_is_stopped(client: Client, tokens: Tokens) -> None:
    registration_no, _ = filed(client, tokens)
    prefix = registration_no[:-4]
    answers = [
        client.post(f"/status/{prefix}{n:04d}", data={"digits": "1234"}).status_code
        for n in range(1, 10)
    ]
    # Seven looks from this address, then nothing more, numbers issued or not.
    assert answers[:7] == [404] * 7 and answers[7:] == [429, 429]
