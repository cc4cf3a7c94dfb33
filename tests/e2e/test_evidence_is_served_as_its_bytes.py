"""Evidence is served as what its bytes are, found once at upload, never as what a command
or a stored event says it is; a file a browser could run is only ever handed over as a
download."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from domain.values import Attachment, Channel, Complainant, Language, Outcome
from infra.security.report_links import report_link
from tests.conftest import Pipeline, Tokens, filed_by_a_citizen
from tests.support import (
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    citizen,
    new_mobile,
    water_complaint,
)

Client = TestClient[Any]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n<html><script>alert(document.domain)</script></html>\n%%EOF"
PAGE = b"<!doctype html><html><body><script>alert(document.domain)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>'


def report_path(services: Services, complaint: UUID) -> str:
    link = report_link(services.settings, complaint, services.app.clock())
    return link.removeprefix(services.settings.public_url)


def disposed_with(services: Services, sha256: str, media_type: str, filename: str) -> UUID:
    """A complaint disposed of with this file as evidence, as the event store may already
    hold it (the type as the command said, before commands were checked)."""
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Sita", mobile=new_mobile(), language=Language.ENGLISH),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water",
        description="Ward 3",
        channel=Channel.HELPLINE_181,
    ).id
    size = len(services.blobs.get(sha256) or b"")
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Pipe replaced",
        evidence=(Attachment(sha256=sha256, filename=filename, media_type=media_type, size=size),),
    )
    return complaint


def test_an_officer_cannot_say_the_evidence_is_something_its_bytes_are_not(
    client: Client, services: Services, tokens: Tokens
) -> None:
    mobile = new_mobile()
    filed = filed_by_a_citizen(client, tokens, mobile)
    uploaded = client.post(
        "/v1/attachments",
        files={"file": ("repair-report.pdf", PDF, "application/pdf")},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    ).json()
    assert uploaded["media_type"] == "application/pdf"
    resolve = f"/v1/complaints/{filed['id']}/resolve"
    for said in ("text/html", "image/svg+xml", "image/png"):
        refused = client.post(
            resolve,
            json={
                "outcome": "relief",
                "action_taken": "Pipe replaced",
                "attachments": [{**uploaded, "media_type": said}],
            },
            headers=tokens.headers(JAIPUR_WATER_OFFICER),
        )
        assert refused.status_code == 400, said
        assert refused.json()["field"] == "attachments[0].media_type"
    assert services.app.complaint(UUID(filed["id"])).version == filed["version"]  # nothing written

    # A complaint filed with a file must describe it truly too.
    own = client.post(
        "/v1/attachments",
        files={"file": ("bill.pdf", PDF, "application/pdf")},
        headers=tokens.headers(citizen(mobile)),
    ).json()
    lying = client.post(
        "/v1/complaints",
        json=water_complaint(mobile, attachments=[{**own, "media_type": "text/html"}]),
        headers=tokens.headers(citizen(mobile)),
    )
    assert lying.status_code == 400 and lying.json()["field"] == "attachments[0].media_type"

    resolved = client.post(
        resolve,
        json={"outcome": "relief", "action_taken": "Pipe replaced", "attachments": [uploaded]},
        headers=tokens.headers(JAIPUR_WATER_OFFICER),
    )
    assert resolved.status_code == 200
    evidence = client.get(
        f"{report_path(services, UUID(filed['id']))}/evidence/{uploaded['sha256']}"
    )
    assert evidence.status_code == 200 and evidence.content == PDF
    assert evidence.headers["content-type"] == "application/pdf"
    assert evidence.headers["x-content-type-options"] == "nosniff"
    assert evidence.headers["content-disposition"].startswith("inline;")


def test_evidence_stored_under_a_wrong_type_is_served_as_its_bytes(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline
) -> None:
    sha = services.blobs.put(PDF)
    complaint = disposed_with(services, sha, "text/html", "report.html")
    pipeline.settle()
    for answer in (
        client.get(f"{report_path(services, complaint)}/evidence/{sha}"),
        client.get(f"/v1/attachments/{sha}", headers=tokens.headers(JAIPUR_COLLECTOR)),
    ):
        assert answer.status_code == 200 and answer.content == PDF
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_file_a_browser_could_run_is_only_ever_a_download(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline
) -> None:
    # Bytes of no accepted type: put by hand, and one stored before types were recorded.
    page = services.blobs.put(PAGE)
    assert services.blobs.media_type(page) == "application/octet-stream"
    older = hashlib.sha256(SVG).hexdigest()
    services.blobs.path(older).parent.mkdir(parents=True, exist_ok=True)
    services.blobs.path(older).write_bytes(SVG)
    for sha, said, filename in (
        (page, "text/html", "notice.html"),
        (older, "image/svg+xml", 'map".svg'),
    ):
        complaint = disposed_with(services, sha, said, filename)
        pipeline.settle()
        for answer in (
            client.get(f"{report_path(services, complaint)}/evidence/{sha}"),
            client.get(f"/v1/attachments/{sha}", headers=tokens.headers(JAIPUR_COLLECTOR)),
        ):
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "application/octet-stream"
            assert answer.headers["content-disposition"].startswith("attachment")
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert "default-src 'none'" in answer.headers["content-security-policy"]
    # The name a citizen's browser saves it under cannot break out of the header either.
    named = client.get(f"{report_path(services, complaint)}/evidence/{older}")
    assert named.headers["content-disposition"] == (
        "attachment; filename=\"map_.svg\"; filename*=UTF-8''map%22.svg"
    )


def test_a_phone_video_is_taken_as_the_3gp_it_is(client: Client, tokens: Tokens) -> None:
    three_gp = b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00isom" + b"\x00" * 64
    for content, media_type in (
        (three_gp, "video/3gpp"),
        (b"\x00\x00\x00\x18ftypisom", "video/mp4"),
    ):
        answer = client.post(
            "/v1/attachments",
            files={"file": ("clip", content, media_type)},
            headers=tokens.headers(JAIPUR_WATER_OFFICER),
        )
        assert answer.status_code == 201 and answer.json()["media_type"] == media_type
    assert (
        client.post(
            "/v1/attachments",
            files={"file": ("clip", three_gp, "video/mp4")},
            headers=tokens.headers(JAIPUR_WATER_OFFICER),
        ).status_code
        == 415
    )
