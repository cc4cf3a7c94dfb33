"""The citizen's report page runs nothing it was not written to run: a link opens it only as
it was sent, whatever a complaint says is shown as text, and the browser is told to run no
script and load no style but the page's own."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from domain.values import Attachment, Channel, Complainant, Language, Outcome
from infra.security.report_links import report_link
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, TurnableClock, new_mobile

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x05" * 64
SCRIPT = "<script>alert(document.cookie)</script>"
BREAKOUT = "'\"><img src=x onerror=alert(1)>"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def hostile_complaint(services: Services) -> UUID:
    """A complaint whose every free text tries to become markup."""
    evidence = services.blobs.put(PNG)
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name=SCRIPT, mobile=new_mobile(), language=Language.ENGLISH),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject=f"No water {SCRIPT}",
        description=f"Ward 12 {BREAKOUT}",
        channel=Channel.HELPLINE_181,
    ).id
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken=f"Pipe replaced </dd></dl>{SCRIPT}",
        evidence=(
            Attachment(
                sha256=evidence,
                filename=f"{BREAKOUT}.png",
                media_type="image/png",
                size=len(PNG),
            ),
        ),
    )
    return complaint


def path_of(services: Services, complaint: UUID) -> str:
    link = report_link(services.settings, complaint, services.app.clock())
    return link.removeprefix(services.settings.public_url)


def markup_of(page: str) -> set[str]:
    return {tag.lower() for tag in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", page)}


PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "nav", "a", "h1", "p", "strong",
    "dl", "dt", "dd", "br", "form", "label", "input", "textarea", "button", "span",
    "header", "div", "small", "aside", "h2", "fieldset", "legend", "img",
}  # fmt: skip


def test_a_report_link_with_anything_added_opens_nothing(
    client: Client, services: Services
) -> None:
    path = path_of(services, hostile_complaint(services))
    assert client.get(path).status_code == 200
    for tail in (
        "='><img src=x onerror=alert(document.domain)>",
        "=",
        "==",
        "%3D%3D",
        "=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        quote("=' autofocus onfocus='alert(1)"),
    ):
        answer = client.get(path + tail)
        assert answer.status_code in (403, 404), tail  # 404: a "/" in it leaves the route
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "onerror" not in answer.text and "<script" not in answer.text
    feedback = client.post(path + "=/feedback", data={"satisfied": "yes"})
    assert feedback.status_code == 403


def test_what_a_complaint_says_is_shown_as_text(client: Client, services: Services) -> None:
    complaint = hostile_complaint(services)
    path = path_of(services, complaint)
    page = client.get(path).text
    assert markup_of(page) <= PAGE_TAGS
    shown = [html.unescape(text) for text in re.findall(r"<dd>(.*?)</dd>", page, re.S)]
    assert f"No water {SCRIPT}" in shown and f"Ward 12 {BREAKOUT}" in shown
    assert f"Pipe replaced </dd></dl>{SCRIPT}" in shown
    # The evidence's name, as a photo's alternative text or a file's link, stays text.
    names = re.findall(r'<img src="[^"]*" alt="([^"]*)"', page) + re.findall(
        r'<a class="file" href="[^"]*">([^<]*)</a>', page
    )
    assert [html.unescape(name).split(": ", 1)[1] for name in names] == [f"{BREAKOUT}.png"]
    # The same holds for the page that thanks the complainant for the feedback.
    thanks = client.post(
        f"{path}/feedback", data={"satisfied": "yes", "rating": "5", "comment": SCRIPT}
    )
    assert thanks.status_code == 200 and "Your feedback is recorded" in thanks.text
    assert markup_of(thanks.text) <= PAGE_TAGS


def test_the_page_runs_no_script_and_only_its_own_style(client: Client, services: Services) -> None:
    path = path_of(services, hostile_complaint(services))
    nonces = []
    for answer in (client.get(path), client.get(f"{path}?lang=hi")):
        directives = answer.headers["content-security-policy"].split(";")
        policy = dict(part.strip().partition(" ")[::2] for part in directives)
        assert policy["default-src"] == "'none'" and "script-src" not in policy
        assert policy["form-action"] == "'self'" and policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'none'" and policy["img-src"] == "'self'"
        nonce = re.fullmatch(r"'nonce-([A-Za-z0-9_-]{16,})'", policy["style-src"])
        assert nonce is not None
        assert re.findall(r"<style([^>]*)>", answer.text) == [f' nonce="{nonce.group(1)}"']
        assert " style=" not in answer.text  # no inline style attribute to allow
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "no-referrer"
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]


def test_a_browser_is_shown_a_page_when_the_link_cannot_open(
    client: Client, services: Services, clock: TurnableClock
) -> None:
    path = path_of(services, hostile_complaint(services))
    forged = client.get(path + "='><img src=x onerror=alert(1)>", headers=BROWSER)
    assert forged.status_code == 403
    assert forged.headers["content-type"] == "text/html; charset=utf-8"  # said once
    assert markup_of(forged.text) <= PAGE_TAGS and "onerror=alert" not in forged.text
    assert "default-src 'none'" in forged.headers["content-security-policy"]
    clock.advance(days=91)
    expired = client.get(path, headers=BROWSER)
    assert expired.status_code == 403 and "expired" in expired.text
    # Programs that ask for problem+json (or anything) still get it, as does a header
    # nobody can read.
    assert client.get(path).json()["status"] == 403
    unreadable = client.get(path, headers={"Accept": "text/html;q=1e400"})
    assert unreadable.status_code == 403 and unreadable.json()["status"] == 403
